import { briefingStream } from '@archive/domain';
import type { EventStore, StoredEvent } from '@archive/event-store';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE } from '../tokens.js';
import { NotFoundError } from './not-found.error.js';

export interface EventPage {
  items: StoredEvent[];
  /** The position (global log) or revision (one stream) to read after, or null at the end. */
  nextCursor: string | null;
}

/** The global log after a position. */
export class ReadAllEventsQuery extends Query<EventPage> {
  constructor(
    readonly after: number,
    readonly limit: number,
  ) {
    super();
  }
}

/** One briefing's stream from a revision. */
export class ReadBriefingEventsQuery extends Query<EventPage> {
  constructor(
    readonly briefingId: string,
    readonly fromRevision: number,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(ReadAllEventsQuery)
export class ReadAllEventsHandler implements IQueryHandler<ReadAllEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ after, limit }: ReadAllEventsQuery): Promise<EventPage> {
    const items = await this.store.readAll({ after, limit });
    const last = items[items.length - 1];
    return { items, nextCursor: items.length === limit && last ? String(last.position) : null };
  }
}

@QueryHandler(ReadBriefingEventsQuery)
export class ReadBriefingEventsHandler implements IQueryHandler<ReadBriefingEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ briefingId, fromRevision, limit }: ReadBriefingEventsQuery): Promise<EventPage> {
    const items = await this.store.readStream(briefingStream(briefingId), { fromRevision, limit });
    if (items.length === 0 && fromRevision === 0) throw new NotFoundError('briefing', briefingId);
    const last = items[items.length - 1];
    return { items, nextCursor: items.length === limit && last ? String(last.revision) : null };
  }
}
