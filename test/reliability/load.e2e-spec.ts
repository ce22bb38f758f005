import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { EVENT_STORE } from '@archive/application';
import type { AppendResult, EventStore, ExpectedRevision, NewEvent } from '@archive/event-store';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { openBody } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Load with conflicts, on the embedded stores: 16 concurrent writers send 5,000 commands over
 * HTTP to two services on the same files (the second an API replica, as in production: commands
 * for one briefing take turns within a service, so conflicts come from the other one), a third of
 * them at the same 3 briefings and the rest spread over a hundred. Each command
 * appends exactly one event. Nothing may fail (no 5xx); each 201 is exactly one event in the log
 * and each 409 none; a 409 comes only after the command handler's retry met a second conflict;
 * and the read models count what the log holds. A correctness test: it asserts no timings.
 */
jest.setTimeout(120_000);

const WRITERS = 16;
const COMMANDS = 5000;
const HOT_BRIEFINGS = 3;
const SPREAD_BRIEFINGS = 100;

interface Command {
  /** Sent as X-Request-Id: the events of the command carry it as their correlation id. */
  readonly requestId: string;
  readonly kind: 'open' | 'statement' | 'question';
  /** The id the command chooses for what it records: the briefing's, statement's or question's. */
  readonly id: string;
  readonly briefingId: string;
  readonly topic: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

interface Outcome {
  readonly command: Command;
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- read by shape, checked by the assertions
  readonly body: any;
}

interface LoggedEvent {
  eventId: string;
  type: string;
  streamId: string;
  position: number;
  data: Record<string, unknown> & { topics?: string[] };
  metadata: { correlationId: string };
}

function open(briefingId: string, topic: string): Command {
  return { requestId: randomUUID(), kind: 'open', id: briefingId, briefingId, topic, path: '/api/briefings', body: openBody({ briefingId }) };
}

function remark(briefingId: string, topic: string, n: number): Command {
  const id = randomUUID();
  const requestId = randomUUID();
  return n % 2 === 0
    ? { requestId, kind: 'statement', id, briefingId, topic, path: `/api/briefings/${briefingId}/statements`, body: { statementId: id, text: `Statement ${n}.`, topics: [topic] } }
    : { requestId, kind: 'question', id, briefingId, topic, path: `/api/briefings/${briefingId}/questions`, body: { questionId: id, text: `Question ${n}?`, topics: [topic], askedBy: { outlet: 'Dawn' } } };
}

/** Fisher-Yates, so hot and spread commands interleave through the run. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

describe('load with conflicts: 16 writers, 5,000 commands, a third of them on 3 briefings', () => {
  let t: TestApp;
  let replica: TestApp;
  /** The service with the projections, which the read models are asked through. */
  let base: string;
  /** Both services; the writers take turns over them. */
  let bases: string[];
  /** Appends the store refused with a wrong expected revision, by the correlation id (the request) that made them. */
  const refusals = new Map<string, number>();
  const outcomes: Outcome[] = [];
  let log: LoggedEvent[] = [];

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_ADDRESS: '0' });
    replica = await createTestApp({ ARCHIVE_DATA_DIR: t.dataDir, PROJECTIONS: 'off', RATE_LIMIT_PER_ADDRESS: '0' });
    bases = [];
    for (const service of [t, replica]) {
      await service.app.listen(0, '127.0.0.1');
      bases.push(`http://127.0.0.1:${(service.app.getHttpServer().address() as AddressInfo).port}`);

      // Watches the store the command handler appends through: every refusal it meets, by request.
      const store = service.app.get<EventStore>(EVENT_STORE, { strict: false });
      const append = store.appendToStream.bind(store);
      store.appendToStream = async (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> => {
        try {
          return await append(streamId, events, expected);
        } catch (error) {
          if ((error as Error).name === 'WrongExpectedRevisionError') {
            const request = events[0]!.metadata.correlationId;
            refusals.set(request, (refusals.get(request) ?? 0) + 1);
          }
          throw error;
        }
      };
    }
    base = bases[0]!;

    const hot = Array.from({ length: HOT_BRIEFINGS }, (_, i) => open(randomUUID(), `hot-${i}`));
    const spread = Array.from({ length: SPREAD_BRIEFINGS }, () => open(randomUUID(), 'spread'));
    const remarks: Command[] = [];
    const hotRemarks = Math.ceil(COMMANDS / 3) - hot.length;
    for (let n = 0; n < hotRemarks; n++) remarks.push(remark(hot[n % HOT_BRIEFINGS]!.briefingId, hot[n % HOT_BRIEFINGS]!.topic, n));
    for (let n = 0; remarks.length + hot.length + spread.length < COMMANDS; n++) {
      remarks.push(remark(spread[n % SPREAD_BRIEFINGS]!.briefingId, 'spread', n));
    }

    // First every briefing is opened, then the remarks go in random order: 5,000 commands, 16 at a time.
    await run([...hot, ...spread]);
    await run(shuffle(remarks));
    expect(outcomes).toHaveLength(COMMANDS);

    log = [];
    for (let after = 0; ; ) {
      const page = (await (await fetch(`${base}/api/events?after=${after}&limit=500`)).json()) as { items: LoggedEvent[]; nextCursor: string | null };
      log.push(...page.items);
      if (!page.nextCursor) break;
      after = Number(page.nextCursor);
    }
  });

  afterAll(async () => {
    // The replica first: it leaves the shared directory in place, the first service removes it.
    await replica?.close();
    await t?.close();
  });

  async function run(commands: Command[]): Promise<void> {
    let next = 0;
    const writer = async (index: number) => {
      const service = bases[index % bases.length]!;
      while (next < commands.length) {
        const command = commands[next++]!;
        const response = await fetch(`${service}${command.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': command.requestId },
          body: JSON.stringify(command.body),
        });
        const text = await response.text();
        outcomes.push({ command, status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined });
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(index)));
  }

  it('answers every command 201 or 409, never 5xx, and the hot briefings meet real conflicts', () => {
    const statuses = new Map<number, number>();
    for (const { status } of outcomes) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    expect([...statuses.keys()].filter((status) => status !== 201 && status !== 409)).toEqual([]);
    // The load did what it is for: appends were refused, and the handler took them again.
    expect(refusals.size).toBeGreaterThan(0);
    expect(outcomes.filter(({ status, command }) => status === 201 && refusals.get(command.requestId) === 1).length).toBeGreaterThan(0);
  });

  it('records each 201 as exactly one event of the command, and each 409 as none', () => {
    const byRequest = new Map<string, LoggedEvent[]>();
    for (const event of log) byRequest.set(event.metadata.correlationId, [...(byRequest.get(event.metadata.correlationId) ?? []), event]);
    const types = { open: 'BriefingOpened', statement: 'StatementRecorded', question: 'QuestionAsked' } as const;
    const idOf = (event: LoggedEvent) => event.data[{ BriefingOpened: 'briefingId', StatementRecorded: 'statementId', QuestionAsked: 'questionId' }[event.type as 'BriefingOpened']];
    const wrong: unknown[] = [];
    for (const { command, status } of outcomes) {
      const events = byRequest.get(command.requestId) ?? [];
      const expected = status === 201 ? [{ type: types[command.kind], id: command.id, streamId: `briefing-${command.briefingId}` }] : [];
      const actual = events.map((event) => ({ type: event.type, id: idOf(event), streamId: event.streamId }));
      if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push({ status, command: command.kind, expected, actual });
    }
    expect(wrong).toEqual([]);
    expect(log).toHaveLength(outcomes.filter(({ status }) => status === 201).length);
    expect(new Set(log.map((event) => event.eventId)).size).toBe(log.length);
  });

  it('answers 409 only after the retry met a second conflict, and never after a first one alone', () => {
    const conflicts = outcomes.filter(({ status }) => status === 409);
    for (const { command, body } of conflicts) {
      expect({ code: body.code, refusals: refusals.get(command.requestId) }).toEqual({ code: 'CONCURRENT_WRITE', refusals: 2 });
    }
    const accepted = outcomes.filter(({ status }) => status === 201);
    expect(accepted.filter(({ command }) => (refusals.get(command.requestId) ?? 0) > 1)).toEqual([]);
    // Every refusal the store made belongs to one of these requests, and is accounted for above.
    const requests = new Set(outcomes.map(({ command }) => command.requestId));
    expect([...refusals.keys()].filter((request) => !requests.has(request))).toEqual([]);
  });

  it('ends with read models that count what the log holds: per briefing, per topic', async () => {
    const head = log.at(-1)!.position;
    const headers = { 'X-Min-Position': String(head) };
    const briefings = [...new Set(log.filter((event) => event.type === 'BriefingOpened').map((event) => String(event.data.briefingId)))];
    expect(briefings).toHaveLength(HOT_BRIEFINGS + SPREAD_BRIEFINGS);
    for (const briefingId of briefings) {
      const response = await fetch(`${base}/api/briefings/${briefingId}`, { headers });
      expect(response.status).toBe(200);
      const transcript = (await response.json()) as { statements: { id: string }[]; questions: { id: string }[]; counts: { statements: number; questions: number } };
      const stream = log.filter((event) => event.streamId === `briefing-${briefingId}`);
      const statements = stream.filter((event) => event.type === 'StatementRecorded').map((event) => event.data.statementId);
      const questions = stream.filter((event) => event.type === 'QuestionAsked').map((event) => event.data.questionId);
      expect({ briefingId, statements: transcript.statements.map((s) => s.id), questions: transcript.questions.map((q) => q.id) }).toEqual({ briefingId, statements, questions });
      expect(transcript.counts).toMatchObject({ statements: statements.length, questions: questions.length });
    }

    const response = await fetch(`${base}/api/topics?limit=500`, { headers });
    const topics = ((await response.json()) as { items: { slug: string; mentions: number }[] }).items;
    const mentions = new Map<string, number>();
    for (const event of log) for (const topic of event.data.topics ?? []) mentions.set(topic, (mentions.get(topic) ?? 0) + 1);
    expect(Object.fromEntries(topics.map((topic) => [topic.slug, topic.mentions]))).toEqual(Object.fromEntries(mentions));
  });
});
