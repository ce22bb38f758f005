import { listSpokespersons, type Page, type SpokespersonSummary } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';
import type { PageRequest } from './paging.js';

export class ListSpokespersonsQuery extends Query<Page<SpokespersonSummary>> {
  constructor(readonly page: PageRequest) {
    super();
  }
}

@QueryHandler(ListSpokespersonsQuery)
export class ListSpokespersonsHandler implements IQueryHandler<ListSpokespersonsQuery> {
  constructor(@Inject(READ_STORE) private readonly db: ReadStore) {}

  execute({ page }: ListSpokespersonsQuery): Promise<Page<SpokespersonSummary>> {
    return listSpokespersons(this.db, page);
  }
}
