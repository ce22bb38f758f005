import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectProblem, openBody } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const READER = 'reader-secret-0123456789';
const EDITOR = 'editor-secret-0123456789';
const ADMIN = 'admin-secret-0123456789ab';
const KEYS = [
  `desk:reader:${READER}`,
  `newsroom:editor:sha256:${createHash('sha256').update(EDITOR).digest('hex')}`,
  `ops:admin:${ADMIN}`,
].join(',');
const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

describe('API keys and roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ARCHIVE_API_KEYS: KEYS });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a command without a key with 401, a Bearer challenge, and appends nothing', async () => {
    const response = await t.http.post('/api/briefings').send(openBody());
    expect(expectProblem(response, 401).code).toBe('UNAUTHENTICATED');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    expect((await t.http.get('/api/events')).body.items).toEqual([]);
  });

  it.each([
    ['an unknown key', { Authorization: 'Bearer not-a-key-of-this-service' }],
    ['a secret given as its own digest', { Authorization: `Bearer sha256:${createHash('sha256').update(EDITOR).digest('hex')}` }],
    ['another scheme', { Authorization: `Basic ${Buffer.from(`x:${EDITOR}`).toString('base64')}` }],
    ['an empty bearer', { Authorization: 'Bearer ' }],
  ])('answers %s with 401, on commands and public reads alike', async (_, headers) => {
    expectProblem(await t.http.post('/api/briefings').set(headers).send(openBody()), 401);
    expectProblem(await t.http.get('/api/topics').set(headers), 401);
  });

  it('answers health and metrics whatever Authorization a probe sends: they never read it', async () => {
    for (const headers of [{ Authorization: 'Bearer not-a-key-of-this-service' }, { Authorization: 'Basic abc' }, bearer(READER)]) {
      await t.http.get('/health').set(headers).expect(200);
      await t.http.get('/metrics').set(headers).expect(200);
    }
  });

  it("names a request's key and its role at GET /api/key, and refuses a key it does not know", async () => {
    expect((await t.http.get('/api/key').expect(200)).body).toEqual({ name: null, role: null, keysRequired: true });
    expect((await t.http.get('/api/key').set(bearer(READER)).expect(200)).body).toEqual({ name: 'desk', role: 'reader', keysRequired: true });
    expect((await t.http.get('/api/key').set(bearer(EDITOR)).expect(200)).body).toEqual({ name: 'newsroom', role: 'editor', keysRequired: true });
    expect(expectProblem(await t.http.get('/api/key').set(bearer('not-a-key-of-this-service')), 401).code).toBe('UNAUTHENTICATED');
  });

  it('takes the scheme name in any case', async () => {
    await t.http.post('/api/briefings').set({ Authorization: `bearer ${EDITOR}` }).send(openBody()).expect(201);
    await t.http.post('/api/briefings').set({ Authorization: `BEARER ${EDITOR}` }).send(openBody()).expect(201);
  });

  it('answers a reader key on a command with 403', async () => {
    const response = await t.http.post('/api/briefings').set(bearer(READER)).send(openBody());
    expect(expectProblem(response, 403).code).toBe('FORBIDDEN');
  });

  it("takes an editor's command and records the key's name as the actor", async () => {
    const body = openBody();
    const response = await t.http.post('/api/briefings').set(bearer(EDITOR)).send(body).expect(201);
    const events = await t.http.get(`/api/briefings/${body.briefingId}/events`).expect(200);
    expect(events.body.items[0].metadata.actor).toBe('newsroom');
    expect(response.body.briefingId).toBe(body.briefingId);
    // An admin may do what an editor may.
    await t.http.post('/api/briefings').set(bearer(ADMIN)).send(openBody()).expect(201);
  });

  it('keeps queries, the log and health public, and projections for admins', async () => {
    await t.http.get('/api/topics').expect(200);
    await t.http.get('/api/events').expect(200);
    await t.http.get('/health').expect(200);
    expectProblem(await t.http.get('/api/projections'), 401);
    expectProblem(await t.http.get('/api/projections').set(bearer(EDITOR)), 403);
    await t.http.get('/api/projections').set(bearer(ADMIN)).expect(200);
    expectProblem(await t.http.get('/api/subscriptions').set(bearer(READER)), 403);
  });

  it('sends security headers', async () => {
    const response = await t.http.get('/api/topics').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBeDefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('private reads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ARCHIVE_API_KEYS: KEYS, ARCHIVE_PUBLIC_READS: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers queries and the feed without a key with 401, and with a reader key', async () => {
    expectProblem(await t.http.get('/api/topics'), 401);
    expectProblem(await t.http.get('/api/feed'), 401);
    await t.http.get('/api/topics').set(bearer(READER)).expect(200);
    await t.http.get('/health').expect(200);
  });
});

describe('rate limits', () => {
  it('answers requests from one address past its limit with 429 and Retry-After', async () => {
    const t = await createTestApp({ RATE_LIMIT_PER_ADDRESS: '5', RATE_LIMIT_WINDOW_MS: '60000' });
    try {
      for (let i = 0; i < 5; i += 1) {
        const allowed = await t.http.get('/api/topics').expect(200);
        expect(allowed.headers['x-ratelimit-limit']).toBe('5');
        expect(allowed.headers['x-ratelimit-remaining']).toBe(String(4 - i));
      }
      const limited = await t.http.get('/api/topics');
      expect(expectProblem(limited, 429).code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.headers['x-ratelimit-limit']).toBe('5');
      expect(limited.headers['x-ratelimit-remaining']).toBe('0');
      expect(limited.headers['x-ratelimit-reset']).toBe(limited.headers['retry-after']);
      // The limit counts across routes; health is left out so monitors keep seeing it.
      expectProblem(await t.http.post('/api/briefings').send(openBody()), 429);
      await t.http.get('/health').expect(200);
    } finally {
      await t.close();
    }
  });

  it("limits one key's requests wherever they come from, and not those made without it", async () => {
    const t = await createTestApp({ ARCHIVE_API_KEYS: KEYS, RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_PER_KEY: '3' });
    try {
      for (let i = 0; i < 3; i += 1) await t.http.get('/api/topics').set(bearer(READER)).expect(200);
      const limited = await t.http.get('/api/topics').set(bearer(READER));
      expectProblem(limited, 429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.headers['x-ratelimit-limit-key']).toBe('3');
      expect(limited.headers['x-ratelimit-remaining-key']).toBe('0');
      await t.http.get('/api/topics').set(bearer(EDITOR)).expect(200);
      for (let i = 0; i < 5; i += 1) await t.http.get('/api/topics').expect(200);
    } finally {
      await t.close();
    }
  });
});

describe('CORS', () => {
  it('lets the configured origins call the API from a browser, and no other', async () => {
    const t = await createTestApp({ CORS_ORIGINS: 'https://news.example.org' });
    try {
      const preflight = await t.http
        .options('/api/briefings')
        .set('Origin', 'https://news.example.org')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://news.example.org');
      expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/i);
      const other = await t.http.get('/api/topics').set('Origin', 'https://elsewhere.example.com').expect(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe('feed connection caps', () => {
  /** Opens a feed connection on the listening app; resolves with its status and headers once they arrive. */
  function connect(port: number): Promise<{ status: number; headers: Record<string, unknown>; close: () => void }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/feed', headers: { Accept: 'text/event-stream' } }, (res) => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, close: () => req.destroy() });
      });
      req.on('error', reject);
      req.end();
    });
  }

  async function withListeningApp(env: Record<string, string>, run: (port: number) => Promise<void>): Promise<void> {
    const t = await createTestApp({ FEED_RETRY_MS: '2000', ...env });
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      await run((t.app.getHttpServer().address() as AddressInfo).port);
    } finally {
      await t.close();
    }
  }

  it('refuses a connection over the cap per address with 429 and Retry-After, and takes it once a place is free', () =>
    withListeningApp({ FEED_MAX_CLIENTS_PER_ADDRESS: '1', FEED_MAX_CLIENTS: '10' }, async (port) => {
      const first = await connect(port);
      expect(first.status).toBe(200);
      const second = await connect(port);
      expect(second.status).toBe(429);
      expect(second.headers['retry-after']).toBe('2');
      expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
      second.close();
      first.close();
      // The server frees the place when it sees the first connection close.
      let third = await connect(port);
      while (third.status !== 200) {
        third.close();
        await new Promise((resolve) => setImmediate(resolve));
        third = await connect(port);
      }
      third.close();
    }));

  it('refuses a connection over the cap in all with 503 and Retry-After', () =>
    withListeningApp({ FEED_MAX_CLIENTS_PER_ADDRESS: '10', FEED_MAX_CLIENTS: '1' }, async (port) => {
      const first = await connect(port);
      expect(first.status).toBe(200);
      const second = await connect(port);
      expect(second.status).toBe(503);
      expect(second.headers['retry-after']).toBe('2');
      second.close();
      first.close();
    }));
});
