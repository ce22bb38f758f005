import type { ReadStore, SqlExecutor } from '@archive/read-store';
import type { Projection } from '../projection.js';
import { CHECKPOINTS_SCHEMA } from './checkpoints.js';
import { BUILDS_SCHEMA, createGeneration, GENERATIONS_SCHEMA, liveGeneration, loadLiveNames, REBUILDS_SCHEMA } from './generations.js';
import { REBUILD_REQUESTS_SCHEMA } from './rebuilds.js';

/** Any fixed number: the lock that keeps two processes from creating the same tables at once. */
const SCHEMA_LOCK = 727_274;

/**
 * Creates the checkpoint, generation and rebuild registries and every projection's live tables that are
 * missing, in one transaction, then points the store's queries at the live tables (and, should a
 * rebuild elsewhere swap them, lets the store find the new ones). API replicas and the projector
 * all call it at start; on PostgreSQL an advisory lock makes them take turns.
 */
export async function ensureSchema(store: ReadStore, projections: readonly Projection[]): Promise<void> {
  await store.transaction(async (tx) => {
    await lockSchema(tx);
    await tx.run(CHECKPOINTS_SCHEMA);
    await tx.run(GENERATIONS_SCHEMA);
    await tx.run(REBUILDS_SCHEMA);
    await tx.run(BUILDS_SCHEMA);
    await tx.run(REBUILD_REQUESTS_SCHEMA);
    for (const projection of projections) {
      // The live tables were built by the version their checkpoint names, which may be older than this code.
      const built = await tx.get<{ version: number }>('SELECT version FROM projection_checkpoints WHERE name = $1', [projection.name]);
      await createGeneration(tx, projection, await liveGeneration(tx, projection.name), built ? Number(built.version) : projection.version);
    }
  });
  await loadLiveNames(store, projections);
  store.tables?.onStale(() => loadLiveNames(store, projections));
}

/**
 * Within a transaction that creates, swaps or drops a generation: on PostgreSQL, waits for any
 * other such transaction (a replica starting, a rebuild swapping) to end first, so none of them
 * reads the registry the other is changing. SQLite's write transactions already take turns.
 */
export async function lockSchema(tx: SqlExecutor): Promise<void> {
  if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
}
