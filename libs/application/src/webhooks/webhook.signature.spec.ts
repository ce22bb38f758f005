import { describe, expect, it } from '@jest/globals';
import { newWebhookSecret, retryDelay, webhookSignature } from './webhook.signature.js';

describe('webhook signatures', () => {
  it('are the hex HMAC-SHA256 of the raw body, keyed with the secret', () => {
    // RFC 4231, test case 2.
    expect(webhookSignature('Jefe', 'what do ya want for nothing?')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(webhookSignature('Jefe', 'what do ya want for nothing?!')).not.toBe(webhookSignature('Jefe', 'what do ya want for nothing?'));
  });

  it('use a fresh 256-bit secret for each subscription', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe('retryDelay', () => {
  it('doubles from the base at each failure in a row, up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((failures) => retryDelay(failures, 1000, 300_000))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000,
    ]);
    expect(retryDelay(10_000, 1000, 300_000)).toBe(300_000);
    expect(retryDelay(0, 1000, 300_000)).toBe(0);
  });
});
