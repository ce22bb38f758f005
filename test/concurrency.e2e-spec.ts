import { SqliteEventStore } from '@archive/event-store';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { openBriefing } from './support/http.js';
import { createTestApp, DECEMBER_SAMPLE, readSample, type TestApp } from './support/test-app.js';

interface Envelope {
  eventId: string;
  type: string;
  revision: number;
  position: number;
  data: Record<string, unknown>;
}

/** Many editors writing to one briefing at once. */
describe('concurrent commands on one briefing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const streamOf = async (briefingId: string): Promise<Envelope[]> => {
    const response = await t.http.get(`/api/briefings/${briefingId}/events?limit=500`).expect(200);
    return response.body.items;
  };

  it('stores exactly the statements it answered 201 for, each once, none lost', async () => {
    const { briefingId } = await openBriefing(t.http);
    const sent = Array.from({ length: 20 }, (_, i) => ({ statementId: randomUUID(), text: `Statement number ${i + 1}.`, topics: ['ttp'] }));
    const responses: Response[] = await Promise.all(
      sent.map((statement) => t.http.post(`/api/briefings/${briefingId}/statements`).send(statement)),
    );

    const created = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status !== 201);
    // Another writer getting in between is retried once inside; only a conflict after that retry
    // may surface, and only as 409.
    for (const response of refused) {
      expect(response.status).toBe(409);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('CONCURRENT_WRITE');
    }

    const stored = (await streamOf(briefingId)).filter((e) => e.type === 'StatementRecorded');
    const storedIds = stored.map((e) => e.data.statementId as string);
    expect(new Set(storedIds).size).toBe(storedIds.length);
    expect(new Set(storedIds)).toEqual(new Set(created.map((r) => r.body.statementId as string)));

    // Each 201 names the revision and position its statement was stored at.
    const byId = new Map(stored.map((e) => [e.data.statementId as string, e]));
    for (const response of created) {
      const event = byId.get(response.body.statementId)!;
      expect(response.body).toEqual({ statementId: response.body.statementId, revision: event.revision, position: event.position });
      const statement = sent.find((s) => s.statementId === response.body.statementId)!;
      expect(event.data.text).toBe(statement.text);
    }
    // Revisions stay contiguous: no gap, no overwrite.
    const revisions = (await streamOf(briefingId)).map((e) => e.revision);
    expect(revisions).toEqual(revisions.map((_, i) => i));

    // What this machine shows today: every one of the twenty is taken.
    expect(created).toHaveLength(20);

    const maxPosition = Math.max(...created.map((r) => r.body.position as number));
    const transcript = await t.http.get(`/api/briefings/${briefingId}`).set('X-Min-Position', String(maxPosition)).expect(200);
    expect(transcript.body.counts.statements).toBe(20);
    expect(new Set(transcript.body.statements.map((s: { id: string }) => s.id))).toEqual(new Set(storedIds));
  });

  it('takes exactly one of twenty commands made against the same If-Match revision', async () => {
    const { briefingId, revision } = await openBriefing(t.http);
    const responses: Response[] = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http
          .post(`/api/briefings/${briefingId}/statements`)
          .set('If-Match', String(revision))
          .send({ text: `Only one of us: ${i}.`, topics: ['ttp'] }),
      ),
    );
    const created = responses.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    for (const response of responses.filter((r) => r.status !== 201)) {
      expect(response.status).toBe(412);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const stored = (await streamOf(briefingId)).filter((e) => e.type === 'StatementRecorded');
    expect(stored.map((e) => e.data.statementId)).toEqual([created[0]!.body.statementId]);
  });

  it('answers the same statement sent ten times at once alike, and stores it once', async () => {
    const { briefingId } = await openBriefing(t.http);
    const statement = { statementId: randomUUID(), text: 'Said once, sent ten times.', topics: ['ttp'] };
    const responses: Response[] = await Promise.all(
      Array.from({ length: 10 }, () => t.http.post(`/api/briefings/${briefingId}/statements`).send(statement)),
    );
    for (const response of responses) {
      expect(response.status).toBe(201);
      expect(response.body).toEqual(responses[0]!.body);
    }
    const stored = (await streamOf(briefingId)).filter((e) => e.type === 'StatementRecorded');
    expect(stored).toHaveLength(1);
  });

  it('answers the same import sent five times at once alike, and stores it once', async () => {
    const december = await readSample(DECEMBER_SAMPLE);
    const responses: Response[] = await Promise.all(Array.from({ length: 5 }, () => t.http.post('/api/briefings/import').send(december)));
    for (const response of responses) {
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ briefingId: december.briefingId, events: 7, revision: 6, position: expect.any(Number) });
      expect(response.body).toEqual(responses[0]!.body);
    }
    expect(await streamOf(december.briefingId)).toHaveLength(7);
  });

  it('keeps briefings apart: concurrent statements to five briefings all land in their own stream', async () => {
    const briefings = await Promise.all(Array.from({ length: 5 }, () => openBriefing(t.http)));
    const responses: Response[] = await Promise.all(
      briefings.flatMap(({ briefingId }) =>
        Array.from({ length: 4 }, (_, i) => t.http.post(`/api/briefings/${briefingId}/statements`).send({ text: `Remark ${i}.`, topics: ['ttp'] })),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
    for (const { briefingId } of briefings) {
      const stream = await streamOf(briefingId);
      expect(stream.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect(stream.every((e) => e.data.briefingId === briefingId)).toBe(true);
    }
  });
});

/**
 * Above, the embedded store reads and appends synchronously and each request takes a few
 * milliseconds of CPU, so commands sent at once still reach the store one after another and
 * never collide. Here a gate holds the stream reads of the commands until all of them have read,
 * as a slow networked store would: all twenty decide on the same revision and collide on
 * append; the nineteen losers retry, are held again until all have re-read, and collide again.
 */
describe('concurrent commands that all read the same revision', () => {
  let t: TestApp;
  let readStream: ReturnType<typeof jest.spyOn>;
  /** While set: the reads of this stream are released in rounds of these sizes. */
  let gate: { streamId: string; rounds: number[]; waiting: (() => void)[] } | undefined;

  beforeAll(async () => {
    const original = SqliteEventStore.prototype.readStream;
    readStream = jest.spyOn(SqliteEventStore.prototype, 'readStream').mockImplementation(async function (
      this: SqliteEventStore,
      ...args: Parameters<SqliteEventStore['readStream']>
    ) {
      const events = await original.apply(this, args);
      const held = gate;
      if (held && args[0] === held.streamId && held.rounds.length > 0) {
        await new Promise<void>((release) => {
          held.waiting.push(release);
          if (held.waiting.length === held.rounds[0]) {
            held.rounds.shift();
            for (const waiting of held.waiting.splice(0)) waiting();
          }
        });
      }
      return events;
    });
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
    readStream?.mockRestore();
  });

  it('answers 201 only for what it stored, 409 only for a conflict after the retry, and loses nothing', async () => {
    const { briefingId } = await openBriefing(t.http);
    const sent = Array.from({ length: 20 }, (_, i) => ({ statementId: randomUUID(), text: `Contended statement ${i + 1}.`, topics: ['ttp'] }));
    gate = { streamId: `briefing-${briefingId}`, rounds: [20, 19], waiting: [] };
    const responses: Response[] = await Promise.all(
      sent.map((statement) => t.http.post(`/api/briefings/${briefingId}/statements`).send(statement)),
    );
    gate = undefined;

    const created = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status !== 201);
    for (const response of refused) {
      expect(response.status).toBe(409);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('CONCURRENT_WRITE');
    }
    // One wins the first round; of the nineteen retried, one wins the second; the rest are refused.
    expect(created).toHaveLength(2);
    expect(refused).toHaveLength(18);

    const events = await t.http.get(`/api/briefings/${briefingId}/events?limit=500`).expect(200);
    const stored = (events.body.items as Envelope[]).filter((e) => e.type === 'StatementRecorded');
    const storedIds = stored.map((e) => e.data.statementId as string);
    expect(new Set(storedIds).size).toBe(storedIds.length);
    expect(new Set(storedIds)).toEqual(new Set(created.map((r) => r.body.statementId as string)));
    const byId = new Map(stored.map((e) => [e.data.statementId as string, e]));
    for (const response of created) {
      const event = byId.get(response.body.statementId)!;
      expect(response.body).toMatchObject({ revision: event.revision, position: event.position });
    }
    const revisions = (events.body.items as Envelope[]).map((e) => e.revision);
    expect(revisions).toEqual(revisions.map((_, i) => i));

    // Nothing is lost for the client either: each refused statement, sent again, is taken.
    const taken = new Set(storedIds);
    for (const statement of sent.filter((s) => !taken.has(s.statementId))) {
      const again = await t.http.post(`/api/briefings/${briefingId}/statements`).send(statement);
      expect(again.status).toBe(201);
      expect(again.body.statementId).toBe(statement.statementId);
    }
    const after = await t.http.get(`/api/briefings/${briefingId}/events?limit=500`).expect(200);
    const all = (after.body.items as Envelope[]).filter((e) => e.type === 'StatementRecorded');
    expect(new Set(all.map((e) => e.data.statementId))).toEqual(new Set(sent.map((s) => s.statementId)));
    expect(all).toHaveLength(20);
  });
});
