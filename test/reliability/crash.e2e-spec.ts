import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceClient } from '../support/service-client.js';
import { freePort, startService, type ServiceProcess } from '../support/service-process.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Crash safety: the real service is killed with SIGKILL (no shutdown code runs) in the middle of
 * a burst of writes, of a projection batch and of a rebuild, then restarted on the same files.
 * Every command it acknowledged must be in the log exactly once, and the read models it rebuilds
 * or resumes must equal those a fresh process folds from the same log.
 */
// Each case starts the service three or four times.
jest.setTimeout(120_000);

describe('crash safety: SIGKILL and restart on the same data', () => {
  const dirs: string[] = [];
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop('SIGKILL')));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'archive-crash-'));
    dirs.push(dir);
    return dir;
  }

  async function start(dataDir: string, env: Record<string, string> = {}): Promise<{ service: ServiceProcess; client: ServiceClient }> {
    const port = await freePort();
    const service = await startService(
      'api',
      { ARCHIVE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', RATE_LIMIT_PER_ADDRESS: '0', ...env },
      /listening on/,
    );
    running.push(service);
    return { service, client: new ServiceClient(`http://127.0.0.1:${port}`) };
  }

  /** The read models a fresh process folds from a copy of this log alone. */
  async function freshChecksums(dataDir: string): Promise<Record<string, string>> {
    const copy = await tempDir();
    for (const file of await readdir(dataDir)) {
      if (file.startsWith('events.db')) await copyFile(join(dataDir, file), join(copy, file));
    }
    const { service, client } = await start(copy);
    try {
      await client.projectionsCaughtUp();
      return await client.checksums();
    } finally {
      expect(await service.stop('SIGTERM')).toBe(0);
    }
  }

  /** Restarts on the same data; checks the read models converge to a fresh fold's; stops cleanly. */
  async function restartAndConverge(dataDir: string): Promise<ServiceClient> {
    const { service, client } = await start(dataDir);
    await client.projectionsCaughtUp();
    const resumed = await client.checksums();
    const events = await client.allEvents();
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(await freshChecksums(dataDir)).toEqual(resumed);
    expect(events.length).toBeGreaterThan(0);
    return client;
  }

  /** The January sample with every id replaced: a new briefing each call. */
  async function freshImport(): Promise<unknown> {
    const text = await readFile('data/samples/2024-01-fo-briefing.json', 'utf8');
    const ids = new Map<string, string>();
    return JSON.parse(text.replace(UUID, (id) => ids.get(id) ?? ids.set(id, randomUUID()).get(id)!));
  }

  it('keeps every acknowledged command of a burst exactly once, and converges', async () => {
    const dataDir = await tempDir();
    const { service, client } = await start(dataDir);
    const briefings = await Promise.all([1, 2, 3, 4].map(() => client.openBriefing()));
    const acknowledged = new Set<string>();
    let killed = false;
    const writer = async (index: number) => {
      for (let n = 0; !killed; n += 1) {
        const statementId = randomUUID();
        try {
          const { status } = await client.request('POST', `/api/briefings/${briefings[(index + n) % briefings.length]}/statements`, {
            statementId,
            text: `Statement ${index}/${n} on the situation at the border.`,
            topics: ['ttp', `topic-${index % 3}`],
          });
          if (status === 201) acknowledged.add(statementId);
          else expect(status).toBe(409); // two writers on one briefing: a conflict, never a failure
        } catch {
          return; // the connection died with the process
        }
        if (acknowledged.size >= 150 && !killed) {
          killed = true;
          await service.stop('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, index) => writer(index)));
    expect(await service.exited).toBe('SIGKILL');

    const { service: restarted, client: after } = await start(dataDir);
    const counts = new Map<string, number>();
    for (const event of await after.allEvents()) {
      if (event.type === 'StatementRecorded') counts.set(String(event.data.statementId), (counts.get(String(event.data.statementId)) ?? 0) + 1);
    }
    for (const id of acknowledged) expect({ id, count: counts.get(id) }).toEqual({ id, count: 1 });
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(await restarted.stop('SIGTERM')).toBe(0);
    await restartAndConverge(dataDir);
  });

  it('resumes the projections after a kill while committed events were not yet applied, applying nothing twice', async () => {
    const dataDir = await tempDir();
    // Live events wait up to 250 ms for their batch, so the kill finds some not yet applied even
    // on a machine where nothing else competes for the CPU.
    const { service, client } = await start(dataDir, { PROJECTION_BATCH_SIZE: '5000', PROJECTION_FLUSH_INTERVAL_MS: '250' });
    let behind = false;
    for (let attempt = 0; attempt < 50 && !behind; attempt += 1) {
      await Promise.all(Array.from({ length: 16 }, async () => expect((await client.request('POST', '/api/briefings/import', await freshImport())).status).toBe(201)));
      const { items: states } = (await client.json('/api/projections')) as { items: { lag: number }[] };
      behind = states.some((state) => state.lag > 0);
    }
    // The projections had not applied the last imports when the process died.
    expect(behind).toBe(true);
    await service.stop('SIGKILL');
    await restartAndConverge(dataDir);
  });

  it('resumes a rebuild killed half way, and swaps in the same read model a fresh fold gives', async () => {
    const dataDir = await tempDir();
    const { service, client } = await start(dataDir, { PROJECTION_BATCH_SIZE: '10' });
    for (let round = 0; round < 10; round += 1) {
      await Promise.all(Array.from({ length: 10 }, async () => expect((await client.request('POST', '/api/briefings/import', await freshImport())).status).toBe(201)));
    }
    await client.projectionsCaughtUp();
    let halfway = false;
    for (let attempt = 0; attempt < 20 && !halfway; attempt += 1) {
      expect((await client.request('POST', '/api/projections/topics/rebuild')).status).toBe(202);
      for (;;) {
        const progress = (await client.json('/api/projections/topics/rebuild')) as { status: string; processed: number };
        if (progress.status !== 'running') break;
        if (progress.processed > 0) {
          halfway = true;
          break;
        }
      }
    }
    expect(halfway).toBe(true);
    await service.stop('SIGKILL');

    const { service: restarted, client: after } = await start(dataDir, { PROJECTION_BATCH_SIZE: '10' });
    for (;;) {
      const progress = (await after.json('/api/projections/topics/rebuild')) as { status: string };
      if (progress.status === 'done') break;
      expect(progress.status).toBe('running');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await restarted.stop('SIGTERM')).toBe(0);
    await restartAndConverge(dataDir);
  });
});
