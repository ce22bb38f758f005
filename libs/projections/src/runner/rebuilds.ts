import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '@archive/read-store';

export type RebuildStatus = 'running' | 'done' | 'failed';

/** A rebuild as its registry row records it. */
export interface RebuildJob {
  jobId: string;
  name: string;
  generation: number;
  status: RebuildStatus;
  /** The shadow's checkpoint: the last position applied to the new tables. */
  position: number;
  /** Events applied to the new tables. */
  processed: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

interface Row {
  job_id: string;
  name: string;
  generation: number;
  status: RebuildStatus;
  position: number;
  processed: number;
  started_at: string;
  finished_at: string | null;
  error: string | null;
}

function toJob(row: Row): RebuildJob {
  return {
    jobId: row.job_id,
    name: row.name,
    generation: Number(row.generation),
    status: row.status,
    position: Number(row.position),
    processed: Number(row.processed),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

/** The projection's latest rebuild, if it ever had one. */
export async function latestRebuild(db: SqlExecutor, name: string): Promise<RebuildJob | undefined> {
  const row = await db.get<Row>('SELECT * FROM projection_rebuilds WHERE name = $1 ORDER BY generation DESC LIMIT 1', [name]);
  return row && toJob(row);
}

export async function rebuildExists(db: SqlExecutor, jobId: string): Promise<boolean> {
  return (await db.get('SELECT 1 AS found FROM projection_rebuilds WHERE job_id = $1', [jobId])) !== undefined;
}

export async function runningRebuilds(db: SqlExecutor): Promise<RebuildJob[]> {
  const rows = await db.all<Row>(`SELECT * FROM projection_rebuilds WHERE status = 'running' ORDER BY name`);
  return rows.map(toJob);
}

/** The highest generation any rebuild of the projection used: a new one never reuses a name. */
export async function highestRebuildGeneration(db: SqlExecutor, name: string): Promise<number> {
  const row = await db.get<{ generation: number | null }>('SELECT MAX(generation) AS generation FROM projection_rebuilds WHERE name = $1', [name]);
  return Number(row?.generation ?? 0);
}

export async function insertRebuild(tx: SqlExecutor, job: RebuildJob, total: number): Promise<void> {
  await tx.run(
    `INSERT INTO projection_rebuilds (job_id, name, generation, status, position, processed, total, started_at)
     VALUES ($1, $2, $3, 'running', 0, 0, $4, $5)`,
    [job.jobId, job.name, job.generation, total, job.startedAt],
  );
}

/** Written in the same transaction as the shadow tables' changes up to `position`. */
export async function saveRebuildProgress(tx: SqlExecutor, job: RebuildJob): Promise<void> {
  await tx.run('UPDATE projection_rebuilds SET position = $2, processed = $3 WHERE job_id = $1', [job.jobId, job.position, job.processed]);
}

export async function finishRebuild(tx: SqlExecutor, job: RebuildJob): Promise<void> {
  await tx.run(
    'UPDATE projection_rebuilds SET status = $2, position = $3, processed = $4, total = $4, finished_at = $5, error = $6 WHERE job_id = $1',
    [job.jobId, job.status, job.position, job.processed, job.finishedAt, job.error],
  );
}

/**
 * Rebuilds asked of a process that does not run the projections (an API replica): the projector
 * takes them from here (see ProjectionRunner), under the job id the asker already answered with.
 */
export const REBUILD_REQUESTS_SCHEMA = `CREATE TABLE IF NOT EXISTS projection_rebuild_requests (
  name TEXT PRIMARY KEY,
  job_id TEXT NOT NULL,
  requested_at TEXT NOT NULL
)`;

interface RebuildRequest {
  name: string;
  jobId: string;
  requestedAt: string;
}

/**
 * Asks the process that runs the projections for a rebuild; answers its job id: the running
 * rebuild's or the request already waiting, if there is one, else a new one's.
 */
export async function requestRebuild(tx: SqlExecutor, name: string): Promise<string> {
  const running = await tx.get<{ job_id: string }>(`SELECT job_id FROM projection_rebuilds WHERE name = $1 AND status = 'running'`, [name]);
  if (running) return running.job_id;
  const waiting = await pendingRebuild(tx, name);
  if (waiting) return waiting.jobId;
  const jobId = randomUUID();
  await tx.run('INSERT INTO projection_rebuild_requests (name, job_id, requested_at) VALUES ($1, $2, $3)', [name, jobId, new Date().toISOString()]);
  return jobId;
}

export async function pendingRebuild(db: SqlExecutor, name: string): Promise<RebuildRequest | undefined> {
  const row = await db.get<{ name: string; job_id: string; requested_at: string }>('SELECT * FROM projection_rebuild_requests WHERE name = $1', [name]);
  return row && { name: row.name, jobId: row.job_id, requestedAt: row.requested_at };
}

export async function pendingRebuilds(db: SqlExecutor): Promise<RebuildRequest[]> {
  const rows = await db.all<{ name: string; job_id: string; requested_at: string }>('SELECT * FROM projection_rebuild_requests ORDER BY requested_at');
  return rows.map((row) => ({ name: row.name, jobId: row.job_id, requestedAt: row.requested_at }));
}

export async function dropRebuildRequest(tx: SqlExecutor, name: string): Promise<void> {
  await tx.run('DELETE FROM projection_rebuild_requests WHERE name = $1', [name]);
}
