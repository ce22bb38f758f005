import { isSlug } from './slug.js';

describe('isSlug', () => {
  it.each(['ttp', 'afghanistan', 'mumtaz-zahra-baloch', 'g20', '2024', 'a'.repeat(64)])('takes %s', (value) => {
    expect(isSlug(value)).toBe(true);
  });

  it.each([
    ['upper case', 'TTP'],
    ['a space', 'human rights'],
    ['a path', '../etc'],
    ['a slash', 'ttp/afghanistan'],
    ['a leading hyphen', '-ttp'],
    ['a trailing hyphen', 'ttp-'],
    ['a double hyphen', 'ttp--afghanistan'],
    ['an underscore', 'human_rights'],
    ['an accented letter', 'côte-d-ivoire'],
    ['65 characters', 'a'.repeat(65)],
    ['nothing', ''],
  ])('refuses %s (%s)', (_, value) => {
    expect(isSlug(value)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isSlug(42)).toBe(false);
    expect(isSlug(undefined)).toBe(false);
    expect(isSlug(['ttp'])).toBe(false);
  });
});
