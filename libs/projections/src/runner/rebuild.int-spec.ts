import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { briefingStream, type BriefingEvent, type BriefingEventType } from '@archive/domain';
import { SqliteEventStore, type EventStore } from '@archive/event-store';
import { newTestEvent } from '@archive/event-store/testing';
import { isMissingTable, PostgresReadStore, SqliteReadStore, type ReadStore } from '@archive/read-store';
import { listBriefings } from '../briefings/briefings.queries.js';
import { allProjections } from '../index.js';
import type { Projection } from '../projection.js';
import { listTopics } from '../topics/topics.queries.js';
import { liveGeneration, projectionChecksum } from './generations.js';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner.js';
import { latestRebuild } from './rebuilds.js';

const WAIT_MS = 20_000;
const connectionString = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'projection-rebuild-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spokesperson = { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch', title: 'Spokesperson' };
const topicPool = ['ttp', 'afghanistan', 'india', 'kashmir', 'china'];
const id = (kind: number, n: number, k = 0) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${String(n * 100 + k).padStart(12, '0')}`;

/** Briefing `n`: two statements (one corrected on even n), a question with its answer, closed on most n. */
function briefing(n: number, statementText = (k: number) => `Statement ${k} of briefing ${n}.`): BriefingEvent[] {
  const briefingId = id(0xb, n);
  const topic = (k: number) => topicPool[(n + k) % topicPool.length]!;
  const heldOn = new Date(Date.UTC(2024, 0, 1) + ((n * 7) % 30) * 86_400_000).toISOString().slice(0, 10);
  const events: BriefingEvent[] = [
    { type: 'BriefingOpened', data: { briefingId, heldOn, location: 'Islamabad', organization: 'Ministry of Foreign Affairs', spokesperson } },
    ...[1, 2].map(
      (k): BriefingEvent => ({
        type: 'StatementRecorded',
        data: { briefingId, statementId: id(5, n, k), speakerId: spokesperson.id, text: statementText(k), topics: [topic(k)], verbatim: k === 1 },
      }),
    ),
    { type: 'QuestionAsked', data: { briefingId, questionId: id(9, n), text: `Question on ${topic(3)}?`, topics: [topic(3)] } },
    {
      type: 'AnswerGiven',
      data: { briefingId, questionId: id(9, n), answerId: id(0xa, n), speakerId: spokesperson.id, text: `Answer ${n}.`, topics: [topic(3), topic(4)] },
    },
  ];
  if (n % 2 === 0) {
    events.push({
      type: 'RemarkCorrected',
      data: { briefingId, remarkId: id(5, n, 1), version: 2, text: `Corrected ${n}.`, reason: 'Typo', topics: [topic(4)] },
    });
  }
  if (n % 3 !== 2) events.push({ type: 'BriefingClosed', data: { briefingId } });
  return events;
}

async function append(store: EventStore, events: readonly BriefingEvent[]): Promise<number> {
  const streamId = briefingStream(events[0]!.data.briefingId);
  const stored = events.map((event) => newTestEvent({ type: event.type, data: event.data, recordedAt: '2024-03-01T10:00:00.000Z' }));
  return (await store.appendToStream(streamId, stored, 'any')).position;
}

async function appendBriefings(store: EventStore, from: number, to: number): Promise<number> {
  let position = 0;
  for (let n = from; n < to; n++) position = await append(store, briefing(n));
  return position;
}

/** A projection that cannot read a statement saying "poison" until told it can. */
function poisonable(): { projection: Projection; heal(): void } {
  let healed = false;
  const projection: Projection = {
    name: 'poisonable',
    version: 1,
    handles: new Set<BriefingEventType>(['StatementRecorded']),
    tables: ['poisonable_statements'],
    schema: () => ['CREATE TABLE IF NOT EXISTS {poisonable_statements} (statement_id TEXT PRIMARY KEY, text TEXT NOT NULL, position BIGINT NOT NULL)'],
    apply: async (event, tx) => {
      if (event.type !== 'StatementRecorded') return;
      if (!healed && event.data.text.includes('poison')) throw new Error(`cannot read statement ${event.data.statementId}`);
      await tx.run('INSERT INTO {poisonable_statements} (statement_id, text, position) VALUES ($1, $2, $3)', [
        event.data.statementId,
        event.data.text,
        event.position,
      ]);
    },
  };
  return { projection, heal: () => (healed = true) };
}

async function checksums(reads: ReadStore, projections: readonly Projection[]): Promise<Record<string, { position: number; checksum: string }>> {
  const result: Record<string, { position: number; checksum: string }> = {};
  for (const projection of projections) {
    const { position, checksum } = await projectionChecksum(reads, projection);
    result[projection.name] = { position, checksum };
  }
  return result;
}

interface Dialect {
  readonly name: string;
  openReads(): ReadStore;
  /** The same store again, as after a restart. */
  reopenReads(store: ReadStore): ReadStore;
  dispose(store: ReadStore): Promise<void>;
}

const files = new WeakMap<ReadStore, string>();
const sqlite: Dialect = {
  name: 'SQLite',
  openReads: () => {
    const filename = join(dir, `${randomUUID()}.reads.sqlite`);
    const store = new SqliteReadStore({ filename });
    files.set(store, filename);
    return store;
  },
  reopenReads: (store) => {
    const again = new SqliteReadStore({ filename: files.get(store)! });
    files.set(again, files.get(store)!);
    return again;
  },
  dispose: (store) => store.close(),
};

const schemas = new WeakMap<ReadStore, string>();
const postgres: Dialect = {
  name: 'PostgreSQL',
  openReads: () => {
    const schema = `rb_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const store = new PostgresReadStore({ connectionString, schema, poolSize: 4 });
    schemas.set(store, schema);
    return store;
  },
  reopenReads: (store) => {
    const schema = schemas.get(store)!;
    const again = new PostgresReadStore({ connectionString, schema, poolSize: 4 });
    schemas.set(again, schema);
    return again;
  },
  dispose: async (store) => {
    await (store as PostgresReadStore).dropSchema().catch(() => undefined);
    await store.close().catch(() => undefined);
  },
};

describe.each([sqlite, postgres])('projection rebuild ($name read store)', (dialect: Dialect) => {
  const runners: ProjectionRunner[] = [];
  const reads: ReadStore[] = [];
  const events: EventStore[] = [];

  const openEvents = () => {
    const store = new SqliteEventStore({ filename: join(dir, `${randomUUID()}.events.sqlite`) });
    events.push(store);
    return store;
  };
  const track = (store: ReadStore) => {
    reads.push(store);
    return store;
  };
  const startRunner = async (log: EventStore, store: ReadStore, projections: readonly Projection[], options: ProjectionRunnerOptions = {}) => {
    const runner = new ProjectionRunner(log, store, projections, { batchSize: 4, ...options });
    runners.push(runner);
    await runner.start();
    return runner;
  };
  /** Checksums of a fresh build of the whole log into a new store. */
  const freshChecksums = async (log: EventStore, projections: readonly Projection[]) => {
    const store = track(dialect.openReads());
    const runner = await startRunner(log, store, projections, { batchSize: 50 });
    expect(await runner.waitFor(await log.headPosition(), WAIT_MS)).toBe(true);
    return checksums(store, projections);
  };

  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    const stores = reads.splice(0);
    // Closed ones first (a second close is harmless), then the schemas of those still open are dropped.
    for (const store of stores.reverse()) await dialect.dispose(store).catch(() => undefined);
    for (const store of events.splice(0)) await store.close();
  });

  it('rebuilds into new tables while the live ones answer and new events arrive, then swaps to the same content as a fresh build', async () => {
    const log = openEvents();
    await appendBriefings(log, 0, 10);
    const store = track(dialect.openReads());
    let appended = 10;
    const answered: number[] = [];
    const runner = await startRunner(log, store, allProjections, {
      // While the shadow is being built, commands keep coming and the live model keeps answering.
      onRebuildBatch: async () => {
        if (appended < 16) await appendBriefings(log, appended, ++appended);
        answered.push((await listBriefings(store, { limit: 100 })).items.length);
        expect((await listTopics(store, { limit: 100 })).items.length).toBeGreaterThan(0);
      },
    });
    expect(await runner.waitFor(await log.headPosition(), WAIT_MS)).toBe(true);

    const jobs = new Map<string, string>();
    for (const projection of allProjections) jobs.set(projection.name, await runner.rebuild(projection.name));
    expect(runner.rebuilding().sort()).toEqual(allProjections.map((p) => p.name).sort());
    expect(await runner.rebuild('topics')).toBe(jobs.get('topics'));
    for (const projection of allProjections) await runner.rebuildSettled(projection.name);

    expect(answered.length).toBeGreaterThan(5);
    expect(answered.every((count) => count >= 10)).toBe(true);
    const head = await appendBriefings(log, 16, 18);
    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);
    for (const projection of allProjections) {
      expect(await liveGeneration(store, projection.name)).toBe(2);
      expect(await latestRebuild(store, projection.name)).toMatchObject({ jobId: jobs.get(projection.name), status: 'done', generation: 2 });
    }
    expect(runner.states().every((state) => state.status === 'live' && state.position === head)).toBe(true);
    expect((await listBriefings(store, { limit: 100 })).items).toHaveLength(18);

    const rebuilt = await checksums(store, allProjections);
    expect(rebuilt).toEqual(await freshChecksums(log, allProjections));
  });

  it('starts one job for two rebuilds of a projection asked at once', async () => {
    const log = openEvents();
    const head = await appendBriefings(log, 0, 6);
    const store = track(dialect.openReads());
    const runner = await startRunner(log, store, allProjections);
    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);

    const [first, second] = await Promise.all([runner.rebuild('topics'), runner.rebuild('topics')]);
    expect(second).toBe(first);
    expect(runner.rebuilding()).toEqual(['topics']);
    await runner.rebuildSettled('topics');
    expect(runner.rebuilding()).toEqual([]);
    expect(await latestRebuild(store, 'topics')).toMatchObject({ jobId: first, status: 'done', generation: 2 });
    expect(await liveGeneration(store, 'topics')).toBe(2);
  });

  /**
   * A log of 12 briefings and the projections live on it (their checksums then, `before`), then a
   * rebuild of `name` stopped half way.
   */
  const interruptedRebuild = async (projections: readonly Projection[], name: string) => {
    const log = openEvents();
    const head = await appendBriefings(log, 0, 12);
    const store = track(dialect.openReads());
    let batches = 0;
    let midway!: () => void;
    const reachedMidway = new Promise<void>((resolve) => (midway = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runner = await startRunner(log, store, projections, {
      onRebuildBatch: async () => {
        if (++batches === 3) {
          midway();
          await gate;
        }
      },
    });
    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);
    const before = await checksums(store, projections);
    const interrupted = await runner.rebuild(name);
    await reachedMidway;
    const stopped = runner.stop();
    release();
    await stopped;
    return { log, head, store, interrupted, before };
  };

  it('leaves the live model untouched when it stops mid-rebuild, and resumes the rebuild at the next start', async () => {
    const { log, head, store, before } = await interruptedRebuild(allProjections, 'briefings');

    // Stopped halfway: the job stays running, its shadow at a committed position; the live model is as it was.
    const job = await latestRebuild(store, 'briefings');
    expect(job).toMatchObject({ status: 'running', generation: 2 });
    expect(job!.position).toBeGreaterThan(0);
    expect(job!.position).toBeLessThan(head);
    expect(await liveGeneration(store, 'briefings')).toBe(1);
    expect(await checksums(store, allProjections)).toEqual(before);
    await store.close();

    const reopened = track(dialect.reopenReads(store));
    const restarted = await startRunner(log, reopened, allProjections);
    expect(restarted.rebuilding()).toEqual(['briefings']);
    await restarted.rebuildSettled('briefings');
    expect(await latestRebuild(reopened, 'briefings')).toMatchObject({ status: 'done', generation: 2, jobId: job!.jobId });
    expect(await liveGeneration(reopened, 'briefings')).toBe(2);
    expect(await checksums(reopened, allProjections)).toEqual(before);
  });

  it('rebuilds a projection whose version changed at the next start, while its old tables answer', async () => {
    const log = openEvents();
    const head = await appendBriefings(log, 0, 6);
    /** Version 1 keeps each statement's text as it is, version 2 in capitals. */
    const shouting = (version: number): Projection => ({
      name: 'shouting',
      version,
      handles: new Set<BriefingEventType>(['StatementRecorded']),
      tables: ['shouted'],
      schema: () => ['CREATE TABLE IF NOT EXISTS {shouted} (statement_id TEXT PRIMARY KEY, text TEXT NOT NULL)'],
      apply: async (event, tx) => {
        if (event.type !== 'StatementRecorded') return;
        const text = version === 1 ? event.data.text : event.data.text.toUpperCase();
        await tx.run('INSERT INTO {shouted} (statement_id, text) VALUES ($1, $2)', [event.data.statementId, text]);
      },
    });
    const texts = async (reads: ReadStore) => (await reads.all<{ text: string }>('SELECT text FROM {shouted} ORDER BY statement_id')).map((row) => row.text);
    const store = track(dialect.openReads());
    const first = await startRunner(log, store, [shouting(1)]);
    expect(await first.waitFor(head, WAIT_MS)).toBe(true);
    expect(await texts(store)).toContain('Statement 1 of briefing 0.');
    await first.stop();
    await store.close();

    const reopened = track(dialect.reopenReads(store));
    let answeredDuring: string[] = [];
    const warnings: string[] = [];
    const second = await startRunner(log, reopened, [shouting(2)], {
      onRebuildBatch: async () => {
        answeredDuring = await texts(reopened);
      },
      logger: { error: () => undefined, warn: (message) => warnings.push(message) },
    });
    expect(second.rebuilding()).toEqual(['shouting']);
    expect(warnings).toEqual(['a projection changed version; it is rebuilt from the log']);
    await second.rebuildSettled('shouting');
    // During the rebuild the old tables answered, whole.
    expect(answeredDuring).toHaveLength(12);
    expect(answeredDuring).toContain('Statement 1 of briefing 0.');
    expect(second.states()).toEqual([expect.objectContaining({ name: 'shouting', version: 2, status: 'live', position: head })]);
    expect(await liveGeneration(reopened, 'shouting')).toBe(2);
    expect(await texts(reopened)).toContain('STATEMENT 1 OF BRIEFING 0.');
    expect(await checksums(reopened, [shouting(2)])).toEqual(await freshChecksums(log, [shouting(2)]));
    await second.stop();

    // Once rebuilt, the next start has nothing to rebuild.
    const third = await startRunner(log, reopened, [shouting(2)]);
    expect(third.rebuilding()).toEqual([]);
  });

  /** Version 1 keeps statements and questions; version 2 keeps statements only, in capitals, and no longer has the questions' table. */
  const narrowing = (version: number): Projection => ({
    name: 'narrowing',
    version,
    handles: new Set<BriefingEventType>(['StatementRecorded', 'QuestionAsked']),
    tables: version === 1 ? ['narrowing_statements', 'narrowing_questions'] : ['narrowing_statements'],
    schema: () => [
      'CREATE TABLE IF NOT EXISTS {narrowing_statements} (statement_id TEXT PRIMARY KEY, text TEXT NOT NULL)',
      ...(version === 1 ? ['CREATE TABLE IF NOT EXISTS {narrowing_questions} (question_id TEXT PRIMARY KEY, text TEXT NOT NULL)'] : []),
    ],
    apply: async (event, tx) => {
      if (event.type === 'StatementRecorded') {
        const text = version === 1 ? event.data.text : event.data.text.toUpperCase();
        await tx.run('INSERT INTO {narrowing_statements} (statement_id, text) VALUES ($1, $2)', [event.data.statementId, text]);
      } else if (event.type === 'QuestionAsked' && version === 1) {
        await tx.run('INSERT INTO {narrowing_questions} (question_id, text) VALUES ($1, $2)', [event.data.questionId, event.data.text]);
      }
    },
  });
  /** Whether a table of that real name exists in the store. */
  const tableExists = async (reads: ReadStore, table: string): Promise<boolean> => {
    try {
      await reads.get(`SELECT COUNT(*) AS n FROM ${table}`);
      return true;
    } catch (error) {
      if (isMissingTable(error)) return false;
      throw error;
    }
  };

  it('drops the tables of the old version a new version no longer has, once the rebuild swaps in', async () => {
    const log = openEvents();
    const head = await appendBriefings(log, 0, 4);
    const store = track(dialect.openReads());
    const first = await startRunner(log, store, [narrowing(1)]);
    expect(await first.waitFor(head, WAIT_MS)).toBe(true);
    expect(await tableExists(store, 'narrowing_questions')).toBe(true);
    await first.stop();
    await store.close();

    const reopened = track(dialect.reopenReads(store));
    const second = await startRunner(log, reopened, [narrowing(2)], { logger: { error: () => undefined, warn: () => undefined } });
    await second.rebuildSettled('narrowing');
    expect(await liveGeneration(reopened, 'narrowing')).toBe(2);
    expect(await tableExists(reopened, 'narrowing_statements_g2')).toBe(true);
    expect(await tableExists(reopened, 'narrowing_statements')).toBe(false);
    expect(await tableExists(reopened, 'narrowing_questions')).toBe(false);
    expect(await checksums(reopened, [narrowing(2)])).toEqual(await freshChecksums(log, [narrowing(2)]));
  });

  it('drops a rebuild that an older version began and a stop interrupted, and rebuilds under the new version', async () => {
    const { log, head, store, interrupted } = await interruptedRebuild([narrowing(1)], 'narrowing');
    expect(await latestRebuild(store, 'narrowing')).toMatchObject({ jobId: interrupted, status: 'running', generation: 2 });
    await store.close();

    const reopened = track(dialect.reopenReads(store));
    const warnings: string[] = [];
    const second = await startRunner(log, reopened, [narrowing(2)], { logger: { error: () => undefined, warn: (message) => warnings.push(message) } });
    expect(warnings).toEqual(['an interrupted rebuild was begun by another version of the projection; it starts over']);
    const abandoned = await reopened.get<{ status: string; error: string }>('SELECT status, error FROM projection_rebuilds WHERE job_id = $1', [interrupted]);
    expect(abandoned).toEqual({
      status: 'failed',
      error: 'superseded: begun by version 1 of the projection, which is now version 2; a new rebuild starts',
    });
    expect(await tableExists(reopened, 'narrowing_questions_g2')).toBe(false);
    await second.rebuildSettled('narrowing');
    expect(await latestRebuild(reopened, 'narrowing')).toMatchObject({ status: 'done', generation: 3 });
    expect(await liveGeneration(reopened, 'narrowing')).toBe(3);
    for (const table of ['narrowing_statements', 'narrowing_questions', 'narrowing_statements_g2', 'narrowing_questions_g2']) {
      expect(await tableExists(reopened, table)).toBe(false);
    }
    expect(second.states()).toEqual([expect.objectContaining({ name: 'narrowing', version: 2, status: 'live', position: head })]);
    expect(await checksums(reopened, [narrowing(2)])).toEqual(await freshChecksums(log, [narrowing(2)]));
  });

  it('resumes a rebuild interrupted in a store from before builds were recorded, when the version is unchanged', async () => {
    const { log, store, interrupted } = await interruptedRebuild([narrowing(1)], 'narrowing');
    // As a store written before the registry existed.
    await store.run('DELETE FROM projection_builds');
    await store.close();

    const reopened = track(dialect.reopenReads(store));
    const second = await startRunner(log, reopened, [narrowing(1)]);
    expect(second.rebuilding()).toEqual(['narrowing']);
    await second.rebuildSettled('narrowing');
    expect(await latestRebuild(reopened, 'narrowing')).toMatchObject({ jobId: interrupted, status: 'done', generation: 2 });
    expect(await checksums(reopened, [narrowing(1)])).toEqual(await freshChecksums(log, [narrowing(1)]));
  });

  it('brings a projection that failed on a poison event back to live with a rebuild once it is fixed', async () => {
    const log = openEvents();
    await appendBriefings(log, 0, 3);
    const bad = (await append(log, briefing(3, (k) => (k === 2 ? 'a poison statement' : `Statement ${k}.`)))) - 3;
    const head = await appendBriefings(log, 4, 6);
    const { projection, heal } = poisonable();
    const projections = [projection, ...allProjections];
    const reads = track(dialect.openReads());
    const runner = await startRunner(log, reads, projections, { logger: { error: () => undefined } });
    expect(await runner.waitFor(head, WAIT_MS)).toBe(true);
    const [failed, ...others] = runner.states();
    expect(failed).toMatchObject({ name: 'poisonable', status: 'failed', errorPosition: bad, error: expect.stringContaining('cannot read') });
    for (const state of others) expect(state).toMatchObject({ status: 'live', position: head });

    // Still poisoned: the rebuild fails and the live tables stay as they were.
    const failedJob = await runner.rebuild('poisonable');
    await runner.rebuildSettled('poisonable');
    expect(await latestRebuild(reads, 'poisonable')).toMatchObject({ jobId: failedJob, status: 'failed', error: expect.stringContaining('cannot read') });
    expect(runner.states()[0]).toMatchObject({ status: 'failed', errorPosition: bad });

    heal();
    await runner.rebuild('poisonable');
    await runner.rebuildSettled('poisonable');
    expect(runner.states()[0]).toMatchObject({ status: 'live', position: head, error: null, errorPosition: null });
    const later = await appendBriefings(log, 6, 8);
    expect(await runner.waitFor(later, WAIT_MS)).toBe(true);
    expect(runner.states()[0]).toMatchObject({ status: 'live', position: later });
    const rows = await reads.all<{ n: number }>('SELECT COUNT(*) AS n FROM {poisonable_statements}');
    expect(Number(rows[0]!.n)).toBe(16);
    expect(await checksums(reads, [projection])).toEqual(await freshChecksums(log, [projection]));
  });
});

describe('checksums across read stores', () => {
  it('are the same on SQLite and PostgreSQL for the same log', async () => {
    const log = new SqliteEventStore({ filename: join(dir, `${randomUUID()}.events.sqlite`) });
    const head = await appendBriefings(log, 0, 8);
    const results = [];
    for (const dialect of [sqlite, postgres]) {
      const store = dialect.openReads();
      const runner = new ProjectionRunner(log, store, allProjections, { batchSize: 3 });
      try {
        await runner.start();
        expect(await runner.waitFor(head, WAIT_MS)).toBe(true);
        results.push(await checksums(store, allProjections));
      } finally {
        await runner.stop();
        await dialect.dispose(store);
      }
    }
    await log.close();
    expect(results[0]).toEqual(results[1]);
    expect(Object.values(results[0]!).every((entry) => /^[0-9a-f]{64}$/.test(entry.checksum) && entry.position === head)).toBe(true);
  });
});
