import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { briefingStream, type BriefingEvent } from '@archive/domain';
import { SqliteEventStore, type EventStore } from '@archive/event-store';
import { newTestEvent } from '@archive/event-store/testing';
import { ReadStoreUnavailableError, SqliteReadStore, type ReadStore, type SqlExecutor, type SqlParams } from '@archive/read-store';
import { getBriefing, listBriefings } from '../briefings/briefings.queries.js';
import { allProjections } from '../index.js';
import type { Projection, StoredBriefingEvent } from '../projection.js';
import { remarkHistory } from '../remark-history/remark-history.queries.js';
import { search } from '../search/search.queries.js';
import type { Page } from '../shared/cursor.js';
import { getSpokesperson, listSpokespersons } from '../spokespersons/spokespersons.queries.js';
import { listTopics, topicTimeline } from '../topics/topics.queries.js';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner.js';

const WAIT_MS = 10_000;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'projection-runner-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// ---- a log of briefings -------------------------------------------------------------------

const spokespersons = [
  { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch', title: 'Spokesperson' },
  { id: 'shafqat-ali-khan', name: 'Shafqat Ali Khan', title: 'Spokesperson' },
];
const topicPool = ['ttp', 'afghanistan', 'india', 'kashmir', 'refugees', 'united-states', 'china', 'trade'];

/** A uuid that names the `k`th thing of kind `kind` in briefing `n`. */
const uuid = (kind: number, n: number, k = 0): string =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${String(n * 100 + k).padStart(12, '0')}`;
const briefingIdOf = (n: number): string => uuid(0xb, n);
const statementIdOf = (n: number, k: number): string => uuid(0x5, n, k);
const answerIdOf = (n: number, k: number): string => uuid(0xa, n, k);

/** Briefing `n`: two statements, two questions with answers, then sometimes a correction, a retraction, a close. */
function briefing(n: number): BriefingEvent[] {
  const briefingId = briefingIdOf(n);
  const spokesperson = spokespersons[n % 2]!;
  // Days do not follow the order briefings are recorded in, and some fall on the same day.
  const heldOn = new Date(Date.UTC(2024, 0, 1) + ((n * 37) % 45) * 86_400_000).toISOString().slice(0, 10);
  const topic = (k: number): string => topicPool[(n + k) % topicPool.length]!;
  const events: BriefingEvent[] = [
    { type: 'BriefingOpened', data: { briefingId, heldOn, location: 'Islamabad', organization: 'Ministry of Foreign Affairs', spokesperson } },
  ];
  for (const k of [1, 2]) {
    events.push({
      type: 'StatementRecorded',
      data: {
        briefingId,
        statementId: statementIdOf(n, k),
        speakerId: k === 2 && n % 5 === 0 ? 'ayesha-khan' : spokesperson.id,
        text: `Statement ${k} of briefing ${n} on ${topic(k)}.`,
        topics: [topic(k)],
        verbatim: k === 1,
      },
    });
  }
  for (const k of [1, 2]) {
    const questionId = uuid(0x9, n, k);
    events.push({ type: 'QuestionAsked', data: { briefingId, questionId, text: `Question ${k} on ${topic(k + 2)}?`, topics: [topic(k + 2)] } });
    events.push({
      type: 'AnswerGiven',
      data: {
        briefingId,
        questionId,
        answerId: answerIdOf(n, k),
        speakerId: spokesperson.id,
        text: `Answer ${k} about ${topic(k + 2)} and ${topic(k + 3)}.`,
        topics: [topic(k + 2), topic(k + 3)],
      },
    });
  }
  if (n % 2 === 0) {
    events.push({
      type: 'RemarkCorrected',
      data: {
        briefingId,
        remarkId: statementIdOf(n, 1),
        version: 2,
        text: `Corrected statement of briefing ${n} on ${topic(5)}.`,
        reason: 'Transcription error',
        topics: [topic(5), topic(1)],
      },
    });
  }
  if (n % 3 === 0) events.push({ type: 'RemarkRetracted', data: { briefingId, remarkId: answerIdOf(n, 2), reason: 'Wrong briefing' } });
  if (n % 4 !== 3) events.push({ type: 'BriefingClosed', data: { briefingId } });
  return events;
}

function toNew(event: BriefingEvent) {
  return newTestEvent({ type: event.type, data: event.data, recordedAt: '2024-03-01T10:00:00.000Z' });
}

/** Appends the events to their briefing's stream, in one append; answers the position of the last. */
async function append(store: EventStore, events: readonly BriefingEvent[]): Promise<number> {
  const streamId = briefingStream(events[0]!.data.briefingId);
  return (await store.appendToStream(streamId, events.map(toNew), 'any')).position;
}

async function appendBriefings(store: EventStore, from: number, to: number): Promise<number> {
  let position = 0;
  for (let n = from; n < to; n++) position = await append(store, briefing(n));
  return position;
}

// ---- what the read models answer ----------------------------------------------------------

async function allPages<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Every query over every read model, so two stores fed the same log can be compared whole. */
async function readModels(db: SqlExecutor): Promise<unknown> {
  const briefings = await allPages((cursor) => listBriefings(db, { limit: 7, cursor }));
  const topics = await allPages((cursor) => listTopics(db, { limit: 3, cursor }));
  const speakers = await allPages((cursor) => listSpokespersons(db, { limit: 2, cursor }));
  // Briefings are numbered from 0 in every log these tests build.
  const remarkIds = briefings.flatMap((_, n) => [statementIdOf(n, 1), statementIdOf(n, 2), answerIdOf(n, 1), answerIdOf(n, 2)]);
  const each = async <T, R>(values: readonly T[], read: (value: T) => Promise<R>): Promise<R[]> => {
    const results: R[] = [];
    for (const value of values) results.push(await read(value));
    return results;
  };
  return {
    briefings,
    transcripts: await each(briefings, (b) => getBriefing(db, b.briefingId)),
    topics,
    timelines: await each(topics, (t) => allPages((cursor) => topicTimeline(db, t.slug, { limit: 5, cursor }))),
    speakers,
    profiles: await each(speakers, (s) => getSpokesperson(db, s.id, { limit: 500 })),
    histories: await each(remarkIds, (id) => remarkHistory(db, id)),
    searches: await each(['statement', 'corrected kashmir', 'answer india', 'briefing 7'], (q) => search(db, q, { limit: 500 })),
  };
}

interface CheckpointRow {
  name: string;
  position: number;
  status: string;
  error: string | null;
  error_position: number | null;
}

const checkpoints = (db: SqlExecutor): Promise<CheckpointRow[]> =>
  db.all<CheckpointRow>('SELECT name, position, status, error, error_position FROM projection_checkpoints ORDER BY name');

/** Wraps projections so each records the positions of the events it was given. */
function counting(projections: readonly Projection[]): { projections: Projection[]; applied: Map<string, number[]> } {
  const applied = new Map<string, number[]>();
  return {
    applied,
    projections: projections.map((projection): Projection => {
      const positions: number[] = [];
      applied.set(projection.name, positions);
      return {
        ...projection,
        apply: async (event, tx) => {
          positions.push(event.position);
          await projection.apply(event, tx);
        },
      };
    }),
  };
}

/** Keeps each statement's id; throws on a statement whose text holds "unreadable". */
const fragile: Projection = {
  name: 'fragile',
  version: 1,
  handles: new Set(['StatementRecorded']),
  tables: ['fragile_statements'],
  schema: () => ['CREATE TABLE IF NOT EXISTS fragile_statements (statement_id TEXT PRIMARY KEY, position BIGINT NOT NULL)'],
  apply: async (event, tx) => {
    if (event.type !== 'StatementRecorded') return;
    if (event.data.text.includes('unreadable')) throw new Error(`cannot read statement ${event.data.statementId}`);
    await tx.run('INSERT INTO fragile_statements (statement_id, position) VALUES ($1, $2)', [event.data.statementId, event.position]);
  },
};

const fragileStatements = async (db: SqlExecutor): Promise<number[]> =>
  (await db.all<{ position: number }>('SELECT position FROM fragile_statements ORDER BY position')).map((row) => Number(row.position));

/** A briefing whose second statement the fragile projection cannot read. */
function troubledBriefing(n: number): BriefingEvent[] {
  const briefingId = briefingIdOf(n);
  const statement = (k: number, text: string): BriefingEvent => ({
    type: 'StatementRecorded',
    data: { briefingId, statementId: statementIdOf(n, k), speakerId: spokespersons[0]!.id, text, topics: ['ttp'], verbatim: false },
  });
  return [
    { type: 'BriefingOpened', data: { briefingId, heldOn: '2024-02-20', location: 'Islamabad', organization: 'MOFA', spokesperson: spokespersons[0]! } },
    statement(1, 'A readable statement.'),
    statement(2, 'An unreadable statement.'),
    statement(3, 'Another readable statement.'),
  ];
}

/** A read store whose transactions cannot record a projection's failure, as when the disk is full. */
class FailureNotRecorded implements ReadStore {
  readonly dialect: ReadStore['dialect'];

  constructor(private readonly inner: ReadStore) {
    this.dialect = inner.dialect;
  }

  run(sql: string, params?: SqlParams): Promise<number> {
    return this.inner.run(sql, params);
  }

  all<Row>(sql: string, params?: SqlParams): Promise<Row[]> {
    return this.inner.all<Row>(sql, params);
  }

  get<Row>(sql: string, params?: SqlParams): Promise<Row | undefined> {
    return this.inner.get<Row>(sql, params);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) =>
      work({
        dialect: tx.dialect,
        run: (sql, params) => (sql.includes("status = 'failed'") ? Promise.reject(new Error('disk full')) : tx.run(sql, params)),
        all: (sql, params) => tx.all(sql, params),
        get: (sql, params) => tx.get(sql, params),
      }),
    );
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * A read store that goes away: `down`, every transaction fails before it begins, as when the
 * server cannot be reached; `losing`, each commits and then fails all the same, as when the
 * connection drops before the commit's answer arrives.
 */
class Unreachable implements ReadStore {
  readonly dialect: ReadStore['dialect'];
  mode: 'up' | 'down' | 'losing' = 'up';
  refused = 0;

  constructor(private readonly inner: ReadStore) {
    this.dialect = inner.dialect;
  }

  run(sql: string, params?: SqlParams): Promise<number> {
    return this.mode === 'down' ? this.refuse() : this.inner.run(sql, params);
  }

  all<Row>(sql: string, params?: SqlParams): Promise<Row[]> {
    return this.mode === 'down' ? this.refuse() : this.inner.all<Row>(sql, params);
  }

  get<Row>(sql: string, params?: SqlParams): Promise<Row | undefined> {
    return this.mode === 'down' ? this.refuse() : this.inner.get<Row>(sql, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.mode === 'down') return this.refuse();
    const value = await this.inner.transaction(work);
    if (this.mode === 'losing') return this.refuse();
    return value;
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private refuse(): Promise<never> {
    this.refused++;
    return Promise.reject(new ReadStoreUnavailableError('read store unavailable: connection refused'));
  }
}

/** Counts the events it is given, by adding one each time: an event applied twice shows. */
const tally: Projection = {
  name: 'tally',
  version: 1,
  handles: new Set(['BriefingOpened', 'StatementRecorded', 'QuestionAsked', 'AnswerGiven', 'RemarkCorrected', 'RemarkRetracted', 'BriefingClosed']),
  tables: ['tally'],
  schema: () => ['CREATE TABLE IF NOT EXISTS tally (id INTEGER PRIMARY KEY, events BIGINT NOT NULL)'],
  apply: async (_event, tx) => {
    await tx.run('INSERT INTO tally (id, events) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET events = tally.events + 1');
  },
};

const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

// ---- the runner ---------------------------------------------------------------------------

describe('ProjectionRunner (SQLite event store and read store)', () => {
  const runners: ProjectionRunner[] = [];
  const closables: { close(): Promise<void> }[] = [];

  const files = () => ({ events: join(dir, `${randomUUID()}.events.sqlite`), reads: join(dir, `${randomUUID()}.reads.sqlite`) });

  const openStores = (paths = files()) => {
    const events = new SqliteEventStore({ filename: paths.events });
    const reads = new SqliteReadStore({ filename: paths.reads });
    closables.push(reads, events);
    return { events, reads, paths };
  };

  const startRunner = async (
    events: EventStore,
    reads: ReadStore,
    projections: readonly Projection[] = allProjections,
    options: ProjectionRunnerOptions = {},
  ): Promise<ProjectionRunner> => {
    const runner = new ProjectionRunner(events, reads, projections, options);
    runners.push(runner);
    await runner.start();
    return runner;
  };

  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    for (const store of closables.splice(0)) await store.close();
  });

  it('catches up the stored log, then follows live appends', async () => {
    const { events, reads } = openStores();
    const head = await appendBriefings(events, 0, 4);
    const runner = await startRunner(events, reads, allProjections, { batchSize: 7 });

    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);
    expect(runner.position).toBe(head);
    expect(runner.states()).toEqual(
      allProjections.map((projection) => ({
        name: projection.name,
        version: projection.version,
        position: head,
        status: 'live',
        error: null,
        errorPosition: null,
      })),
    );
    expect((await listBriefings(reads, { limit: 50 })).items).toHaveLength(4);

    // Waiting before the event exists: resolved when it has been applied.
    const [opened, ...rest] = briefing(4);
    const reached = runner.waitFor(head + 1, WAIT_MS);
    const openedAt = await append(events, [opened!]);
    expect(openedAt).toBe(head + 1);
    expect(await reached).toBe(true);
    expect(await getBriefing(reads, briefingIdOf(4))).toMatchObject({ status: 'open', statements: [], questions: [] });

    const last = await append(events, rest);
    expect(await runner.waitFor(last, WAIT_MS)).toBe(true);
    expect(await getBriefing(reads, briefingIdOf(4))).toMatchObject({
      status: 'closed',
      counts: { statements: 2, questions: 2, answers: 2, corrections: 1, retractions: 0 },
    });
    expect((await checkpoints(reads)).map((row) => [row.name, Number(row.position), row.status])).toEqual(
      allProjections.map((projection) => [projection.name, last, 'live']).sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  });

  it('commits the live events that arrive within flushIntervalMs of the last commit in one transaction', async () => {
    const { events, reads } = openStores();
    const head = await appendBriefings(events, 0, 1);
    const runner = await startRunner(events, reads, allProjections, { flushIntervalMs: 2000 });
    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);

    const transaction = jest.spyOn(reads, 'transaction');
    // One command's worth at a time: each append is a commit of its own in the log.
    const live = briefing(1);
    let last = 0;
    for (const event of live) last = await append(events, [event]);
    expect(await runner.waitFor(last, WAIT_MS)).toBe(true);
    // One append per event, and a transaction or two (should the appends outlast the interval), not one per event.
    expect(live.length).toBeGreaterThan(5);
    expect(transaction.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(transaction.mock.calls.length).toBeLessThanOrEqual(2);
    expect(await getBriefing(reads, briefingIdOf(1))).toMatchObject({ counts: { statements: 2, questions: 2, answers: 2 } });
  });

  it('answers waitFor true at once for a position reached, false when one is not reached in time or the runner stops', async () => {
    const { events, reads } = openStores();
    const head = await appendBriefings(events, 0, 2);
    const runner = await startRunner(events, reads);
    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);

    expect(await runner.waitFor(0, 0)).toBe(true);
    expect(await runner.waitFor(head, 0)).toBe(true);
    expect(await runner.waitFor(head + 1, 50)).toBe(false);

    const pending = runner.waitFor(head + 1, WAIT_MS);
    await runner.stop();
    expect(await pending).toBe(false);
  });

  it('keeps its checkpoints: a new runner on the same files resumes where the last stopped and applies nothing twice', async () => {
    const first = openStores();
    const head = await appendBriefings(first.events, 0, 3);
    const runner = await startRunner(first.events, first.reads, allProjections, { batchSize: 5 });
    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);
    const before = await readModels(first.reads);
    await runner.stop();
    await first.reads.close();
    await first.events.close();

    const second = openStores(first.paths);
    const { projections, applied } = counting(allProjections);
    const resumed = await startRunner(second.events, second.reads, projections, { batchSize: 5 });
    expect(resumed.position).toBe(head);
    expect(await resumed.waitFor(head, WAIT_MS)).toBe(true);
    expect([...applied.values()].flat()).toEqual([]);
    expect(await readModels(second.reads)).toEqual(before);

    const last = await appendBriefings(second.events, 3, 5);
    expect(await resumed.waitFor(last, WAIT_MS)).toBe(true);
    const appended = (await second.events.readAll({ after: head })).map((event) => event.position);
    // Each projection was given each new event it handles, once, and no event from before.
    expect(applied.get('briefings')).toEqual(appended);
    for (const positions of applied.values()) {
      expect(positions.every((position) => position > head)).toBe(true);
      expect(new Set(positions).size).toBe(positions.length);
    }

    // The same read models as one runner that applied the whole log from the start.
    const fresh = openStores();
    const whole = await startRunner(second.events, fresh.reads);
    expect(await whole.waitFor(last, WAIT_MS)).toBe(true);
    expect(await readModels(second.reads)).toEqual(await readModels(fresh.reads));
    expect((await listBriefings(second.reads, { limit: 50 })).items.find((b) => b.briefingId === briefingIdOf(0))?.counts).toEqual({
      statements: 2,
      questions: 2,
      answers: 2,
      corrections: 1,
      retractions: 1,
    });
  });

  it('stops a projection that throws, alone, recording the error and the event; the others go on', async () => {
    const { events, reads, paths } = openStores();
    const errors: { message: string; context?: object }[] = [];
    const logger = { error: (message: string, context?: object) => errors.push({ message, context }) };
    await appendBriefings(events, 0, 1);
    const bad = (await append(events, troubledBriefing(1))) - 1;
    const head = await appendBriefings(events, 2, 3);
    const runner = await startRunner(events, reads, [fragile, ...allProjections], { batchSize: 5, logger });

    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);
    expect(runner.position).toBe(head);
    const [fragileState, ...others] = runner.states();
    expect(fragileState).toEqual({
      name: 'fragile',
      version: 1,
      position: bad - 1,
      status: 'failed',
      error: `cannot read statement ${statementIdOf(1, 2)}`,
      errorPosition: bad,
    });
    for (const state of others) expect(state).toMatchObject({ position: head, status: 'live', error: null });
    expect(errors).toContainEqual({
      message: 'projection failed',
      context: expect.objectContaining({ projection: 'fragile', position: bad }),
    });

    // What it applied before the failing event stays; nothing after it is applied, even later.
    const statementsBefore = (await events.readAll({ limit: 1000 }))
      .filter((event) => event.type === 'StatementRecorded' && event.position < bad)
      .map((event) => event.position);
    expect(await fragileStatements(reads)).toEqual(statementsBefore);
    const later = await appendBriefings(events, 3, 4);
    expect(await runner.waitFor(later, WAIT_MS)).toBe(true);
    expect(await fragileStatements(reads)).toEqual(statementsBefore);
    expect(await getBriefing(reads, briefingIdOf(1))).toMatchObject({ counts: { statements: 3 } });

    // The failure is kept with the checkpoint: a new runner leaves the projection stopped.
    expect((await checkpoints(reads)).find((row) => row.name === 'fragile')).toEqual({
      name: 'fragile',
      position: bad - 1,
      status: 'failed',
      error: `cannot read statement ${statementIdOf(1, 2)}`,
      error_position: bad,
    });
    await runner.stop();
    await reads.close();
    await events.close();

    const reopened = openStores(paths);
    const restarted = await startRunner(reopened.events, reopened.reads, [fragile, ...allProjections]);
    expect(restarted.states()[0]).toMatchObject({ status: 'failed', position: bad - 1, errorPosition: bad });
    const last = await appendBriefings(reopened.events, 4, 5);
    expect(await restarted.waitFor(last, WAIT_MS)).toBe(true);
    expect(await fragileStatements(reopened.reads)).toEqual(statementsBefore);
    expect((await listBriefings(reopened.reads, { limit: 50 })).items).toHaveLength(5);
  });

  it('tells a query that waits for a position a failed projection stopped before: false, as soon as it fails', async () => {
    const { events, reads } = openStores();
    await appendBriefings(events, 0, 1);
    const bad = (await append(events, troubledBriefing(1))) - 1;
    const head = await appendBriefings(events, 2, 3);
    const runner = new ProjectionRunner(events, reads, [fragile, ...allProjections], { batchSize: 5 });
    runners.push(runner);
    // Asked before the runner starts, with a wait longer than the test's own timeout: only the failure answers it.
    const waiting = runner.waitForQueries(head, 600_000);
    await runner.start();
    expect(await waiting).toBe(false);
    expect(runner.states()[0]).toMatchObject({ name: 'fragile', status: 'failed', position: bad - 1 });
    // The live projections got there; what they alone answer, and what came before the failure, still can.
    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);
    expect(await runner.waitForQueries(bad - 1, WAIT_MS)).toBe(true);
    expect(await runner.waitForQueries(bad, WAIT_MS)).toBe(false);
  });

  it('never skips an event for any projection when a failure cannot be recorded', async () => {
    const { events, reads, paths } = openStores();
    const errors: string[] = [];
    await appendBriefings(events, 0, 1);
    const bad = (await append(events, troubledBriefing(1))) - 1;
    const head = await appendBriefings(events, 2, 4);
    const { projections, applied } = counting([fragile, ...allProjections]);
    const runner = await startRunner(events, new FailureNotRecorded(reads), projections, {
      batchSize: 5,
      logger: { error: (message) => errors.push(message) },
    });

    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);
    expect(runner.states()[0]).toMatchObject({ name: 'fragile', status: 'failed', errorPosition: bad });
    // The projections after it in the list were given every event.
    const all = (await events.readAll({ limit: 1000 })).map((event) => event.position);
    expect(new Set(applied.get('briefings'))).toEqual(new Set(all));
    expect((await listBriefings(reads, { limit: 50 })).items).toHaveLength(4);
    const statementsBefore = (await events.readAll({ limit: 1000 }))
      .filter((event) => event.type === 'StatementRecorded' && event.position < bad)
      .map((event) => event.position);
    expect(await fragileStatements(reads)).toEqual(statementsBefore);
    expect(errors).toContain('projection failed');
    await runner.stop();
    await reads.close();
    await events.close();

    // Its checkpoint still says where it stopped: once it can read the event, nothing is missing.
    const reopened = openStores(paths);
    const readable = (event: StoredBriefingEvent): StoredBriefingEvent =>
      event.type === 'StatementRecorded' ? { ...event, data: { ...event.data, text: 'readable now' } } : event;
    const healed: Projection = { ...fragile, apply: (event, tx) => fragile.apply(readable(event), tx) };
    const restarted = await startRunner(reopened.events, reopened.reads, [healed, ...allProjections]);
    expect(await restarted.waitFor(head, WAIT_MS)).toBe(true);
    expect(restarted.states()[0]).toMatchObject({ status: 'live', position: head });
    const statements = (await reopened.events.readAll({ limit: 1000 }))
      .filter((event) => event.type === 'StatementRecorded')
      .map((event) => event.position);
    expect(await fragileStatements(reopened.reads)).toEqual(statements);
  });

  it('waits out a read store that cannot be reached, even one that lost the answers to its commits: no projection fails, none applies an event twice', async () => {
    const { events, reads } = openStores();
    const unreachable = new Unreachable(reads);
    const warnings: string[] = [];
    const errors: string[] = [];
    const { projections, applied } = counting([tally, ...allProjections]);
    const runner = await startRunner(events, unreachable, projections, {
      batchSize: 5,
      logger: { error: (message) => errors.push(message), warn: (message) => warnings.push(message) },
    });
    expect(await runner.waitFor(await appendBriefings(events, 0, 3), WAIT_MS)).toBe(true);

    // Commits land, but the runner is told they failed; then the store is gone altogether.
    unreachable.mode = 'losing';
    await appendBriefings(events, 3, 6);
    await until(() => unreachable.refused >= 3, 'commits have been lost');
    unreachable.mode = 'down';
    const head = await appendBriefings(events, 6, 10);
    const refused = unreachable.refused;
    await until(() => unreachable.refused >= refused + 3, 'the runner has tried again while the store was down');
    expect(runner.position).toBeLessThan(head);
    unreachable.mode = 'up';

    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);
    expect(runner.states().filter((state) => state.status !== 'live')).toEqual([]);
    expect(errors).toEqual([]);
    expect(warnings).toContain('the read store is unavailable; the projections wait for it and try again');
    // Each event reached the read models once, whatever a projection was handed again: they equal a fold on a store that never failed.
    const clean = openStores();
    expect(await (await startRunner(events, clean.reads)).waitFor(head, WAIT_MS)).toBe(true);
    expect(await readModels(reads)).toEqual(await readModels(clean.reads));
    expect(await checkpoints(reads)).toEqual([{ name: 'tally', position: head, status: 'live', error: null, error_position: null }, ...(await checkpoints(clean.reads))].sort((a, b) => a.name.localeCompare(b.name)));
    const logged = (await events.readAll({ limit: 1000 })).length;
    expect(await reads.get('SELECT events FROM tally')).toEqual({ events: logged });
    expect(new Set(applied.get('briefings'))).toEqual(new Set((await events.readAll({ limit: 1000 })).map((event) => event.position)));
  });

  it('builds the same read models whatever the batch size', async () => {
    const { events } = openStores();
    await appendBriefings(events, 0, 12);
    const small = openStores();
    const large = openStores();
    const bySmallBatches = await startRunner(events, small.reads, allProjections, { batchSize: 3 });
    const byLargeBatches = await startRunner(events, large.reads, allProjections, { batchSize: 1000 });
    // Half the log is there before they start, half arrives while they run.
    const head = await appendBriefings(events, 12, 24);

    expect(await bySmallBatches.waitFor(head, WAIT_MS)).toBe(true);
    expect(await byLargeBatches.waitFor(head, WAIT_MS)).toBe(true);
    const models = await readModels(small.reads);
    expect(models).toEqual(await readModels(large.reads));
    expect((models as { briefings: unknown[] }).briefings).toHaveLength(24);
  });
});
