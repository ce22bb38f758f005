import { describe, expect, it } from '@jest/globals';
import { SlidingWindowStorage } from './sliding-window.storage.js';

const MINUTE = 60_000;

describe('SlidingWindowStorage', () => {
  const at = (start = 1_000_000) => {
    const clock = { now: start };
    const storage = new SlidingWindowStorage(() => clock.now);
    const hit = (key = 'address:1') => storage.increment(key, MINUTE, 5, MINUTE, 'default');
    return { clock, storage, hit };
  };

  it('counts exactly within the first window, then blocks for blockDuration', async () => {
    const { clock, hit } = at();
    for (let i = 1; i <= 5; i++) {
      clock.now += 1000;
      expect(await hit()).toMatchObject({ totalHits: i, isBlocked: false, timeToBlockExpire: 0 });
    }
    clock.now += 1000;
    // The window began at the first hit, five seconds ago.
    expect(await hit()).toEqual({ totalHits: 6, timeToExpire: 55, isBlocked: true, timeToBlockExpire: 60 });
    // Blocked hits are not counted; the block ends after its own duration.
    clock.now += 30_000;
    expect(await hit()).toMatchObject({ totalHits: 6, isBlocked: true, timeToBlockExpire: 30 });
    clock.now += 30_000;
    // Waited out, the count starts afresh.
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts keys and limits apart', async () => {
    const { hit, storage } = at();
    for (let i = 0; i < 5; i++) await hit('address:1');
    expect((await hit('address:2')).totalHits).toBe(1);
    expect((await storage.increment('address:1', MINUTE, 5, MINUTE, 'key')).totalHits).toBe(1);
  });

  it('slides: the last window counts for the part of it the sliding window still covers', async () => {
    const { clock, hit } = at();
    for (let i = 0; i < 4; i++) await hit();
    // A quarter into the next window, three quarters of the last one's four hits still count.
    clock.now += MINUTE + MINUTE / 4;
    expect(await hit()).toMatchObject({ totalHits: 3 + 1, isBlocked: false, timeToExpire: 45 });
    // Two windows on, nothing before counts.
    clock.now += 2 * MINUTE;
    expect((await hit()).totalHits).toBe(1);
  });

  it('forgets keys idle for two windows', async () => {
    const { clock, hit, storage } = at();
    await hit('address:old');
    clock.now += 3 * MINUTE;
    for (let i = 0; i < 10_000; i++) await hit(`address:${i % 3}`);
    expect(storage.size).toBe(3);
  });
});
