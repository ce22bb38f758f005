import type { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  readonly ttl: number;
  /** When the current fixed window began. */
  start: number;
  current: number;
  previous: number;
  blockedUntil: number;
}

/** After this many requests, windows idle for two of their lengths are forgotten. */
const SWEEP_EVERY = 10_000;

/**
 * The rate limits' counts as a sliding window estimated from two fixed ones: the hits of the
 * current window plus those of the one before, weighted by how much of it the sliding window
 * still covers. Exact within the first window; constant work and memory per key whatever the
 * limit. (The throttler's own storage keeps a timestamp per hit and filters all of them on every
 * request: at the default 60,000 a minute per key, that is the cost of the request itself.)
 */
export class SlidingWindowStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private sinceSweep = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const now = this.clock();
    if (++this.sinceSweep >= SWEEP_EVERY) this.sweep(now);
    const id = `${throttlerName}\u0000${key}`;
    let window = this.windows.get(id);
    if (!window) {
      window = { ttl, start: now, current: 0, previous: 0, blockedUntil: 0 };
      this.windows.set(id, window);
    }
    if (window.blockedUntil !== 0 && window.blockedUntil <= now) {
      // A block waited out starts the count afresh, as the throttler's own storage does.
      Object.assign(window, { start: now, current: 0, previous: 0, blockedUntil: 0 });
    }
    const passed = Math.floor((now - window.start) / ttl);
    if (passed > 0) {
      window.previous = passed === 1 ? window.current : 0;
      window.current = 0;
      window.start += passed * ttl;
    }
    if (window.blockedUntil <= now) {
      window.current += 1;
      if (estimate(window, now) > limit) window.blockedUntil = now + blockDuration;
    }
    const isBlocked = window.blockedUntil > now;
    return {
      totalHits: estimate(window, now),
      timeToExpire: Math.ceil((window.start + ttl - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }

  private sweep(now: number): void {
    this.sinceSweep = 0;
    for (const [id, window] of this.windows) {
      if (window.start + 2 * window.ttl <= now && window.blockedUntil <= now) this.windows.delete(id);
    }
  }

  /** How many keys are counted now (tests). */
  get size(): number {
    return this.windows.size;
  }
}

function estimate(window: Window, now: number): number {
  const overlap = 1 - (now - window.start) / window.ttl;
  return Math.floor(window.previous * overlap) + window.current;
}
