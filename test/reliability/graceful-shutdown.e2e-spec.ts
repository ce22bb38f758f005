import { afterAll, describe, expect, it, jest } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type ClientRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '../support/feed-client.js';
import { SPOKESPERSON } from '../support/http.js';
import { freePort, startService, type ServiceProcess } from '../support/service-process.js';

/**
 * Graceful shutdown of the built service, as its own process. On SIGTERM it stops taking
 * connections, answers the requests it already has (here a large import whose body is still
 * arriving), ends each live feed stream with a `retry:` hint, lets the projections reach the log's
 * head and commit their checkpoints, closes the stores and exits 0. A shutdown that cannot finish
 * within SHUTDOWN_TIMEOUT_MS is given up with exit code 1.
 */
jest.setTimeout(120_000);

const RETRY_MS = 1234;

/** A briefing of `statements` statements: an import large enough to keep the projections busy after it is answered. */
function largeImport(statements: number): string {
  return JSON.stringify({
    briefingId: randomUUID(),
    heldOn: '2024-03-07',
    location: 'Islamabad',
    organization: 'Ministry of Foreign Affairs of Pakistan',
    spokesperson: SPOKESPERSON,
    statements: Array.from({ length: statements }, (_, n) => ({
      statementId: randomUUID(),
      text: `Statement ${n}: Pakistan remains committed to dialogue and diplomacy with all its neighbours. `.repeat(4),
      topics: ['diplomacy', `topic-${n % 20}`],
    })),
    questions: [],
  });
}

/** A request on a connection of its own, so that nothing is kept alive between requests. */
function open(port: number, method: string, path: string, headers: Record<string, string | number> = {}): ClientRequest {
  return request({ host: '127.0.0.1', port, method, path, headers, agent: false });
}

function answer(req: ClientRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
  });
}

describe('graceful shutdown on SIGTERM', () => {
  const dirs: string[] = [];
  const services: ServiceProcess[] = [];
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop('SIGKILL')));
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  /** A webhook receiver that takes deliveries and never answers them: the service's shutdown waits for the one in flight. */
  async function silentReceiver(): Promise<{ url: string; deliveries: () => number }> {
    let deliveries = 0;
    const server = createServer((req) => {
      deliveries++;
      req.resume();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, deliveries: () => deliveries };
  }

  async function start(env: Record<string, string> = {}): Promise<{ service: ServiceProcess; port: number; dataDir: string }> {
    const dataDir = await mkdtemp(join(tmpdir(), 'archive-graceful-'));
    dirs.push(dataDir);
    const port = await freePort();
    const service = await startService(
      'api',
      { ARCHIVE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', FEED_RETRY_MS: String(RETRY_MS), ...env },
      /listening on/,
    );
    services.push(service);
    return { service, port, dataDir };
  }

  /** Sends the headers and the first half of an import's body: a request the service has, and cannot answer yet. */
  async function importInFlight(service: ServiceProcess, port: number, body: string) {
    const requestId = randomUUID();
    const req = open(port, 'POST', '/api/briefings/import', {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-request-id': requestId,
    });
    const answered = answer(req);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    await waitUntil(() => new RegExp(`"reqId":"${requestId}".*"incoming request"`).test(service.output()), 'the service has the import request');
    return { finish: () => req.end(body.slice(half)), answered };
  }

  it('answers the request in flight, refuses new connections, ends feed streams with a retry hint, and exits 0 with the checkpoints at the log head', async () => {
    const { service, port, dataDir } = await start({ PROJECTION_BATCH_SIZE: '20', WEBHOOK_TIMEOUT_MS: '4000' });

    // A webhook delivery in flight when the signal comes: the shutdown lets it finish (its answer
    // is saved), which takes a while; meanwhile the service must already take no new connection.
    const receiver = await silentReceiver();
    const registered = await answer(open(port, 'POST', '/api/subscriptions', { 'content-type': 'application/json' }).end(JSON.stringify({ callbackUrl: receiver.url, after: 0 })));
    expect(registered.status).toBe(201);
    const opened = await answer(
      open(port, 'POST', '/api/briefings', { 'content-type': 'application/json' }).end(
        JSON.stringify({ heldOn: '2024-03-01', location: 'Islamabad', organization: 'Ministry of Foreign Affairs of Pakistan', spokesperson: SPOKESPERSON }),
      ),
    );
    expect(opened.status).toBe(201);
    await waitUntil(() => receiver.deliveries() > 0, 'a webhook delivery is in flight');

    // A feed client, read raw: the `retry:` lines and the end of the stream are what it must see.
    let feedText = '';
    let feedEnded = false;
    const feed = open(port, 'GET', '/api/feed');
    feed.end();
    const feedResponse = await new Promise<IncomingMessage>((resolve) => feed.once('response', resolve));
    expect(feedResponse.statusCode).toBe(200);
    feedResponse.setEncoding('utf8');
    feedResponse.on('data', (chunk: string) => (feedText += chunk));
    feedResponse.once('end', () => (feedEnded = true));
    await waitUntil(() => feedText.includes(`retry: ${RETRY_MS}\n\n`), 'the feed has sent its first retry hint');

    const body = largeImport(3000);
    const inFlight = await importInFlight(service, port, body);

    service.child.kill('SIGTERM');
    await waitUntil(() => service.output().includes('shutting down'), 'the service has begun to shut down');

    // New connections are refused from now on.
    const refused = await answer(open(port, 'GET', '/health').end()).catch((error: NodeJS.ErrnoException) => error.code);
    expect(refused).toBe('ECONNREFUSED');

    // The feed client is told when to come back, and its stream ends.
    await waitUntil(() => feedEnded, 'the feed stream has ended');
    expect(feedText.split(`retry: ${RETRY_MS}\n\n`)).toHaveLength(3);
    expect(feedText.endsWith(`retry: ${RETRY_MS}\n\n`)).toBe(true);

    // The import in flight is answered in full, after SIGTERM.
    inFlight.finish();
    const imported = await inFlight.answered;
    expect(imported.status).toBe(201);
    const { events, position } = JSON.parse(imported.body) as { events: number; position: number };
    expect(events).toBe(3002);

    expect(await service.exited).toBe(0);
    expect(service.output()).toContain('shut down');

    // What the process left on disk: the log ends with the import, and every projection's checkpoint is there.
    const log = new Database(join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
    const reads = new Database(join(dataDir, 'read.db'), { readonly: true, fileMustExist: true });
    try {
      expect((log.prepare('SELECT MAX(position) AS head FROM events').get() as { head: number }).head).toBe(position);
      const checkpoints = reads.prepare('SELECT name, position, status FROM projection_checkpoints ORDER BY name').all() as {
        name: string;
        position: number;
        status: string;
      }[];
      expect(checkpoints.length).toBeGreaterThan(0);
      expect(checkpoints).toEqual(checkpoints.map(({ name }) => ({ name, position, status: 'live' })));
    } finally {
      log.close();
      reads.close();
    }
  });

  it('gives up a shutdown that outlasts SHUTDOWN_TIMEOUT_MS, with exit code 1 and a message', async () => {
    const { service, port } = await start({ SHUTDOWN_TIMEOUT_MS: '1500' });
    // An import whose body never finishes: the shutdown waits for it until the timeout.
    const inFlight = await importInFlight(service, port, largeImport(10));
    inFlight.answered.catch(() => undefined);

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(/shutdown did not finish within 1500 ms/);
  });
});
