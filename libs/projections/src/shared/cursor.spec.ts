import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor, InvalidCursorError, toPage } from './cursor.js';

const fromJson = (json: string): string => Buffer.from(json).toString('base64url');

describe('encodeCursor and decodeCursor', () => {
  it('give back the sort key that was encoded', () => {
    const key = ['2024-01-11', 'a1000000-0000-4000-8000-000000000001'];
    expect(decodeCursor(encodeCursor(key), ['string', 'string'])).toEqual(key);
    expect(decodeCursor(encodeCursor([12, 'ttp']), ['number', 'string'])).toEqual([12, 'ttp']);
    expect(decodeCursor(encodeCursor(['2024-01-25', 0]), ['string', 'number'])).toEqual(['2024-01-25', 0]);
    expect(decodeCursor(encodeCursor(['پاکستان – “quotes”', 9_007_199_254_740_991]), ['string', 'number'])).toEqual([
      'پاکستان – “quotes”',
      9_007_199_254_740_991,
    ]);
  });

  it('hand out an opaque token that is safe in a URL', () => {
    const cursor = encodeCursor(['a/b+c?d=e&f', 1]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('a/b');
  });

  it.each([
    ['an empty string', ''],
    ['text that is not base64 of JSON', 'not-a-cursor'],
    ['characters outside base64url', '!!!***'],
    ['JSON that is not an array', fromJson('{"heldOn":"2024-01-11"}')],
    ['a string', fromJson('"2024-01-11"')],
    ['null', fromJson('null')],
    ['too few parts', encodeCursor(['2024-01-11'])],
    ['too many parts', encodeCursor(['2024-01-11', 'x', 'y'])],
    ['a number where a string belongs', encodeCursor([20240111, 'x'])],
    ['a string where a number belongs', encodeCursor(['2024-01-11', '12'])],
    ['a negative number', encodeCursor(['2024-01-11', -1])],
    ['a fraction', encodeCursor(['2024-01-11', 1.5])],
    ['a number beyond the safe integers', fromJson('["2024-01-11", 1e300]')],
    ['null inside', fromJson('["2024-01-11", null]')],
    ['a nested array', fromJson('["2024-01-11", [1]]')],
    ['a boolean', fromJson('["2024-01-11", true]')],
  ])('reject %s with InvalidCursorError', (_, cursor) => {
    expect(() => decodeCursor(cursor, ['string', 'number'])).toThrow(InvalidCursorError);
  });

  it('raise an error that names itself and says what is wrong, without echoing the input', () => {
    let caught: unknown;
    try {
      decodeCursor('<script>', ['string']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidCursorError);
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({ name: 'InvalidCursorError', message: 'cursor is not one this service handed out' });
  });
});

describe('toPage', () => {
  const rows = [
    { id: 'a', day: '2024-01-25' },
    { id: 'b', day: '2024-01-18' },
    { id: 'c', day: '2024-01-11' },
  ];
  const key = (row: { id: string; day: string }) => [row.day, row.id];
  const map = (row: { id: string }) => row.id.toUpperCase();

  it('answers the last page, without a cursor, when no more rows came than the limit', () => {
    expect(toPage(rows, 3, key, map)).toEqual({ items: ['A', 'B', 'C'], nextCursor: null });
    expect(toPage(rows, 5, key, map)).toEqual({ items: ['A', 'B', 'C'], nextCursor: null });
    expect(toPage([], 5, key, map)).toEqual({ items: [], nextCursor: null });
  });

  it('drops the extra row and points the cursor at the last row of the page', () => {
    const page = toPage(rows, 2, key, map);
    expect(page.items).toEqual(['A', 'B']);
    expect(page.nextCursor).not.toBeNull();
    expect(decodeCursor(page.nextCursor!, ['string', 'string'])).toEqual(['2024-01-18', 'b']);
  });

  it('pages one row at a time', () => {
    const page = toPage(rows.slice(0, 2), 1, key, map);
    expect(page.items).toEqual(['A']);
    expect(decodeCursor(page.nextCursor!, ['string', 'string'])).toEqual(['2024-01-25', 'a']);
  });
});
