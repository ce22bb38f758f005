/** How many entries a version may stack on its last flat copy before it is copied flat again. */
const MAX_DEPTH = 32;

/**
 * An immutable map whose next version costs one entry, not a copy of the whole map: each version
 * stacks its entry on the version it came from, and every `MAX_DEPTH` versions the stack is copied
 * into a flat Map again, so a lookup walks at most that many entries. Every version stays valid,
 * as a briefing's kept state must while a command decides on it. Size and iteration (in insertion
 * order, as a Map's) copy the version flat once and keep the copy.
 */
export class ChainedMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly parent: ChainedMap<V> | undefined,
    private readonly key: string,
    private readonly value: V | undefined,
    private readonly depth: number,
    private flat: ReadonlyMap<string, V> | undefined,
  ) {}

  static empty<V>(): ChainedMap<V> {
    return new ChainedMap<V>(undefined, '', undefined, 0, new Map());
  }

  /** A chained map over `map` as it is now (it is copied; later changes to it are not seen). */
  static from<V>(map: ReadonlyMap<string, V>): ChainedMap<V> {
    return map instanceof ChainedMap ? (map as ChainedMap<V>) : new ChainedMap<V>(undefined, '', undefined, 0, new Map(map));
  }

  /** This map with `key` set to `value`; this one is left as it is. */
  with(key: string, value: V): ChainedMap<V> {
    if (this.depth + 1 < MAX_DEPTH) return new ChainedMap(this, key, value, this.depth + 1, undefined);
    const flat = this.copy();
    flat.set(key, value);
    return new ChainedMap<V>(undefined, '', undefined, 0, flat);
  }

  get(key: string): V | undefined {
    if (this.flat) return this.flat.get(key);
    return this.key === key ? this.value : this.parent!.get(key);
  }

  has(key: string): boolean {
    if (this.flat) return this.flat.has(key);
    return this.key === key || this.parent!.has(key);
  }

  get size(): number {
    return this.materialized().size;
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.materialized()) callback.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[string, V]> {
    return this.materialized().entries();
  }

  keys(): MapIterator<string> {
    return this.materialized().keys();
  }

  values(): MapIterator<V> {
    return this.materialized().values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  private materialized(): ReadonlyMap<string, V> {
    this.flat ??= this.copy();
    return this.flat;
  }

  /** A new flat Map of this version's entries. */
  private copy(): Map<string, V> {
    if (this.flat) return new Map(this.flat);
    const stacked: [string, V][] = [[this.key, this.value as V]];
    let node = this.parent!;
    while (!node.flat) {
      stacked.push([node.key, node.value as V]);
      node = node.parent!;
    }
    const flat = new Map(node.flat);
    for (let i = stacked.length - 1; i >= 0; i--) flat.set(stacked[i]![0], stacked[i]![1]);
    return flat;
  }
}
