import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from './run-cli.js';

type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** A stand-in for the service's projection routes on loopback, answering as API.md says. */
async function fakeService(routes: Record<string, Route>): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const key = `${request.method} ${request.url}`;
    requests.push(key);
    const route = routes[key];
    if (route) return route(request, response);
    response.writeHead(404, { 'content-type': 'application/problem+json' });
    response.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `no route ${key}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

function json(status: number, body: unknown): Route {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
}

/** Answers each progress request with the next state, then the last one again. */
function progressOf(...states: Record<string, unknown>[]): Route {
  let next = 0;
  return (request, response) => json(200, states[Math.min(next++, states.length - 1)])(request, response);
}

const running = (processed: number) => ({ status: 'running', processed, total: 40, eventsPerSecond: 100, startedAt: '2024-01-01T00:00:00Z', finishedAt: null });
const done = { status: 'done', processed: 40, total: 40, eventsPerSecond: 100, startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:00:01Z' };

describe('archive rebuild (over the running service\'s HTTP API)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  it('starts the rebuild of one projection and follows its progress until it is swapped in', async () => {
    const fake = await fakeService({
      'POST /api/projections/topics/rebuild': json(202, { jobId: 'job-1' }),
      'GET /api/projections/topics/rebuild': progressOf(running(10), running(30), done),
    });
    server = fake.server;
    const run = await runCli(['rebuild', 'topics', '--url', fake.url, '--interval', '1'], {});
    expect(run.code).toBe(0);
    expect(fake.requests).toEqual([
      'POST /api/projections/topics/rebuild',
      'GET /api/projections/topics/rebuild',
      'GET /api/projections/topics/rebuild',
      'GET /api/projections/topics/rebuild',
    ]);
    expect(run.stderr).toMatch(/^rebuild topics: 10\/40 events \(25%\)/m);
    expect(run.stderr).toMatch(/^rebuild topics: 30\/40 events \(75%\)/m);
    expect(run.stderr).toMatch(/^rebuild topics: 40\/40 events \(100%\)/m);
    expect(run.stderr).toContain('rebuild topics: done, 40 events');
  });

  const briefings = { name: 'briefings', position: 40, lag: 0, status: 'live' };
  const topics = { name: 'topics', position: 40, lag: 0, status: 'live' };
  it.each([
    [
      'page by page',
      { 'GET /api/projections': json(200, { items: [briefings], nextCursor: 'b' }), 'GET /api/projections?cursor=b': json(200, { items: [topics], nextCursor: null }) },
      ['GET /api/projections', 'GET /api/projections?cursor=b'],
    ],
    ['all at once, as a service before 0.2 did', { 'GET /api/projections': json(200, [briefings, topics]) }, ['GET /api/projections']],
  ])('rebuilds every projection the service lists with --all, one after the other: listed %s', async (_how, listed, listing) => {
    const fake = await fakeService({
      ...listed,
      'POST /api/projections/briefings/rebuild': json(202, { jobId: 'a' }),
      'GET /api/projections/briefings/rebuild': progressOf(done),
      'POST /api/projections/topics/rebuild': json(202, { jobId: 'b' }),
      'GET /api/projections/topics/rebuild': progressOf(running(20), done),
    });
    server = fake.server;
    const run = await runCli(['rebuild', '--all', '--url', fake.url, '--interval', '1'], {});
    expect(run.code).toBe(0);
    expect(fake.requests).toEqual([
      ...listing,
      'POST /api/projections/briefings/rebuild',
      'GET /api/projections/briefings/rebuild',
      'POST /api/projections/topics/rebuild',
      'GET /api/projections/topics/rebuild',
      'GET /api/projections/topics/rebuild',
    ]);
  });

  it('says so when a replica has left the rebuild queued for long, as when no projector runs, and goes on following it', async () => {
    const queued = { status: 'queued', processed: 0, total: 40, jobId: 'job-1', startedAt: null, finishedAt: null };
    const fake = await fakeService({
      'POST /api/projections/topics/rebuild': json(202, { jobId: 'job-1' }),
      'GET /api/projections/topics/rebuild': progressOf(...Array.from({ length: 25 }, () => queued), { ...done, jobId: 'job-1' }),
    });
    server = fake.server;
    const run = await runCli(['rebuild', 'topics', '--url', fake.url, '--interval', '1'], {});
    expect(run.code).toBe(0);
    expect(run.stderr.match(/warning: the rebuild of topics is still queued/g)).toHaveLength(1);
    expect(run.stderr).toContain('is a projector running on the same stores?');
  });

  it('follows the rebuild that replaced its own when the service restarted under another version', async () => {
    const fake = await fakeService({
      'POST /api/projections/topics/rebuild': json(202, { jobId: 'job-1' }),
      'GET /api/projections/topics/rebuild': progressOf(
        { ...done, jobId: 'job-0' },
        { ...running(10), jobId: 'job-1' },
        { ...running(5), jobId: 'job-2' },
        { ...done, jobId: 'job-2' },
      ),
    });
    server = fake.server;
    const run = await runCli(['rebuild', 'topics', '--url', fake.url, '--interval', '1'], {});
    expect(run.code).toBe(0);
    expect(fake.requests.filter((request) => request.startsWith('GET'))).toHaveLength(4);
    expect(run.stderr).toContain('rebuild topics: done, 40 events');
  });

  it('exits 1 with the reason when the rebuild fails, the projection is unknown, the service refuses, or no service answers', async () => {
    const fake = await fakeService({
      'POST /api/projections/topics/rebuild': json(202, { jobId: 'job-1' }),
      'GET /api/projections/topics/rebuild': progressOf(running(5), { ...running(7), status: 'failed', error: 'event 8: boom' }),
    });
    server = fake.server;
    const failed = await runCli(['rebuild', 'topics', '--url', fake.url, '--interval', '1'], {});
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error: rebuild of topics failed: event 8: boom');

    const unknown = await runCli(['rebuild', 'nothing', '--url', fake.url], {});
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('POST /api/projections/nothing/rebuild: not found (no route POST /api/projections/nothing/rebuild)');

    const elsewhere = await fakeService({
      'POST /api/projections/topics/rebuild': (_request, response) => {
        response.writeHead(409, { 'content-type': 'application/problem+json' });
        response.end(JSON.stringify({ title: 'Conflict', status: 409, detail: 'not now: the service refuses' }));
      },
    });
    const refused = await runCli(['rebuild', 'topics', '--url', elsewhere.url], {});
    await new Promise((resolve) => elsewhere.server.close(resolve));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('POST /api/projections/topics/rebuild answered 409: not now: the service refuses');

    await new Promise((resolve) => fake.server.close(resolve));
    server = undefined;
    const away = await runCli(['rebuild', 'topics', '--url', fake.url], {});
    expect(away.code).toBe(1);
    expect(away.stderr).toContain(`cannot reach the service at ${fake.url} (ECONNREFUSED)`);
  });

  it('sends the key as the service reads it: Authorization: Bearer, from --api-key or ARCHIVE_API_KEY', async () => {
    const keyed = (route: Route): Route => (request, response) => {
      if (request.headers.authorization === 'Bearer admin-secret-0123456789') return route(request, response);
      response.writeHead(401, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ title: 'Unauthorized', status: 401, detail: 'the key is not one this service knows' }));
    };
    const fake = await fakeService({
      'POST /api/projections/topics/rebuild': keyed(json(202, { jobId: 'job-1' })),
      'GET /api/projections/topics/rebuild': keyed(json(200, done)),
    });
    server = fake.server;
    const flag = await runCli(['rebuild', 'topics', '--url', fake.url, '--api-key', 'admin-secret-0123456789'], {});
    expect(flag.code).toBe(0);
    const env = await runCli(['rebuild', 'topics', '--url', fake.url], { ARCHIVE_API_KEY: 'admin-secret-0123456789' });
    expect(env.code).toBe(0);
    const without = await runCli(['rebuild', 'topics', '--url', fake.url], {});
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('answered 401');
  });

  it('takes only an http(s) URL for --url: anything else is a bad command line', async () => {
    for (const url of ['notaurl', 'ftp://example.org']) {
      const run = await runCli(['rebuild', 'topics', '--url', url], {});
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--url/);
      expect(run.stderr).not.toMatch(/TypeError|\n {4}at /);
    }
  });

  it('needs a projection name or --all, not both', async () => {
    expect((await runCli(['rebuild'], {})).code).toBe(2);
    expect((await runCli(['rebuild', 'topics', '--all'], {})).code).toBe(2);
    expect((await runCli(['rebuild', 'topics', '--interval', 'soon'], {})).code).toBe(2);
  });
});
