import { characterCount, isCalendarDate, isReadableText } from './briefing.rules.js';

describe('isCalendarDate', () => {
  it.each(['2024-01-11', '2024-02-29', '2000-02-29', '1999-12-31'])('takes the real day %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    ['a day February does not have', '2024-02-30'],
    ['February 29 of a common year', '2023-02-29'],
    ['February 29 of a century that is not a leap year', '1900-02-29'],
    ['month 13', '2024-13-01'],
    ['day 0', '2024-01-00'],
    ['unpadded digits', '2024-1-11'],
    ['a word', 'yesterday'],
    ['a timestamp', '2024-01-11T10:00:00Z'],
    ['another notation', '11/01/2024'],
    ['nothing', ''],
  ])('refuses %s (%s)', (_, value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});

describe('characterCount', () => {
  it('counts characters as a reader does, not UTF-16 units', () => {
    expect(characterCount('TTP')).toBe(3);
    expect(characterCount('😀')).toBe(1);
    expect(characterCount('پاکستان')).toBe(7);
  });
});

describe('isReadableText', () => {
  it.each([
    ['emoji, a flag and a ZWJ family', 'Pakistan 🇵🇰 🤝 👩‍👩‍👧‍👦'],
    ['combining marks', 're\u0301sume\u0301, क्षत्रिय'],
    ['right-to-left text and direction marks', '\u200fپاکستان\u200f \u200eTTP\u200e'],
    ['tabs and line breaks', 'First line.\r\n\tSecond line.\n'],
  ])('takes %s', (_, text) => {
    expect(isReadableText(text)).toBe(true);
  });

  it.each([
    ['a NUL', 'Pakistan\u0000'],
    ['an escape sequence', '\u001b[2J'],
    ['a C1 control', 'next\u0085line'],
    ['a lone high surrogate', 'flag \ud83c'],
    ['a lone low surrogate', '\udc00 text'],
    ['a pair in the wrong order', '\ude00\ud83d'],
  ])('refuses %s', (_, text) => {
    expect(isReadableText(text)).toBe(false);
  });
});
