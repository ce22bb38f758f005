import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from './support/test-app.js';

/** The routes of API.md's commands and queries tables, as OpenAPI names their paths. */
const CONTRACT_ROUTES: [method: string, path: string][] = [
  ['post', '/api/briefings'],
  ['post', '/api/briefings/{briefingId}/statements'],
  ['post', '/api/briefings/{briefingId}/questions'],
  ['post', '/api/briefings/{briefingId}/questions/{questionId}/answers'],
  ['post', '/api/briefings/{briefingId}/remarks/{remarkId}/corrections'],
  ['post', '/api/briefings/{briefingId}/remarks/{remarkId}/retractions'],
  ['post', '/api/briefings/{briefingId}/close'],
  ['post', '/api/briefings/import'],
  ['get', '/api/briefings'],
  ['get', '/api/briefings/{briefingId}'],
  ['get', '/api/topics'],
  ['get', '/api/topics/{slug}'],
  ['get', '/api/spokespersons'],
  ['get', '/api/spokespersons/{id}'],
  ['get', '/api/remarks/{remarkId}/history'],
  ['get', '/api/search'],
  ['get', '/api/events'],
  ['get', '/api/briefings/{briefingId}/events'],
  ['get', '/health'],
  ['get', '/metrics'],
  ['get', '/api/audit/verify'],
  ['get', '/api/projections'],
  ['post', '/api/projections/{name}/rebuild'],
  ['get', '/api/projections/{name}/rebuild'],
  ['get', '/api/projections/{name}/checksum'],
];

describe('operations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves Prometheus metrics: commands by type and outcome, append latency, commit sizes, projections, feed, webhooks', async () => {
    const briefingId = '5b0f2a52-6a8e-4b9f-9a51-3a0cfb7c1d99';
    const body = { briefingId, heldOn: '2024-02-01', location: 'Islamabad', organization: 'MOFA', spokesperson: { id: 'a-b', name: 'A B' } };
    const opened = await t.http.post('/api/briefings').send(body).expect(201);
    await t.http.post('/api/briefings').send({ ...body, heldOn: '2024-02-02' }).expect(409);
    await t.http.get('/api/topics').set('X-Min-Position', String(opened.body.position)).expect(200);

    const response = await t.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    const sample = (line: RegExp) => Number(line.exec(text)?.[1]);
    expect(sample(/^archive_commands_total\{type="OpenBriefing",outcome="ok"\} (\d+)$/m)).toBe(1);
    expect(sample(/^archive_commands_total\{type="OpenBriefing",outcome="rejected"\} (\d+)$/m)).toBe(1);
    expect(sample(/^archive_append_duration_seconds_count (\d+)$/m)).toBe(1);
    expect(sample(/^archive_group_commit_appends_count (\d+)$/m)).toBeGreaterThanOrEqual(1);
    expect(sample(/^archive_projection_position\{projection="topics"\} (\d+)$/m)).toBe(opened.body.position);
    expect(sample(/^archive_projection_lag_events\{projection="topics"\} (\d+)$/m)).toBe(0);
    expect(sample(/^archive_rebuild_events_per_second\{projection="topics"\} (\d+)$/m)).toBe(0);
    expect(sample(/^archive_feed_clients (\d+)$/m)).toBe(0);
    expect(sample(/^archive_log_head_position (\d+)$/m)).toBe(opened.body.position);
    expect(text).toMatch(/^archive_process_resident_memory_bytes \d+/m);
  });

  it('reports health 200 with both stores up', async () => {
    const response = await t.http.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      info: { eventStore: { status: 'up' }, readStore: { status: 'up' }, projections: { status: 'up' } },
      error: {},
    });
  });

  it('describes the API as OpenAPI, with every route of the contract', async () => {
    const response = await t.http.get('/api/docs-json');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const document = response.body as { openapi: string; info: { title: string }; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe('Briefing Archive');
    const missing = CONTRACT_ROUTES.filter(([method, path]) => document.paths[path]?.[method] === undefined);
    expect(missing).toEqual([]);
  });

  it('documents the command bodies', async () => {
    const { body } = await t.http.get('/api/docs-json').expect(200);
    const statement = body.paths['/api/briefings/{briefingId}/statements'].post;
    expect(JSON.stringify(statement.requestBody)).toContain('RecordStatementDto');
    expect(body.components.schemas.RecordStatementDto.required).toEqual(expect.arrayContaining(['text', 'topics']));
  });

  it('serves the OpenAPI UI as HTML, with its assets', async () => {
    const page = await t.http.get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toMatch(/swagger/i);
    const asset = await t.http.get('/api/docs/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });
});
