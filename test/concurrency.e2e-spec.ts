import { EVENT_STORE } from '@archive/application';
import type { EventStore } from '@archive/event-store';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { expectProblem, openBriefing } from './support/http.js';
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

    // Commands for one briefing take turns in the service: none refuses another.
    expect(responses.map((r) => r.status)).toEqual(sent.map(() => 201));
    const created = responses;

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

    const maxPosition = Math.max(...created.map((r) => r.body.position as number));
    const transcript = await t.http.get(`/api/briefings/${briefingId}`).set('X-Min-Position', String(maxPosition)).expect(200);
    expect(transcript.body.counts.statements).toBe(20);
    expect(new Set(transcript.body.statements.map((s: { id: string }) => s.id))).toEqual(new Set(storedIds));
  });

  it('takes twenty statements sent at once even when reading the stream takes a while, as from a networked store', async () => {
    const { briefingId } = await openBriefing(t.http);
    const store = t.app.get<EventStore>(EVENT_STORE, { strict: false });
    const readStream = store.readStream;
    // Each read of this stream gives the other requests a turn of the event loop before it answers.
    store.readStream = async function (this: EventStore, ...args: Parameters<EventStore['readStream']>) {
      const events = await readStream.apply(this, args);
      if (args[0] === `briefing-${briefingId}`) await new Promise((resolve) => setImmediate(resolve));
      return events;
    };
    try {
      const responses: Response[] = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.http.post(`/api/briefings/${briefingId}/statements`).send({ text: `Slow read ${i}.`, topics: ['ttp'] })),
      );
      expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
      expect((await streamOf(briefingId)).map((e) => e.revision)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    } finally {
      store.readStream = readStream;
    }
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
 * Above, commands for one briefing take turns in the service and never refuse each other. A
 * writer in another process can still get in between a command's read and its append: here a
 * second service on the same files (an API replica) records a statement in the briefing right
 * after the first service's command has read the stream, as many times as the test says. The
 * command's append then collides; the handler reads again and retries once.
 */
describe('a command that meets a writer in another process', () => {
  let t: TestApp;
  let replica: TestApp;
  /** While set: how many more times the replica writes into this stream after the first service reads it. */
  let interfere: { streamId: string; times: number; statement?: Record<string, unknown> } | undefined;

  beforeAll(async () => {
    t = await createTestApp();
    replica = await createTestApp({ ARCHIVE_DATA_DIR: t.dataDir, PROJECTIONS: 'off' });
    const store = t.app.get<EventStore>(EVENT_STORE, { strict: false });
    const readStream = store.readStream.bind(store);
    store.readStream = async (...args: Parameters<EventStore['readStream']>) => {
      const events = await readStream(...args);
      const held = interfere;
      if (held && args[0] === held.streamId && held.times > 0) {
        held.times -= 1;
        const briefingId = held.streamId.replace(/^briefing-/, '');
        const statement = held.statement ?? { text: 'From the replica.', topics: ['ttp'] };
        await replica.http.post(`/api/briefings/${briefingId}/statements`).send(statement).expect(201);
      }
      return events;
    };
  });
  afterAll(async () => {
    // The replica first: it leaves the shared directory in place, the first service removes it.
    await replica?.close();
    await t?.close();
  });

  const statementsOf = async (briefingId: string): Promise<Envelope[]> => {
    const events = await t.http.get(`/api/briefings/${briefingId}/events?limit=500`).expect(200);
    return (events.body.items as Envelope[]).filter((e) => e.type === 'StatementRecorded');
  };

  it('retries once against the fresh state and is taken after one conflict', async () => {
    const { briefingId } = await openBriefing(t.http);
    interfere = { streamId: `briefing-${briefingId}`, times: 1 };
    const statementId = randomUUID();
    const response = await t.http.post(`/api/briefings/${briefingId}/statements`).send({ statementId, text: 'Mine.', topics: ['ttp'] });
    interfere = undefined;

    expect(response.status).toBe(201);
    const stored = await statementsOf(briefingId);
    expect(stored.map((e) => e.data.text)).toEqual(['From the replica.', 'Mine.']);
    expect(response.body).toEqual({ statementId, revision: stored[1]!.revision, position: stored[1]!.position });
  });

  it('answers 409 CONCURRENT_WRITE after a second conflict, stores nothing of it, and takes it when sent again', async () => {
    const { briefingId } = await openBriefing(t.http);
    interfere = { streamId: `briefing-${briefingId}`, times: 2 };
    const statement = { statementId: randomUUID(), text: 'Mine.', topics: ['ttp'] };
    const response = await t.http.post(`/api/briefings/${briefingId}/statements`).send(statement);
    interfere = undefined;

    expectProblem(response, 409);
    expect(response.body.code).toBe('CONCURRENT_WRITE');
    expect((await statementsOf(briefingId)).map((e) => e.data.text)).toEqual(['From the replica.', 'From the replica.']);

    const again = await t.http.post(`/api/briefings/${briefingId}/statements`).send(statement);
    expect(again.status).toBe(201);
    const stored = await statementsOf(briefingId);
    expect(stored.map((e) => e.data.statementId)).toContain(statement.statementId);
    expect(stored.map((e) => e.revision)).toEqual([1, 2, 3]);
  });

  it('refuses a statement whose id the other writer took meanwhile for another text, 409 ID_CONFLICT, and keeps the stored one', async () => {
    const { briefingId } = await openBriefing(t.http);
    const statementId = randomUUID();
    interfere = { streamId: `briefing-${briefingId}`, times: 1, statement: { statementId, text: 'The replica says this.', topics: ['ttp'] } };
    const response = await t.http.post(`/api/briefings/${briefingId}/statements`).send({ statementId, text: 'I say that.', topics: ['ttp'] });
    interfere = undefined;

    expectProblem(response, 409);
    expect(response.body.code).toBe('ID_CONFLICT');
    expect((await statementsOf(briefingId)).map((e) => e.data.text)).toEqual(['The replica says this.']);
    // This service did not keep a state the log does not hold: the stored statement, sent again, is a re-send.
    const again = await t.http.post(`/api/briefings/${briefingId}/statements`).send({ statementId, text: 'The replica says this.', topics: ['ttp'] });
    expect(again.status).toBe(201);
    expect((await statementsOf(briefingId)).map((e) => e.data.text)).toEqual(['The replica says this.']);
  });

  it('answers the same statement the other writer stored meanwhile as a re-send', async () => {
    const { briefingId } = await openBriefing(t.http);
    const statement = { statementId: randomUUID(), text: 'Both say this.', topics: ['ttp'] };
    interfere = { streamId: `briefing-${briefingId}`, times: 1, statement };
    const response = await t.http.post(`/api/briefings/${briefingId}/statements`).send(statement);
    interfere = undefined;

    expect(response.status).toBe(201);
    const stored = await statementsOf(briefingId);
    expect(stored.map((e) => e.data.text)).toEqual(['Both say this.']);
    expect(response.body).toEqual({ statementId: statement.statementId, revision: stored[0]!.revision, position: stored[0]!.position });
  });

  it('makes a command with If-Match that meets another writer 412, not a retry', async () => {
    const { briefingId, revision } = await openBriefing(t.http);
    interfere = { streamId: `briefing-${briefingId}`, times: 1 };
    const response = await t.http.post(`/api/briefings/${briefingId}/statements`).set('If-Match', String(revision)).send({ text: 'Mine.', topics: ['ttp'] });
    interfere = undefined;

    expectProblem(response, 412);
    expect((await statementsOf(briefingId)).map((e) => e.data.text)).toEqual(['From the replica.']);
  });
});
