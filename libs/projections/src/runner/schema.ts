import type { ReadStore } from '@archive/read-store';
import type { Projection } from '../projection.js';
import { CHECKPOINTS_SCHEMA } from './checkpoints.js';

/** Any fixed number: the lock that keeps two processes from creating the same tables at once. */
const SCHEMA_LOCK = 727_274;

/**
 * Creates the checkpoint table and every projection's tables that are missing, in one
 * transaction. API replicas and the projector all call it at start; on PostgreSQL an advisory
 * lock makes them take turns.
 */
export async function ensureSchema(store: ReadStore, projections: readonly Projection[]): Promise<void> {
  await store.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await tx.run(CHECKPOINTS_SCHEMA);
    for (const projection of projections) {
      for (const statement of projection.schema(tx.dialect)) await tx.run(statement);
    }
  });
}
