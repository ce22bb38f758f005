/**
 * A small, fast, seeded random source (sfc32), so the same seed always gives the same archive
 * on every machine and Node version: `Math.random` cannot be seeded.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string) {
    // Spread the seed over the four words with a string hash (cyrb128), then warm the state up.
    const text = String(seed);
    let h1 = 1779033703;
    let h2 = 3144134277;
    let h3 = 1013904242;
    let h4 = 2773480762;
    for (let i = 0; i < text.length; i++) {
      const k = text.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    this.a = h1 >>> 0;
    this.b = h2 >>> 0;
    this.c = h3 >>> 0;
    this.d = h4 >>> 0;
    for (let i = 0; i < 16; i++) this.uint32();
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A random (version 4) uuid drawn from this source, so ids repeat with the seed. */
  uuid(): string {
    const hex = (word: number) => word.toString(16).padStart(8, '0');
    const w1 = hex(this.uint32());
    const w2 = hex(this.uint32());
    const w3 = hex(this.uint32());
    const w4 = hex(this.uint32());
    const variant = ((parseInt(w3[0]!, 16) & 0x3) | 0x8).toString(16);
    return `${w1}-${w2.slice(0, 4)}-4${w2.slice(5, 8)}-${variant}${w3.slice(1, 4)}-${w3.slice(4)}${w4}`;
  }
}

/**
 * Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1)^s: a Zipf-like spread, where
 * a few topics are mentioned all the time and most only now and then.
 */
export class Zipf {
  private readonly cumulative: Float64Array;

  constructor(
    readonly size: number,
    exponent = 1,
  ) {
    this.cumulative = new Float64Array(size);
    let total = 0;
    for (let rank = 0; rank < size; rank++) {
      total += 1 / Math.pow(rank + 1, exponent);
      this.cumulative[rank] = total;
    }
    for (let rank = 0; rank < size; rank++) this.cumulative[rank] /= total;
  }

  sample(random: Random): number {
    const x = random.next();
    let low = 0;
    let high = this.size - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle] < x) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
