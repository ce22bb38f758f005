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
}
