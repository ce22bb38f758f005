import kurrent, {
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type Filter,
  type JSONType,
  type KurrentDBClient as Client,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { DuplicateEventError, StoreUnavailableError, WrongExpectedRevisionError } from '../errors.js';
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  StoredEvent,
  SubscribeOptions,
} from '../event-store.port.js';
import { KurrentDbSubscription } from './kurrentdb.subscription.js';
import { expectedRevisionMatches, MAX_PAGE_SIZE, nonNegativeInteger, positiveInteger } from '../arguments.js';
import { chainMetadata } from '../hash-chain.js';

const {
  KurrentDBClient,
  jsonEvent,
  streamNameFilter,
  excludeSystemEvents,
  START,
  END,
  BACKWARDS,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  UnavailableError,
  DeadlineExceededError,
  CancelledError,
  NotLeaderError,
  TimeoutError,
} = kurrent;

export interface KurrentDbEventStoreOptions {
  /** A KurrentDB connection string, e.g. `kurrentdb://127.0.0.1:2113?tls=false`. */
  readonly connectionString: string;
  /**
   * The streams that make up the archive's log in a KurrentDB it may share, by name prefix, e.g.
   * `['briefing-']`. `readAll`, `headPosition` and `subscribeToAll` see only these streams, filtered
   * on the server. By default they see every stream that is not a system stream.
   */
  readonly streamPrefixes?: readonly string[];
  /**
   * Where an event id must be unique. `store` (the default, as the port promises): each id is
   * claimed in a small stream of its own before its event is written, so an id stored in another
   * stream is refused. `stream`: only the target stream is searched, which saves a write per
   * event but lets the same id land in two streams.
   */
  readonly eventIdScope?: 'store' | 'stream';
  /** Page size of `readAll` when none is given. Default 1000, at most 10 000. */
  readonly pageSize?: number;
  /** A filtered subscription hears from the server after every `checkpointInterval x 32` events it skips. Default 1. */
  readonly checkpointInterval?: number;
  /** Pause before a dropped subscription subscribes again: starts here (default 100 ms), doubles, stops growing at `maxDelayMs` (default 5 s). */
  readonly resubscribe?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /**
   * The longest one operation may take, whatever it does inside (an append claims ids, reads the
   * head, writes, and may try once more): past it the operation fails with StoreUnavailableError
   * and the connections are replaced, so a server that hangs, or a network that drops packets,
   * holds a caller no longer than this. Default 10 s. Subscriptions are long-lived and not bound
   * by it; the client's keep-alive finds their dead connections.
   */
  readonly deadlineMs?: number;
}

export interface KurrentDbSubscribeOptions extends SubscribeOptions {
  /**
   * Called with a position the subscription has passed while the server filter skipped events,
   * once every event before it has been handed out and processed. A consumer may store it as its
   * resume point, so a restart does not rescan what the filter skipped.
   */
  readonly onCheckpoint?: (position: number) => void | Promise<void>;
}

/** Where the command's time travels in the event's metadata; KurrentDB's own `created` is the server's clock. */
const RECORDED_AT = '$recordedAt';
/** The stream that claims an event id for the stream its event belongs to. */
const CLAIM_STREAM_PREFIX = 'archive-event-id-';
/** `$`-prefixed, so the type filter that keeps system events out keeps claims out too. */
const CLAIM_EVENT_TYPE = '$EventIdClaimed';
/** "No limit" for a stream read, as the client itself means it: 2^53 - 1. */
const WHOLE_STREAM = Number.MAX_SAFE_INTEGER;
/** An append whose head moves under it this many times in a row gives up. */
const MAX_APPEND_ATTEMPTS = 20;

const isSystemName = (name: string): boolean => name.startsWith('$');

/**
 * The archive's global position is the event's commit position in KurrentDB's log: a byte offset
 * that grows with the log, not by one. It is carried as a JS number, exact up to 2^53 bytes
 * (8 PiB) of log; a larger one, or the "no position" a server older than 22.6 sends on stream
 * reads, is refused rather than rounded.
 */
function toPosition(commit: bigint | undefined): number {
  if (commit === undefined || commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `KurrentDB sent position ${String(commit)}: positions must be below 2^53, and stream reads need KurrentDB 22.6 or later`,
    );
  }
  return Number(commit);
}

function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): number {
  return toPosition(resolved.event?.position?.commit ?? resolved.commitPosition);
}


/** Failures that mean "the store cannot answer now" become StoreUnavailableError; the rest pass through. */
function unavailable(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError ||
    error instanceof TimeoutError ||
    code === 1 || // CANCELLED
    code === 4 || // DEADLINE_EXCEEDED
    code === 14 // UNAVAILABLE
  ) {
    return new StoreUnavailableError(`event store unavailable: ${(error as Error).message}`, { cause: error });
  }
  return error;
}

/** Refuses an event the adapter could not read back as it was given. */
function checkEvent(event: NewEvent): void {
  if (RECORDED_AT in event.metadata) {
    throw new RangeError(`event ${event.eventId}: metadata key ${RECORDED_AT} is reserved by the KurrentDB adapter`);
  }
  if (isSystemName(event.type)) {
    throw new RangeError(`event ${event.eventId}: types starting with $ are KurrentDB system event types`);
  }
}

/** The event as written, with its chained metadata (see `chainMetadata`). */
function toEventData(event: NewEvent, metadata: EventMetadata) {
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    // JSON has no `undefined`; the SQLite adapter stores it as null too.
    data: (event.data ?? null) as JSONType,
    metadata: { ...metadata, [RECORDED_AT]: event.recordedAt },
  });
}

/** The event as the archive sees it; undefined for a system event, a claim, or a link. */
function toStoredEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | undefined {
  const event = resolved.event;
  if (!event || resolved.link || isSystemName(event.type) || isSystemName(event.streamId)) return undefined;
  const { [RECORDED_AT]: recordedAt, ...metadata } = (event.metadata ?? {}) as Record<string, unknown>;
  return {
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: positionOf(resolved),
    recordedAt: typeof recordedAt === 'string' ? recordedAt : event.created.toISOString(),
    data: event.data,
    metadata: metadata as unknown as EventMetadata,
  };
}

interface StreamHead {
  /** -1 for a stream with no events. */
  readonly revision: number;
  /** 0 for a stream with no events. */
  readonly position: number;
  /** The last event's `metadata.hash`, which the next event links to. */
  readonly hash: string | undefined;
}

/**
 * The production event store, on KurrentDB (EventStoreDB) through its official Node client.
 *
 * Expected revisions map to the client's stream states and its wrong-expected-version answer to
 * WrongExpectedRevisionError. Idempotency by event id goes beyond what KurrentDB itself offers:
 * KurrentDB recognises a re-sent append only at the same expected revision and only within one
 * stream, while the port returns the first result of a re-send whatever revision it names, and
 * refuses a partial or cross-stream repeat. So the adapter claims each event id before writing
 * (see `eventIdScope`) and, when an id was seen before, looks the events up in the stream.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly connectionString: string;
  /** Appends and subscriptions: the client's gRPC channel, replaced when an operation runs past its deadline. */
  private client: Client;
  /** Reads: the client's native bridge, replaced when it fails (see `guard`). */
  private reader: Client;
  private readonly streamPrefixes: readonly string[] | undefined;
  private readonly eventIdScope: 'store' | 'stream';
  private readonly pageSize: number;
  private readonly checkpointInterval: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly deadlineMs: number;
  private readonly subscriptions = new Set<KurrentDbSubscription>();
  private closed = false;

  constructor(options: KurrentDbEventStoreOptions) {
    this.pageSize = Math.min(positiveInteger('pageSize', options.pageSize ?? 1000), MAX_PAGE_SIZE);
    this.checkpointInterval = positiveInteger('checkpointInterval', options.checkpointInterval ?? 1);
    this.initialDelayMs = positiveInteger('resubscribe.initialDelayMs', options.resubscribe?.initialDelayMs ?? 100);
    this.maxDelayMs = Math.max(
      this.initialDelayMs,
      positiveInteger('resubscribe.maxDelayMs', options.resubscribe?.maxDelayMs ?? 5000),
    );
    const prefixes = options.streamPrefixes;
    if (prefixes !== undefined && (prefixes.length === 0 || prefixes.some((prefix) => !prefix || isSystemName(prefix)))) {
      throw new RangeError('streamPrefixes must be non-empty prefixes that do not start with $');
    }
    this.streamPrefixes = prefixes;
    this.deadlineMs = positiveInteger('deadlineMs', options.deadlineMs ?? 10_000);
    this.eventIdScope = options.eventIdScope ?? 'store';
    this.connectionString = options.connectionString;
    try {
      this.client = KurrentDBClient.connectionString(options.connectionString);
      this.reader = KurrentDBClient.connectionString(options.connectionString);
    } catch (error) {
      throw new StoreUnavailableError(`cannot use KurrentDB connection string: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < -1)) {
      throw new RangeError(`expected revision must be an integer >= -1, got ${expected}`);
    }
    if (isSystemName(streamId)) throw new RangeError(`stream ${streamId}: names starting with $ are KurrentDB system streams`);
    this.assertOpen();
    if (events.length === 0) {
      return this.bounded(`an append to ${streamId}`, async () => {
        const head = await this.streamHead(streamId);
        if (!expectedRevisionMatches(expected, head.revision)) throw new WrongExpectedRevisionError(streamId, expected, head.revision);
        return { revision: head.revision, position: head.position };
      });
    }
    const seen = new Set<string>();
    for (const event of events) {
      const { eventId } = event;
      if (seen.has(eventId)) throw new DuplicateEventError(eventId, `event ${eventId} appears twice in one append to ${streamId}`);
      seen.add(eventId);
      checkEvent(event);
    }
    // Safe to repeat: a retry that finds its own events stored returns them as a re-send.
    return this.bounded(`an append to ${streamId}`, () => this.retryOnce(() => this.append(streamId, events, expected)));
  }

  async readStream(streamId: string, options: { fromRevision?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    const fromRevision = nonNegativeInteger('fromRevision', options.fromRevision ?? 0);
    const limit = options.limit === undefined ? WHOLE_STREAM : nonNegativeInteger('limit', options.limit);
    this.assertOpen();
    if (limit === 0) return [];
    const resolved = await this.bounded(`a read of ${streamId}`, () =>
      this.readStreamRaw(streamId, { fromRevision: BigInt(fromRevision), maxCount: limit }),
    );
    const events: StoredEvent[] = [];
    for (const one of resolved) {
      const event = toStoredEvent(one);
      if (event) events.push(event);
    }
    return events;
  }

  /** One page, at most `pageSize` events by default and never more than 10 000. */
  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const after = nonNegativeInteger('after', options.after ?? 0);
    const limit = Math.min(nonNegativeInteger('limit', options.limit ?? this.pageSize), MAX_PAGE_SIZE);
    this.assertOpen();
    return this.bounded('a read of the log', () => this.readAllPage(after, limit));
  }

  private async readAllPage(after: number, limit: number): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    // Reads from a position include it; `after` excludes it, so one more is asked for and the boundary dropped.
    let cursor = after;
    while (events.length < limit) {
      const maxCount = limit - events.length + 1;
      let received = 0;
      await this.guard(async (reader) => {
        const page = reader.readAll({
          fromPosition: cursor === 0 ? START : { commit: BigInt(cursor), prepare: BigInt(cursor) },
          maxCount,
          filter: this.logFilter(),
        });
        for await (const resolved of page) {
          received++;
          const position = positionOf(resolved);
          if (cursor !== 0 && position <= cursor) continue;
          cursor = position;
          const event = toStoredEvent(resolved);
          if (event) events.push(event);
        }
      });
      // A short page is the end of the log; a full one may have lost events to the client-side guard.
      if (received < maxCount) break;
    }
    return events.slice(0, limit);
  }

  /** Position of the archive's last event: the server filter and the system-event guard apply as for `readAll`. */
  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.bounded("a read of the log's head", () => this.findHead());
  }

  private async findHead(): Promise<number> {
    let from: typeof END | { commit: bigint; prepare: bigint } = END;
    for (;;) {
      const page = await this.guard(async (reader) => {
        const resolved: AllStreamResolvedEvent[] = [];
        for await (const event of reader.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: 32, filter: this.logFilter() })) {
          resolved.push(event);
        }
        return resolved;
      });
      for (const resolved of page) {
        if (toStoredEvent(resolved)) return positionOf(resolved);
      }
      if (page.length < 32) return 0;
      // Backwards reads return what lies before the position: continue below the oldest one seen.
      const oldest = positionOf(page[page.length - 1]);
      from = { commit: BigInt(oldest), prepare: BigInt(oldest) };
    }
  }

  /**
   * A catch-up subscription that resubscribes by itself when its call drops (see
   * KurrentDbSubscription). KurrentDB pushes events rather than serving pages, so `batchSize`
   * bounds how many events the client buffers ahead of the consumer.
   */
  subscribeToAll(options: KurrentDbSubscribeOptions = {}): KurrentDbSubscription {
    const after = nonNegativeInteger('after', options.after ?? 0);
    const highWaterMark = Math.min(positiveInteger('batchSize', options.batchSize ?? this.pageSize), MAX_PAGE_SIZE);
    this.assertOpen();
    const subscription = new KurrentDbSubscription({
      open: (fromPosition, filter, hwm) => this.client.subscribeToAll({ fromPosition, filter }, { highWaterMark: hwm }),
      filter: (checkpointReached) => this.logFilter(checkpointReached),
      convert: toStoredEvent,
      positionOf,
      after,
      highWaterMark,
      initialDelayMs: this.initialDelayMs,
      maxDelayMs: this.maxDelayMs,
      onCheckpoint: options.onCheckpoint,
      onClose: (closed) => this.subscriptions.delete(closed),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** One backwards read of a single event from `$all`: cheap, and it needs a working connection and a readable log. */
  async ping(): Promise<void> {
    this.assertOpen();
    await this.bounded('a ping', () =>
      this.guard(async (reader) => {
        for await (const _ of reader.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) break;
      }),
    );
  }

  /** Ends every open subscription, then the client's connections. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await Promise.all([this.client.dispose(), this.reader.dispose()]);
  }

  /**
   * The server-side filter for the archive's log: its stream prefixes when given, otherwise
   * every event whose type is not a system type. Events of `$` streams that slip through the
   * type filter are dropped on this side.
   */
  private logFilter(checkpointReached?: Filter['checkpointReached']): Filter {
    const common = { checkpointInterval: this.checkpointInterval, checkpointReached };
    return this.streamPrefixes
      ? streamNameFilter({ prefixes: [...this.streamPrefixes], ...common })
      : excludeSystemEvents(common);
  }

  /**
   * Reads the stream's head, checks the caller's expectation against it, chains the events to
   * its hash and writes them with the head's exact revision, so the chain is computed under the
   * same guard the server enforces. When the head moves in between, an exact expectation (or
   * `no_stream`) fails as WrongExpectedRevisionError; `any` and `stream_exists` are tried again
   * over the new head, a bounded number of times.
   */
  private async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    // Claimed now for the first time: none of these ids can be stored yet, anywhere.
    let mayBeStored = this.eventIdScope === 'stream' || !(await this.claim(streamId, events));
    for (let attempt = 1; ; attempt++) {
      if (mayBeStored) {
        const resent = await this.resentResult(streamId, events);
        if (resent) return resent;
      }
      const head = await this.streamHead(streamId);
      if (!expectedRevisionMatches(expected, head.revision)) throw new WrongExpectedRevisionError(streamId, expected, head.revision);
      const metadata = chainMetadata(streamId, events, head);
      const data = events.map((event, index) => toEventData(event, metadata[index]));
      // Always the exact revision read: two concurrent writers, or two re-sends of the same events, cannot both be written.
      const streamState: AppendStreamState = head.revision === -1 ? NO_STREAM : BigInt(head.revision);
      try {
        const result = await this.client.appendToStream(streamId, data, { streamState, deadline: this.deadlineMs });
        // KurrentDB answers a write it recognises as a repeat with success and no position.
        if (result.position) return { revision: Number(result.nextExpectedRevision), position: toPosition(result.position.commit) };
        mayBeStored = true;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw unavailable(error);
        const actual = error.actualState === NO_STREAM ? -1 : Number(error.actualState);
        // A concurrent re-send of these very events wins the same way an unrelated writer does.
        const resent = await this.resentResult(streamId, events);
        if (resent) return resent;
        if (typeof expected === 'number' || expected === 'no_stream' || !expectedRevisionMatches(expected, actual)) {
          throw new WrongExpectedRevisionError(streamId, expected, actual);
        }
        // `any` or `stream_exists`: another writer came in between. The events were just looked
        // for; a re-send written after this fails the next try.
        mayBeStored = false;
      }
      if (attempt >= MAX_APPEND_ATTEMPTS) {
        throw new StoreUnavailableError(`stream ${streamId} kept moving during ${attempt} append attempts`);
      }
    }
  }

  /**
   * Claims every id for `streamId`, one `no_stream` append per id. True when all were claimed
   * now; false when some were claimed for this stream before (a re-send, or an earlier attempt
   * that did not write). An id claimed for another stream is a DuplicateEventError: the adapter
   * cannot tell an event stored there from one whose write failed, and refuses both.
   */
  private async claim(streamId: string, events: readonly NewEvent[]): Promise<boolean> {
    const outcomes = await Promise.all(
      events.map(async ({ eventId }) => {
        try {
          await this.client.appendToStream(
            CLAIM_STREAM_PREFIX + eventId,
            jsonEvent({ type: CLAIM_EVENT_TYPE, data: { streamId } }),
            { streamState: NO_STREAM, deadline: this.deadlineMs },
          );
          return true;
        } catch (error) {
          if (error instanceof WrongExpectedVersionError) return false;
          throw unavailable(error);
        }
      }),
    );
    if (outcomes.every(Boolean)) return true;
    for (const [index, claimed] of outcomes.entries()) {
      if (claimed) continue;
      const { eventId } = events[index];
      const [claim] = await this.readStreamRaw(CLAIM_STREAM_PREFIX + eventId, { maxCount: 1 });
      const owner = (claim?.event?.data as { streamId?: unknown } | undefined)?.streamId;
      if (owner !== streamId) {
        throw new DuplicateEventError(
          eventId,
          `event ${eventId} belongs to stream ${String(owner)}; an append to ${streamId} may not repeat it`,
        );
      }
    }
    return false;
  }

  /**
   * The original result when every event is already stored as one run of this stream, in this
   * order; undefined when none is. Anything in between is a DuplicateEventError.
   */
  private async resentResult(streamId: string, events: readonly NewEvent[]): Promise<AppendResult | undefined> {
    const wanted = new Set(events.map((event) => event.eventId));
    const stored = new Map<string, { revision: number; position: number }>();
    for (const resolved of await this.readStreamRaw(streamId, { maxCount: WHOLE_STREAM })) {
      const event = resolved.event;
      if (event && wanted.has(event.id)) stored.set(event.id, { revision: Number(event.revision), position: positionOf(resolved) });
    }
    if (stored.size === 0) return undefined;
    const ids = events.map((event) => event.eventId);
    const first = stored.get(ids[0]);
    const isRun =
      first !== undefined && ids.every((id, index) => stored.get(id)?.revision === first.revision + index);
    if (isRun) return { ...stored.get(ids[ids.length - 1])!, resent: true };
    const culprit = ids.find((id) => stored.has(id)) as string;
    throw new DuplicateEventError(
      culprit,
      `event ${culprit} is already stored in ${streamId} at revision ${stored.get(culprit)?.revision}; ` +
        'an append may repeat a stored run of events whole, not in part',
    );
  }

  private async streamHead(streamId: string): Promise<StreamHead> {
    const [last] = await this.readStreamRaw(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    if (!last?.event) return { revision: -1, position: 0, hash: undefined };
    const hash = (last.event.metadata as { hash?: unknown } | undefined)?.hash;
    return { revision: Number(last.event.revision), position: positionOf(last), hash: typeof hash === 'string' ? hash : undefined };
  }

  /** A stream's events as the client gives them; an empty array for a stream with no events. */
  private async readStreamRaw(
    streamId: string,
    options: { direction?: typeof BACKWARDS; fromRevision?: bigint | typeof END; maxCount: number },
  ): Promise<ResolvedEvent[]> {
    return this.guard(async (reader) => {
      const events: ResolvedEvent[] = [];
      try {
        for await (const resolved of reader.readStream(streamId, options)) events.push(resolved);
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
      return events;
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }

  /**
   * Runs one operation under the store's deadline. The client's own deadlines do not cover every
   * path (its BatchAppend call and its native bridge's reads wait as long as the connection
   * does), so the operation is raced against a timer; past it the caller gets
   * StoreUnavailableError and both connections are replaced, since one that hangs would hold up
   * every later call too. The abandoned work may still complete on the server: an append answered
   * as unavailable may have been written, and its re-send with the same event ids appends nothing.
   */
  private async bounded<T>(operation: string, work: () => Promise<T>): Promise<T> {
    const connections = { client: this.client, reader: this.reader };
    let timer: NodeJS.Timeout | undefined;
    let deadlinePassed: StoreUnavailableError | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        deadlinePassed = new StoreUnavailableError(`event store unavailable: KurrentDB did not finish ${operation} within ${this.deadlineMs} ms`);
        reject(deadlinePassed);
      }, this.deadlineMs);
    });
    const running = work();
    // The loser of the race must not surface as an unhandled rejection.
    running.catch(() => undefined);
    try {
      return await Promise.race([running, expired]);
    } catch (error) {
      if (error === deadlinePassed && !this.closed) this.replaceConnections(connections);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Fresh connections for the next calls, in place of those an operation that ran out of time
   * started with (unless another has replaced them since); the old ones' calls are cancelled,
   * subscriptions included, which subscribe again on the new ones.
   */
  private replaceConnections(used: { client: Client; reader: Client }): void {
    if (this.client === used.client) {
      this.client = KurrentDBClient.connectionString(this.connectionString);
      void used.client.dispose().catch(() => undefined);
    }
    if (this.reader === used.reader) {
      this.reader = KurrentDBClient.connectionString(this.connectionString);
      void used.reader.dispose().catch(() => undefined);
    }
  }

  /**
   * Runs a read through the client's native bridge, with the failures that mean "try again
   * later" as StoreUnavailableError. After such a failure the bridge is replaced before the one
   * retry: a bridge whose very first connection attempt failed (the store was down when the
   * process started) never connects again (@kurrent/bridge 0.2.2), and a fresh one costs little.
   */
  private async guard<T>(call: (reader: Client) => Promise<T>): Promise<T> {
    let replaced = false;
    return this.retryOnce(async () => {
      const reader = this.reader;
      try {
        return await call(reader);
      } catch (error) {
        const mapped = unavailable(error);
        if (mapped instanceof StoreUnavailableError && !replaced && !this.closed && this.reader === reader) {
          replaced = true;
          this.reader = KurrentDBClient.connectionString(this.connectionString);
          void reader.dispose();
        }
        throw mapped;
      }
    });
  }

  /**
   * One immediate retry when the store was unavailable. The client reconnects lazily: the call
   * that meets a connection the server dropped (or the shared BatchAppend call it aborted) fails,
   * and the next one goes over a fresh connection.
   */
  private async retryOnce<T>(call: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError) || this.closed) throw error;
      return call();
    }
  }
}
