import type { SqlExecutor } from '@archive/read-store';

export type ProjectionStatus = 'live' | 'failed';

export interface Checkpoint {
  name: string;
  version: number;
  position: number;
  status: ProjectionStatus;
  error: string | null;
  errorPosition: number | null;
}

export const CHECKPOINTS_SCHEMA = `CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  position BIGINT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  error_position BIGINT
)`;

interface Row {
  name: string;
  version: number;
  position: number;
  status: ProjectionStatus;
  error: string | null;
  error_position: number | null;
}

export async function loadCheckpoint(db: SqlExecutor, name: string, version: number): Promise<Checkpoint> {
  await db.run(
    `INSERT INTO projection_checkpoints (name, version, position, status) VALUES ($1, $2, 0, 'live')
     ON CONFLICT (name) DO NOTHING`,
    [name, version],
  );
  const row = (await db.get<Row>('SELECT * FROM projection_checkpoints WHERE name = $1', [name]))!;
  return {
    name: row.name,
    version: Number(row.version),
    position: Number(row.position),
    status: row.status,
    error: row.error,
    errorPosition: row.error_position === null ? null : Number(row.error_position),
  };
}

/** Written in the same transaction as the read-model changes up to `position`. */
export async function saveCheckpoint(tx: SqlExecutor, name: string, position: number): Promise<void> {
  await tx.run('UPDATE projection_checkpoints SET position = $2 WHERE name = $1', [name, position]);
}

export async function saveFailure(tx: SqlExecutor, name: string, position: number, error: string, errorPosition: number): Promise<void> {
  await tx.run(
    `UPDATE projection_checkpoints SET position = $2, status = 'failed', error = $3, error_position = $4 WHERE name = $1`,
    [name, position, error, errorPosition],
  );
}
