import { createHash } from 'node:crypto';
import { tablePlaceholders, withTables, type ReadStore, type ReadStoreDialect, type SqlExecutor } from '@archive/read-store';
import type { Projection } from '../projection.js';

/**
 * Generations: each build of a projection's tables. Generation 1 keeps the plain names
 * (`topics`); a rebuild builds generation N+1 into `topics_g2`, … and swaps it in by changing
 * the projection's row in `projection_generations`, in the transaction that drops the old tables.
 */
export const GENERATIONS_SCHEMA = `CREATE TABLE IF NOT EXISTS projection_generations (
  name TEXT PRIMARY KEY,
  generation INTEGER NOT NULL
)`;

/** One row per rebuild; `position` is the shadow's checkpoint, written with its tables' changes. */
export const REBUILDS_SCHEMA = `CREATE TABLE IF NOT EXISTS projection_rebuilds (
  job_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  generation INTEGER NOT NULL,
  status TEXT NOT NULL,
  position BIGINT NOT NULL,
  processed BIGINT NOT NULL,
  total BIGINT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  error TEXT
)`;

/**
 * What built each generation: the projection's version and every table it ever created there.
 * A later version may drop a table from its schema; the record still names it, so dropping the
 * generation drops it too. A rebuild interrupted by a stop resumes only under the same version.
 */
export const BUILDS_SCHEMA = `CREATE TABLE IF NOT EXISTS projection_builds (
  name TEXT NOT NULL,
  generation INTEGER NOT NULL,
  version INTEGER NOT NULL,
  tables TEXT NOT NULL,
  PRIMARY KEY (name, generation)
)`;

function generationTable(name: string, generation: number): string {
  return generation <= 1 ? name : `${name}_g${generation}`;
}

/** Every name (tables and indexes) the projection's schema writes as `{name}`. */
function ownedNames(projection: Projection, dialect: ReadStoreDialect): string[] {
  return [...new Set(projection.schema(dialect).flatMap(tablePlaceholders))];
}

/** The tables (not indexes) the projection's schema creates, for dropping a generation. */
function ownedTables(projection: Projection, dialect: ReadStoreDialect): string[] {
  return projection
    .schema(dialect)
    .map((statement) => /CREATE\s+(?:VIRTUAL\s+)?TABLE\s+IF\s+NOT\s+EXISTS\s+\{([a-z_][a-z0-9_]*)\}/i.exec(statement)?.[1])
    .filter((name): name is string => name !== undefined);
}

export function namesFor(projection: Projection, dialect: ReadStoreDialect, generation: number): Map<string, string> {
  return new Map(ownedNames(projection, dialect).map((name) => [name, generationTable(name, generation)]));
}

export async function liveGeneration(db: SqlExecutor, name: string): Promise<number> {
  const row = await db.get<{ generation: number }>('SELECT generation FROM projection_generations WHERE name = $1', [name]);
  return row ? Number(row.generation) : 1;
}

export async function setLiveGeneration(tx: SqlExecutor, name: string, generation: number): Promise<void> {
  await tx.run(
    `INSERT INTO projection_generations (name, generation) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET generation = excluded.generation`,
    [name, generation],
  );
}

interface BuildRow {
  version: number;
  tables: string;
}

async function loadBuild(db: SqlExecutor, name: string, generation: number): Promise<BuildRow | undefined> {
  return db.get<BuildRow>('SELECT version, tables FROM projection_builds WHERE name = $1 AND generation = $2', [name, generation]);
}

async function recordedTables(db: SqlExecutor, name: string, generation: number): Promise<string[]> {
  return (await loadBuild(db, name, generation))?.tables.split(',').filter(Boolean) ?? [];
}

/** The version of the projection that began building `generation`; undefined when unrecorded. */
export async function builtVersion(db: SqlExecutor, name: string, generation: number): Promise<number | undefined> {
  const build = await loadBuild(db, name, generation);
  return build && Number(build.version);
}

/**
 * Creates a generation's tables (when missing), with their real names, and records them.
 * `version` is the version that built the generation, recorded the first time only.
 */
export async function createGeneration(tx: SqlExecutor, projection: Projection, generation: number, version = projection.version): Promise<void> {
  const names = namesFor(projection, tx.dialect, generation);
  for (const statement of projection.schema(tx.dialect)) await withTables(tx, names).run(statement);
  const recorded = await recordedTables(tx, projection.name, generation);
  const tables = [...new Set([...recorded, ...ownedTables(projection, tx.dialect).map((table) => generationTable(table, generation))])];
  await tx.run(
    `INSERT INTO projection_builds (name, generation, version, tables) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name, generation) DO UPDATE SET tables = excluded.tables`,
    [projection.name, generation, version, tables.join(',')],
  );
}

/** Drops every table the generation was recorded with, and any its current schema names. */
export async function dropGeneration(tx: SqlExecutor, projection: Projection, generation: number): Promise<void> {
  const recorded = await recordedTables(tx, projection.name, generation);
  const owned = ownedTables(projection, tx.dialect).map((table) => generationTable(table, generation));
  for (const table of new Set([...recorded, ...owned])) await tx.run(`DROP TABLE IF EXISTS ${table}`);
  await tx.run('DELETE FROM projection_builds WHERE name = $1 AND generation = $2', [projection.name, generation]);
}

/** Reads the registry and points the store's queries at every projection's live tables. */
export async function loadLiveNames(store: ReadStore, projections: readonly Projection[]): Promise<void> {
  if (!store.tables) return;
  const rows = await store.all<{ name: string; generation: number }>('SELECT name, generation FROM projection_generations');
  const generations = new Map(rows.map((row) => [row.name, Number(row.generation)]));
  for (const projection of projections) {
    store.tables.set(namesFor(projection, store.dialect, generations.get(projection.name) ?? 1));
  }
}

// ---- checksums ------------------------------------------------------------------------------

/** A value in the same form whichever store gave it: booleans and big integers become numbers. */
function canonicalValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return value;
}

/**
 * SHA-256 over a generation's tables: for each table in `projection.tables` order, its name and
 * its rows as canonical JSON (keys sorted, values normalised, store-specific surrogate columns
 * left out), the rows sorted by their JSON text, so SQLite and PostgreSQL give the same hash for
 * the same content.
 */
export async function checksumTables(db: SqlExecutor, projection: Projection, generation: number): Promise<string> {
  const hash = createHash('sha256');
  const ignored = new Set(projection.checksumIgnores ?? []);
  for (const table of projection.tables) {
    const rows = await db.all<Record<string, unknown>>(`SELECT * FROM ${generationTable(table, generation)}`);
    const lines = rows
      .map((row) =>
        JSON.stringify(
          Object.keys(row)
            .filter((key) => !ignored.has(key))
            .sort()
            .map((key) => [key, canonicalValue(row[key])]),
        ),
      )
      .sort();
    hash.update(`table ${table} ${lines.length}\n`);
    for (const line of lines) hash.update(`${line}\n`);
  }
  return hash.digest('hex');
}

/** A projection's checksum and the position it stands at, read together in one transaction. */
export async function projectionChecksum(
  store: ReadStore,
  projection: Projection,
): Promise<{ name: string; position: number; checksum: string }> {
  return store.transaction(async (tx) => {
    const generation = await liveGeneration(tx, projection.name);
    const row = await tx.get<{ position: number }>('SELECT position FROM projection_checkpoints WHERE name = $1', [projection.name]);
    return { name: projection.name, position: Number(row?.position ?? 0), checksum: await checksumTables(tx, projection, generation) };
  });
}
