import { describe, expect, it } from '@jest/globals';
import { searchTerms } from './search.queries.js';

describe('searchTerms', () => {
  it('answers the words of a query in lower case, in order, each once', () => {
    expect(searchTerms('TTP sanctuaries in Afghanistan')).toEqual(['ttp', 'sanctuaries', 'in', 'afghanistan']);
    expect(searchTerms('Kabul kabul KABUL border')).toEqual(['kabul', 'border']);
  });

  it('splits on anything that is not a letter or a digit', () => {
    expect(searchTerms("Afghanistan's sovereignty, (territorial) integrity!")).toEqual([
      'afghanistan',
      's',
      'sovereignty',
      'territorial',
      'integrity',
    ]);
    expect(searchTerms('g20 2024-01-11')).toEqual(['g20', '2024', '01', '11']);
    expect(searchTerms('dera_ismail.khan')).toEqual(['dera', 'ismail', 'khan']);
  });

  it('keeps a star at the end of a word: that word is matched as a prefix', () => {
    expect(searchTerms('afghan* border')).toEqual(['afghan*', 'border']);
    expect(searchTerms('afghan** *border afghan')).toEqual(['afghan*', 'border', 'afghan']);
    expect(searchTerms('* ** *')).toEqual([]);
  });

  it('leaves none of the full-text syntax of SQLite or PostgreSQL in a term', () => {
    const queries = ['"', '*', 'ttp*', '^ttp', 'NEAR(a b, 2)', '-x', 'a:b', 'text:ttp', '{text}: ttp', 'a & b | !c <-> d:*', "'", '\\', '(', ')'];
    for (const query of queries) {
      for (const term of searchTerms(query)) expect(term).toMatch(/^[\p{L}\p{N}]+\*?$/u);
    }
    expect(searchTerms('"ttp" OR NEAR(kabul)')).toEqual(['ttp', 'or', 'near', 'kabul']);
    expect(searchTerms('a:b')).toEqual(['a', 'b']);
  });

  it('answers no terms for a query with no words', () => {
    expect(searchTerms('')).toEqual([]);
    expect(searchTerms('   ')).toEqual([]);
    expect(searchTerms('"*" -() :: ^')).toEqual([]);
  });

  it('keeps letters of every script and folds compatibility forms', () => {
    expect(searchTerms('پاکستان اور افغانستان')).toEqual(['پاکستان', 'اور', 'افغانستان']);
    expect(searchTerms('Café ÉLYSÉE')).toEqual(['café', 'élysée']);
    // Full-width letters and ligatures are the same words as their plain forms.
    expect(searchTerms('ＴＴＰ ﬁnance')).toEqual(['ttp', 'finance']);
  });

  it('takes at most 32 words, so a pasted page cannot make a huge query', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`);
    expect(searchTerms(words.join(' '))).toEqual(words.slice(0, 32));
  });
});
