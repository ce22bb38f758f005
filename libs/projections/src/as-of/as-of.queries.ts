import { briefingStream, isBriefingEventType } from '@archive/domain';
import type { EventStore, StoredEvent } from '@archive/event-store';
import type { ReadStore, SqlExecutor } from '@archive/read-store';
import { briefingsProjection } from '../briefings/briefings.projection.js';
import { getBriefing, type BriefingTranscript } from '../briefings/briefings.queries.js';
import { applyBatch, type Projection, type StoredBriefingEvent } from '../projection.js';
import { remarkHistoryProjection } from '../remark-history/remark-history.projection.js';
import { remarkHistory, type RemarkHistory } from '../remark-history/remark-history.queries.js';
import { decodeCursor, type Page } from '../shared/cursor.js';
import { spokespersonsProjection } from '../spokespersons/spokespersons.projection.js';
import { getSpokesperson, type SpokespersonProfile } from '../spokespersons/spokespersons.queries.js';
import { topicsProjection } from '../topics/topics.projection.js';
import { topicTimeline, type TimelineEntry } from '../topics/topics.queries.js';
import { cutCondition, includes, type AsOf } from './as-of.js';

export interface AsOfSources {
  /** The log, read as projections read it (through the upcasters). */
  readonly events: Pick<EventStore, 'readStream'>;
  /** The read store that holds the as-of index (and the remark history, which names a remark's briefing). */
  readonly index: SqlExecutor;
  /** A new, empty, private read store to fold the chosen events into; closed after each query. */
  readonly scratch: () => ReadStore;
}

/** A row of the as-of index: an event that gave an item a topic, on the day its briefing was held. */
interface TopicEventRow {
  held_on: string;
  briefing_id: string;
  item_id: string;
}

/** The id of the statement, question or answer an event is about; undefined for briefing events. */
function itemOf(event: StoredBriefingEvent): string | undefined {
  switch (event.type) {
    case 'StatementRecorded':
      return event.data.statementId;
    case 'QuestionAsked':
      return event.data.questionId;
    case 'AnswerGiven':
      return event.data.answerId;
    case 'RemarkCorrected':
    case 'RemarkRetracted':
      return event.data.remarkId;
    default:
      return undefined;
  }
}

/** A projection's tables in a private store, filled with the events of the log a query chose. */
class Fold {
  private constructor(
    private readonly projection: Projection,
    readonly store: ReadStore,
  ) {}

  static async open(projection: Projection, store: ReadStore): Promise<Fold> {
    for (const sql of projection.schema(store.dialect)) await store.run(sql);
    return new Fold(projection, store);
  }

  async add(events: readonly StoredBriefingEvent[]): Promise<void> {
    const ordered = [...events].sort((a, b) => a.position - b.position);
    await this.store.transaction((tx) => applyBatch(this.projection, ordered, tx));
  }
}

/**
 * Answers queries as the archive stood at a past position or moment. The answer comes from the
 * log itself: the as-of index names the briefings a query needs (for a remark's history, the
 * live remark history names its briefing), their streams are read up to
 * the cut, and the same projection that keeps the live read model folds them into a private
 * store, where the same query runs. So an `asOf` answer has exactly the live answer's shape.
 */
export class AsOfQueries {
  constructor(private readonly sources: AsOfSources) {}

  async briefing(briefingId: string, cut: AsOf): Promise<BriefingTranscript | undefined> {
    const events = await this.streamAsOf(briefingId, cut);
    return this.folded(briefingsProjection, async (fold) => {
      await fold.add(events);
      return getBriefing(fold.store, briefingId);
    });
  }

  async remarkHistory(remarkId: string, cut: AsOf): Promise<RemarkHistory | undefined> {
    // A remark's briefing never changes: the live remark history names it, by the remark's id.
    // (Should that projection have failed, the remarks recorded after its failure are not found
    // here until it is rebuilt, as they are not in its own answers.)
    const item = await this.sources.index.get<{ briefing_id: string }>(
      'SELECT briefing_id FROM {remark_versions} WHERE remark_id = $1 AND version = 1',
      [remarkId],
    );
    if (!item) return undefined;
    const events = await this.streamAsOf(item.briefing_id, cut);
    return this.folded(remarkHistoryProjection, async (fold) => {
      await fold.add(events.filter((event) => itemOf(event) === remarkId));
      return remarkHistory(fold.store, remarkId);
    });
  }

  /**
   * A page of a topic's timeline as it stood. Whole days are taken from the index, from the
   * cursor's day on, until they hold a page's worth of items: only the briefings of those items
   * are read, and of them only the events of items that ever carried the topic by the cut.
   */
  async topicTimeline(slug: string, cut: AsOf, page: { limit: number; cursor?: string }): Promise<Page<TimelineEntry>> {
    const condition = cutCondition(cut, '$2');
    let after: { day: string; inclusive: boolean } = {
      day: page.cursor ? String(decodeCursor(page.cursor, ['string', 'number'])[0]) : '',
      inclusive: true,
    };
    return this.folded(topicsProjection, async (fold) => {
      for (;;) {
        const days = await this.topicDays(slug, condition, after, page.limit + 1);
        if (days.rows.length > 0) {
          const wanted = new Set(days.rows.map((row) => row.item_id));
          const briefings = [...new Set(days.rows.map((row) => row.briefing_id))];
          const streams = await Promise.all(briefings.map((briefingId) => this.streamAsOf(briefingId, cut)));
          await fold.add(streams.flat().filter((event) => event.type === 'BriefingOpened' || wanted.has(itemOf(event) ?? '')));
          after = { day: days.rows[days.rows.length - 1]!.held_on, inclusive: false };
        }
        const result = await topicTimeline(fold.store, slug, page);
        // Every day up to `after` is folded whole, so a full page, or the last days, is final. A
        // page can come out short while more days remain: a correction may have taken the topic
        // off an item, and on the cursor's day the items before the cursor do not count.
        if (result.nextCursor !== null || days.last) return result;
      }
    });
  }

  /**
   * The index's rows of a topic (as of the cut) on the days after `after`, in order of day: at
   * least `atLeast` of them unless the topic has fewer, and every row of each day they reach, since
   * a timeline page is final only up to the last day folded whole. `last` when no later day has
   * any.
   */
  private async topicDays(
    slug: string,
    condition: { sql: string; value: number | string },
    after: { day: string; inclusive: boolean },
    atLeast: number,
  ): Promise<{ rows: TopicEventRow[]; last: boolean }> {
    const select = `SELECT held_on, briefing_id, item_id FROM {asof_topic_events} WHERE topic = $1 AND ${condition.sql}`;
    const first = await this.sources.index.all<TopicEventRow>(
      `${select} AND held_on ${after.inclusive ? '>=' : '>'} $3 ORDER BY held_on LIMIT $4`,
      [slug, condition.value, after.day, atLeast],
    );
    if (first.length < atLeast) return { rows: first, last: true };
    // The LIMIT may have cut the last day short: that day is read again, whole.
    const day = first[first.length - 1]!.held_on;
    const whole = await this.sources.index.all<TopicEventRow>(`${select} AND held_on = $3`, [slug, condition.value, day]);
    return { rows: [...first.filter((row) => row.held_on !== day), ...whole], last: false };
  }

  /** A speaker's profile as it stood: every briefing they held or spoke in, up to the cut. */
  async spokesperson(id: string, cut: AsOf, page: { limit: number; cursor?: string }): Promise<SpokespersonProfile | undefined> {
    const condition = cutCondition(cut, '$2');
    const briefings = await this.sources.index.all<{ briefing_id: string }>(
      `SELECT DISTINCT briefing_id FROM {asof_speaker_events} WHERE speaker_id = $1 AND ${condition.sql}`,
      [id, condition.value],
    );
    return this.folded(spokespersonsProjection, async (fold) => {
      for (const { briefing_id } of briefings) {
        const remarks = new Set<string>();
        const events = (await this.streamAsOf(briefing_id, cut)).filter((event) => {
          if (event.type === 'BriefingOpened') return true;
          if ((event.type === 'StatementRecorded' || event.type === 'AnswerGiven') && event.data.speakerId === id) {
            remarks.add(itemOf(event)!);
          }
          return remarks.has(itemOf(event) ?? '');
        });
        await fold.add(events);
      }
      return getSpokesperson(fold.store, id, page);
    });
  }

  /** A briefing's events up to the cut, in stream order. */
  private async streamAsOf(briefingId: string, cut: AsOf): Promise<StoredBriefingEvent[]> {
    const events: StoredEvent[] = await this.sources.events.readStream(briefingStream(briefingId));
    return events.filter((event) => includes(cut, event) && isBriefingEventType(event.type)) as StoredBriefingEvent[];
  }

  private async folded<T>(projection: Projection, query: (fold: Fold) => Promise<T>): Promise<T> {
    const store = this.sources.scratch();
    try {
      return await query(await Fold.open(projection, store));
    } finally {
      await store.close();
    }
  }
}
