import type { EventStore, StoredEvent } from '@archive/event-store';
import { BriefingFacts, describeEvent, needsHistory, type EventFacts } from './feed.facts.js';

interface Known {
  /** The revision of the last event folded into `facts`. */
  revision: number;
  facts: BriefingFacts;
}

/**
 * Finds each event's facts (`describeEvent`) for one reader going through the log in order. The
 * events that name an earlier remark (corrections, retractions, the closing) are described from
 * their stream's history read from the store, so the answer is the same live, on a replay and
 * after a restart. The streams met lately are kept folded (a bounded, least recently used set),
 * so a stream is read back only when an event of it comes in after a gap.
 *
 * Not for concurrent use: one resolver per reader.
 */
export class FeedFactsResolver {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 256,
  ) {}

  async describe(event: StoredEvent): Promise<EventFacts> {
    let known = this.known.get(event.streamId);
    if (known && known.revision !== event.revision - 1) known = undefined;
    if (!known && needsHistory(event)) known = { revision: event.revision - 1, facts: await this.history(event) };
    const facts = describeEvent(event, known?.facts);

    this.known.delete(event.streamId);
    if (known || event.revision === 0) {
      this.known.set(event.streamId, { revision: event.revision, facts: (known?.facts ?? new BriefingFacts()).apply([event]) });
      if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value!);
    }
    return facts;
  }

  /** The stream's facts from the events before `event`. */
  private async history(event: StoredEvent): Promise<BriefingFacts> {
    const facts = new BriefingFacts();
    let next = 0;
    while (next < event.revision) {
      const page = await this.store.readStream(event.streamId, { fromRevision: next, limit: event.revision - next });
      if (page.length === 0) break;
      facts.apply(page.filter((earlier) => earlier.revision < event.revision));
      next = page[page.length - 1]!.revision + 1;
    }
    return facts;
  }
}
