import { AsOfQueries, getTopic, topicTimeline, type AsOf, type Page, type TimelineEntry, type TopicSummary } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE } from '../tokens.js';
import { NotFoundError } from './not-found.error.js';
import type { PageRequest } from './paging.js';

export type TopicTimeline = TopicSummary & Page<TimelineEntry>;

/** A timeline as it stood: its entries then. The topic's figures are today's, so they are left out. */
export type PastTopicTimeline = { slug: string; asOf: AsOf } & Page<TimelineEntry>;

export class TopicTimelineQuery extends Query<TopicTimeline | PastTopicTimeline> {
  constructor(
    readonly slug: string,
    readonly page: PageRequest,
    /** Answer as the archive stood then, from the log. */
    readonly asOf?: AsOf,
  ) {
    super();
  }
}

@QueryHandler(TopicTimelineQuery)
export class TopicTimelineHandler implements IQueryHandler<TopicTimelineQuery> {
  constructor(
    @Inject(READ_STORE) private readonly db: ReadStore,
    private readonly asOfQueries: AsOfQueries,
  ) {}

  async execute({ slug, page, asOf }: TopicTimelineQuery): Promise<TopicTimeline | PastTopicTimeline> {
    if (asOf) {
      const timeline = await this.asOfQueries.topicTimeline(slug, asOf, page);
      if (timeline.items.length === 0 && !page.cursor) throw new NotFoundError('topic', slug);
      return { slug, asOf, ...timeline };
    }
    const topic = await getTopic(this.db, slug);
    if (!topic) throw new NotFoundError('topic', slug);
    return { ...topic, ...(await topicTimeline(this.db, slug, page)) };
  }
}
