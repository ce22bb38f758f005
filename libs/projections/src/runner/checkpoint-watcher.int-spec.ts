import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqliteReadStore } from '@archive/read-store';
import { CheckpointWatcher } from './checkpoint-watcher.js';
import { CHECKPOINTS_SCHEMA } from './checkpoints.js';

describe('CheckpointWatcher', () => {
  let dir: string;
  let reads: SqliteReadStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'checkpoint-watcher-'));
    reads = new SqliteReadStore({ filename: join(dir, 'read.db') });
    await reads.run(CHECKPOINTS_SCHEMA);
    const row = `INSERT INTO projection_checkpoints (name, version, position, status) VALUES ($1, 1, $2, 'live')`;
    await reads.run(row, ['topics', 40]);
    await reads.run(row, ['briefings', 42]);
    // Left by a projection this code no longer has: it never moves again.
    await reads.run(row, ['retired', 3]);
  });
  afterAll(async () => {
    await reads?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports only the projections the code has', async () => {
    const watcher = new CheckpointWatcher(reads, ['briefings', 'topics']);
    expect((await watcher.states()).map((state) => [state.name, state.position])).toEqual([
      ['briefings', 42],
      ['topics', 40],
    ]);
  });

  it("waits for the code's projections alone, not for a checkpoint left by a retired one", async () => {
    const watcher = new CheckpointWatcher(reads, ['briefings', 'topics']);
    await expect(watcher.waitForQueries(40, 1_000)).resolves.toBe(true);
    await expect(watcher.waitForQueries(41, 50)).resolves.toBe(false);
  });
});
