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
];

describe('operations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
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
