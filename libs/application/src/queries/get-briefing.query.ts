import { AsOfQueries, getBriefing, type AsOf, type BriefingTranscript } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';
import { NotFoundError } from './not-found.error.js';

export class GetBriefingQuery extends Query<BriefingTranscript> {
  constructor(
    readonly briefingId: string,
    /** Answer as the archive stood then, from the log. */
    readonly asOf?: AsOf,
  ) {
    super();
  }
}

@QueryHandler(GetBriefingQuery)
export class GetBriefingHandler implements IQueryHandler<GetBriefingQuery> {
  constructor(
    @Inject(READ_STORE) private readonly db: ReadStore,
    private readonly asOfQueries: AsOfQueries,
  ) {}

  async execute({ briefingId, asOf }: GetBriefingQuery): Promise<BriefingTranscript> {
    const briefing = asOf ? await this.asOfQueries.briefing(briefingId, asOf) : await getBriefing(this.db, briefingId);
    if (!briefing) throw new NotFoundError('briefing', briefingId);
    return briefing;
  }
}
