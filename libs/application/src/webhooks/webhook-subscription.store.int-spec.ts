import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidCursorError } from '@archive/projections';
import { SqliteReadStore } from '@archive/read-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebhookTarget } from './webhook-subscription.js';
import { WebhookSubscriptionStore } from './webhook-subscription.store.js';

let dir: string;
let db: SqliteReadStore;
let store: WebhookSubscriptionStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'webhook-store-'));
  db = new SqliteReadStore({ filename: join(dir, 'read.db') });
  store = new WebhookSubscriptionStore(db);
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

function target(n: number): WebhookTarget {
  return {
    subscriptionId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    callbackUrl: `http://127.0.0.1:9/${n}`,
    secret: `secret-${n}`,
    filters: { topic: 'ttp', types: ['StatementRecorded'] },
    status: 'active',
    lastDeliveredPosition: 0,
    position: 7,
    failures: 0,
    lastError: null,
    nextAttemptAt: null,
    createdAt: `2024-01-11T10:00:0${n}.000Z`,
  };
}

describe('WebhookSubscriptionStore (SQLite read store)', () => {
  it('keeps the registration and the delivery progress, and shows no secret outside the dispatcher', async () => {
    const { secret: _secret, ...shown } = target(1);
    await store.insert(target(1));
    expect(await store.get(shown.subscriptionId)).toEqual(shown);

    expect(await store.failed(shown.subscriptionId, 9, 2, 'the callback answered 503', '2024-01-11T10:01:00.000Z')).toBe(true);
    expect(await store.get(shown.subscriptionId)).toMatchObject({ status: 'failing', position: 9, failures: 2, lastError: 'the callback answered 503' });

    expect(await store.acknowledged(shown.subscriptionId, 10)).toBe(true);
    expect(await store.get(shown.subscriptionId)).toMatchObject({ status: 'active', position: 10, lastDeliveredPosition: 10, failures: 0, lastError: null, nextAttemptAt: null });
    expect(await store.skipped(shown.subscriptionId, 12)).toBe(true);
    expect(await store.get(shown.subscriptionId)).toMatchObject({ position: 12, lastDeliveredPosition: 10 });
    expect((await store.targets())[0]!.secret).toBe('secret-1');
  });

  it('answers that progress went nowhere once the subscription is deleted', async () => {
    await store.insert(target(1));
    expect(await store.delete(target(1).subscriptionId)).toBe(true);
    expect(await store.delete(target(1).subscriptionId)).toBe(false);
    expect(await store.acknowledged(target(1).subscriptionId, 10)).toBe(false);
    expect(await store.get(target(1).subscriptionId)).toBeUndefined();
  });

  it('pages the subscriptions oldest first', async () => {
    for (const n of [3, 1, 2]) await store.insert(target(n));
    const first = await store.page({ limit: 2 });
    expect(first.items.map((s) => s.callbackUrl)).toEqual(['http://127.0.0.1:9/1', 'http://127.0.0.1:9/2']);
    const second = await store.page({ limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ callbackUrl: 'http://127.0.0.1:9/3' })], nextCursor: null });
    await expect(store.page({ limit: 2, cursor: 'bm90IG1pbmU' })).rejects.toThrow(InvalidCursorError);
  });
});
