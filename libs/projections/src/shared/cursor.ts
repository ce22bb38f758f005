/** An opaque page cursor: the sort key of the last item of the page, base64url-encoded. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * What each part of a sort key is. Numbers in keys are counts, positions and offsets, so a
 * `number` part must be a non-negative integer.
 */
export type CursorShape = readonly ('string' | 'number')[];

function fits(value: unknown, kind: CursorShape[number]): boolean {
  return kind === 'number' ? Number.isSafeInteger(value) && (value as number) >= 0 : typeof value === 'string';
}

/**
 * Decodes a cursor whose key has the given shape; throws `InvalidCursorError` for anything this
 * service did not hand out, so a forged key never reaches the SQL as a value of the wrong type.
 */
export function decodeCursor(cursor: string, shape: CursorShape): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === shape.length && key.every((value, index) => fits(value, shape[index]!))) {
      return key as (string | number)[];
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this service handed out');
    this.name = 'InvalidCursorError';
  }
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Given `limit + 1` rows, the page of `limit` and the cursor to the next one. */
export function toPage<Row, T>(rows: Row[], limit: number, key: (row: Row) => (string | number)[], map: (row: Row) => T): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return {
    items: items.map(map),
    nextCursor: more ? encodeCursor(key(items[items.length - 1]!)) : null,
  };
}
