import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { openBody, openBriefing } from './support/http.js';
import { createTestApp, DECEMBER_SAMPLE, JANUARY_SAMPLE, readSample, type TestApp } from './support/test-app.js';

interface Envelope {
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  position: number;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: { correlationId: string; causationId: string; actor: string; schemaVersion: number; [extra: string]: unknown };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The log itself: every stored event with its whole envelope, in global order. */
describe('the event log over HTTP', () => {
  let t: TestApp;
  let all: Envelope[];

  beforeAll(async () => {
    t = await createTestApp();
    for (const sample of [DECEMBER_SAMPLE, JANUARY_SAMPLE]) {
      await t.http.post('/api/briefings/import').send(await readSample(sample)).expect(201);
    }
    const { briefingId } = await openBriefing(t.http);
    await t.http.post(`/api/briefings/${briefingId}/statements`).send({ text: 'One more.', topics: ['ttp'] }).expect(201);
    const response = await t.http.get('/api/events?after=0&limit=500').expect(200);
    all = response.body.items;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives each event its whole envelope', async () => {
    expect(all).toHaveLength(19);
    for (const event of all) {
      expect(event).toEqual({
        eventId: expect.stringMatching(UUID),
        type: expect.any(String),
        streamId: expect.stringMatching(/^briefing-[0-9a-f-]{36}$/),
        revision: expect.any(Number),
        position: expect.any(Number),
        recordedAt: expect.any(String),
        data: expect.any(Object),
        metadata: expect.objectContaining({
          correlationId: expect.any(String),
          causationId: expect.any(String),
          actor: 'anonymous',
          schemaVersion: 1,
        }),
      });
      expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
      expect(event.streamId).toBe(`briefing-${event.data.briefingId as string}`);
    }
    expect(all[0]).toMatchObject({ type: 'BriefingOpened', revision: 0, position: 1, data: { heldOn: '2023-12-14' } });
    expect(new Set(all.map((e) => e.type))).toEqual(
      new Set(['BriefingOpened', 'StatementRecorded', 'QuestionAsked', 'AnswerGiven', 'BriefingClosed']),
    );
  });

  it('orders the log by position, each stream by revision from 0', async () => {
    const positions = all.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    const streams = new Map<string, number[]>();
    for (const e of all) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e.revision]);
    expect(streams.size).toBe(3);
    for (const revisions of streams.values()) expect(revisions).toEqual(revisions.map((_, i) => i));
  });

  it('pages the log with nextCursor: every event once, in order, then null', async () => {
    for (const limit of [1, 4, 7, 19]) {
      const seen: Envelope[] = [];
      let url: string | null = `/api/events?after=0&limit=${limit}`;
      let pages = 0;
      while (url !== null && pages < 50) {
        const response = await t.http.get(url).expect(200);
        const { items, nextCursor } = response.body as { items: Envelope[]; nextCursor: string | null };
        expect(items.length).toBeLessThanOrEqual(limit);
        seen.push(...items);
        url = nextCursor === null ? null : `/api/events?limit=${limit}&cursor=${encodeURIComponent(nextCursor)}`;
        pages++;
      }
      expect(seen.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
    }
  });

  it('reads after a position, and nothing after the head', async () => {
    const after = await t.http.get(`/api/events?after=${all[9]!.position}&limit=3`).expect(200);
    expect(after.body.items.map((e: Envelope) => e.position)).toEqual(all.slice(10, 13).map((e) => e.position));
    const end = await t.http.get(`/api/events?after=${all.at(-1)!.position}`).expect(200);
    expect(end.body).toEqual({ items: [], nextCursor: null });
  });

  it("reads one briefing's stream, paged by nextCursor", async () => {
    const january = await readSample(JANUARY_SAMPLE);
    const whole = all.filter((e) => e.streamId === `briefing-${january.briefingId}`);
    expect(whole).toHaveLength(10);
    const seen: Envelope[] = [];
    let url: string | null = `/api/briefings/${january.briefingId}/events?limit=3`;
    while (url !== null) {
      const response: Response = await t.http.get(url).expect(200);
      seen.push(...response.body.items);
      url = response.body.nextCursor === null ? null : `/api/briefings/${january.briefingId}/events?limit=3&cursor=${response.body.nextCursor}`;
    }
    expect(seen).toEqual(whole);
    expect(seen.map((e) => e.type)).toEqual([
      'BriefingOpened',
      'StatementRecorded',
      'StatementRecorded',
      'QuestionAsked',
      'AnswerGiven',
      'QuestionAsked',
      'AnswerGiven',
      'QuestionAsked',
      'AnswerGiven',
      'BriefingClosed',
    ]);
  });

  it("reads one briefing's stream after a revision, the cursor being the last revision read", async () => {
    const january = await readSample(JANUARY_SAMPLE);
    const whole = all.filter((e) => e.streamId === `briefing-${january.briefingId}`);
    const after = await t.http.get(`/api/briefings/${january.briefingId}/events?after=3&limit=4`).expect(200);
    expect(after.body.items).toEqual(whole.slice(4, 8));
    expect(after.body.nextCursor).toBe(String(whole[7]!.revision));
    const rest = await t.http.get(`/api/briefings/${january.briefingId}/events?cursor=${after.body.nextCursor}`).expect(200);
    expect(rest.body).toEqual({ items: whole.slice(8), nextCursor: null });
    const end = await t.http.get(`/api/briefings/${january.briefingId}/events?after=${whole.at(-1)!.revision}`).expect(200);
    expect(end.body).toEqual({ items: [], nextCursor: null });
    for (const bad of ['after=-1', 'after=abc', 'cursor=x']) {
      const response = await t.http.get(`/api/briefings/${january.briefingId}/events?${bad}`);
      expect(response.status).toBe(400);
    }
  });

  it('gives all the events of one command the same correlation and causation ids', async () => {
    const december = await readSample(DECEMBER_SAMPLE);
    const imported = all.filter((e) => e.streamId === `briefing-${december.briefingId}`);
    expect(new Set(imported.map((e) => e.metadata.correlationId)).size).toBe(1);
    expect(new Set(imported.map((e) => e.metadata.causationId)).size).toBe(1);
    const others = all.filter((e) => e.streamId !== `briefing-${december.briefingId}`);
    expect(others.map((e) => e.metadata.causationId)).not.toContain(imported[0]!.metadata.causationId);
    expect(others.map((e) => e.metadata.correlationId)).not.toContain(imported[0]!.metadata.correlationId);
  });

  it('echoes the X-Request-Id it was given, and records it as the correlation id', async () => {
    const requestId = `req-${randomUUID()}`;
    const body = openBody();
    const response = await t.http.post('/api/briefings').set('X-Request-Id', requestId).send(body);
    expect(response.status).toBe(201);
    expect(response.headers['x-request-id']).toBe(requestId);

    const events = await t.http.get(`/api/briefings/${body.briefingId}/events`).set('X-Request-Id', 'another-one').expect(200);
    expect(events.headers['x-request-id']).toBe('another-one');
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0].metadata.correlationId).toBe(requestId);
    const inLog = await t.http.get(`/api/events?after=${response.body.position - 1}&limit=1`).expect(200);
    expect(inLog.body.items[0]).toMatchObject({ eventId: events.body.items[0].eventId, metadata: { correlationId: requestId } });
  });

  it('makes up a request id when none or an unusable one is given, and records that', async () => {
    const body = openBody();
    const response = await t.http.post('/api/briefings').set('X-Request-Id', 'not usable: it has spaces').send(body).expect(201);
    const given = response.headers['x-request-id'] as string;
    expect(given).toMatch(UUID);
    const events = await t.http.get(`/api/briefings/${body.briefingId}/events`).expect(200);
    expect(events.body.items[0].metadata.correlationId).toBe(given);

    const plain = await t.http.get('/api/events?limit=1').expect(200);
    expect(plain.headers['x-request-id']).toMatch(UUID);
    // Errors carry it too.
    const problem = await t.http.get('/api/briefings/not-a-uuid').set('X-Request-Id', 'trace-me');
    expect(problem.status).toBe(400);
    expect(problem.headers['x-request-id']).toBe('trace-me');
  });

  it('refuses bad paging of the log', async () => {
    for (const query of ['after=-1', 'limit=0', 'limit=501', 'cursor=abc', 'after=x']) {
      const response = await t.http.get(`/api/events?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
