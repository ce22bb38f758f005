import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  allProjections,
  applyBatch,
  checksumTables,
  encodeCursor,
  getBriefing,
  getSpokesperson,
  getTopic,
  InvalidCursorError,
  listBriefings,
  listSpokespersons,
  listTopics,
  remarkHistory,
  search,
  speakerTopicHistory,
  topicTimeline,
  type BriefingFilter,
  type Page,
  type Projection,
  type StoredBriefingEvent,
  wordDiff,
} from '@archive/projections';
import type { ReadStore, SqlExecutor } from '../read-store.port.js';
import { archiveScenario, askers, ayeshaKhan, ids, mumtaz, mumtazLaterTitle, reasons, shafqat, texts } from './archive-scenario.js';
import { randomLog, randomLogTopics, randomNumbers } from './random-log.js';
import type { BriefingLog } from './briefing-log.js';

export interface ReadStoreUnderTest {
  readonly store: ReadStore;
  dispose(): Promise<void>;
}

/** Creates the projections' tables, then applies each event to every projection, one transaction (and batch) per event. */
export async function project(
  store: ReadStore,
  events: readonly StoredBriefingEvent[],
  projections: readonly Projection[] = allProjections,
): Promise<void> {
  for (const projection of projections) {
    for (const statement of projection.schema(store.dialect)) await store.run(statement);
  }
  for (const event of events) {
    await store.transaction(async (tx) => {
      for (const projection of projections) await applyBatch(projection, [event], tx);
    });
  }
}

/** Every item of a paged query, following `nextCursor` to the end. */
async function allPages<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await fetch(cursor);
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error('paging never ended');
}

async function each<T, R>(values: readonly T[], read: (value: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const value of values) results.push(await read(value));
  return results;
}

const topicSlugs = ['ttp', 'afghanistan', 'refugees', 'repatriation', 'terrorism', 'united-states', 'sanctuaries'];
const speakerIds = [mumtaz.id, shafqat.id, ayeshaKhan];
const briefingIds = [ids.b1, ids.b2, ids.b3, ids.b4];

/** What every query answers for the scenario: two stores fed the same log must answer the same. */
async function readModels(db: SqlExecutor): Promise<unknown> {
  return {
    briefings: await listBriefings(db, { limit: 500 }),
    briefingsByTopic: await each(topicSlugs, (topic) => listBriefings(db, { topic, limit: 500 })),
    transcripts: await each(briefingIds, (id) => getBriefing(db, id)),
    topics: await listTopics(db, { limit: 500 }),
    timelines: await each(topicSlugs, (slug) => topicTimeline(db, slug, { limit: 500 })),
    spokespersons: await listSpokespersons(db, { limit: 500 }),
    profiles: await each(speakerIds, (id) => getSpokesperson(db, id, { limit: 500 })),
    histories: await each(Object.values(ids), (id) => remarkHistory(db, id)),
    searches: await each(['pakistan', 'ttp', 'plan', 'afghan', 'unhcr', 'evidence'], (q) => search(db, q, { limit: 500 })),
  };
}

/** The event that recorded a statement, question or answer. */
function recordedEvent(log: BriefingLog, itemId: string): StoredBriefingEvent {
  return log.find(
    (event) =>
      (event.type === 'StatementRecorded' && event.data.statementId === itemId) ||
      (event.type === 'QuestionAsked' && event.data.questionId === itemId) ||
      (event.type === 'AnswerGiven' && event.data.answerId === itemId),
  );
}

function amendingEvent(log: BriefingLog, type: 'RemarkCorrected' | 'RemarkRetracted', remarkId: string): StoredBriefingEvent {
  return log.find((event) => event.type === type && event.data.remarkId === remarkId);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail, but it succeeded');
    },
    (error: unknown) => error,
  );
}

const ROWS_TABLE = `CREATE TABLE IF NOT EXISTS contract_rows (
  id TEXT PRIMARY KEY,
  n INTEGER NOT NULL,
  big BIGINT,
  note TEXT
)`;

interface ContractRow {
  id: string;
  n: number;
  big: number | string | null;
  note: string | null;
}

/**
 * The behaviour every ReadStore adapter must show: the SQL port itself (parameters, changed-row
 * counts, transactions that commit or roll back whole and never interleave, reads that see only
 * committed data) and every read model of the archive built through it from a realistic log.
 * Only the SQL that SQLite and PostgreSQL share is used. `create` must answer an empty store
 * each time it is called; the suite calls it once per test, and a few tests more than once.
 */
export function readStoreContract(name: string, create: () => Promise<ReadStoreUnderTest>): void {
  describe(`${name} read store contract`, () => {
    let store: ReadStore;
    const opened: ReadStoreUnderTest[] = [];
    const open = async (): Promise<ReadStore> => {
      const created = await create();
      opened.push(created);
      return created.store;
    };

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      for (const created of opened.splice(0)) await created.dispose();
    });

    describe('the SQL port', () => {
      const storedIds = async (): Promise<string[]> =>
        (await store.all<{ id: string }>('SELECT id FROM contract_rows ORDER BY id')).map((row) => row.id);
      const insert = (tx: SqlExecutor, id: string, n = 1): Promise<number> =>
        tx.run('INSERT INTO contract_rows (id, n) VALUES ($1, $2)', [id, n]);

      beforeEach(async () => {
        await store.run(ROWS_TABLE);
      });

      it('answers a ping and names its dialect', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        expect(['sqlite', 'postgres']).toContain(store.dialect);
      });

      it('binds $n parameters by number, whatever their order and however often each is used', async () => {
        expect(await store.run('INSERT INTO contract_rows (id, n, big, note) VALUES ($3, $1, $2, $3)', [7, 9_000_000_000, 'r1'])).toBe(1);
        expect(await store.run('INSERT INTO contract_rows (note, id, n) VALUES ($2, $1, $3)', ['r2', null, 8])).toBe(1);

        const row = await store.get<ContractRow>('SELECT id, n, big, note FROM contract_rows WHERE note = $2 AND id = $2 AND n = $1', [7, 'r1']);
        expect(row && { ...row, big: Number(row.big) }).toEqual({ id: 'r1', n: 7, big: 9_000_000_000, note: 'r1' });
        expect(await store.get<ContractRow>('SELECT id, n, big, note FROM contract_rows WHERE id = $1', ['r2'])).toEqual({
          id: 'r2',
          n: 8,
          big: null,
          note: null,
        });
        const rows = await store.all<{ id: string }>('SELECT id FROM contract_rows WHERE n >= $2 AND (id = $1 OR n = $2 + 1) ORDER BY id', [
          'r1',
          7,
        ]);
        expect(rows).toEqual([{ id: 'r1' }, { id: 'r2' }]);
      });

      it('tells $1 from $10 and $11', async () => {
        for (const id of ['p1', 'p10', 'p11']) await insert(store, id);
        const params = Array.from({ length: 11 }, (_, i) => `p${i + 1}x`);
        params[9] = 'p10';
        params[10] = 'p11';
        const placeholders = params.map((_, i) => `$${i + 1}`).join(', ');
        const rows = await store.all<{ id: string }>(`SELECT id FROM contract_rows WHERE id IN (${placeholders}) ORDER BY id`, params);
        expect(rows.map((row) => row.id)).toEqual(['p10', 'p11']);
      });

      it('answers how many rows a statement changed', async () => {
        expect(await insert(store, 'a', 1)).toBe(1);
        expect(await insert(store, 'b', 2)).toBe(1);
        expect(await insert(store, 'c', 3)).toBe(1);
        expect(await store.run('UPDATE contract_rows SET note = $1 WHERE n >= $2', ['late', 2])).toBe(2);
        expect(await store.run('DELETE FROM contract_rows WHERE id = $1', ['nobody'])).toBe(0);
        expect(await store.run('INSERT INTO contract_rows (id, n) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', ['a', 9])).toBe(0);
        expect(
          await store.run('INSERT INTO contract_rows (id, n) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET n = excluded.n', ['a', 9]),
        ).toBe(1);
        expect(await store.run('DELETE FROM contract_rows WHERE n > $1', [2])).toBe(2);
        expect(await storedIds()).toEqual(['b']);
      });

      it('get answers undefined and all an empty array when no row matches', async () => {
        await insert(store, 'a');
        expect(await store.get('SELECT id FROM contract_rows WHERE id = $1', ['nobody'])).toBeUndefined();
        expect(await store.all('SELECT id FROM contract_rows WHERE id = $1', ['nobody'])).toEqual([]);
      });

      it('commits every write of a transaction together and answers what the work returned', async () => {
        const answer = await store.transaction(async (tx) => {
          await insert(tx, 'a');
          await insert(tx, 'b');
          expect(await tx.run('UPDATE contract_rows SET n = n + 1')).toBe(2);
          return 'done';
        });
        expect(answer).toBe('done');
        expect(await store.all<{ id: string; n: number }>('SELECT id, n FROM contract_rows ORDER BY id')).toEqual([
          { id: 'a', n: 2 },
          { id: 'b', n: 2 },
        ]);
      });

      it('rolls back every write of a transaction whose work throws, and rethrows its error', async () => {
        await insert(store, 'before');
        const boom = new Error('projection failed');
        const error = await rejection(
          store.transaction(async (tx) => {
            await insert(tx, 'a');
            await tx.run('UPDATE contract_rows SET n = 99');
            await tx.run('DELETE FROM contract_rows WHERE id = $1', ['before']);
            throw boom;
          }),
        );
        expect(error).toBe(boom);
        expect(await store.all('SELECT id, n FROM contract_rows')).toEqual([{ id: 'before', n: 1 }]);
      });

      it('rolls back a transaction in which a statement fails, and goes on working', async () => {
        const error = await rejection(
          store.transaction(async (tx) => {
            await insert(tx, 'a');
            await insert(tx, 'a');
          }),
        );
        // The driver's own error, which need not be an Error of this realm: matched by its message.
        expect(String((error as { message?: unknown }).message)).toMatch(/unique|duplicate/i);
        expect(await storedIds()).toEqual([]);
        await store.transaction((tx) => insert(tx, 'b'));
        expect(await storedIds()).toEqual(['b']);
      });

      it('runs concurrent transactions one at a time, never interleaved', async () => {
        const steps: string[] = [];
        const work = (label: string) => async (tx: SqlExecutor) => {
          steps.push(`${label} begins`);
          for (let i = 0; i < 5; i++) {
            await insert(tx, `${label}-${i}`, i);
            await tx.get('SELECT COUNT(*) AS rows FROM contract_rows');
          }
          steps.push(`${label} ends`);
        };
        await Promise.all(['first', 'second', 'third'].map((label) => store.transaction(work(label))));

        expect(steps).toHaveLength(6);
        for (let i = 0; i < steps.length; i += 2) {
          const label = steps[i]!.replace(' begins', '');
          expect(steps.slice(i, i + 2)).toEqual([`${label} begins`, `${label} ends`]);
        }
        expect(await storedIds()).toHaveLength(15);
      });

      it('loses no update when concurrent transactions read, then write', async () => {
        await insert(store, 'counter', 0);
        await Promise.all(
          Array.from({ length: 10 }, () =>
            store.transaction(async (tx) => {
              const row = await tx.get<{ n: number }>('SELECT n FROM contract_rows WHERE id = $1', ['counter']);
              await tx.run('UPDATE contract_rows SET n = $2 WHERE id = $1', ['counter', Number(row!.n) + 1]);
            }),
          ),
        );
        expect(await store.get('SELECT n FROM contract_rows WHERE id = $1', ['counter'])).toEqual({ n: 10 });
      });

      it('goes on with the next transaction after one fails', async () => {
        const results = await Promise.allSettled([
          store.transaction((tx) => insert(tx, 'a')),
          store.transaction(async (tx) => {
            await insert(tx, 'b');
            throw new Error('no');
          }),
          store.transaction((tx) => insert(tx, 'c')),
        ]);
        expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(await storedIds()).toEqual(['a', 'c']);
      });

      it('lets queries outside a transaction see only committed data', async () => {
        await insert(store, 'committed');
        let inside: unknown;
        let outside: unknown;
        let outsideAll: unknown;
        await store.transaction(async (tx) => {
          await insert(tx, 'pending');
          await tx.run('UPDATE contract_rows SET n = 5 WHERE id = $1', ['committed']);
          inside = await tx.get('SELECT id FROM contract_rows WHERE id = $1', ['pending']);
          outside = await store.get('SELECT id FROM contract_rows WHERE id = $1', ['pending']);
          outsideAll = await store.all('SELECT id, n FROM contract_rows ORDER BY id');
        });
        expect(inside).toEqual({ id: 'pending' });
        expect(outside).toBeUndefined();
        expect(outsideAll).toEqual([{ id: 'committed', n: 1 }]);
        expect(await store.all('SELECT id, n FROM contract_rows ORDER BY id')).toEqual([
          { id: 'committed', n: 5 },
          { id: 'pending', n: 1 },
        ]);
      });

      it('never shows a write of a transaction that was rolled back', async () => {
        let outsideDuring: unknown;
        await expect(
          store.transaction(async (tx) => {
            await insert(tx, 'doomed');
            outsideDuring = await store.all('SELECT id FROM contract_rows');
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        expect(outsideDuring).toEqual([]);
        expect(await storedIds()).toEqual([]);
      });

      it('does not sweep a write made outside a transaction into another transaction that rolls back', async () => {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let entered!: () => void;
        const inside = new Promise<void>((resolve) => (entered = resolve));
        const failing = store.transaction(async (tx) => {
          await insert(tx, 'in-transaction');
          entered();
          await gate;
          throw new Error('rolled back');
        });
        await inside;
        const outside = store.run('INSERT INTO contract_rows (id, n) VALUES ($1, $2)', ['outside', 1]);
        release();
        await expect(failing).rejects.toThrow('rolled back');
        await expect(outside).resolves.toBe(1);
        expect(await storedIds()).toEqual(['outside']);
      });
    });

    describe('read models built from the log', () => {
      let log: BriefingLog;

      beforeEach(async () => {
        log = archiveScenario();
        await project(store, log.events);
      });

      it('creates every table each projection names', async () => {
        for (const projection of allProjections) {
          for (const table of projection.tables) {
            const row = await store.get<{ rows: number | string }>(`SELECT COUNT(*) AS rows FROM ${table}`);
            expect(Number(row?.rows)).toBeGreaterThanOrEqual(0);
          }
        }
      });

      describe('listBriefings', () => {
        const briefingIdsOf = async (filter: Omit<BriefingFilter, 'limit' | 'cursor'>, limit = 50): Promise<string[]> =>
          (await allPages((cursor) => listBriefings(store, { ...filter, limit, cursor }))).map((briefing) => briefing.briefingId);

        it('lists briefings newest first, a tie on the day broken by id, with their counts and status', async () => {
          const page = await listBriefings(store, { limit: 50 });
          expect(page.nextCursor).toBeNull();
          expect(page.items.map((briefing) => [briefing.briefingId, briefing.heldOn])).toEqual([
            [ids.b4, '2024-01-25'],
            [ids.b3, '2024-01-25'],
            [ids.b2, '2024-01-18'],
            [ids.b1, '2024-01-11'],
          ]);
          const byId = new Map(page.items.map((briefing) => [briefing.briefingId, briefing]));
          // The revision of the briefing stream's last event: what If-Match names.
          const revisionOf = (briefingId: string) => Math.max(...log.events.filter((event) => event.data.briefingId === briefingId).map((event) => event.revision));
          expect(byId.get(ids.b1)).toEqual({
            briefingId: ids.b1,
            title: 'Weekly press briefing',
            heldOn: '2024-01-11',
            location: 'Islamabad',
            organization: 'Ministry of Foreign Affairs',
            spokesperson: { id: mumtaz.id, name: mumtaz.name, title: mumtaz.title },
            status: 'closed',
            counts: { statements: 1, questions: 2, answers: 2, corrections: 2, retractions: 0 },
            revision: revisionOf(ids.b1),
          });
          expect(byId.get(ids.b2)).toMatchObject({
            status: 'open',
            counts: { statements: 2, questions: 1, answers: 1, corrections: 1, retractions: 0 },
            revision: revisionOf(ids.b2),
          });
          expect(byId.get(ids.b3)).toMatchObject({
            title: null,
            spokesperson: { id: shafqat.id, name: shafqat.name },
            status: 'open',
            counts: { statements: 1, questions: 1, answers: 1, corrections: 0, retractions: 1 },
            revision: revisionOf(ids.b3),
          });
          expect(byId.get(ids.b4)).toMatchObject({
            spokesperson: { title: mumtazLaterTitle },
            status: 'closed',
            counts: { statements: 1, questions: 0, answers: 0, corrections: 0, retractions: 0 },
            revision: revisionOf(ids.b4),
          });
        });

        it('filters by spokesperson, topic and day range, alone and together', async () => {
          expect(await briefingIdsOf({ spokesperson: mumtaz.id })).toEqual([ids.b4, ids.b2, ids.b1]);
          expect(await briefingIdsOf({ spokesperson: shafqat.id })).toEqual([ids.b3]);
          // Speaking at a briefing does not make one its spokesperson.
          expect(await briefingIdsOf({ spokesperson: ayeshaKhan })).toEqual([]);
          expect(await briefingIdsOf({ topic: 'ttp' })).toEqual([ids.b4, ids.b3, ids.b1]);
          expect(await briefingIdsOf({ topic: 'united-states' })).toEqual([ids.b3]);
          expect(await briefingIdsOf({ topic: 'no-such-topic' })).toEqual([]);
          expect(await briefingIdsOf({ from: '2024-01-18' })).toEqual([ids.b4, ids.b3, ids.b2]);
          expect(await briefingIdsOf({ to: '2024-01-18' })).toEqual([ids.b2, ids.b1]);
          expect(await briefingIdsOf({ from: '2024-01-25', to: '2024-01-25' })).toEqual([ids.b4, ids.b3]);
          expect(await briefingIdsOf({ from: '2024-01-12', to: '2024-01-24' })).toEqual([ids.b2]);
          expect(await briefingIdsOf({ spokesperson: mumtaz.id, topic: 'ttp', from: '2024-01-12' })).toEqual([ids.b4]);
        });

        it('follows corrections that move a briefing in or out of a topic', async () => {
          // b1's statement moved from sanctuaries to terrorism; b2's answer left repatriation.
          expect(await briefingIdsOf({ topic: 'sanctuaries' })).toEqual([]);
          expect(await briefingIdsOf({ topic: 'terrorism' })).toEqual([ids.b4, ids.b1]);
          expect(await briefingIdsOf({ topic: 'repatriation' })).toEqual([ids.b1]);
          expect(await briefingIdsOf({ topic: 'refugees' })).toEqual([ids.b2]);
        });

        it('pages through every briefing once, in order, whatever the page size', async () => {
          const all = await briefingIdsOf({});
          for (const limit of [1, 2, 3, 4]) expect(await briefingIdsOf({}, limit)).toEqual(all);
          expect(await briefingIdsOf({ topic: 'ttp' }, 1)).toEqual([ids.b4, ids.b3, ids.b1]);
          expect(await briefingIdsOf({ spokesperson: mumtaz.id }, 2)).toEqual([ids.b4, ids.b2, ids.b1]);

          const first = await listBriefings(store, { limit: 2 });
          expect(first.items).toHaveLength(2);
          expect(first.nextCursor).toEqual(expect.any(String));
          const last = await listBriefings(store, { limit: 2, cursor: first.nextCursor! });
          expect(last.items.map((briefing) => briefing.briefingId)).toEqual([ids.b2, ids.b1]);
          expect(last.nextCursor).toBeNull();
        });

        it('rejects a cursor it did not hand out', async () => {
          for (const cursor of ['not-a-cursor', encodeCursor(['2024-01-25']), encodeCursor([20240125, 4])]) {
            expect(await rejection(listBriefings(store, { limit: 2, cursor }))).toBeInstanceOf(InvalidCursorError);
          }
        });
      });

      describe('getBriefing', () => {
        it('answers the transcript in spoken order, answers under their questions, with current text, status and version', async () => {
          const opened = log.find((event) => event.type === 'BriefingOpened' && event.data.briefingId === ids.b1);
          const at = (id: string) => {
            const event = recordedEvent(log, id);
            return { recordedAt: event.recordedAt, position: event.position };
          };
          const speaker = { id: mumtaz.id, name: mumtaz.name };
          const transcript = await getBriefing(store, ids.b1);
          expect(transcript).toMatchObject({
            briefingId: ids.b1,
            heldOn: '2024-01-11',
            status: 'closed',
            sourceUrl: 'https://mofa.gov.pk/press-briefings/2024-01-11',
            source: { url: 'https://mofa.gov.pk/press-briefings/2024-01-11', retrievedAt: '2024-01-12T08:00:00.000Z' },
            recordedAt: opened.recordedAt,
            position: opened.position,
            counts: { statements: 1, questions: 2, answers: 2, corrections: 2, retractions: 0 },
            statements: [
              {
                kind: 'statement',
                id: ids.s1,
                speaker,
                text: texts.s1Corrected,
                topics: ['afghanistan', 'terrorism'],
                status: 'corrected',
                version: 2,
                verbatim: false,
                ...at(ids.s1),
              },
            ],
            questions: [
              {
                kind: 'question',
                id: ids.q1,
                askedBy: askers.q1,
                text: texts.q1,
                topics: ['ttp'],
                ...at(ids.q1),
                answers: [
                  { kind: 'answer', id: ids.a1, speaker, text: texts.a1Corrected, topics: ['ttp'], status: 'corrected', version: 2, ...at(ids.a1) },
                ],
              },
              {
                kind: 'question',
                id: ids.q2,
                askedBy: askers.q2,
                text: texts.q2,
                topics: ['repatriation'],
                answers: [
                  {
                    kind: 'answer',
                    id: ids.a2,
                    speaker,
                    text: texts.a2,
                    topics: ['repatriation', 'afghanistan'],
                    status: 'original',
                    version: 1,
                    ...at(ids.a2),
                  },
                ],
              },
            ],
          });
          const seqs = [
            transcript!.statements[0]!.seq,
            ...transcript!.questions.flatMap((question) => [question.seq, ...question.answers.map((answer) => answer.seq)]),
          ];
          expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
          expect(new Set(seqs).size).toBe(seqs.length);
        });

        it('names a speaker who is not the spokesperson, keeps statements in order, and a question without asker', async () => {
          const transcript = await getBriefing(store, ids.b2);
          expect(transcript).toMatchObject({
            title: 'Weekly press briefing',
            status: 'open',
            sourceUrl: null,
            source: null,
            statements: [
              { id: ids.s2, speaker: { id: ayeshaKhan, name: 'Ayesha Khan' }, verbatim: true, status: 'original', version: 1 },
              { id: ids.s4, speaker: { id: mumtaz.id, name: mumtaz.name }, text: texts.s4, verbatim: false },
            ],
            questions: [
              {
                id: ids.q4,
                askedBy: null,
                answers: [{ id: ids.a4, text: texts.a4Corrected, topics: ['refugees'], status: 'corrected', version: 2 }],
              },
            ],
          });
        });

        it('keeps a retracted answer, marked retracted, with its text and version', async () => {
          const transcript = await getBriefing(store, ids.b3);
          expect(transcript?.questions).toMatchObject([
            { id: ids.q3, askedBy: askers.q3, answers: [{ id: ids.a3, text: texts.a3, status: 'retracted', version: 1 }] },
          ]);
          expect(transcript?.statements).toMatchObject([{ id: ids.s3, verbatim: true, speaker: { id: shafqat.id, name: shafqat.name } }]);
        });

        it('answers undefined for an unknown briefing', async () => {
          expect(await getBriefing(store, 'ffffffff-0000-4000-8000-000000000000')).toBeUndefined();
        });
      });

      describe('topics', () => {
        const timelineIds = async (slug: string, limit = 50): Promise<string[]> =>
          (await allPages((cursor) => topicTimeline(store, slug, { limit, cursor }))).map((entry) => entry.id);

        it('lists topics most mentioned first, with first and last day, after corrections moved remarks', async () => {
          const page = await listTopics(store, { limit: 50 });
          expect(page).toEqual({
            items: [
              { slug: 'ttp', mentions: 5, firstOn: '2024-01-11', lastOn: '2024-01-25' },
              { slug: 'afghanistan', mentions: 4, firstOn: '2024-01-11', lastOn: '2024-01-18' },
              { slug: 'refugees', mentions: 3, firstOn: '2024-01-18', lastOn: '2024-01-18' },
              // Its 2024-01-18 mention was corrected away: the last day goes back.
              { slug: 'repatriation', mentions: 2, firstOn: '2024-01-11', lastOn: '2024-01-11' },
              // Gained a 2024-01-11 remark by correction after its first mention on 2024-01-25.
              { slug: 'terrorism', mentions: 2, firstOn: '2024-01-11', lastOn: '2024-01-25' },
              { slug: 'united-states', mentions: 1, firstOn: '2024-01-25', lastOn: '2024-01-25' },
            ],
            nextCursor: null,
          });
          for (const limit of [1, 2, 3, 4, 5]) {
            expect(await allPages((cursor) => listTopics(store, { limit, cursor }))).toEqual(page.items);
          }
        });

        it('answers one topic, and undefined for a topic no remark has any more', async () => {
          expect(await getTopic(store, 'terrorism')).toEqual({ slug: 'terrorism', mentions: 2, firstOn: '2024-01-11', lastOn: '2024-01-25' });
          expect(await getTopic(store, 'sanctuaries')).toBeUndefined();
          expect(await getTopic(store, 'no-such-topic')).toBeUndefined();
        });

        it("answers a topic's timeline oldest first across briefings, whatever order they were recorded in", async () => {
          // b2 (2024-01-18) was recorded after b3 and b4 (2024-01-25).
          expect(await timelineIds('afghanistan')).toEqual([ids.s1, ids.a2, ids.s2, ids.s4]);
          expect(await timelineIds('ttp')).toEqual([ids.q1, ids.a1, ids.q3, ids.a3, ids.s5]);
          for (const limit of [1, 2, 3]) expect(await timelineIds('ttp', limit)).toEqual([ids.q1, ids.a1, ids.q3, ids.a3, ids.s5]);
        });

        it('shows each entry with its current text, status, version and speaker', async () => {
          const ttp = await topicTimeline(store, 'ttp', { limit: 50 });
          const q1 = recordedEvent(log, ids.q1);
          expect(ttp.items).toEqual([
            {
              kind: 'question',
              id: ids.q1,
              briefingId: ids.b1,
              heldOn: '2024-01-11',
              speaker: { id: null, name: askers.q1.name },
              askedBy: askers.q1,
              text: texts.q1,
              topics: ['ttp'],
              status: 'original',
              version: 1,
              position: q1.position,
            },
            expect.objectContaining({ kind: 'answer', id: ids.a1, text: texts.a1Corrected, status: 'corrected', version: 2 }),
            expect.objectContaining({ kind: 'question', id: ids.q3, speaker: { id: null, name: askers.q3.name } }),
            expect.objectContaining({ kind: 'answer', id: ids.a3, status: 'retracted', speaker: { id: shafqat.id, name: shafqat.name } }),
            expect.objectContaining({ kind: 'statement', id: ids.s5, briefingId: ids.b4, heldOn: '2024-01-25', status: 'original' }),
          ]);
          const refugees = await topicTimeline(store, 'refugees', { limit: 50 });
          expect(refugees.items.map((entry) => [entry.id, entry.speaker])).toEqual([
            [ids.s2, { id: ayeshaKhan, name: 'Ayesha Khan' }],
            [ids.q4, { id: null, name: null }],
            [ids.a4, { id: mumtaz.id, name: mumtaz.name }],
          ]);
        });

        it('moves a corrected remark from the timelines of the topics it lost to those it gained', async () => {
          expect(await timelineIds('sanctuaries')).toEqual([]);
          expect(await timelineIds('terrorism')).toEqual([ids.s1, ids.s5]);
          expect(await timelineIds('repatriation')).toEqual([ids.q2, ids.a2]);
          const terrorism = await topicTimeline(store, 'terrorism', { limit: 50 });
          expect(terrorism.items[0]).toMatchObject({
            id: ids.s1,
            heldOn: '2024-01-11',
            text: texts.s1Corrected,
            topics: ['afghanistan', 'terrorism'],
            status: 'corrected',
            version: 2,
            position: recordedEvent(log, ids.s1).position,
          });
        });

        it("pages a speaker's line on a topic, the first remark of each page beside the last of the page before", async () => {
          const whole = await speakerTopicHistory(store, mumtaz.id, 'afghanistan', { limit: 50 });
          expect(whole.items.map((change) => [change.id, change.previous?.id ?? null])).toEqual([
            [ids.s1, null],
            [ids.a2, ids.s1],
            [ids.s4, ids.a2],
          ]);
          for (const limit of [1, 2]) {
            expect(await allPages((cursor) => speakerTopicHistory(store, mumtaz.id, 'afghanistan', { limit, cursor }))).toEqual(whole.items);
          }
        });

        it('rejects a cursor it did not hand out', async () => {
          expect(await rejection(listTopics(store, { limit: 1, cursor: encodeCursor(['ttp', 'ttp']) }))).toBeInstanceOf(InvalidCursorError);
          expect(await rejection(topicTimeline(store, 'ttp', { limit: 1, cursor: 'garbage' }))).toBeInstanceOf(InvalidCursorError);
        });
      });

      describe('spokespersons', () => {
        it('lists speakers, those who held the most briefings first, with their days', async () => {
          const page = await listSpokespersons(store, { limit: 50 });
          expect(page).toEqual({
            items: [
              // The title of the latest briefing held, though an older one was recorded after it.
              { id: mumtaz.id, name: mumtaz.name, title: mumtazLaterTitle, briefings: 3, firstOn: '2024-01-11', lastOn: '2024-01-25' },
              { id: shafqat.id, name: shafqat.name, title: shafqat.title, briefings: 1, firstOn: '2024-01-25', lastOn: '2024-01-25' },
              { id: ayeshaKhan, name: 'Ayesha Khan', title: null, briefings: 0, firstOn: '2024-01-18', lastOn: '2024-01-18' },
            ],
            nextCursor: null,
          });
          for (const limit of [1, 2]) {
            expect(await allPages((cursor) => listSpokespersons(store, { limit, cursor }))).toEqual(page.items);
          }
        });

        it("answers a spokesperson's profile: topics most mentioned first, remarks oldest first", async () => {
          const profile = await getSpokesperson(store, mumtaz.id, { limit: 50 });
          expect(profile).toMatchObject({ id: mumtaz.id, name: mumtaz.name, briefings: 3 });
          expect(profile?.topics).toEqual([
            { slug: 'afghanistan', mentions: 3 },
            { slug: 'terrorism', mentions: 2 },
            { slug: 'ttp', mentions: 2 },
            { slug: 'refugees', mentions: 1 },
            { slug: 'repatriation', mentions: 1 },
          ]);
          expect(profile?.timeline.items.map((remark) => remark.id)).toEqual([ids.s1, ids.a1, ids.a2, ids.s4, ids.a4, ids.s5]);
          expect(profile?.timeline.items[0]).toEqual({
            kind: 'statement',
            id: ids.s1,
            briefingId: ids.b1,
            heldOn: '2024-01-11',
            text: texts.s1Corrected,
            topics: ['afghanistan', 'terrorism'],
            status: 'corrected',
            version: 2,
            position: recordedEvent(log, ids.s1).position,
          });
          const paged = await allPages(async (cursor) => (await getSpokesperson(store, mumtaz.id, { limit: 2, cursor }))!.timeline);
          expect(paged).toEqual(profile?.timeline.items);
        });

        it('keeps a retracted remark in the profile, marked retracted', async () => {
          const profile = await getSpokesperson(store, shafqat.id, { limit: 50 });
          expect(profile?.topics).toEqual([
            { slug: 'ttp', mentions: 1 },
            { slug: 'united-states', mentions: 1 },
          ]);
          expect(profile?.timeline.items.map((remark) => [remark.id, remark.kind, remark.status])).toEqual([
            [ids.s3, 'statement', 'original'],
            [ids.a3, 'answer', 'retracted'],
          ]);
        });

        it('gives a speaker who is not a spokesperson a profile with no briefings held', async () => {
          const profile = await getSpokesperson(store, ayeshaKhan, { limit: 50 });
          expect(profile).toEqual({
            id: ayeshaKhan,
            name: 'Ayesha Khan',
            title: null,
            briefings: 0,
            firstOn: '2024-01-18',
            lastOn: '2024-01-18',
            topics: [
              { slug: 'afghanistan', mentions: 1 },
              { slug: 'refugees', mentions: 1 },
            ],
            timeline: { items: [expect.objectContaining({ id: ids.s2, text: texts.s2, briefingId: ids.b2 })], nextCursor: null },
          });
        });

        it('names a speaker first met in another briefing after the briefing they lead, even an earlier one', async () => {
          // Ayesha Khan spoke in b2 (2024-01-18); she leads a briefing held before it, recorded after.
          const b5 = 'a5000000-0000-4000-8000-000000000005';
          const later = log.append({
            type: 'BriefingOpened',
            data: {
              briefingId: b5,
              heldOn: '2024-01-02',
              location: 'Islamabad',
              organization: 'Ministry of Foreign Affairs',
              spokesperson: { id: ayeshaKhan, name: 'Ayesha K. Khan', title: 'Acting Spokesperson' },
            },
          });
          await project(store, later);
          expect(await getSpokesperson(store, ayeshaKhan, { limit: 50 })).toMatchObject({
            name: 'Ayesha K. Khan',
            title: 'Acting Spokesperson',
            briefings: 1,
            firstOn: '2024-01-02',
            lastOn: '2024-01-18',
          });
        });

        it('names a speaker who led two briefings the same day after the one of the greater id, whichever came first', async () => {
          const opened = (briefingId: string, name: string) => ({
            type: 'BriefingOpened' as const,
            data: { briefingId, heldOn: '2024-03-01', location: 'Islamabad', organization: 'MOFA', spokesperson: { id: 'zahid-hafeez', name } },
          });
          // The greater id recorded first: the name stays its own.
          await project(store, log.append(opened('a9000000-0000-4000-8000-000000000002', 'Zahid Hafeez Chaudhri'), opened('a9000000-0000-4000-8000-000000000001', 'Z. H. Chaudhri')));
          expect(await getSpokesperson(store, 'zahid-hafeez', { limit: 50 })).toMatchObject({ name: 'Zahid Hafeez Chaudhri', briefings: 2 });
        });

        it('answers undefined for an unknown speaker', async () => {
          expect(await getSpokesperson(store, 'nobody', { limit: 50 })).toBeUndefined();
        });
      });

      describe('remarkHistory', () => {
        it('answers every version of a corrected remark oldest first, with the reason for each', async () => {
          const recorded = recordedEvent(log, ids.s1);
          const corrected = amendingEvent(log, 'RemarkCorrected', ids.s1);
          expect(await remarkHistory(store, ids.s1)).toEqual({
            remarkId: ids.s1,
            briefingId: ids.b1,
            kind: 'statement',
            versions: [
              {
                version: 1,
                text: texts.s1,
                topics: ['ttp', 'afghanistan', 'sanctuaries'],
                reason: null,
                recordedAt: recorded.recordedAt,
                position: recorded.position,
                eventId: recorded.eventId,
                diff: null,
              },
              {
                version: 2,
                text: texts.s1Corrected,
                topics: ['afghanistan', 'terrorism'],
                reason: reasons.s1,
                recordedAt: corrected.recordedAt,
                position: corrected.position,
                eventId: corrected.eventId,
                diff: wordDiff(texts.s1, texts.s1Corrected),
              },
            ],
            retracted: false,
            retraction: null,
          });
          expect(await remarkHistory(store, ids.a4)).toMatchObject({
            kind: 'answer',
            briefingId: ids.b2,
            versions: [
              { version: 1, text: texts.a4, topics: ['refugees', 'repatriation'], reason: null },
              { version: 2, text: texts.a4Corrected, topics: ['refugees'], reason: reasons.a4 },
            ],
          });
        });

        it('answers a retracted remark with its one version and the retraction', async () => {
          const retracted = amendingEvent(log, 'RemarkRetracted', ids.a3);
          expect(await remarkHistory(store, ids.a3)).toMatchObject({
            kind: 'answer',
            versions: [{ version: 1, text: texts.a3, reason: null }],
            retracted: true,
            retraction: { reason: reasons.a3, recordedAt: retracted.recordedAt, position: retracted.position, eventId: retracted.eventId },
          });
        });

        it("keeps a remark id to its first briefing: another briefing's remark of that id, its correction and retraction stay out", async () => {
          // The commands refuse such an id; this is one recorded before the first use was projected.
          const before = await remarkHistory(store, ids.s1);
          const later = log.append(
            { type: 'StatementRecorded', data: { briefingId: ids.b4, statementId: ids.s1, speakerId: mumtaz.id, text: 'Another remark.', topics: ['ttp'], verbatim: false } },
            { type: 'RemarkCorrected', data: { briefingId: ids.b4, remarkId: ids.s1, version: 3, text: 'Another remark, corrected.', reason: 'typo', topics: ['ttp'] } },
            { type: 'RemarkRetracted', data: { briefingId: ids.b4, remarkId: ids.s1, reason: 'withdrawn' } },
          );
          await project(store, later);
          expect(before).toMatchObject({ briefingId: ids.b1, retracted: false });
          expect(await remarkHistory(store, ids.s1)).toEqual(before);
        });

        it('answers undefined for a question, which is not a remark, and for an unknown id', async () => {
          expect(await remarkHistory(store, ids.q1)).toBeUndefined();
          expect(await remarkHistory(store, 'ffffffff-0000-4000-8000-000000000000')).toBeUndefined();
        });
      });

      describe('search', () => {
        const hitIds = async (query: string): Promise<string[]> => (await search(store, query, { limit: 50 })).items.map((hit) => hit.id);

        it('finds statements, questions and answers holding every word, in any case', async () => {
          expect((await hitIds('UNHCR')).sort()).toEqual([ids.q4, ids.a4].sort());
          expect((await hitIds('pakistan kabul')).sort()).toEqual([ids.q1]);
          expect((await hitIds('Pakistan UNHCR')).sort()).toEqual([ids.q4, ids.a4].sort());
          // Words are matched whole, in any inflection: "plans" finds "plan", "talk" finds "talks",
          // "afghan" does not find "Afghanistan's".
          expect((await hitIds('plans')).sort()).toEqual([ids.q2, ids.a2, ids.a4].sort());
          expect(await hitIds('talk')).toEqual([ids.q3]);
          expect((await hitIds('afghan')).sort()).toEqual([ids.s1, ids.a1, ids.s2].sort());
          // A word ending in a star is matched as a prefix: "afghan*" finds "Afghanistan's" too.
          expect((await hitIds('afghan*')).sort()).toEqual([ids.s1, ids.a1, ids.s2, ids.s4].sort());
          expect(await hitIds('no-such-word-anywhere')).toEqual([]);
        });

        it('answers each hit with its briefing, speaker, current text, status and version', async () => {
          const registration = await search(store, 'registration', { limit: 50 });
          expect(registration.items).toEqual([
            {
              kind: 'statement',
              id: ids.s2,
              briefingId: ids.b2,
              heldOn: '2024-01-18',
              speaker: { id: ayeshaKhan, name: 'Ayesha Khan' },
              text: texts.s2,
              status: 'original',
              version: 1,
              position: recordedEvent(log, ids.s2).position,
            },
          ]);
          const kabul = await search(store, 'kabul', { limit: 50 });
          expect(kabul.items).toMatchObject([{ kind: 'question', id: ids.q1, speaker: { id: null, name: askers.q1.name } }]);
          const dialogue = await search(store, 'dialogue', { limit: 50 });
          expect(dialogue.items).toMatchObject([{ kind: 'answer', id: ids.a3, status: 'retracted', speaker: { id: shafqat.id, name: shafqat.name } }]);
        });

        it('ranks the best match first', async () => {
          // The answer says "plan" three times, the others once.
          const hits = await hitIds('plan');
          expect(hits[0]).toBe(ids.a2);
          expect([...hits].sort()).toEqual([ids.q2, ids.a2, ids.a4].sort());
        });

        it('finds the corrected text of a remark and no longer its old text', async () => {
          expect(await search(store, 'terrorist sanctuaries', { limit: 50 })).toMatchObject({
            items: [{ id: ids.s1, text: texts.s1Corrected, status: 'corrected', version: 2 }],
            nextCursor: null,
            terms: ['terrorist', 'sanctuaries'],
          });
          expect(await hitIds('repeatedly')).toEqual([]);
          expect(await hitIds('details')).toEqual([]);
          expect((await hitIds('evidence')).sort()).toEqual([ids.q1, ids.a1].sort());
        });

        it('pages through every hit once, in rank order', async () => {
          const all = await hitIds('pakistan');
          expect(all).toHaveLength(6);
          for (const limit of [1, 2, 4]) {
            const paged = await allPages((cursor) => search(store, 'pakistan', { limit, cursor }));
            expect(paged.map((hit) => hit.id)).toEqual(all);
          }
        });

        it('pages through the matches there were at the first page once, whatever is recorded between pages', async () => {
          let recorded = 0;
          for (const limit of [1, 2, 4]) {
            const all = await hitIds('pakistan');
            const pages: string[] = [];
            let cursor: string | undefined;
            for (let n = 0; n < 20; n++) {
              const page = await search(store, 'pakistan', { limit, cursor });
              pages.push(...page.items.map((hit) => hit.id));
              // A new remark that would rank first, recorded after each page.
              const statementId = `5c000000-0000-4000-8000-${String(++recorded).padStart(12, '0')}`;
              await project(
                store,
                log.append({ type: 'StatementRecorded', data: { briefingId: ids.b4, statementId, speakerId: mumtaz.id, text: 'Pakistan.', topics: ['ttp'], verbatim: false } }),
              );
              if (page.nextCursor === null) break;
              cursor = page.nextCursor;
            }
            expect(pages).toEqual(all);
          }
        });

        it('takes a prefix beside other words, and finds the words its stem begins', async () => {
          // "talks" is indexed as "talk": a prefix of the stem finds it, with other words or alone.
          expect(await hitIds('talk*')).toEqual([ids.q3]);
          expect(await hitIds('ttp talk*')).toEqual([ids.q3]);
          expect(await hitIds('talk* ttp')).toEqual([ids.q3]);
          expect((await hitIds('afghan* pakistan')).length).toBeGreaterThan(0);
        });

        it('ranks the newest matches together, window by window, and pages through every match once', async () => {
          const ranked = (await search(store, 'pakistan', { limit: 50 })).items;
          expect(ranked).toHaveLength(6);
          const rank = new Map(ranked.map((hit, index) => [hit.id, index]));
          const newestFirst = [...ranked].sort((a, b) => b.position - a.position);
          for (const rankWindow of [1, 2, 4, 6]) {
            const expected: string[] = [];
            for (let start = 0; start < newestFirst.length; start += rankWindow) {
              const window = newestFirst.slice(start, start + rankWindow).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
              expected.push(...window.map((hit) => hit.id));
            }
            for (const limit of [1, 2, 3, 50]) {
              const paged = await allPages((cursor) => search(store, 'pakistan', { limit, cursor, rankWindow }));
              expect(paged.map((hit) => hit.id)).toEqual(expected);
            }
          }
        });

        it('reads any input as plain words: no query syntax of the index gets through', async () => {
          const plain = await hitIds('ttp');
          expect(plain.length).toBeGreaterThan(0);
          const attempts = [
            '"',
            '""',
            "'",
            '*',
            'OR',
            'AND',
            'NOT',
            'NEAR(',
            'NEAR(ttp pakistan, 2)',
            '-x',
            'a:b',
            'text:ttp',
            '{text}: ttp',
            '^ttp',
            'ttp*',
            '(ttp',
            'ttp)',
            '"ttp',
            'ttp OR',
            '& | ! <-> :*',
            'afghan* kabul',
            'ttp* pakistan',
            'talkin* general*',
            'İstanbul*',
            '½*',
            'a* b* c*',
            '\\',
            '%_',
            "'; DROP TABLE search_items; --",
            '',
            '   ',
          ];
          for (const query of attempts) {
            await expect(search(store, query, { limit: 50 })).resolves.toEqual(expect.objectContaining({ items: expect.any(Array) }));
          }
          for (const query of ['^ttp', 'ttp*', '(ttp', 'ttp)', '"ttp', 'TTP', '-ttp', 'ttp:']) {
            expect(await hitIds(query)).toEqual(plain);
          }
          expect(await search(store, '  *** ', { limit: 50 })).toEqual({ items: [], nextCursor: null, terms: [] });
          expect(await hitIds('ttp')).toEqual(plain);
        });

        it('rejects a cursor it did not hand out', async () => {
          for (const cursor of ['garbage', encodeCursor(['x']), encodeCursor([-2]), encodeCursor([1.5]), encodeCursor([7]), encodeCursor([7, -1]), encodeCursor([7, 'x'])]) {
            expect(await rejection(search(store, 'pakistan', { limit: 2, cursor }))).toBeInstanceOf(InvalidCursorError);
          }
        });
      });
    });

    describe('replaying inserts', () => {
      it('counts nothing twice when an event that inserts is applied again', async () => {
        const log = archiveScenario();
        const inserts = new Set(['BriefingOpened', 'StatementRecorded', 'QuestionAsked', 'AnswerGiven', 'BriefingClosed']);
        const twice = log.events.flatMap((event) => (inserts.has(event.type) ? [event, event] : [event]));
        await project(store, twice);
        // Creating the tables again leaves what they hold.
        await project(store, []);

        const once = await open();
        await project(once, log.events);
        expect(await readModels(store)).toEqual(await readModels(once));
        expect((await listBriefings(store, { limit: 50 })).items.find((briefing) => briefing.briefingId === ids.b1)?.counts).toEqual({
          statements: 1,
          questions: 2,
          answers: 2,
          corrections: 2,
          retractions: 0,
        });
        expect((await getTopic(store, 'ttp'))?.mentions).toBe(5);
        expect((await listSpokespersons(store, { limit: 50 })).items[0]).toMatchObject({ id: mumtaz.id, briefings: 3 });
        expect((await search(store, 'plan', { limit: 50 })).items).toHaveLength(3);
      });

      it('gives the same read models whether each event has its own transaction or batches share one', async () => {
        const log = archiveScenario();
        // A correction takes b3 off a topic, then a new remark puts it back: within one
        // transaction, what a projection remembers of the batch must follow the correction.
        const s6 = '5a000000-0000-4000-8000-000000000006';
        log.append(
          { type: 'RemarkCorrected', data: { briefingId: ids.b3, remarkId: ids.s3, version: 2, text: texts.s3, reason: 'Filed under the wrong topic', topics: ['ttp'] } },
          { type: 'StatementRecorded', data: { briefingId: ids.b3, statementId: s6, speakerId: shafqat.id, text: 'And on the United States.', topics: ['united-states'], verbatim: false } },
        );
        await project(store, log.events);
        const batched = await open();
        await project(batched, []);
        // Two batches through one executor, as a rebuild's last catch-up applies them: what a
        // projection gathers over a batch is written once.
        const half = Math.floor(log.events.length / 2);
        await batched.transaction(async (tx) => {
          for (const batch of [log.events.slice(0, half), log.events.slice(half)]) {
            for (const projection of allProjections) await applyBatch(projection, batch, tx);
          }
        });
        expect(await readModels(batched)).toEqual(await readModels(store));
        expect((await listBriefings(batched, { topic: 'united-states', limit: 50 })).items.map((briefing) => briefing.briefingId)).toEqual([ids.b3]);
      });

      it('gives the same read models for random logs, applied in random batches of which a transaction holds several', async () => {
        // Every table of every projection (by checksum) and the search's ranking, which the
        // checksums leave out: what a projection gathers over a batch must end as the event by
        // event application ends.
        const builtBy = async (db: ReadStore) => ({
          checksums: await each(allProjections, (projection) => checksumTables(db, projection, 1)),
          searches: await each(['talks', 'corrected', 'statement'], async (q) => (await search(db, q, { limit: 5, rankWindow: 6 })).items.map((item) => item.id)),
          topics: await each([...randomLogTopics], (slug) => topicTimeline(db, slug, { limit: 500 })),
        });
        for (const seed of [1, 2, 3, 5, 8, 13]) {
          const log = randomLog(seed);
          const eventByEvent = await open();
          await project(eventByEvent, log.events);
          const batched = await open();
          await project(batched, []);
          const next = randomNumbers(seed * 7919);
          for (let at = 0; at < log.events.length; ) {
            const batches: StoredBriefingEvent[][] = [];
            for (let count = 1 + Math.floor(next() * 3); count > 0 && at < log.events.length; count--) {
              const size = 1 + Math.floor(next() * 12);
              batches.push(log.events.slice(at, at + size));
              at += size;
            }
            await batched.transaction(async (tx) => {
              for (const batch of batches) for (const projection of allProjections) await applyBatch(projection, batch, tx);
            });
          }
          expect({ seed, ...(await builtBy(batched)) }).toEqual({ seed, ...(await builtBy(eventByEvent)) });
        }
      });
    });
  });
}
