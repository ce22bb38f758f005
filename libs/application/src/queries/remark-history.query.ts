import { AsOfQueries, remarkHistory, type AsOf, type RemarkHistory } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';
import { NotFoundError } from './not-found.error.js';

export class RemarkHistoryQuery extends Query<RemarkHistory> {
  constructor(
    readonly remarkId: string,
    /** Answer as the archive stood then, from the log. */
    readonly asOf?: AsOf,
  ) {
    super();
  }
}

@QueryHandler(RemarkHistoryQuery)
export class RemarkHistoryHandler implements IQueryHandler<RemarkHistoryQuery> {
  constructor(
    @Inject(READ_STORE) private readonly db: ReadStore,
    private readonly asOfQueries: AsOfQueries,
  ) {}

  async execute({ remarkId, asOf }: RemarkHistoryQuery): Promise<RemarkHistory> {
    const history = asOf ? await this.asOfQueries.remarkHistory(remarkId, asOf) : await remarkHistory(this.db, remarkId);
    if (!history) throw new NotFoundError('remark', remarkId);
    return history;
  }
}
