import type { BriefingEvent, BriefingEventType } from '@archive/domain';
import type { StoredEvent } from '@archive/event-store';
import type { ReadStoreDialect, SqlExecutor } from '@archive/read-store';

/** A stored event whose type and data are one of the briefing events. */
export type StoredBriefingEvent = Omit<StoredEvent, 'type' | 'data'> & BriefingEvent;

/**
 * A read model: the tables it owns and how each event changes them. Deterministic: the same log
 * gives the same tables. The runner owns subscriptions, batching, transactions and checkpoints.
 */
export interface Projection {
  readonly name: string;
  /** Bumped when the tables or the way they are filled change. */
  readonly version: number;
  /** The event types it reads; the runner passes it no others. */
  readonly handles: ReadonlySet<BriefingEventType>;
  /**
   * Statements that create its tables and indexes if they are missing. Every table and index is
   * written `{name}`, as in `apply` and the queries, so a rebuild can build a new generation
   * beside the live one.
   */
  schema(dialect: ReadStoreDialect): readonly string[];
  /** The names of its tables, longest-lived first, for checksums and rebuilds. */
  readonly tables: readonly string[];
  /** Columns whose values depend on the store rather than the log (surrogate keys), left out of checksums. */
  readonly checksumIgnores?: readonly string[];
  apply(event: StoredBriefingEvent, tx: SqlExecutor): Promise<void>;
  /**
   * Called after the last event of a batch, with the executor the batch was applied through:
   * writes what the projection gathered over the batch (counts summed per row, one statement per
   * row instead of one per event), and leaves nothing gathered behind. Several batches may share
   * one transaction (a rebuild's last catch-up), and each ends on its own.
   */
  endBatch?(tx: SqlExecutor): Promise<void>;
}

/**
 * Lets the event loop run I/O before going on. The SQLite stores answer synchronously, so without
 * it a rebuild or a long catch-up would hold every HTTP request until it ended.
 */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How many events a projection applies between turns of the event loop, within one batch of thousands. */
const EVENTS_PER_TURN = 250;

/**
 * Applies a batch of events to a projection through one executor: those it handles, in order,
 * then the end of the batch. Every caller applies events this way, so none forgets `endBatch`.
 */
export async function applyBatch(projection: Projection, events: readonly StoredEvent[], tx: SqlExecutor): Promise<void> {
  let sinceTurn = 0;
  for (const event of events) {
    if (!projection.handles.has(event.type as BriefingEventType)) continue;
    await projection.apply(event as StoredBriefingEvent, tx);
    if (++sinceTurn === EVENTS_PER_TURN) {
      sinceTurn = 0;
      await nextTurn();
    }
  }
  await projection.endBatch?.(tx);
}
