import Database from 'better-sqlite3';
import { DuplicateEventError, StoreUnavailableError, UnreadableEventError, WrongExpectedRevisionError } from '../errors.js';
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import { checkpointInWorker, type WalCheckpointer } from '@archive/sqlite';
import { AppendSignal, LogSubscription } from './sqlite.subscription.js';
import { expectedRevisionMatches, MAX_PAGE_SIZE, nonNegativeInteger, positiveInteger } from '../arguments.js';
import { eventHash, GENESIS_HASH, hashedMetadata } from '../hash-chain.js';

export interface SqliteEventStoreOptions {
  /** Path of the database file; `:memory:` gives a private in-memory log (tests only). */
  readonly filename: string;
  /** How often an idle subscription re-reads the log to see appends by other processes. Default 250 ms. */
  readonly pollIntervalMs?: number;
  /** Page size of `readAll` and of subscription catch-up when none is given. Default 1000. */
  readonly pageSize?: number;
  /** How long a write waits for another connection's lock before giving up. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Called after each commit with how many appends it held and how long it took (metrics). */
  readonly onCommit?: (commit: { appends: number; events: number; durationMs: number }) => void;
  /** Told if the checkpoint worker fails (SQLite then checkpoints on the store's own connection). */
  readonly onCheckpointerFailure?: () => void;
}

/** The connection's durability settings, for health checks and tests. */
export interface SqlitePragmas {
  readonly journalMode: string;
  /** 2 is FULL: a commit is on disk before `appendToStream` resolves. */
  readonly synchronous: number;
  readonly busyTimeoutMs: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT NOT NULL UNIQUE,
    stream_id   TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    type        TEXT NOT NULL,
    data        TEXT NOT NULL,
    metadata    TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (stream_id, revision)
  )`;

const COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata, recorded_at';

interface EventRow {
  readonly position: number;
  readonly event_id: string;
  readonly stream_id: string;
  readonly revision: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: string;
}

interface StoredIdRow {
  readonly event_id: string;
  readonly stream_id: string;
  readonly revision: number;
  readonly position: number;
}

/** An append waiting for the next group commit. */
interface QueuedAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** An append's answer, and how many events it wrote (none for a re-send). */
interface Appended {
  readonly result: AppendResult;
  readonly written: number;
}

/** What one append of a group commit came to: its own answer, or its own refusal. */
type Outcome = Appended | { readonly refusal: unknown };

/** Refusals that concern one append alone; anything else fails the whole commit. */
function isRefusal(error: unknown): boolean {
  return error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventError;
}

interface HeadRow {
  readonly revision: number;
  readonly position: number;
  /** The head event's `metadata.hash`, which the next event links to. */
  readonly hash: unknown;
}

/** A stream's last event: what the next append checks its revision against and links its hash to. */
interface StreamHead {
  readonly revision: number;
  readonly position: number;
  /** Its `metadata.hash`; undefined for an event written before hash chains existed. */
  readonly hash: string | undefined;
}

/** How many stream heads a store keeps in memory; the least recently appended to are forgotten first. */
const CACHED_HEADS = 10_000;

/**
 * The UNIQUE constraint on `event_id` refused an insert: the append repeats a stored event.
 * Recognised by its code, not by class: the driver's native part keeps the error class of the
 * first copy of its JavaScript loaded in the process, which need not be this module's.
 */
function isStoredEventId(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes('events.event_id');
}

/** The parameters of `insertEvent` for one event. */
type EventInsert = [eventId: string, streamId: string, revision: number, type: string, data: string, metadata: string, recordedAt: string];

interface ChainedRows {
  readonly rows: EventInsert[];
  /** The last event's hash: the stream's new head. */
  readonly hash: string;
}

/**
 * The rows that store `events` after `head`: what `chainMetadata` gives each event (its
 * metadata with `prevHash` and `hash`, replacing any supplied), written straight to JSON. The
 * first event links to the head's hash, or to genesis for a new stream or after a head written
 * before hash chains (which `verifyChains` reports).
 */
function chainedRows(streamId: string, events: readonly NewEvent[], head: StreamHead | undefined): ChainedRows {
  let prevHash = head?.hash ?? GENESIS_HASH;
  let revision = head?.revision ?? -1;
  const rows = events.map((event): EventInsert => {
    revision += 1;
    const { eventId, type, recordedAt, data } = event;
    const hash = eventHash({ streamId, revision, eventId, type, recordedAt, data, metadata: hashedMetadata(event.metadata), prevHash });
    const metadata = chainedMetadataJson(event.metadata, prevHash, hash);
    prevHash = hash;
    return [eventId, streamId, revision, type, JSON.stringify(data) ?? 'null', metadata, recordedAt];
  });
  return { rows, hash: prevHash };
}

/**
 * Exactly `JSON.stringify({ ...metadata, prevHash, hash })`, without copying the object: for
 * plain metadata that supplies neither field, that text is the metadata's own JSON with the two
 * members added at its end.
 */
function chainedMetadataJson(metadata: EventMetadata, prevHash: string, hash: string): string {
  if (
    typeof metadata === 'object' &&
    metadata !== null &&
    Object.getPrototypeOf(metadata) === Object.prototype &&
    typeof (metadata as { toJSON?: unknown }).toJSON !== 'function' &&
    !Object.hasOwn(metadata, 'prevHash') &&
    !Object.hasOwn(metadata, 'hash')
  ) {
    const own = JSON.stringify(metadata);
    const links = `"prevHash":${JSON.stringify(prevHash)},"hash":${JSON.stringify(hash)}}`;
    return own === '{}' ? `{${links}` : `${own.slice(0, -1)},${links}`;
  }
  return JSON.stringify({ ...metadata, prevHash, hash });
}

/** Codes that mean "try again later" rather than "your request is wrong". */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|NOTADB|CORRUPT)/;

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recorded_at,
    data: parsed(row, 'data') as unknown,
    metadata: parsed(row, 'metadata') as EventMetadata,
  };
}

/** A stored JSON column; only a file edited or damaged outside the store holds anything else. */
function parsed(row: EventRow, column: 'data' | 'metadata'): unknown {
  try {
    return JSON.parse(row[column]);
  } catch {
    throw new UnreadableEventError(row.stream_id, row.revision, row.event_id, row.position, `its ${column} is not JSON`);
  }
}

/**
 * The embedded event store: one SQLite file in WAL mode with `synchronous=FULL`, so an
 * acknowledged append survives a power cut. Appends take the write lock up front
 * (`BEGIN IMMEDIATE`), which makes positions follow commit order across processes.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<LogSubscription>();
  private closed = false;
  private readonly checkpointer: WalCheckpointer | undefined;

  private readonly selectStoredIds: Database.Statement<[string], StoredIdRow>;
  private readonly selectStreamHead: Database.Statement<[string], HeadRow>;
  private readonly insertEvent: Database.Statement<EventInsert>;
  private readonly selectStream: Database.Statement<[string, number, number], EventRow>;
  private readonly selectAll: Database.Statement<[number, number], EventRow>;
  private readonly selectHead: Database.Statement<[], number>;
  private readonly groupTransaction: Database.Transaction<(batch: readonly QueuedAppend[]) => Outcome[]>;
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly onCommit: SqliteEventStoreOptions['onCommit'];
  private queued: QueuedAppend[] = [];
  /**
   * The heads of the streams this connection appended to, as committed, valid while no other
   * connection has committed since (`PRAGMA data_version` at `headsVersion`): they spare the
   * lookup of the head, and the reading of its hash out of the metadata, on every append.
   */
  private readonly heads = new Map<string, StreamHead>();
  private headsVersion: number | undefined;
  /** The heads written by the group commit in progress, for the cache once it is on disk. */
  private readonly pendingHeads = new Map<string, StreamHead>();

  constructor(options: SqliteEventStoreOptions) {
    this.pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs ?? 250);
    this.pageSize = Math.min(positiveInteger('pageSize', options.pageSize ?? 1000), MAX_PAGE_SIZE);
    const busyTimeoutMs = nonNegativeInteger('busyTimeoutMs', options.busyTimeoutMs ?? 5000);
    let db: Database.Database | undefined;
    try {
      db = new Database(options.filename);
      // busy_timeout first: switching to WAL needs a lock another process may hold.
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(SCHEMA);
    } catch (error) {
      db?.close();
      throw new StoreUnavailableError(`cannot open event store ${options.filename}`, { cause: error });
    }
    this.db = db;
    this.checkpointer = checkpointInWorker(db, options.filename, 'FULL', options.onCheckpointerFailure);

    // One query for all the ids of an append, asked only when they may be stored (see `appendOne`).
    this.selectStoredIds = this.db.prepare(
      'SELECT event_id, stream_id, revision, position FROM events WHERE event_id IN (SELECT value FROM json_each(?))',
    );
    this.selectStreamHead = this.db.prepare(
      "SELECT revision, position, json_extract(metadata, '$.hash') AS hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1",
    );
    this.insertEvent = this.db.prepare(
      'INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectStream = this.db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    );
    this.selectAll = this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
    this.selectHead = this.db.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck();
    this.dataVersion = this.db.prepare<[], number>('PRAGMA data_version').pluck();
    // No savepoints: an append is refused, if at all, before it writes anything (see `appendOne`),
    // so a refused append leaves nothing to undo and the others commit. A savepoint made SQLite
    // copy every page an append touched to a statement journal first, which cost about as much
    // as the inserts themselves.
    this.groupTransaction = this.db.transaction((batch: readonly QueuedAppend[]) => {
      // Under the write lock: no other connection can commit until this transaction ends.
      const version = this.dataVersion.get();
      if (version !== this.headsVersion) {
        this.heads.clear();
        this.headsVersion = version;
      }
      const alone = batch.length === 1;
      return batch.map((append): Outcome => {
        try {
          return this.appendOne(append, alone);
        } catch (error) {
          if (isRefusal(error)) return { refusal: error };
          throw error;
        }
      });
    });
    this.onCommit = options.onCommit;
  }

  /**
   * An empty `events` array writes nothing but still checks `expected`, and returns the
   * stream's last revision and that event's position (-1 and 0 for a stream with no events):
   * a command that decides nothing can still answer with where the stream stands.
   *
   * Group commit: the appends asked for in one turn of the event loop share one transaction and
   * so one fsync, each with its own expected-revision and duplicate checks. Each resolves,
   * or is refused, on its own once the whole commit is on disk; only a failure of the commit
   * itself (a lock, the disk) fails them all, and then none was written.
   */
  appendToStream(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < -1)) {
      return Promise.reject(new RangeError(`expected revision must be an integer >= -1, got ${expected}`));
    }
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    return new Promise((resolve, reject) => {
      this.queued.push({ streamId, events, expected, resolve, reject });
      if (this.queued.length > 1) return;
      // A long WAL is copied by the checkpoint worker first, off the event loop (see WalCheckpointer).
      const checkpointed = this.checkpointer?.beforeWrite();
      if (checkpointed) void checkpointed.then(() => setImmediate(() => this.commitQueued()));
      else setImmediate(() => this.commitQueued());
    });
  }

  private commitQueued(): void {
    const batch = this.queued;
    this.queued = [];
    const started = performance.now();
    let outcomes: Outcome[];
    try {
      outcomes = this.guard(() => this.groupTransaction.immediate(batch));
    } catch (error) {
      // Nothing was written: the heads of this group never were.
      this.pendingHeads.clear();
      if (batch.length === 1 && isStoredEventId(error)) {
        this.answerResend(batch[0]!, error, started);
        return;
      }
      this.heads.clear();
      for (const append of batch) append.reject(error);
      return;
    }
    for (const [streamId, head] of this.pendingHeads) this.rememberHead(streamId, head);
    this.pendingHeads.clear();
    let events = 0;
    for (const [index, outcome] of outcomes.entries()) {
      const append = batch[index]!;
      if ('result' in outcome) {
        events += outcome.written;
        append.resolve(outcome.result);
      } else append.reject(outcome.refusal);
    }
    this.onCommit?.({ appends: batch.length, events, durationMs: performance.now() - started });
    if (events > 0) this.signal.notify();
  }

  async readStream(streamId: string, options: { fromRevision?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    const from = nonNegativeInteger('fromRevision', options.fromRevision ?? 0);
    // LIMIT -1 is SQLite for "no limit": a stream is read whole unless asked otherwise.
    const limit = options.limit === undefined ? -1 : nonNegativeInteger('limit', options.limit);
    return this.guard(() => {
      // Asked for what follows a head this connection wrote, with no other connection committing
      // since: nothing does. (A command reads its stream from the revision its kept state has.)
      const head = this.heads.get(streamId);
      if (head && from > head.revision && this.dataVersion.get() === this.headsVersion) return [];
      return this.selectStream.all(streamId, from, limit).map(toStoredEvent);
    });
  }

  /** One page, at most `pageSize` events by default and never more than 10 000. */
  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const after = nonNegativeInteger('after', options.after ?? 0);
    // A limit of 0 is a valid, empty page; anything above the cap is cut to it.
    const limit = Math.min(nonNegativeInteger('limit', options.limit ?? this.pageSize), MAX_PAGE_SIZE);
    return this.readPage(after, limit);
  }

  async headPosition(): Promise<number> {
    return this.guard(() => this.selectHead.get() ?? 0);
  }

  /** `batchSize` defaults to the store's page size and is capped like `readAll`'s limit. */
  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const after = nonNegativeInteger('after', options.after ?? 0);
    const batchSize = Math.min(positiveInteger('batchSize', options.batchSize ?? this.pageSize), MAX_PAGE_SIZE);
    this.assertOpen();
    const subscription = new LogSubscription({
      readPage: (from, limit) => this.readPage(from, limit),
      signal: this.signal,
      after,
      batchSize,
      pollIntervalMs: this.pollIntervalMs,
      onClose: (closed) => this.subscriptions.delete(closed),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async ping(): Promise<void> {
    // A real read of the log, so a missing or unreadable table fails the ping too.
    this.guard(() => this.selectHead.get());
  }

  pragmas(): SqlitePragmas {
    return this.guard(() => ({
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
    }));
  }

  /** Commits the appends already asked for, ends every open subscription, then closes the file. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.queued.length > 0) this.commitQueued();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.checkpointer?.close();
    this.db.close();
  }

  /**
   * A lone append that repeated a stored event id, once the UNIQUE constraint has made its
   * transaction roll back: the first append's result for a re-send, otherwise its refusal.
   */
  private answerResend(append: QueuedAppend, constraint: unknown, started: number): void {
    try {
      const resent = this.guard(() => this.resentResult(append.streamId, append.events));
      if (resent) append.resolve(resent);
      else append.reject(constraint);
    } catch (error) {
      append.reject(error);
    }
    this.onCommit?.({ appends: 1, events: 0, durationMs: performance.now() - started });
  }

  /**
   * One append of a group. Everything that can refuse it comes before its first insert: the
   * expected revision, its ids (re-send or duplicate) and the writing of its events' JSON and
   * hashes. A lone append skips the look-up of its ids: should it repeat one, the UNIQUE
   * constraint on `event_id` fails its insert, the transaction, which holds nothing else, rolls
   * back, and `answerResend` looks them up.
   */
  private appendOne(append: QueuedAppend, alone: boolean): Outcome {
    const { streamId, events, expected } = append;
    const head = this.headOf(streamId);
    const actual = head?.revision ?? -1;
    if (!expectedRevisionMatches(expected, actual)) {
      // A re-send is answered whatever revision it names: the revision is wrong only if it is none.
      const resent = events.length > 0 ? this.resentResult(streamId, events) : undefined;
      if (resent) return { result: resent, written: 0 };
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    if (events.length === 0) return { result: { revision: actual, position: head?.position ?? 0 }, written: 0 };
    if (!alone) {
      const resent = this.resentResult(streamId, events);
      if (resent) return { result: resent, written: 0 };
    }

    let chained: ChainedRows;
    try {
      chained = chainedRows(streamId, events, head);
    } catch (error) {
      // Data JSON cannot hold (a cycle, a BigInt): this append's failure, not its neighbours'.
      return { refusal: error };
    }
    let position = 0;
    for (const row of chained.rows) position = Number(this.insertEvent.run(...row).lastInsertRowid);
    const revision = actual + events.length;
    this.pendingHeads.set(streamId, { revision, position, hash: chained.hash });
    return { result: { revision, position }, written: events.length };
  }

  /** The stream's last event as this transaction sees it; undefined for a stream with no events. */
  private headOf(streamId: string): StreamHead | undefined {
    const known = this.pendingHeads.get(streamId) ?? this.heads.get(streamId);
    if (known) return known;
    const row = this.selectStreamHead.get(streamId);
    return row && { revision: row.revision, position: row.position, hash: typeof row.hash === 'string' ? row.hash : undefined };
  }

  private rememberHead(streamId: string, head: StreamHead): void {
    // Delete first so that the Map's order stays the order of the last appends.
    this.heads.delete(streamId);
    if (this.heads.size >= CACHED_HEADS) this.heads.delete(this.heads.keys().next().value as string);
    this.heads.set(streamId, head);
  }

  /**
   * The original result when every event is already stored as one run of this stream, in this
   * order; undefined when none is stored. Anything in between is a DuplicateEventError.
   */
  private resentResult(streamId: string, events: readonly NewEvent[]): AppendResult | undefined {
    const ids = events.map((event) => event.eventId);
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) throw new DuplicateEventError(id, `event ${id} appears twice in one append to ${streamId}`);
      seen.add(id);
    }
    const stored = new Map(this.selectStoredIds.all(JSON.stringify(ids)).map((row) => [row.event_id, row]));
    if (stored.size === 0) return undefined;

    const first = stored.get(ids[0]);
    const isRun =
      first !== undefined &&
      ids.every((id, index) => {
        const row = stored.get(id);
        return row !== undefined && row.stream_id === streamId && row.revision === first.revision + index;
      });
    if (isRun) {
      const last = stored.get(ids[ids.length - 1]) as StoredIdRow;
      return { revision: last.revision, position: last.position, resent: true };
    }
    const culprit = ids.find((id) => stored.has(id)) as string;
    const where = stored.get(culprit) as StoredIdRow;
    throw new DuplicateEventError(
      culprit,
      `event ${culprit} is already stored in ${where.stream_id} at revision ${where.revision}; ` +
        `an append to ${streamId} may repeat a stored run of events whole, not in part`,
    );
  }

  private readPage(after: number, limit: number): StoredEvent[] {
    return this.guard(() => this.selectAll.all(after, limit).map(toStoredEvent));
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }

  /** Runs a driver call, turning "closed", "locked" and I/O failures into StoreUnavailableError. */
  private guard<T>(call: () => T): T {
    this.assertOpen();
    try {
      return call();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
        throw new StoreUnavailableError(`event store unavailable: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    }
  }
}
