import { findSpokesperson, speakerTopicHistory, type Page, type PositionChange } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';
import { NotFoundError } from './not-found.error.js';
import type { PageRequest } from './paging.js';

export type SpeakerTopicHistory = { speaker: { id: string; name: string }; topic: string } & Page<PositionChange>;

/** How one speaker's line on one topic moved across briefings. */
export class SpeakerTopicHistoryQuery extends Query<SpeakerTopicHistory> {
  constructor(
    readonly speakerId: string,
    readonly slug: string,
    readonly page: PageRequest,
  ) {
    super();
  }
}

@QueryHandler(SpeakerTopicHistoryQuery)
export class SpeakerTopicHistoryHandler implements IQueryHandler<SpeakerTopicHistoryQuery> {
  constructor(@Inject(READ_STORE) private readonly db: ReadStore) {}

  async execute({ speakerId, slug, page }: SpeakerTopicHistoryQuery): Promise<SpeakerTopicHistory> {
    const speaker = await findSpokesperson(this.db, speakerId);
    if (!speaker) throw new NotFoundError('spokesperson', speakerId);
    const history = await speakerTopicHistory(this.db, speakerId, slug, page);
    return { speaker: { id: speaker.id, name: speaker.name }, topic: slug, ...history };
  }
}
