import { EVENT_STORE, FeedHub } from '@archive/application';
import type { EventStore } from '@archive/event-store';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedClient, waitUntil, type Envelope } from './support/feed-client.js';
import { expectFieldErrors, openBriefing, recordStatement } from './support/http.js';
import { freePort } from './support/service-process.js';
import { createTestApp, type Agent, type TestApp } from './support/test-app.js';

/** Fast timings for the tests; the defaults are 15 s and 3 s. */
const FAST = { FEED_HEARTBEAT_MS: '100', FEED_RETRY_MS: '50' };

interface FeedApp {
  readonly t: TestApp;
  readonly http: Agent;
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  readonly hub: FeedHub;
  readonly store: EventStore;
}

/** The real app, listening on a loopback port (`0`: any free one). */
async function listening(env: Record<string, string> = {}, port = 0): Promise<FeedApp> {
  const t = await createTestApp({ ...FAST, ...env });
  await t.app.listen(port, '127.0.0.1');
  const address = t.app.getHttpServer().address() as AddressInfo;
  return { t, http: t.http, base: `http://127.0.0.1:${address.port}`, hub: t.app.get(FeedHub), store: t.app.get<EventStore>(EVENT_STORE) };
}

/** The log after `after`, as `GET /api/events` answers it. */
async function logAfter(http: Agent, after: number): Promise<Envelope[]> {
  const response = await http.get(`/api/events?after=${after}&limit=500`).expect(200);
  return response.body.items as Envelope[];
}

/** Records `count` statements in the briefing; answers the last one's position. */
async function statements(http: Agent, briefingId: string, count: number): Promise<number> {
  let position = 0;
  for (let i = 0; i < count; i++) ({ position } = await recordStatement(http, briefingId, { text: `Statement ${i}.`, topics: ['ttp'] }));
  return position;
}

const clients: FeedClient[] = [];
function client(url: string, headers: Record<string, string> = {}): FeedClient {
  const opened = new FeedClient(url, headers);
  clients.push(opened);
  return opened;
}
afterEach(() => {
  for (const opened of clients.splice(0)) opened.close();
});

describe('the live feed (GET /api/feed)', () => {
  let app: FeedApp;

  beforeAll(async () => {
    app = await listening();
  });
  afterAll(async () => {
    await app?.t.close();
  });

  it('answers an event stream that no proxy buffers, with a retry hint and a keep-alive comment at the configured interval', async () => {
    const abort = new AbortController();
    try {
      const response = await fetch(`${app.base}/api/feed`, { signal: abort.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('connection')).toBe('keep-alive');
      expect(response.headers.get('x-accel-buffering')).toBe('no');
      expect(response.headers.get('x-request-id')).toEqual(expect.any(String));

      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      const started = Date.now();
      while ((text.match(/^: keep-alive\n\n/gm) ?? []).length < 3) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended: ${text}`);
        text += value;
      }
      // Three comments at a 100 ms interval: they come on the timer, not once.
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(text.startsWith('retry: 50\n\n')).toBe(true);
    } finally {
      abort.abort();
    }
  });

  it('sends each new event live: id its position, event its type, data its envelope', async () => {
    const feed = client(`${app.base}/api/feed`);
    await feed.opened();
    const before = (await logAfter(app.http, 0)).at(-1)?.position ?? 0;

    const { briefingId, position: opened } = await openBriefing(app.http);
    const { position: recorded } = await recordStatement(app.http, briefingId);
    await feed.reached(recorded);

    const log = await logAfter(app.http, before);
    expect(log.map((event) => event.position)).toEqual([opened, recorded]);
    expect(feed.received).toEqual(log.map((event) => ({ id: event.position, type: event.type, data: event })));
    expect(feed.received.map((message) => message.type)).toEqual(['BriefingOpened', 'StatementRecorded']);
  });

  it('filters by topic, speaker, types and briefing, alone and together', async () => {
    const url = (query: string) => `${app.base}/api/feed?${query}`;
    const deputy = 'deputy-spokesperson';
    const feeds = {
      all: client(url('')),
      ttp: client(url('topic=ttp')),
      spokesperson: client(url('speaker=mumtaz-zahra-baloch')),
      deputy: client(url(`speaker=${deputy}`)),
      amendments: client(url('types=RemarkCorrected,RemarkRetracted')),
      ttpBySpokesperson: client(url('topic=ttp&speaker=mumtaz-zahra-baloch')),
    };
    await Promise.all(Object.values(feeds).map((feed) => feed.opened()));

    const { briefingId: a, position: openedA } = await openBriefing(app.http);
    const briefing = client(url(`briefingId=${a.toUpperCase()}`));
    await briefing.opened();
    const s1 = await recordStatement(app.http, a, { topics: ['ttp'] });
    const q1 = (await app.http.post(`/api/briefings/${a}/questions`).send({ text: 'And Iran?', topics: ['iran'] }).expect(201)).body;
    const a1 = (
      await app.http.post(`/api/briefings/${a}/questions/${q1.questionId}/answers`).send({ text: 'A neighbour.', speakerId: deputy, topics: ['iran'] }).expect(201)
    ).body;
    const { briefingId: b, position: openedB } = await openBriefing(app.http, {
      spokesperson: { id: 'shafqat-ali-khan', name: 'Shafqat Ali Khan' },
    });
    const s2 = await recordStatement(app.http, b, { topics: ['ttp'] });
    const correct = (topics: string[]) =>
      app.http.post(`/api/briefings/${a}/remarks/${s1.statementId}/corrections`).send({ text: 'Corrected.', reason: 'typo', topics }).expect(201);
    const c1 = (await correct(['kabul'])).body;
    const r1 = (await app.http.post(`/api/briefings/${a}/remarks/${a1.answerId}/retractions`).send({ reason: 'withdrawn' }).expect(201)).body;
    const closedA = (await app.http.post(`/api/briefings/${a}/close`).expect(200)).body;
    // The last event matches every filter but the deputy's, so a client that has it has all it will get.
    const c2 = (await correct(['ttp'])).body;
    await Promise.all([...Object.values(feeds), briefing].filter((feed) => feed !== feeds.deputy).map((feed) => feed.reached(c2.position)));
    await feeds.deputy.reached(r1.position);

    const got = (feed: FeedClient) => feed.received.map((message) => `${message.type}@${message.id}`);
    expect(got(feeds.all)).toEqual([
      `BriefingOpened@${openedA}`,
      `StatementRecorded@${s1.position}`,
      `QuestionAsked@${q1.position}`,
      `AnswerGiven@${a1.position}`,
      `BriefingOpened@${openedB}`,
      `StatementRecorded@${s2.position}`,
      `RemarkCorrected@${c1.position}`,
      `RemarkRetracted@${r1.position}`,
      `BriefingClosed@${closedA.position}`,
      `RemarkCorrected@${c2.position}`,
    ]);
    // A correction concerns the remark's old and new topics; a retraction the remark's topics.
    expect(got(feeds.ttp)).toEqual([
      `StatementRecorded@${s1.position}`,
      `StatementRecorded@${s2.position}`,
      `RemarkCorrected@${c1.position}`,
      `RemarkCorrected@${c2.position}`,
    ]);
    // A briefing's opening and closing concern its spokesperson; corrections the remark's speaker.
    expect(got(feeds.spokesperson)).toEqual([
      `BriefingOpened@${openedA}`,
      `StatementRecorded@${s1.position}`,
      `RemarkCorrected@${c1.position}`,
      `BriefingClosed@${closedA.position}`,
      `RemarkCorrected@${c2.position}`,
    ]);
    expect(got(feeds.deputy)).toEqual([`AnswerGiven@${a1.position}`, `RemarkRetracted@${r1.position}`]);
    expect(got(feeds.amendments)).toEqual([`RemarkCorrected@${c1.position}`, `RemarkRetracted@${r1.position}`, `RemarkCorrected@${c2.position}`]);
    expect(got(feeds.ttpBySpokesperson)).toEqual([`StatementRecorded@${s1.position}`, `RemarkCorrected@${c1.position}`, `RemarkCorrected@${c2.position}`]);
    // Joined after the opening: briefing A's later events, none of B's.
    const ofA = [s1, q1, a1, c1, r1, closedA, c2].map((answer) => answer.position as number);
    expect(got(briefing)).toEqual(got(feeds.all).filter((message) => ofA.includes(Number(message.split('@')[1]))));
    expect(got(briefing)).toHaveLength(7);
  });

  it('refuses bad filters and resume points with 400 naming each field, before any stream starts', async () => {
    const bad = await app.http
      .get('/api/feed')
      .query({ topic: 'Not A Slug', speaker: 'x'.repeat(65), types: 'BriefingOpened,Nonsense', briefingId: 'not-a-uuid', after: '-1' })
      .expect(400);
    expectFieldErrors(bad, 'topic', 'speaker', 'types', 'briefingId', 'after');

    expectFieldErrors(await app.http.get('/api/feed?types=').expect(400), 'types');
    expectFieldErrors(await app.http.get('/api/feed?after=1.5').expect(400), 'after');
    expectFieldErrors(await app.http.get('/api/feed?since=3').expect(400), 'since');
    expectFieldErrors(await app.http.get('/api/feed').set('Last-Event-ID', 'abc').expect(400), 'Last-Event-ID');
  });

  it('is documented in the OpenAPI document with its filters and resume points', async () => {
    const document = (await app.http.get('/api/docs-json').expect(200)).body;
    const operation = document.paths['/api/feed'].get;
    expect(operation.tags).toEqual(['feed']);
    expect(Object.keys(operation.responses['200'].content)).toEqual(['text/event-stream']);
    const parameters = operation.parameters.map((parameter: { name: string; in: string }) => `${parameter.in}:${parameter.name}`);
    expect(parameters.sort()).toEqual(['header:Last-Event-ID', 'query:after', 'query:briefingId', 'query:speaker', 'query:topic', 'query:types']);
  });

  it('resumes with Last-Event-ID after a disconnect: what was appended while away, then live, with no gap and no duplicate', async () => {
    const listeners = app.hub.listenerCount;
    const first = client(`${app.base}/api/feed`);
    await first.opened();
    const { briefingId } = await openBriefing(app.http);
    const seen = await statements(app.http, briefingId, 2);
    await first.reached(seen);
    first.close();
    // The server notices the disconnect and lets go of the client.
    await waitUntil(() => app.hub.listenerCount === listeners, 'the disconnected client has left the hub');

    await statements(app.http, briefingId, 5);
    const resumed = client(`${app.base}/api/feed`, { 'Last-Event-ID': String(first.last()) });
    // Appends keep coming while the client replays and hands over to live.
    const appending = statements(app.http, briefingId, 20);
    await resumed.opened();
    const last = await appending;
    await resumed.reached(last);

    const expected = (await logAfter(app.http, first.last())).map((event) => event.position);
    expect(expected).toHaveLength(25);
    expect(resumed.ids()).toEqual(expected);
    expect(new Set([...first.ids(), ...resumed.ids()]).size).toBe(first.ids().length + resumed.ids().length);
  });

  it('replays from ?after=, and prefers Last-Event-ID when a reconnection sends both', async () => {
    const { briefingId, position: opened } = await openBriefing(app.http);
    const last = await statements(app.http, briefingId, 3);
    const log = (await logAfter(app.http, opened)).map((event) => event.position);

    const fromAfter = client(`${app.base}/api/feed?after=${opened}&briefingId=${briefingId}`);
    await fromAfter.reached(last);
    expect(fromAfter.ids()).toEqual(log);

    const fromHeader = client(`${app.base}/api/feed?after=0&briefingId=${briefingId}`, { 'Last-Event-ID': String(log[0]) });
    await fromHeader.reached(last);
    expect(fromHeader.ids()).toEqual(log.slice(1));

    const live = await recordStatement(app.http, briefingId);
    await Promise.all([fromAfter.reached(live.position), fromHeader.reached(live.position)]);
    expect(fromAfter.ids()).toEqual([...log, live.position]);
  });
});

describe('the hand-over from replay to live', () => {
  let app: FeedApp;

  afterEach(async () => {
    for (const opened of clients.splice(0)) opened.close();
    await app?.t.close();
  });

  /**
   * Appends `count` statements while a resuming client's replay has just found the end of the
   * log, and before it goes live: what the hub hands it meanwhile must be neither lost nor doubled.
   */
  async function resumeWhileAppending(count: number): Promise<void> {
    const watcher = client(`${app.base}/api/feed`);
    await watcher.opened();
    const { briefingId } = await openBriefing(app.http);
    const from = (await recordStatement(app.http, briefingId)).position;
    await statements(app.http, briefingId, 3);

    const readAll = app.store.readAll.bind(app.store);
    let appended = 0;
    jest.spyOn(app.store, 'readAll').mockImplementation(async (options) => {
      const page = await readAll(options);
      if (page.length === 0 && appended === 0) {
        appended = await statements(app.http, briefingId, count);
        // The watcher has them, so the hub has handed them to every client, the resuming one too.
        await watcher.reached(appended);
      }
      return page;
    });
    const resumed = client(`${app.base}/api/feed`, { 'Last-Event-ID': String(from) });
    await waitUntil(() => appended > 0, 'the events have been appended during the replay');
    const live = await recordStatement(app.http, briefingId);
    await resumed.reached(live.position);
    jest.restoreAllMocks();

    const expected = (await logAfter(app.http, from)).map((event) => event.position);
    expect(expected).toHaveLength(3 + count + 1);
    expect(resumed.ids()).toEqual(expected);
  }

  it('sends what the hub handed over during the replay, once, after the replayed events', async () => {
    app = await listening();
    await resumeWhileAppending(4);
  });

  it('reads the log again when more came in during the replay than the buffer holds', async () => {
    app = await listening({ FEED_CLIENT_BUFFER: '3' });
    await resumeWhileAppending(10);
  });
});

describe('the live feed across clients', () => {
  let app: FeedApp;

  afterEach(async () => {
    for (const opened of clients.splice(0)) opened.close();
    await app?.t.close();
  });

  it('reads the store once for all clients, and lets go of each client that disconnects', async () => {
    app = await listening();
    const subscribe = jest.spyOn(app.store, 'subscribeToAll');
    expect(app.hub.subscriptionCount).toBe(0);

    const feeds = Array.from({ length: 5 }, (_, i) => client(`${app.base}/api/feed${i % 2 ? '?topic=ttp' : ''}`));
    await Promise.all(feeds.map((feed) => feed.opened()));
    expect(app.hub.listenerCount).toBe(5);
    expect(app.hub.subscriptionCount).toBe(1);
    expect(subscribe).toHaveBeenCalledTimes(1);

    const { briefingId } = await openBriefing(app.http);
    const { position } = await recordStatement(app.http, briefingId, { topics: ['ttp'] });
    await Promise.all(feeds.map((feed) => feed.reached(position)));

    for (const feed of feeds) feed.close();
    await waitUntil(() => app.hub.listenerCount === 0, 'every client has left the hub');
    const again = client(`${app.base}/api/feed`);
    await again.opened();
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(app.hub.subscriptionCount).toBe(1);
  });

  it('disconnects a client that does not read, with a retry hint, while a fast client gets everything; the slow one resumes from its last id', async () => {
    app = await listening({ FEED_CLIENT_BUFFER: '50', PROJECTIONS: 'off' });
    const fast = client(`${app.base}/api/feed`);
    await fast.opened();

    // A client that never reads: once the socket's buffers are full, the server's writes wait.
    const slow = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`${app.base}/api/feed`, { agent: false }, (response) => {
        response.pause();
        resolve(response);
      }).on('error', reject);
    });
    await waitUntil(() => app.hub.listenerCount === 2, 'both clients have joined');

    // Briefings of long statements (about 8 MB each), until the slow client's buffers overflow.
    const text = 'A long statement on the western border. '.repeat(480);
    let last = 0;
    for (let round = 0; round < 12 && app.hub.listenerCount === 2; round++) {
      const body = {
        briefingId: randomUUID(),
        heldOn: '2024-02-01',
        location: 'Islamabad',
        organization: 'Ministry of Foreign Affairs',
        spokesperson: { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch' },
        statements: Array.from({ length: 400 }, () => ({ text, topics: ['afghanistan'] })),
        questions: [],
      };
      ({ position: last } = (await app.http.post('/api/briefings/import').send(body).expect(201)).body);
      await fast.reached(last);
    }
    await waitUntil(() => app.hub.listenerCount === 1, 'the slow client has been disconnected');

    // The fast client was not held up: it has every event, in order.
    const all = (await app.store.readAll({ after: 0, limit: 10_000 })).map((event) => event.position);
    expect(fast.ids()).toEqual(all);

    // The slow client, reading at last, finds a prefix of the log, then the retry hint, then the end.
    slow.setEncoding('utf8');
    let received = '';
    for await (const chunk of slow) received += chunk as string;
    const ids = [...received.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(all.length);
    expect(ids).toEqual(all.slice(0, ids.length));
    expect(received.endsWith('retry: 50\n\n')).toBe(true);

    const resumed = client(`${app.base}/api/feed`, { 'Last-Event-ID': String(ids.at(-1)) });
    await resumed.reached(last);
    expect(resumed.ids()).toEqual(all.slice(ids.length));
  });

  it('ends the streams on shutdown before the event store closes; the client library reconnects with its last id to the restarted service and misses nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'feed-restart-'));
    const port = await freePort();
    const env = { ARCHIVE_DATA_DIR: dataDir };
    try {
      app = await listening(env, port);
      const feed = client(`http://127.0.0.1:${port}/api/feed`);
      await feed.opened();
      const { briefingId } = await openBriefing(app.http);
      await feed.reached(await statements(app.http, briefingId, 2));

      const order: string[] = [];
      const closeHub = app.hub.close.bind(app.hub);
      jest.spyOn(app.hub, 'close').mockImplementation(async () => {
        await closeHub();
        order.push('feed closed');
      });
      const closeStore = app.store.close.bind(app.store);
      jest.spyOn(app.store, 'close').mockImplementation(async () => {
        order.push('event store closing');
        await closeStore();
      });
      await app.t.close();
      jest.restoreAllMocks();
      expect(order.indexOf('feed closed')).toBeGreaterThanOrEqual(0);
      expect(order.indexOf('feed closed')).toBeLessThan(order.indexOf('event store closing'));
      await waitUntil(() => feed.errors > 0, 'the client has seen its stream end');

      // While the service is down, another instance on the same data appends (without listening).
      const writer = await createTestApp({ ...env, PROJECTIONS: 'off' });
      try {
        await statements(writer.http, briefingId, 4);
      } finally {
        await writer.close();
      }

      app = await listening(env, port);
      await feed.opened(2);
      const live = await statements(app.http, briefingId, 2);
      await feed.reached(live);

      const log = (await logAfter(app.http, 0)).map((event) => event.position);
      expect(feed.ids()).toEqual(log);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
