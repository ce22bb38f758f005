import { FeedFullException, FeedLimits } from './feed-limits.js';

describe('FeedLimits', () => {
  it('caps connections per address with 429, and in all with 503, and frees a place on close', () => {
    const limits = new FeedLimits(3, 2, 5);
    const first = limits.admit('10.0.0.1');
    limits.admit('10.0.0.1');
    expect(() => limits.admit('10.0.0.1')).toThrow(expect.objectContaining({ status: 429, retryAfterSeconds: 5 }) as unknown as Error);
    limits.admit('10.0.0.2');
    expect(limits.open).toBe(3);
    expect(() => limits.admit('10.0.0.3')).toThrow(FeedFullException);
    try {
      limits.admit('10.0.0.3');
    } catch (error) {
      expect((error as FeedFullException).getStatus()).toBe(503);
    }
    first();
    first();
    expect(limits.open).toBe(2);
    expect(() => limits.admit('10.0.0.1')).not.toThrow();
  });
});
