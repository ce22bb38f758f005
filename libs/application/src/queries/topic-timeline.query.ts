import { getTopic, topicTimeline, type Page, type TimelineEntry, type TopicSummary } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';
import { NotFoundError } from './not-found.error.js';
import type { PageRequest } from './paging.js';

export type TopicTimeline = TopicSummary & Page<TimelineEntry>;

export class TopicTimelineQuery extends Query<TopicTimeline> {
  constructor(
    readonly slug: string,
    readonly page: PageRequest,
  ) {
    super();
  }
}

@QueryHandler(TopicTimelineQuery)
export class TopicTimelineHandler implements IQueryHandler<TopicTimelineQuery> {
  constructor(@Inject(READ_STORE) private readonly db: ReadStore) {}

  async execute({ slug, page }: TopicTimelineQuery): Promise<TopicTimeline> {
    const topic = await getTopic(this.db, slug);
    if (!topic) throw new NotFoundError('topic', slug);
    return { ...topic, ...(await topicTimeline(this.db, slug, page)) };
  }
}
