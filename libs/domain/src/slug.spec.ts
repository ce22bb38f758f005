import { isSlug, slugify, SLUG_MAX_LENGTH } from './slug.js';

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

describe('slugify', () => {
  it.each([
    ['Mumtaz Zahra Baloch', 'mumtaz-zahra-baloch'],
    ['  TTP!! ', 'ttp'],
    ["Côte d'Ivoire", 'cote-d-ivoire'],
    ['Human Rights -- Kashmir', 'human-rights-kashmir'],
    ['G-20 Summit 2024', 'g-20-summit-2024'],
  ])('turns "%s" into %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('cuts a long name to at most 64 characters without leaving a trailing hyphen', () => {
    const slug = slugify(`${'a'.repeat(63)} beyond the limit`);
    expect(slug).toBe('a'.repeat(63));
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(isSlug(slug)).toBe(true);
  });

  it('gives a valid slug for any name written in Latin letters or digits', () => {
    for (const name of ['Shafqat Ali Khan', 'Ministry of Foreign Affairs', 'UN General Assembly (78th)', 'Zoë Ärnström']) {
      expect(isSlug(slugify(name))).toBe(true);
    }
  });
});
