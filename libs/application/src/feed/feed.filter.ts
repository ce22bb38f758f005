import { BRIEFING_EVENT_TYPES, briefingStream, type BriefingEventType } from '@archive/domain';
import type { StoredEvent } from '@archive/event-store';
import type { EventFacts } from './feed.facts.js';

/** The event types a feed client may ask for. */
export const FEED_EVENT_TYPES: readonly BriefingEventType[] = BRIEFING_EVENT_TYPES;

/** What a feed client follows. Every field given must match (and); none given follows everything. */
export interface FeedFilter {
  /** A topic slug the event concerns (see `describeEvent`). */
  readonly topic?: string;
  /** A speaker slug the event is about (see `describeEvent`). */
  readonly speaker?: string;
  /** Any of these event types. */
  readonly types?: readonly string[];
  /** Events of this briefing only (a lower-case uuid). */
  readonly briefingId?: string;
}

/** Whether the event, with the facts `describeEvent` found for it, is one the filter follows. */
export function matchesFeedFilter(filter: FeedFilter, event: StoredEvent, facts: EventFacts): boolean {
  if (filter.types && !filter.types.includes(event.type)) return false;
  if (filter.briefingId !== undefined && event.streamId !== briefingStream(filter.briefingId)) return false;
  if (filter.topic !== undefined && !facts.topics.includes(filter.topic)) return false;
  if (filter.speaker !== undefined && !facts.speakers.includes(filter.speaker)) return false;
  return true;
}
