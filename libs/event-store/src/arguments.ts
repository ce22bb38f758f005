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
