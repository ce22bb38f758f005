import { briefingStream, type BriefingEvent } from '@archive/domain';
import type { StoredBriefingEvent } from '@archive/projections';

/**
 * Builds stored briefing events as an event store would hand them out: positions growing with
 * each append, each stream's revisions counting from 0, a recorded-at time and full metadata. The
 * ids are derived from the position, so the same calls always build the same log.
 */
export class BriefingLog {
  readonly events: StoredBriefingEvent[] = [];
  private position = 0;
  private readonly revisions = new Map<string, number>();

  /** When the first event was recorded; each later one is a minute after the one before. */
  private readonly firstRecordedAt = Date.parse('2024-02-05T09:00:00.000Z');

  append(...events: BriefingEvent[]): StoredBriefingEvent[] {
    return events.map((event) => {
      const streamId = briefingStream(event.data.briefingId);
      const revision = (this.revisions.get(streamId) ?? -1) + 1;
      this.revisions.set(streamId, revision);
      this.position += 1;
      const sequence = String(this.events.length + 1).padStart(12, '0');
      const stored: StoredBriefingEvent = {
        ...event,
        eventId: `e0000000-0000-4000-8000-${sequence}`,
        streamId,
        revision,
        position: this.position,
        recordedAt: new Date(this.firstRecordedAt + this.events.length * 60_000).toISOString(),
        metadata: {
          correlationId: `c0000000-0000-4000-8000-${sequence}`,
          causationId: `d0000000-0000-4000-8000-${sequence}`,
          actor: 'read-store-contract',
          schemaVersion: 1,
        },
      };
      this.events.push(stored);
      return stored;
    });
  }

  /** The first stored event that matches; throws when none does. */
  find(predicate: (event: StoredBriefingEvent) => boolean): StoredBriefingEvent {
    const found = this.events.find(predicate);
    if (!found) throw new Error('no such event in the log');
    return found;
  }
}
