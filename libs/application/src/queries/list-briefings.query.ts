import { listBriefings, type BriefingFilter, type BriefingSummary, type Page } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';

export class ListBriefingsQuery extends Query<Page<BriefingSummary>> {
  constructor(readonly filter: BriefingFilter) {
    super();
  }
}

@QueryHandler(ListBriefingsQuery)
export class ListBriefingsHandler implements IQueryHandler<ListBriefingsQuery> {
  constructor(@Inject(READ_STORE) private readonly db: ReadStore) {}

  execute({ filter }: ListBriefingsQuery): Promise<Page<BriefingSummary>> {
    return listBriefings(this.db, filter);
  }
}
