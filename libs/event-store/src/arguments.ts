import type { ExpectedRevision } from './event-store.port.js';

/** Larger page requests are cut to this by every adapter, so one call cannot load the whole log into memory. */
export const MAX_PAGE_SIZE = 10_000;

/** Checks a position, revision or count argument; adapters refuse nonsense the same way. */
export function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

export function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Whether a stream whose last revision is `actual` (-1: no stream) satisfies the writer's expectation. */
export function expectedRevisionMatches(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === -1;
    case 'stream_exists':
      return actual !== -1;
    default:
      return expected === actual;
  }
}
