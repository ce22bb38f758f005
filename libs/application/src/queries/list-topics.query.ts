import { listTopics, type Page, type TopicSummary } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';
import type { PageRequest } from './paging.js';

export class ListTopicsQuery extends Query<Page<TopicSummary>> {
  constructor(readonly page: PageRequest) {
    super();
  }
}

@QueryHandler(ListTopicsQuery)
export class ListTopicsHandler implements IQueryHandler<ListTopicsQuery> {
  constructor(@Inject(READ_STORE) private readonly db: ReadStore) {}

  execute({ page }: ListTopicsQuery): Promise<Page<TopicSummary>> {
    return listTopics(this.db, page);
  }
}
