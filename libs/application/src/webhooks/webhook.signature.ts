import { createHmac, randomBytes } from 'node:crypto';

/** A new signing secret: 32 random bytes, hex. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}

/** The `X-Archive-Signature` of a delivery: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * The wait before the next attempt after `failures` failed ones in a row: `base` doubled at each
 * failure, at most `max`. No jitter: the one dispatcher retries each subscription on its own.
 */
export function retryDelay(failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 40));
}
