import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { freePort, startService, type ServiceProcess } from '../support/service-process.js';

/**
 * The projector beside an API on the embedded store: both processes open the same SQLite files;
 * the projector's subscription sees the API's appends, and the API answers X-Min-Position from
 * the checkpoints the projector commits.
 */
describe('a projector process beside an API on the embedded SQLite store', () => {
  let dataDir: string;
  let api: ServiceProcess;
  let projector: ServiceProcess;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'archive-embedded-projector-'));
    const port = await freePort();
    const env = { ARCHIVE_DATA_DIR: dataDir, HOST: '127.0.0.1' };
    [api, projector] = await Promise.all([
      startService('api', { ...env, PORT: String(port), PROJECTIONS: 'off' }, /listening on/),
      startService('projector', env, /projector running/),
    ]);
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    const codes = await Promise.all([api?.stop(), projector?.stop()]);
    await rm(dataDir, { recursive: true, force: true });
    expect(codes).toEqual([0, 0]);
  });

  it('projects what the API appends, and the API reads it with X-Min-Position', async () => {
    const imported = await fetch(`${base}/api/briefings/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: await readFile('data/samples/2023-12-fo-briefing.json', 'utf8'),
    });
    expect(imported.status).toBe(201);
    const { position, briefingId } = (await imported.json()) as { position: number; briefingId: string };

    const transcript = await fetch(`${base}/api/briefings/${briefingId}`, { headers: { 'X-Min-Position': String(position) } });
    expect(transcript.status).toBe(200);
    const body = (await transcript.json()) as { statements: unknown[]; questions: { answers: unknown[] }[] };
    expect(body.statements).toHaveLength(1);
    expect(body.questions.flatMap((q) => q.answers)).toHaveLength(2);

    const health = (await (await fetch(`${base}/health`)).json()) as { details: { projections: Record<string, { position?: number }> } };
    expect(health.details.projections.briefings?.position).toBe(position);
  });

  it('rebuilds a read model asked of the API: the projector takes the request up under its job id', async () => {
    const checksum = async () => ((await (await fetch(`${base}/api/projections/topics/checksum`)).json()) as { checksum: string }).checksum;
    const before = await checksum();
    const asked = await fetch(`${base}/api/projections/topics/rebuild`, { method: 'POST' });
    expect(asked.status).toBe(202);
    const { jobId } = (await asked.json()) as { jobId: string };
    const statuses = new Set<string>();
    let progress: { jobId: string; status: string };
    do {
      progress = (await (await fetch(`${base}/api/projections/topics/rebuild`)).json()) as { jobId: string; status: string };
      expect(progress.jobId).toBe(jobId);
      statuses.add(progress.status);
    } while (progress.status !== 'done' && progress.status !== 'failed');
    expect(progress.status).toBe('done');
    expect([...statuses].every((status) => ['queued', 'running', 'done'].includes(status))).toBe(true);
    expect(await checksum()).toBe(before);

    // The CLI asks and follows a rebuild the same way, through the API.
    const run = await runCli(['rebuild', 'topics', '--url', base, '--interval', '50'], {});
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/rebuild topics: done/);
    expect(await checksum()).toBe(before);
  });
});
