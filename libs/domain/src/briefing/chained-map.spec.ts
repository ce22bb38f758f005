import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ChainedMap } from './chained-map.js';

describe('ChainedMap', () => {
  it('answers as a Map given the same sets would, every version it went through included', () => {
    const keys = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    fc.assert(
      fc.property(fc.array(fc.tuple(keys, fc.integer()), { maxLength: 120 }), (sets) => {
        const versions: { chained: ChainedMap<number>; model: Map<string, number> }[] = [{ chained: ChainedMap.empty(), model: new Map() }];
        for (const [key, value] of sets) {
          const last = versions[versions.length - 1]!;
          const model = new Map(last.model);
          model.set(key, value);
          versions.push({ chained: last.chained.with(key, value), model });
        }
        // Older versions read after newer ones were made, some after being iterated, some not.
        for (const [index, { chained, model }] of versions.entries()) {
          for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'z']) {
            expect(chained.get(key)).toBe(model.get(key));
            expect(chained.has(key)).toBe(model.has(key));
          }
          if (index % 3 === 0) {
            expect([...chained]).toEqual([...model]);
            expect(chained.size).toBe(model.size);
            expect([...chained.keys()]).toEqual([...model.keys()]);
            expect([...chained.values()]).toEqual([...model.values()]);
          }
        }
      }),
    );
  });

  it('starts from a plain Map as it stood, without later changes to it', () => {
    const plain = new Map([['a', 1]]);
    const chained = ChainedMap.from(plain).with('b', 2);
    plain.set('c', 3);
    expect([...chained]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    const seen: string[] = [];
    chained.forEach((value, key, map) => seen.push(`${key}=${value}:${map === chained}`));
    expect(seen).toEqual(['a=1:true', 'b=2:true']);
  });
});
