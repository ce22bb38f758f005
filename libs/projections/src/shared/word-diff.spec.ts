import { wordDiff, type DiffPart } from './word-diff.js';

const join = (parts: DiffPart[], keep: DiffPart['op']) =>
  parts.filter((part) => part.op === 'equal' || part.op === keep).map((part) => part.text).join('');

describe('wordDiff', () => {
  it('marks the words that changed and keeps the rest', () => {
    const parts = wordDiff('There is no dialogue with TTP.', 'There are no plans to enter talks with TTP.');
    expect(parts.filter((part) => part.op === 'delete').map((part) => part.text.trim())).toEqual(['is', 'dialogue']);
    expect(parts.filter((part) => part.op === 'insert').map((part) => part.text.trim()).join(' ')).toContain('plans to enter talks');
    expect(parts.some((part) => part.op === 'equal' && part.text.includes('with TTP.'))).toBe(true);
  });

  it('gives both texts back exactly, spacing and unicode included', () => {
    const before = 'Pakistan  rejects the claims — “baseless”, 😀 e\u0301tat.';
    const after = 'Pakistan firmly rejects the claims — “unfounded”,\n😀 e\u0301tat.';
    const parts = wordDiff(before, after);
    expect(join(parts, 'delete')).toBe(before);
    expect(join(parts, 'insert')).toBe(after);
  });

  it('is one equal part for identical texts', () => {
    expect(wordDiff('no change', 'no change')).toEqual([{ op: 'equal', text: 'no change' }]);
  });
});
