/** Who did what and why, carried with every stored event. */
export interface EventMetadata {
  /** The request or job the event came from. */
  readonly correlationId: string;
  /** What caused it: the command's id, or the event it reacts to. */
  readonly causationId: string;
  /** Who asked: an API key's name, or `anonymous`. */
  readonly actor: string;
  /** The version of the event's data schema. */
  readonly schemaVersion: number;
  /**
   * On a stored event: the `hash` of the previous event of its stream, or `GENESIS_HASH` for
   * revision 0. Set by the store on append (see `appendToStream`); absent only on events
   * written before hash chains existed.
   */
  readonly prevHash?: string;
  /** On a stored event: `eventHash` of its content and `prevHash` (see `CANONICAL_FORM` in hash-chain.ts). */
  readonly hash?: string;
  readonly [extra: string]: unknown;
}

/** An event about to be appended. */
export interface NewEvent {
  /** A uuid. Appending an event whose id is already stored appends nothing (see `appendToStream`). */
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  /** When it was recorded; the command's time, so the same input gives the same log. */
  readonly recordedAt: string;
}

/** An event as the log holds it: the envelope every reader sees. */
export interface StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  /** Its place in its stream: 0 for the first event. */
  readonly revision: number;
  /** Its place in the whole log; grows with commit order, not always by one. */
  readonly position: number;
  readonly recordedAt: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

/**
 * What a writer expects of the stream: `any` checks nothing, `no_stream` that it has no events,
 * `stream_exists` that it has some, a number that its last event has exactly that revision.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** Revision of the last event appended (or of the last of the already stored ones). */
  readonly revision: number;
  /** Global position of that event. */
  readonly position: number;
  /** True when every event was stored already (a re-send, matched by event ids): nothing was written. */
  readonly resent?: true;
}

export interface ReadAllOptions {
  /** Read events whose position is greater than this; 0 (the default) reads from the start. */
  readonly after?: number;
  /** At most this many; the adapter's page size when absent. */
  readonly limit?: number;
}

export interface SubscribeOptions {
  /** Deliver events whose position is greater than this; 0 delivers the whole log. */
  readonly after?: number;
  /** How many events to read from the log at a time while catching up. */
  readonly batchSize?: number;
}

/**
 * A catch-up subscription to the whole log: it delivers the stored events after a position in
 * order, then each new one as it is committed, with no gap and no duplicate at the hand-over.
 * Iterate it with `for await`; `close()` ends the iteration.
 */
export interface Subscription extends AsyncIterable<StoredEvent> {
  close(): Promise<void>;
}

/**
 * The event store port: one interface, several adapters, one contract suite
 * (`@archive/event-store/testing`) that every adapter passes.
 */
export interface EventStore {
  /**
   * Appends all the events to the stream, or none. The expected revision is checked against
   * the stream's last revision; a mismatch throws `WrongExpectedRevisionError`. An append whose
   * events are all already stored in this stream, in this order (same event ids), is a re-send:
   * it appends nothing, checks no revision, and returns what the first append returned. An
   * append that repeats some stored event ids and not others, or repeats them in another stream
   * or another order, throws `DuplicateEventError`. An empty append writes nothing but still
   * checks the expected revision; it returns the stream's last revision and that event's
   * position, or `{ revision: -1, position: 0 }` for a stream with no events.
   *
   * Every appended event is stored with `metadata.prevHash` and `metadata.hash` (see
   * `chainMetadata`), computed from the stream's last event under the same expected-revision
   * guard, so each stream is a hash chain; a caller's own `prevHash` and `hash` are replaced. The
   * hash covers the data as stored: readers that upcast see other data, verifiers read the raw log.
   */
  appendToStream(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;

  /** The stream's events from `fromRevision` (default 0) in order; an empty array for no stream. */
  readStream(streamId: string, options?: { fromRevision?: number; limit?: number }): Promise<StoredEvent[]>;

  /** One page of the whole log in position order. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;

  /** Position of the last committed event; 0 for an empty log. */
  headPosition(): Promise<number>;

  subscribeToAll(options?: SubscribeOptions): Subscription;

  /** Checks that the store answers; throws when it does not. */
  ping(): Promise<void>;

  close(): Promise<void>;
}
