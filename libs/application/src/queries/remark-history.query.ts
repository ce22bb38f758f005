import { remarkHistory, type RemarkHistory } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';
import { NotFoundError } from './not-found.error.js';

export class RemarkHistoryQuery extends Query<RemarkHistory> {
  constructor(readonly remarkId: string) {
    super();
  }
}

@QueryHandler(RemarkHistoryQuery)
export class RemarkHistoryHandler implements IQueryHandler<RemarkHistoryQuery> {
  constructor(@Inject(READ_STORE) private readonly db: ReadStore) {}

  async execute({ remarkId }: RemarkHistoryQuery): Promise<RemarkHistory> {
    const history = await remarkHistory(this.db, remarkId);
    if (!history) throw new NotFoundError('remark', remarkId);
    return history;
  }
}
