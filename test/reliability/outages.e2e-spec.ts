import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startKurrentDbTestServer, type KurrentDbTestServer } from '@archive/event-store/testing';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { FeedClient } from '../support/feed-client.js';
import { openBody } from '../support/http.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Store outages, on the production stores: the log in KurrentDB (the in-test server, over real
 * gRPC) and the read models in the machine's PostgreSQL, each reached through a TCP proxy the
 * test can cut or freeze (the shared PostgreSQL server itself is never stopped). Writers keep
 * sending commands before, during and after each outage and send again what got a 503, with the
 * same ids; a live feed client and a webhook receiver follow the log throughout.
 *
 * - KurrentDB stopped (and started again on the same port, its log kept), then hanging: commands
 *   get 503 with Retry-After within the deadline, `/health` names the event store, queries on the
 *   read models go on.
 * - PostgreSQL cut off, then hanging: queries get 503 with Retry-After within the timeouts,
 *   `/health` names the read store; commands go on, for they need only the log.
 * - After each: the feed, the projections and the webhooks resume by themselves, and in the end
 *   every command answered 2xx is in the log exactly once and the read models equal a rebuild.
 */
jest.setTimeout(180_000);

/** The stores' time limits in this test: short, so that outages are quick to see. */
const DEADLINE_MS = 1000;
/** Scheduling on a loaded two-core machine: what an answer may take beyond the configured limit. */
const SLACK_MS = 3000;
/** The longest a command may take: a read of the stream and an append, each within the deadline. */
const COMMAND_BOUND_MS = 2 * DEADLINE_MS + SLACK_MS;
/** The longest a query may take: a connection attempt or a statement, each within its timeout (plus the client's margin of 1 s). */
const QUERY_BOUND_MS = DEADLINE_MS + 1000 + SLACK_MS;

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Answer {
  status: number;
  elapsed: number;
  retryAfter: string | null;
  contentType: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- read by shape, checked by the assertions
  body: any;
}

async function send(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    // Far past every bound: a hang fails the assertion on `elapsed`, not the whole run.
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    elapsed: Date.now() - started,
    retryAfter: response.headers.get('retry-after'),
    contentType: response.headers.get('content-type'),
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

/** A 503 as the contract says: problem+json and a Retry-After of whole seconds. */
function expectUnavailable(answer: Answer, boundMs: number): void {
  expect({ status: answer.status, retryAfter: answer.retryAfter, contentType: answer.contentType }).toEqual({
    status: 503,
    retryAfter: expect.stringMatching(/^\d+$/),
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(answer.elapsed).toBeLessThan(boundMs);
}

/** Polls `attempt` until it answers true; fails naming `what` after `timeoutMs`. */
async function eventually(what: string, attempt: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await attempt())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One command a writer sends until it is answered 201, and every answer it got. */
interface Sent {
  readonly kind: 'open' | 'statement';
  /** The briefing's id for an opening, the statement's for a statement. */
  readonly id: string;
  readonly briefingId: string;
  readonly answers: { status: number; elapsed: number; retryAfter: string | null }[];
}

/** A writer's pause between two commands: steady traffic through every phase, not a flood the followers must then catch up with. */
const THINK_MS = 50;

/**
 * Clients that keep writing: each opens a briefing of its own and records statements in it, with
 * ids it chooses. A command answered 503 is sent again, the same, after the Retry-After it was
 * given (shortened to keep the test quick); any other answer but 201 is kept for the assertions.
 */
class Writers {
  readonly sent: Sent[] = [];
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly base: string,
    count: number,
  ) {
    this.done = Promise.all(Array.from({ length: count }, (_, index) => this.write(index))).then(() => undefined);
  }

  /** How many answers were 503 so far. */
  get unavailable(): number {
    return this.sent.reduce((sum, sent) => sum + sent.answers.filter((answer) => answer.status === 503).length, 0);
  }

  /** How many commands were answered 201 so far. */
  get acknowledged(): number {
    return this.sent.filter((sent) => sent.answers.at(-1)?.status === 201).length;
  }

  /** Lets each writer finish the command it is on (sending it until it is answered), then stop. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async write(index: number): Promise<void> {
    let briefingId: string | undefined;
    for (let n = 0; !this.stopped; n++) {
      const opening = briefingId === undefined || n % 8 === 0;
      const id = randomUUID();
      const sent: Sent = opening
        ? { kind: 'open', id, briefingId: id, answers: [] }
        : { kind: 'statement', id, briefingId: briefingId!, answers: [] };
      this.sent.push(sent);
      const [path, body] = opening
        ? ['/api/briefings', openBody({ briefingId: id, title: `Writer ${index}, briefing ${n}` })]
        : [`/api/briefings/${briefingId}/statements`, { statementId: id, text: `Writer ${index}, statement ${n}.`, topics: ['outage', `writer-${index}`] }];
      for (;;) {
        let answer: Answer;
        try {
          answer = await send(this.base, 'POST', path, body);
        } catch (error) {
          sent.answers.push({ status: -1, elapsed: Number.NaN, retryAfter: String(error) });
          return;
        }
        sent.answers.push({ status: answer.status, elapsed: answer.elapsed, retryAfter: answer.retryAfter });
        if (answer.status !== 503) break;
        await new Promise((resolve) => setTimeout(resolve, Math.min(Number(answer.retryAfter ?? 1) * 1000, 200)));
      }
      if (sent.answers.at(-1)!.status !== 201) return;
      if (opening) briefingId = id;
      await new Promise((resolve) => setTimeout(resolve, THINK_MS));
    }
  }
}

/** A webhook receiver that acknowledges everything and keeps the event ids in the order they came. */
async function startReceiver(): Promise<{ server: Server; url: string; eventIds: string[] }> {
  const eventIds: string[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      eventIds.push(String(request.headers['x-archive-event-id']));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, eventIds };
}

describe('store outages: KurrentDB and PostgreSQL go away and come back', () => {
  const schema = `outage_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let kurrentdb: KurrentDbTestServer;
  let kurrentProxy: TcpProxy;
  let pgProxy: TcpProxy;
  let t: TestApp;
  let base: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let subscriptionId: string;
  let feed: FeedClient;
  /** A feed client that first connects while KurrentDB is down. */
  let late: FeedClient | undefined;
  let writers: Writers;
  let probeBriefing: string;

  beforeAll(async () => {
    kurrentdb = await startKurrentDbTestServer();
    kurrentProxy = await TcpProxy.start({ host: '127.0.0.1', port: kurrentdb.port });
    const target = new URL(databaseUrl);
    pgProxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(pgProxy.port);
    t = await createTestApp({
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: `kurrentdb://127.0.0.1:${kurrentProxy.port}?tls=false`,
      READ_STORE: 'postgres',
      DATABASE_URL: proxied.toString(),
      DATABASE_SCHEMA: schema,
      KURRENTDB_DEADLINE_MS: String(DEADLINE_MS),
      DATABASE_CONNECT_TIMEOUT_MS: String(DEADLINE_MS),
      DATABASE_QUERY_TIMEOUT_MS: String(DEADLINE_MS),
      HEALTH_TIMEOUT_MS: String(DEADLINE_MS),
      SHUTDOWN_TIMEOUT_MS: '5000',
      MIN_POSITION_TIMEOUT_MS: '1000',
      RATE_LIMIT_PER_ADDRESS: '0',
      FEED_RETRY_MS: '200',
      WEBHOOK_POLL_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_RETRY_MAX_MS: '400',
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;

    receiver = await startReceiver();
    const registered = await send(base, 'POST', '/api/subscriptions', { callbackUrl: receiver.url, after: 0 });
    expect(registered.status).toBe(201);
    subscriptionId = registered.body.subscriptionId as string;
    feed = new FeedClient(`${base}/api/feed?after=0`);
    await feed.opened();

    const opened = await send(base, 'POST', '/api/briefings', openBody({ title: 'Probes' }));
    expect(opened.status).toBe(201);
    probeBriefing = opened.body.briefingId as string;
    writers = new Writers(base, 3);
  });

  afterAll(async () => {
    // Both stores back first, whatever a failed test left behind: the writers finish only on a 201.
    await kurrentdb?.start();
    await kurrentProxy?.restore();
    await pgProxy?.restore();
    await writers?.stop();
    feed?.close();
    late?.close();
    await t?.close();
    receiver?.server.closeAllConnections();
    await new Promise((resolve) => receiver?.server.close(resolve));
    await kurrentProxy?.close();
    await pgProxy?.close();
    await kurrentdb?.stop();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  /** Records a statement in the probe briefing; answers the command's answer. */
  const probe = (statementId = randomUUID()) =>
    send(base, 'POST', `/api/briefings/${probeBriefing}/statements`, { statementId, text: 'A statement sent to probe the service.', topics: ['probe'] });

  /** Sends the same probe until it is answered 201 (the store is back); answers its position. */
  async function probeUntilAccepted(): Promise<number> {
    const statementId = randomUUID();
    let position = 0;
    await eventually('a command is accepted again', async () => {
      const answer = await probe(statementId);
      if (answer.status === 201) position = answer.body.position as number;
      else expectUnavailable(answer, COMMAND_BOUND_MS);
      return answer.status === 201;
    });
    return position;
  }

  async function health(): Promise<Answer> {
    return send(base, 'GET', '/health');
  }

  /** The feed, the projections and the webhooks have all reached `position`, each by itself. */
  async function everyFollowerReaches(position: number): Promise<void> {
    await feed.reached(position);
    await eventually('the read models reach the position', async () => {
      const answer = await send(base, 'GET', `/api/briefings/${probeBriefing}`, undefined, { 'X-Min-Position': String(position) });
      return answer.status === 200;
    });
    await eventually('the webhook subscription has delivered the position', async () => {
      const answer = await send(base, 'GET', `/api/subscriptions/${subscriptionId}`);
      return answer.status === 200 && (answer.body.lastDeliveredPosition as number) >= position;
    });
  }

  it('takes commands, answers queries and reports both stores up while both answer', async () => {
    await eventually('the writers have written', async () => writers.acknowledged >= 12);
    const answer = await health();
    expect(answer.status).toBe(200);
    expect(answer.body.details).toMatchObject({ eventStore: { status: 'up', store: 'kurrentdb' }, readStore: { status: 'up', store: 'postgres' } });
    await everyFollowerReaches((await probe()).body.position as number);
  });

  it('answers commands 503 with Retry-After while KurrentDB is stopped, names the event store in /health, and resumes once it is back', async () => {
    const before = writers.unavailable;
    await kurrentdb.stop();

    expectUnavailable(await probe(), COMMAND_BOUND_MS);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.retryAfter).toMatch(/^\d+$/);
    expect(down.body.error.eventStore).toMatchObject({ status: 'down', store: 'kurrentdb', message: expect.any(String) });
    expect(down.body.details.readStore).toMatchObject({ status: 'up' });
    // The read models still answer; the log does not.
    expect((await send(base, 'GET', '/api/briefings')).status).toBe(200);
    expectUnavailable(await send(base, 'GET', '/api/events?after=0'), COMMAND_BOUND_MS);
    await eventually('the writers meet the outage', async () => writers.unavailable >= before + 4);
    // A feed client that comes now is not turned away with an error status, which would end an
    // EventSource for good: it is told to retry, and keeps trying until the log answers.
    late = new FeedClient(`${base}/api/feed?after=0`);
    await late.opened(2);

    await kurrentdb.start();
    const position = await probeUntilAccepted();
    await eventually('/health is 200 again', async () => (await health()).status === 200);
    await everyFollowerReaches(position);
    await late.reached(position);
  });

  it('answers commands 503 within the deadline, never hanging, while KurrentDB takes connections but does not answer', async () => {
    const before = writers.unavailable;
    kurrentProxy.freeze();

    expectUnavailable(await probe(), COMMAND_BOUND_MS);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(down.body.error.eventStore).toMatchObject({ status: 'down', store: 'kurrentdb' });
    await eventually('the writers meet the outage', async () => writers.unavailable >= before + 4);

    await kurrentProxy.restore();
    const position = await probeUntilAccepted();
    await everyFollowerReaches(position);
  });

  it('answers queries 503 with Retry-After while PostgreSQL is cut off, names the read store in /health, and keeps taking commands', async () => {
    const acknowledged = writers.acknowledged;
    await pgProxy.cut();

    expectUnavailable(await send(base, 'GET', '/api/briefings'), QUERY_BOUND_MS);
    expectUnavailable(await send(base, 'GET', `/api/briefings/${probeBriefing}`), QUERY_BOUND_MS);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.error.readStore).toMatchObject({ status: 'down', store: 'postgres', message: expect.any(String) });
    expect(down.body.details.eventStore).toMatchObject({ status: 'up' });

    // Commands need only the log: they are taken, and the live feed, which reads only the log, carries them at once.
    const accepted = await probe();
    expect(accepted.status).toBe(201);
    await feed.reached(accepted.body.position as number);
    await eventually('the writers go on writing', async () => writers.acknowledged >= acknowledged + 6);
    // The read models cannot have it yet: X-Min-Position says so, as a 503 too.
    expectUnavailable(
      await send(base, 'GET', `/api/briefings/${probeBriefing}`, undefined, { 'X-Min-Position': String(accepted.body.position) }),
      QUERY_BOUND_MS,
    );

    await pgProxy.restore();
    await eventually('/health is 200 again', async () => (await health()).status === 200);
    await everyFollowerReaches((await probe()).body.position as number);
    const transcript = await send(base, 'GET', `/api/briefings/${probeBriefing}`);
    expect(transcript.body.statements.map((statement: { id: string }) => statement.id)).toContain(accepted.body.statementId);
  });

  it('answers queries 503 within the timeouts, never hanging, while PostgreSQL takes connections but does not answer', async () => {
    pgProxy.freeze();

    expectUnavailable(await send(base, 'GET', '/api/briefings'), QUERY_BOUND_MS);
    expectUnavailable(await send(base, 'GET', '/api/topics'), QUERY_BOUND_MS);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(down.body.error.readStore).toMatchObject({ status: 'down', store: 'postgres' });
    expect((await probe()).status).toBe(201);

    await pgProxy.restore();
    await eventually('/health is 200 again', async () => (await health()).status === 200);
    await everyFollowerReaches((await probe()).body.position as number);
  });

  it('lost nothing: every command answered 201 is in the log once, the feed and the webhooks carried the whole log, the read models equal a rebuild', async () => {
    await writers.stop();

    // Every answer was 201 or 503, and none took longer than the bounds.
    const answers = writers.sent.flatMap((sent) => sent.answers);
    expect(answers.filter((answer) => answer.status !== 201 && answer.status !== 503)).toEqual([]);
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.status === 503 && answer.retryAfter === null)).toEqual([]);
    expect(Math.max(...answers.map((answer) => answer.elapsed))).toBeLessThan(COMMAND_BOUND_MS);

    // The log: each command the writers sent is there once (a re-send after a 503 appended nothing more).
    const log: { eventId: string; type: string; position: number; streamId: string; data: Record<string, unknown> }[] = [];
    for (let after = 0; ; ) {
      const page = await send(base, 'GET', `/api/events?after=${after}&limit=500`);
      expect(page.status).toBe(200);
      log.push(...page.body.items);
      if (!page.body.nextCursor) break;
      after = Number(page.body.nextCursor);
    }
    const idOf = (event: (typeof log)[number]) => String(event.type === 'BriefingOpened' ? event.data.briefingId : event.data.statementId);
    const counts = new Map<string, number>();
    for (const event of log) counts.set(idOf(event), (counts.get(idOf(event)) ?? 0) + 1);
    expect([...counts].filter(([, count]) => count !== 1)).toEqual([]);
    const written = writers.sent.filter((sent) => sent.answers.at(-1)?.status === 201);
    expect(written.length).toBe(writers.sent.length);
    expect(written.filter((sent) => counts.get(sent.id) !== 1)).toEqual([]);
    const head = log.at(-1)!.position;

    // The feed client got the whole log, in order, each event once, across every outage.
    await feed.reached(head);
    expect(feed.ids()).toEqual(log.map((event) => event.position));
    await late!.reached(head);
    expect(late!.ids()).toEqual(log.map((event) => event.position));

    // The webhooks delivered every event, in log order (some twice: delivery is at least once).
    await eventually('the webhook subscription has delivered the head', async () => {
      const answer = await send(base, 'GET', `/api/subscriptions/${subscriptionId}`);
      return answer.status === 200 && answer.body.lastDeliveredPosition === head;
    });
    const firstDeliveries = receiver.eventIds.filter((id, index) => receiver.eventIds.indexOf(id) === index);
    expect(firstDeliveries).toEqual(log.map((event) => event.eventId));

    // The read models: every projection live (none failed on the way), at the head, and equal to a rebuild from the log.
    await eventually('every projection is at the head', async () => {
      const states = (await send(base, 'GET', '/api/projections')).body.items as { lag: number; status: string }[];
      expect(states.filter((state) => state.status === 'failed')).toEqual([]);
      return states.every((state) => state.lag === 0 && state.status === 'live');
    });
    for (const sent of written.filter((one) => one.kind === 'open')) {
      const transcript = await send(base, 'GET', `/api/briefings/${sent.briefingId}`);
      const recorded = log.filter((event) => event.type === 'StatementRecorded' && event.streamId === `briefing-${sent.briefingId}`);
      expect(transcript.body.statements.map((statement: { id: string }) => statement.id)).toEqual(
        recorded.map((event) => event.data.statementId),
      );
    }
    const states = (await send(base, 'GET', '/api/projections')).body.items as { name: string }[];
    for (const { name } of states) {
      const live = (await send(base, 'GET', `/api/projections/${name}/checksum`)).body.checksum as string;
      expect((await send(base, 'POST', `/api/projections/${name}/rebuild`)).status).toBe(202);
      await eventually(`the rebuild of ${name} is done`, async () => {
        const progress = (await send(base, 'GET', `/api/projections/${name}/rebuild`)).body as { status: string };
        if (progress.status === 'failed') throw new Error(`the rebuild of ${name} failed: ${JSON.stringify(progress)}`);
        return progress.status === 'done';
      });
      expect({ name, checksum: (await send(base, 'GET', `/api/projections/${name}/checksum`)).body.checksum }).toEqual({ name, checksum: live });
    }
  });
});

describe('a feed client that first comes while KurrentDB is down', () => {
  let kurrentdb: KurrentDbTestServer;
  let t: TestApp;
  let client: FeedClient | undefined;

  beforeAll(async () => {
    kurrentdb = await startKurrentDbTestServer({ statsIntervalMs: 0 });
    t = await createTestApp({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: kurrentdb.url, KURRENTDB_DEADLINE_MS: String(DEADLINE_MS), FEED_RETRY_MS: '100' });
    await t.app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    client?.close();
    await t?.close();
    await kurrentdb?.stop();
  });

  it('is told to retry rather than refused, which would end an EventSource for good, and gets the log once it is back', async () => {
    const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await kurrentdb.stop();
    client = new FeedClient(`${base}/api/feed?after=0`);
    // Each time the stream opens, says when to come back, and ends: the client keeps trying.
    await client.opened(3);
    expect(client.received).toEqual([]);

    await kurrentdb.start();
    let position = 0;
    await eventually('a command is accepted', async () => {
      const answer = await send(base, 'POST', '/api/briefings', openBody());
      position = answer.body?.position as number;
      return answer.status === 201;
    });
    await client.reached(position);
    expect(client.ids()).toEqual([position]);
  });
});
