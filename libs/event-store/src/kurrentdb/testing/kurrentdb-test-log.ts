/** One event record of the test server's transaction log. */
export interface LoggedEvent {
  /** Offset of the record in the log: both its commit and its prepare position, as for KurrentDB's implicit transactions. */
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly contentType: string;
  /** .NET ticks (100 ns) since the Unix epoch, as KurrentDB sends the `created` metadata. */
  readonly created: bigint;
  data: Uint8Array;
  metadata: Uint8Array;
}

/** An event as a writer proposes it. */
export interface ProposedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

/** KurrentDB's expected stream states. */
export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: number };

export type WriteOutcome =
  /** The events were appended; `last` is the last one, undefined for an empty write. */
  | { readonly kind: 'written'; readonly revision: number; readonly last: LoggedEvent | undefined }
  /** Every proposed event is already the stream's run at the expected place: nothing appended. */
  | { readonly kind: 'idempotent'; readonly revision: number }
  /** `current` is the stream's last revision, -1 when it has no events. */
  | { readonly kind: 'wrong_expected_version'; readonly current: number };

/**
 * Bytes a record takes in KurrentDB's log (v2 prepare record): a fixed header with its log and
 * transaction positions, flags, expected version, event and correlation ids and timestamp, plus
 * the length-prefixed stream name, event type, data and metadata.
 */
const RECORD_HEADER_BYTES = 93;

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The transaction log of the in-test KurrentDB server: `$all` in position order and an index per stream. */
export class TestLog {
  private readonly records: LoggedEvent[] = [];
  private readonly streams = new Map<string, LoggedEvent[]>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = 0;

  get length(): number {
    return this.records.length;
  }

  at(index: number): LoggedEvent {
    return this.records[index];
  }

  /** Where the next record will be written: the log's end. */
  get endPosition(): number {
    return this.nextPosition;
  }

  stream(streamId: string): readonly LoggedEvent[] | undefined {
    return this.streams.get(streamId);
  }

  /** Index of the first record whose position is at least `position`. */
  indexAtOrAfter(position: number): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle].position < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Calls `listener` after each write; returns the function that removes it. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * KurrentDB's commit check, then the write. With an exact revision (or no stream) that is the
   * stream's last revision the events are written, ids unchecked. With one the stream has moved
   * past, the write is idempotent when the events after it carry the proposed ids in order, and a
   * wrong expected version otherwise. With `any` or `stream_exists` a write whose first id is
   * already in the stream is idempotent when the following events match too, and a wrong
   * expected version when they do not (KurrentDB's "corrupted idempotency").
   */
  write(streamId: string, expected: ExpectedState, events: readonly ProposedEvent[]): WriteOutcome {
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length - 1;

    if (expected.kind === 'revision' || expected.kind === 'no_stream') {
      const expectedRevision = expected.kind === 'no_stream' ? -1 : expected.revision;
      if (expectedRevision > current) return { kind: 'wrong_expected_version', current };
      if (expectedRevision < current) {
        return this.matchesRun(stream, expectedRevision + 1, events)
          ? { kind: 'idempotent', revision: expectedRevision + events.length }
          : { kind: 'wrong_expected_version', current };
      }
    } else {
      if (expected.kind === 'stream_exists' && current === -1) return { kind: 'wrong_expected_version', current };
      const first = events.length > 0 ? stream.findIndex((event) => event.eventId === events[0].eventId) : -1;
      if (first !== -1) {
        return this.matchesRun(stream, first, events)
          ? { kind: 'idempotent', revision: first + events.length - 1 }
          : { kind: 'wrong_expected_version', current };
      }
    }
    return this.append(streamId, events);
  }

  /** Appends without any check: for system events and for writes already checked. */
  append(streamId: string, events: readonly ProposedEvent[]): WriteOutcome {
    let stream = this.streams.get(streamId);
    if (!stream) {
      stream = [];
      this.streams.set(streamId, stream);
    }
    let last: LoggedEvent | undefined;
    const created = BigInt(Date.now()) * 10_000n;
    for (const event of events) {
      last = { ...event, streamId, revision: stream.length, position: this.nextPosition, created };
      this.nextPosition += RECORD_HEADER_BYTES + 2 + utf8Length(streamId) + utf8Length(event.type) + 8 +
        event.data.length + event.metadata.length;
      stream.push(last);
      this.records.push(last);
    }
    if (events.length > 0) for (const listener of [...this.listeners]) listener();
    return { kind: 'written', revision: stream.length - 1, last };
  }

  /**
   * Removes one event from the log and its stream, leaving the others as they are: what someone
   * with disk access could do, for tests of tamper evidence. False when there is no such event.
   * The stream's index then no longer matches its revisions: reads still work, appends to it do not.
   */
  delete(streamId: string, revision: number): boolean {
    const stream = this.streams.get(streamId);
    const index = stream?.findIndex((event) => event.revision === revision) ?? -1;
    if (!stream || index === -1) return false;
    const [removed] = stream.splice(index, 1);
    this.records.splice(this.records.indexOf(removed), 1);
    return true;
  }

  /**
   * Swaps the revisions of two events of a stream, each keeping its place in `$all`: the stream
   * now reads them in the other order. For tests of tamper evidence; false when either is missing.
   */
  swap(streamId: string, revisionA: number, revisionB: number): boolean {
    const stream = this.streams.get(streamId);
    const a = stream?.findIndex((event) => event.revision === revisionA) ?? -1;
    const b = stream?.findIndex((event) => event.revision === revisionB) ?? -1;
    if (!stream || a === -1 || b === -1 || a === b) return false;
    const movedA = { ...stream[a], revision: revisionB };
    const movedB = { ...stream[b], revision: revisionA };
    this.records[this.records.indexOf(stream[a])] = movedA;
    this.records[this.records.indexOf(stream[b])] = movedB;
    stream[a] = movedB;
    stream[b] = movedA;
    return true;
  }

  private matchesRun(stream: readonly LoggedEvent[], from: number, events: readonly ProposedEvent[]): boolean {
    return (
      events.length > 0 &&
      from + events.length <= stream.length &&
      events.every((event, index) => stream[from + index].eventId === event.eventId)
    );
  }
}
