import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startService } from '../support/service-process.js';

describe('the service as its own process', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('starts with the README command, answers, and on SIGTERM closes its stores and exits 0 with the data kept', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'archive-shutdown-'));
    dirs.push(dataDir);
    const port = await freePort();
    const env = { ARCHIVE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };
    const first = await startService('api', env, /listening on/);
    const sample = await readFile('data/samples/2024-01-fo-briefing.json', 'utf8');
    const imported = await fetch(`http://127.0.0.1:${port}/api/briefings/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: sample,
    });
    expect(imported.status).toBe(201);
    const { position } = (await imported.json()) as { position: number };

    expect(first.output()).toContain('NO API KEYS ARE SET');
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toContain('shutting down');

    const second = await startService('api', env, /listening on/);
    try {
      const timeline = await fetch(`http://127.0.0.1:${port}/api/topics/ttp`, { headers: { 'X-Min-Position': String(position) } });
      expect(timeline.status).toBe(200);
      const body = (await timeline.json()) as { items: { briefingId: string }[] };
      expect(body.items.length).toBeGreaterThan(0);
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
  });

  it('refuses to start on a bad setting, naming it, with exit code 2', async () => {
    const failed = startService('api', { PORT: 'eighty', EVENT_STORE: 'mongo' }, /never/);
    await expect(failed).rejects.toThrow(/exited \(2\)[\s\S]*PORT must be a whole number[\s\S]*EVENT_STORE must be one of/);
  });

  it('names a HOST, a PORT or an ARCHIVE_DATA_DIR it cannot use, with exit code 2', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'archive-bad-setting-'));
    dirs.push(dataDir);
    const port = String(await freePort());
    await expect(startService('api', { ARCHIVE_DATA_DIR: dataDir, PORT: port, HOST: '999.1.1.1' }, /never/)).rejects.toThrow(
      /exited \(2\)[\s\S]*HOST must be an IP address or a host name, got "999.1.1.1"/,
    );
    await expect(startService('api', { ARCHIVE_DATA_DIR: dataDir, PORT: port, HOST: 'no-such-host.invalid' }, /never/)).rejects.toThrow(
      /exited \(2\)[\s\S]*HOST no-such-host.invalid cannot be listened on/,
    );
    const file = join(dataDir, 'a-file');
    await writeFile(file, '');
    await expect(startService('api', { ARCHIVE_DATA_DIR: join(file, 'data'), PORT: port }, /never/)).rejects.toThrow(
      /exited \(2\)[\s\S]*ARCHIVE_DATA_DIR .*a-file\/data cannot be used as a directory/,
    );
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(Number(port), '127.0.0.1', resolve));
    try {
      await expect(startService('api', { ARCHIVE_DATA_DIR: dataDir, PORT: port, HOST: '127.0.0.1' }, /never/)).rejects.toThrow(
        new RegExp(`exited \\(2\\)[\\s\\S]*PORT ${port} is already in use`),
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('refuses to start with open writes in production: NODE_ENV=production without keys is exit code 2', async () => {
    const failed = startService('api', { NODE_ENV: 'production', ARCHIVE_API_KEYS: '', PORT: String(await freePort()) }, /never/);
    await expect(failed).rejects.toThrow(/exited \(2\)[\s\S]*NODE_ENV=production needs ARCHIVE_API_KEYS/);
  });

  it('stops with exit code 3 and names the store when a store cannot be reached at start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'archive-unreachable-'));
    dirs.push(dataDir);
    const env = { ARCHIVE_DATA_DIR: dataDir, PORT: String(await freePort()), READ_STORE: 'postgres', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' };
    await expect(startService('api', env, /never/)).rejects.toThrow(/exited \(3\)[\s\S]*cannot reach the read store \(postgres\)/);
    await expect(startService('projector', env, /never/)).rejects.toThrow(/exited \(3\)[\s\S]*cannot reach the read store \(postgres\)/);
    const noKurrentDb = { ARCHIVE_DATA_DIR: dataDir, PORT: String(await freePort()), EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://127.0.0.1:1?tls=false' };
    await expect(startService('api', noKurrentDb, /never/)).rejects.toThrow(/exited \(3\)[\s\S]*cannot reach the event store \(kurrentdb\)/);
  });
});
