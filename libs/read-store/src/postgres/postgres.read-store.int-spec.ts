import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ReadStoreUnavailableError } from '../read-store.errors.js';
import { readStoreContract } from '../testing/index.js';
import { PostgresReadStore } from './postgres.read-store.js';

/** The machine's PostgreSQL (`.ci/run` starts it); each store gets its own schema, dropped after. */
const connectionString = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const freshSchema = () => `rs_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

async function openStore(): Promise<{ store: PostgresReadStore; dispose: () => Promise<void> }> {
  const store = new PostgresReadStore({ connectionString, schema: freshSchema(), poolSize: 4 });
  return {
    store,
    dispose: async () => {
      await store.dropSchema();
      await store.close();
    },
  };
}

readStoreContract('postgres', openStore);

describe('PostgresReadStore', () => {
  const admin = new pg.Pool({ connectionString, max: 1 });
  afterAll(() => admin.end());

  it('keeps its tables in its own schema and drops them with it', async () => {
    const schema = freshSchema();
    const store = new PostgresReadStore({ connectionString, schema });
    await store.run('CREATE TABLE IF NOT EXISTS kept (id TEXT PRIMARY KEY)');
    const before = await admin.query('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1', [schema]);
    expect(before.rows[0].n).toBe(1);
    await store.dropSchema();
    await store.close();
    const after = await admin.query('SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1', [schema]);
    expect(after.rows[0].n).toBe(0);
  });

  it('answers BIGINT and COUNT as numbers', async () => {
    const { store, dispose } = await openStore();
    try {
      await store.run('CREATE TABLE big (n BIGINT NOT NULL)');
      await store.run('INSERT INTO big (n) VALUES ($1), ($2)', [2 ** 40, 7]);
      expect(await store.get('SELECT SUM(n) AS total, COUNT(*) AS rows FROM big')).toEqual({ total: 2 ** 40 + 7, rows: 2 });
    } finally {
      await dispose();
    }
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => new PostgresReadStore({ connectionString, schema: 'x; DROP TABLE y' })).toThrow(/schema/);
  });

  it('reports an unreachable server as ReadStoreUnavailableError, not a crash', async () => {
    const store = new PostgresReadStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none' });
    await expect(store.ping()).rejects.toBeInstanceOf(ReadStoreUnavailableError);
    await store.close();
  });
});
