import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil, type Envelope } from '../support/feed-client.js';
import { expectFieldErrors, expectProblem, openBriefing, recordStatement } from '../support/http.js';
import { createTestApp, type Agent, type TestApp } from '../support/test-app.js';
import { WebhookSubscriptionStore } from '@archive/application';

/** Fast retries for the tests; the defaults are 1 s doubling up to 5 min, and 5 s to answer. */
const FAST = { WEBHOOK_RETRY_BASE_MS: '40', WEBHOOK_RETRY_MAX_MS: '160', WEBHOOK_TIMEOUT_MS: '300', WEBHOOK_POLL_MS: '50' };

/** One request the receiver got. */
interface Attempt {
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly envelope: Envelope;
  /** The status it answered; undefined when it left the request unanswered. */
  readonly status: number | undefined;
}

/** How the receiver answers an attempt: a status, or `hang` (no answer at all). */
type Answer = (attempt: number) => number | 'hang';

/** A webhook receiver on loopback: a plain node:http server that records every attempt. */
class Receiver {
  readonly attempts: Attempt[] = [];
  answer: Answer = () => 204;

  private readonly server: Server;
  url = '';

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = this.answer(this.attempts.length);
        this.attempts.push({
          at: Date.now(),
          headers: request.headers,
          body,
          envelope: JSON.parse(body) as Envelope,
          status: answer === 'hang' ? undefined : answer,
        });
        if (answer !== 'hang') response.writeHead(answer).end();
      });
    });
  }

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hooks/archive`;
    return receiver;
  }

  /** The events acknowledged (answered 2xx), in the order they came. */
  acknowledged(): Envelope[] {
    return this.attempts.filter((attempt) => attempt.status !== undefined && attempt.status < 300).map((attempt) => attempt.envelope);
  }

  positions(): number[] {
    return this.acknowledged().map((event) => event.position);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const receivers: Receiver[] = [];
async function receiver(): Promise<Receiver> {
  const started = await Receiver.start();
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

interface Subscription {
  subscriptionId: string;
  callbackUrl: string;
  filters: Record<string, unknown>;
  status: string;
  lastDeliveredPosition: number;
  position: number;
  failures: number;
  lastError: string | null;
  nextAttemptAt: string | null;
}

async function subscribe(http: Agent, body: Record<string, unknown>): Promise<{ subscriptionId: string; secret: string }> {
  const response = await http.post('/api/subscriptions').send(body).expect(201);
  expect(response.body).toEqual({ subscriptionId: expect.any(String), secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
  return response.body as { subscriptionId: string; secret: string };
}

async function subscription(http: Agent, id: string): Promise<Subscription> {
  return (await http.get(`/api/subscriptions/${id}`).expect(200)).body as Subscription;
}

/** Polls the subscription until `condition` holds (bounded). */
async function subscriptionUntil(http: Agent, id: string, condition: (s: Subscription) => boolean, what: string): Promise<Subscription> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const current = await subscription(http, id);
    if (condition(current)) return current;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function log(http: Agent): Promise<Envelope[]> {
  return (await http.get('/api/events?after=0&limit=500').expect(200)).body.items as Envelope[];
}

async function head(http: Agent): Promise<number> {
  return (await log(http)).at(-1)?.position ?? 0;
}

function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

describe('webhooks (POST /api/subscriptions)', () => {
  let t: TestApp;
  let http: Agent;

  beforeAll(async () => {
    t = await createTestApp(FAST);
    http = t.http;
  });
  afterAll(async () => {
    await t.close();
  });

  it('POSTs every stored event in log order, with its envelope, position and a signature of the body', async () => {
    const hook = await receiver();
    const { briefingId } = await openBriefing(http);
    await recordStatement(http, briefingId, { topics: ['ttp'] });
    const before = await head(http);
    const { subscriptionId, secret } = await subscribe(http, { callbackUrl: hook.url, after: before - 2 });

    // Stored before and after the subscription: the two already in the log, then live ones.
    await recordStatement(http, briefingId, { topics: ['kabul'] });
    const last = (await recordStatement(http, briefingId, { topics: ['iran'] })).position;
    await waitUntil(() => hook.positions().at(-1) === last, `the receiver has position ${last}`);

    const expected = (await log(http)).filter((event) => event.position > before - 2);
    expect(expected).toHaveLength(4);
    expect(hook.acknowledged()).toEqual(expected);
    const deliveryIds = new Set<string>();
    for (const attempt of hook.attempts) {
      expect(attempt.headers['content-type']).toMatch(/^application\/json/);
      expect(attempt.headers['x-archive-event-id']).toBe(attempt.envelope.eventId);
      expect(attempt.headers['x-archive-position']).toBe(String(attempt.envelope.position));
      expect(attempt.headers['x-archive-subscription']).toBe(subscriptionId);
      expect(attempt.headers['x-archive-signature']).toBe(sign(secret, attempt.body));
      expect(attempt.headers['x-archive-signature']).not.toBe(sign('another secret', attempt.body));
      deliveryIds.add(String(attempt.headers['x-archive-delivery']));
    }
    expect(deliveryIds.size).toBe(hook.attempts.length);

    const state = await subscriptionUntil(http, subscriptionId, (s) => s.lastDeliveredPosition === last, 'the acknowledgement is saved');
    expect(state).toMatchObject({ subscriptionId, callbackUrl: hook.url, filters: {}, status: 'active', position: last, failures: 0, lastError: null, nextAttemptAt: null });
    expect(state).not.toHaveProperty('secret');

    const listed = await http.get('/api/subscriptions?limit=500').expect(200);
    expect(listed.body.items.map((s: Subscription) => s.subscriptionId)).toContain(subscriptionId);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
  });

  it("delivers only what the filters follow, as the live feed's filters do", async () => {
    const start = await head(http);
    const hooks = { topic: await receiver(), speaker: await receiver(), types: await receiver(), briefing: await receiver() };
    const a = await openBriefing(http);
    const b = await openBriefing(http, { spokesperson: { id: 'shafqat-ali-khan', name: 'Shafqat Ali Khan' } });
    const ids = {
      topic: (await subscribe(http, { callbackUrl: hooks.topic.url, topic: 'kabul', after: start })).subscriptionId,
      speaker: (await subscribe(http, { callbackUrl: hooks.speaker.url, speaker: 'shafqat-ali-khan', after: start })).subscriptionId,
      types: (await subscribe(http, { callbackUrl: hooks.types.url, types: ['BriefingOpened'], after: start })).subscriptionId,
      briefing: (await subscribe(http, { callbackUrl: hooks.briefing.url, briefingId: a.briefingId.toUpperCase(), after: start })).subscriptionId,
    };
    const kabulInA = await recordStatement(http, a.briefingId, { topics: ['kabul'] });
    await recordStatement(http, a.briefingId, { topics: ['ttp'] });
    const kabulInB = await recordStatement(http, b.briefingId, { topics: ['kabul', 'ttp'] });
    const end = await head(http);
    for (const id of Object.values(ids)) await subscriptionUntil(http, id, (s) => s.position === end, 'the log is gone through');

    const events = (await log(http)).filter((event) => event.position > start);
    expect(hooks.topic.positions()).toEqual([kabulInA.position, kabulInB.position]);
    expect(hooks.speaker.positions()).toEqual(events.filter((e) => e.streamId === `briefing-${b.briefingId}`).map((e) => e.position));
    expect(hooks.types.positions()).toEqual([a.position, b.position]);
    expect(hooks.briefing.positions()).toEqual(events.filter((e) => e.streamId === `briefing-${a.briefingId}`).map((e) => e.position));
    expect((await subscription(http, ids.topic)).filters).toEqual({ topic: 'kabul' });
    expect((await subscription(http, ids.briefing)).filters).toEqual({ briefingId: a.briefingId });
  });

  it('retries a failing callback with growing waits, shows the failures, then delivers everything in order, skipping nothing', async () => {
    const hook = await receiver();
    // No answer (a timeout), then two refusals, then acknowledgements.
    hook.answer = (attempt) => (attempt === 0 ? 'hang' : attempt <= 2 ? 503 : 200);
    const start = await head(http);
    const { briefingId } = await openBriefing(http);
    const { subscriptionId } = await subscribe(http, { callbackUrl: hook.url, briefingId, after: start });
    const statements = [];
    for (let i = 0; i < 3; i++) statements.push(await recordStatement(http, briefingId, { text: `Statement ${i}.`, topics: ['ttp'] }));

    const failing = await subscriptionUntil(http, subscriptionId, (s) => s.failures >= 2, 'two attempts have failed');
    expect(failing).toMatchObject({ status: 'failing', position: start, lastDeliveredPosition: 0 });
    expect(failing.lastError).toMatch(/answered 503|did not answer within 300 ms/);
    expect(failing.nextAttemptAt).toEqual(expect.any(String));

    const last = statements.at(-1)!.position;
    await waitUntil(() => hook.positions().at(-1) === last, `the receiver has position ${last}`);
    const expected = (await log(http)).filter((event) => event.position > start);
    expect(hook.acknowledged()).toEqual(expected);

    // The first event was tried four times, nothing after it before it was acknowledged.
    const first = hook.attempts.slice(0, 4);
    expect(first.map((a) => a.envelope.position)).toEqual(Array(4).fill(expected[0]!.position));
    expect(first.map((a) => a.status)).toEqual([undefined, 503, 503, 200]);
    expect(new Set(first.map((a) => a.headers['x-archive-delivery'])).size).toBe(4);
    const gaps = first.slice(1).map((attempt, i) => attempt.at - first[i]!.at);
    // Waits of 40, 80, 160 ms after each failure. (The first failure is a 300 ms timeout counted
    // from when the request left, not from when the receiver had read it, so it is not added.)
    expect(gaps[0]).toBeGreaterThanOrEqual(40 - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(80 - 5);
    expect(gaps[2]).toBeGreaterThanOrEqual(160 - 5);
    expect(gaps[2]).toBeGreaterThan(gaps[1]!);

    const recovered = await subscriptionUntil(http, subscriptionId, (s) => s.lastDeliveredPosition === last, 'the acknowledgement is saved');
    expect(recovered).toMatchObject({ status: 'active', failures: 0, lastError: null, nextAttemptAt: null, position: last });
  });

  it('stops delivering once a subscription is deleted', async () => {
    const [gone, kept] = [await receiver(), await receiver()];
    const start = await head(http);
    const { briefingId } = await openBriefing(http);
    const doomed = await subscribe(http, { callbackUrl: gone.url, briefingId, after: start });
    await subscribe(http, { callbackUrl: kept.url, briefingId, after: start });
    const first = (await recordStatement(http, briefingId)).position;
    await waitUntil(() => gone.positions().at(-1) === first && kept.positions().at(-1) === first, 'both receivers have the statement');

    await http.delete(`/api/subscriptions/${doomed.subscriptionId}`).expect(204);
    expectProblem(await http.get(`/api/subscriptions/${doomed.subscriptionId}`), 404);
    expectProblem(await http.delete(`/api/subscriptions/${doomed.subscriptionId}`), 404);

    await recordStatement(http, briefingId);
    const last = (await recordStatement(http, briefingId)).position;
    await waitUntil(() => kept.positions().at(-1) === last, 'the remaining receiver has the new statements');
    expect(gone.positions().at(-1)).toBe(first);
    expect(kept.positions()).toHaveLength(gone.positions().length + 2);
  });

  it('starts each delivery loop from the subscription as it is now, not from an older list of the subscriptions', async () => {
    const hook = await receiver();
    const { briefingId } = await openBriefing(http);
    const { subscriptionId } = await subscribe(http, { callbackUrl: hook.url, briefingId, after: await head(http) });
    const store = t.app.get(WebhookSubscriptionStore, { strict: false });
    // The list as it was before the first delivery, which a slow read of the table can still answer.
    const before = await store.targets();
    const first = (await recordStatement(http, briefingId)).position;
    await waitUntil(() => hook.positions().at(-1) === first, 'the receiver has the first statement');
    await subscriptionUntil(http, subscriptionId, (s) => s.position === first, 'the first delivery is saved');

    const targets = store.targets;
    store.targets = () => Promise.resolve(before);
    try {
      const second = (await recordStatement(http, briefingId)).position;
      await waitUntil(() => hook.positions().at(-1) === second, 'the receiver has the second statement');
      expect(hook.positions()).toEqual([first, second]);
    } finally {
      store.targets = targets;
    }
  });

  it('refuses bad registrations with every field named, and unknown ids', async () => {
    expectFieldErrors(await http.post('/api/subscriptions').send({}), 'callbackUrl');
    expectFieldErrors(await http.post('/api/subscriptions').send({ callbackUrl: 'ftp://127.0.0.1/hook' }), 'callbackUrl');
    expectFieldErrors(await http.post('/api/subscriptions').send({ callbackUrl: 'javascript:alert(1)' }), 'callbackUrl');
    expectFieldErrors(await http.post('/api/subscriptions').send({ callbackUrl: 'http://user:secret@127.0.0.1/hook' }), 'callbackUrl');
    const beyond = (await head(http)) + 1;
    const past = expectFieldErrors(await http.post('/api/subscriptions').send({ callbackUrl: 'http://127.0.0.1:9/hook', after: beyond }), 'after');
    expect(past[0]!.message).toContain('head of the log');
    expect((await http.get('/api/subscriptions?limit=500').expect(200)).body.items.filter((s: { position: number }) => s.position >= beyond)).toEqual([]);
    expectFieldErrors(
      await http.post('/api/subscriptions').send({
        callbackUrl: 'not a url',
        topic: 'Not A Slug',
        speaker: 'x'.repeat(65),
        types: ['Nope'],
        briefingId: '42',
        after: -1,
        extra: true,
      }),
      'callbackUrl',
      'topic',
      'speaker',
      'types',
      'briefingId',
      'after',
      'extra',
    );
    expectFieldErrors(await http.get('/api/subscriptions/not-a-uuid'), 'subscriptionId');
    expectFieldErrors(await http.get('/api/subscriptions?cursor=bm90IG1pbmU'), 'cursor');
    expectProblem(await http.get(`/api/subscriptions/${randomUUID()}`), 404);
    expectProblem(await http.delete(`/api/subscriptions/${randomUUID()}`), 404);
  });
});

describe('webhooks across a restart', () => {
  let dataDir: string;
  let t: TestApp | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'briefing-archive-webhooks-'));
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes after the last acknowledged event, losing and repeating nothing', async () => {
    const hook = await receiver();
    t = await createTestApp({ ...FAST, ARCHIVE_DATA_DIR: dataDir });
    const { briefingId } = await openBriefing(t.http);
    const { subscriptionId } = await subscribe(t.http, { callbackUrl: hook.url, after: 0 });
    const delivered = (await recordStatement(t.http, briefingId)).position;
    await subscriptionUntil(t.http, subscriptionId, (s) => s.lastDeliveredPosition === delivered, 'the statement is acknowledged');

    // The receiver goes down; the events stored meanwhile wait for it.
    hook.answer = () => 503;
    await recordStatement(t.http, briefingId, { topics: ['ttp'] });
    await recordStatement(t.http, briefingId, { topics: ['kabul'] });
    await subscriptionUntil(t.http, subscriptionId, (s) => s.failures >= 1, 'an attempt has failed');
    const expected = await log(t.http);
    await t.close();

    hook.answer = () => 200;
    const attemptsBefore = hook.attempts.length;
    t = await createTestApp({ ...FAST, ARCHIVE_DATA_DIR: dataDir });
    const last = expected.at(-1)!.position;
    await waitUntil(() => hook.positions().at(-1) === last, `the receiver has position ${last}`);

    // A graceful stop lets the attempt in flight finish and saves its answer, so nothing comes
    // twice here; after a crash the attempt in flight could (delivery is at least once).
    expect(hook.acknowledged()).toEqual(expected);
    expect(hook.attempts[attemptsBefore]!.envelope.position).toBeGreaterThan(delivered);
    const state = await subscriptionUntil(t.http, subscriptionId, (s) => s.lastDeliveredPosition === last, 'the acknowledgement is saved');
    expect(state).toMatchObject({ status: 'active', failures: 0 });
  });
});
