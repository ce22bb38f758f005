import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProjectionsService, READ_STORE } from '@archive/application';
import { allProjections } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { expectProblem, openBriefing, recordStatement } from './support/http.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Status {
  name: string;
  position: number;
  lag: number;
  status: string;
  error: string | null;
}

describe('projections over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lists every projection with its position, lag and status', async () => {
    const { briefingId } = await openBriefing(t.http);
    const { position: head } = await recordStatement(t.http, briefingId);
    const runner = t.app.get(ProjectionsService).runner!;
    expect(await runner.waitFor(head, 10_000)).toBe(true);

    const response = await t.http.get('/api/projections').expect(200);
    expect(response.body.nextCursor).toBeNull();
    const states = response.body.items as Status[];
    expect(states.map((state) => state.name).sort()).toEqual(allProjections.map((p) => p.name).sort());
    for (const state of states) {
      expect(state).toMatchObject({ status: 'live', error: null, errorPosition: null });
      expect(state.position).toBeGreaterThanOrEqual(2);
      expect(state.lag).toBe(0);
    }
  });

  it('pages the projections like every other list, and refuses a bad limit or cursor', async () => {
    const names: string[] = [];
    let query = '?limit=4';
    for (let pages = 0; pages < 10 && query; pages++) {
      const page = (await t.http.get(`/api/projections${query}`).expect(200)).body as { items: Status[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(4);
      names.push(...page.items.map((state) => state.name));
      query = page.nextCursor === null ? '' : `?limit=4&cursor=${encodeURIComponent(page.nextCursor)}`;
    }
    expect(names).toEqual(allProjections.map((p) => p.name));
    expectProblem(await t.http.get('/api/projections?limit=0'), 400);
    expectProblem(await t.http.get('/api/projections?limit=501'), 400);
    expectProblem(await t.http.get('/api/projections?cursor=garbage'), 400);
  });

  it('rebuilds a projection while it keeps answering, with progress, and the same checksum after the swap', async () => {
    let head = 0;
    for (let n = 0; n < 5; n++) {
      const { briefingId } = await openBriefing(t.http);
      head = (await recordStatement(t.http, briefingId)).position;
    }
    const service = t.app.get(ProjectionsService);
    expect(await service.runner!.waitFor(head, 10_000)).toBe(true);
    const before = (await t.http.get('/api/projections/topics/checksum').expect(200)).body as { name: string; position: number; checksum: string };
    expect(before).toEqual({ name: 'topics', position: expect.any(Number), checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(before.position).toBeGreaterThan(0);

    const started = await t.http.post('/api/projections/topics/rebuild').expect(202);
    const { jobId } = started.body as { jobId: string };
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    // Served by the live tables whatever the rebuild's stage.
    await t.http.get('/api/topics').expect(200);
    await service.runner!.rebuildSettled('topics');

    const progress = (await t.http.get('/api/projections/topics/rebuild').expect(200)).body as Record<string, unknown>;
    expect(progress).toMatchObject({ jobId, status: 'done', etaSeconds: 0, startedAt: expect.any(String), finishedAt: expect.any(String) });
    expect(progress.processed).toBe(progress.total);
    expect(progress.processed).toBeGreaterThan(0);
    expect(typeof progress.eventsPerSecond).toBe('number');
    const after = (await t.http.get('/api/projections/topics/checksum').expect(200)).body as { checksum: string; position: number };
    expect(after).toEqual(before);
    const states = (await t.http.get('/api/projections').expect(200)).body.items as Status[];
    expect(states.find((state) => state.name === 'topics')).toMatchObject({ status: 'live', lag: 0 });
    expect(((await t.http.get('/api/topics').expect(200)).body as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown projection and for a projection never rebuilt', async () => {
    expectProblem(await t.http.get('/api/projections/nothing/checksum'), 404);
    expectProblem(await t.http.post('/api/projections/nothing/rebuild'), 404);
    expectProblem(await t.http.get('/api/projections/search/rebuild'), 404);
    expectProblem(await t.http.get('/api/projections/Not_A_Slug/checksum'), 400);
  });
});

describe('projections over HTTP on an API replica (PROJECTIONS=off)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PROJECTIONS: 'off' });
  });
  afterAll(() => t.close());

  it('records a rebuild for the projector process to take up, queued until it does', async () => {
    const asked = await t.http.post('/api/projections/topics/rebuild').expect(202);
    expect(asked.body.jobId).toMatch(/^[0-9a-f-]{36}$/);
    // Asked again while it waits: the same request.
    expect((await t.http.post('/api/projections/topics/rebuild').expect(202)).body).toEqual(asked.body);
    const progress = await t.http.get('/api/projections/topics/rebuild').expect(200);
    expect(progress.body).toMatchObject({ jobId: asked.body.jobId, status: 'queued', processed: 0, finishedAt: null });
    expectProblem(await t.http.post('/api/projections/nothing/rebuild'), 404);
    // With no projector yet, no projection has a checkpoint to report.
    expect((await t.http.get('/api/projections').expect(200)).body).toEqual({ items: [], nextCursor: null });
  });
});

describe('read your writes past a failed projection', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A wait longer than the test's own timeout (30 s): only an answer at once passes.
    t = await createTestApp({ PROJECTIONS: 'off', MIN_POSITION_TIMEOUT_MS: '60000' });
    // As a projector records them: topics failed at position 4, the others live at 100.
    const readStore = t.app.get<ReadStore>(READ_STORE);
    for (const { name } of allProjections) {
      const failed = name === 'topics';
      await readStore.run(
        'INSERT INTO projection_checkpoints (name, version, position, status, error, error_position) VALUES ($1, $2, $3, $4, $5, $6)',
        [name, 1, failed ? 3 : 100, failed ? 'failed' : 'live', failed ? 'cannot read event 4' : null, failed ? 4 : null],
      );
    }
  });
  afterAll(() => t?.close());

  it('answers 503 at once, naming the failed projection, for a position it stopped before', async () => {
    const behind = await t.http.get('/api/briefings').set('X-Min-Position', '4');
    expectProblem(behind, 503);
    expect(behind.body).toMatchObject({ code: 'READ_MODELS_BEHIND' });
    expect(behind.body.detail).toContain('topics failed');
  });

  it('answers as usual for a position every projection, the failed one too, has reached', async () => {
    await t.http.get('/api/briefings').set('X-Min-Position', '3').expect(200);
  });
});
