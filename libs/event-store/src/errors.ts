import type { ExpectedRevision } from './event-store.port.js';

/** The stream was not at the revision the writer expected: someone else wrote first. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision; -1 when it has no events. */
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at revision ${actual}, expected ${String(expected)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * An append repeated some already stored event ids but not all, ids stored in another stream,
 * or all of them but not as one run in the same order.
 */
export class DuplicateEventError extends Error {
  constructor(readonly eventId: string, message: string) {
    super(message);
    this.name = 'DuplicateEventError';
  }
}

/** The store cannot be reached or failed to answer; the caller may try again later. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * A stored event the store cannot read back (its data or metadata is not JSON): the file was
 * edited or damaged outside the store. Names the event, for verify to report it.
 */
export class UnreadableEventError extends Error {
  constructor(
    readonly streamId: string,
    readonly revision: number,
    readonly eventId: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`the event at position ${position} (${streamId} revision ${revision}) cannot be read: ${reason}`);
    this.name = 'UnreadableEventError';
  }
}
