import { cutCondition, includes, parseAsOf } from './as-of.js';

describe('parseAsOf', () => {
  it.each([
    ['42', { position: 42 }],
    ['0', { position: 0 }],
    ['2024-01-11', { recordedAt: '2024-01-11T23:59:59.999Z' }],
    ['2024-01-11T10:00:00Z', { recordedAt: '2024-01-11T10:00:00.000Z' }],
    ['2024-01-11T10:00+05:00', { recordedAt: '2024-01-11T05:00:00.000Z' }],
    ['2024-02-29T12:30:15.123456Z', { recordedAt: '2024-02-29T12:30:15.123Z' }],
  ])('reads %s', (value, expected) => {
    expect(parseAsOf(value)).toEqual(expected);
  });

  it.each(['', '-1', '1.5', 'yesterday', '2024-02-30', '2023-02-29', '2024-13-01', '2024-01-11T25:00Z', '2024-01-11 10:00', '1e3', '9'.repeat(16)])(
    'refuses %j',
    (value) => {
      expect(parseAsOf(value)).toBeUndefined();
    },
  );
});

describe('a cut', () => {
  const event = { position: 10, recordedAt: '2024-01-11T10:00:00.000Z' };

  it('by position includes events up to and at it', () => {
    expect(includes({ position: 10 }, event)).toBe(true);
    expect(includes({ position: 9 }, event)).toBe(false);
    expect(cutCondition({ position: 9 }, '$3')).toEqual({ sql: 'position <= $3', value: 9 });
  });

  it('by time includes events recorded up to and at it', () => {
    expect(includes({ recordedAt: '2024-01-11T10:00:00.000Z' }, event)).toBe(true);
    expect(includes({ recordedAt: '2024-01-11T09:59:59.999Z' }, event)).toBe(false);
    expect(cutCondition({ recordedAt: 'x' }, '$2')).toEqual({ sql: 'recorded_at <= $2', value: 'x' });
  });
});
