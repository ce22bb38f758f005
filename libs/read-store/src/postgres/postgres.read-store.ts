import pg from 'pg';
import { ReadStoreUnavailableError } from '../read-store.errors.js';
import type { ReadStore, SqlExecutor, SqlParams } from '../read-store.port.js';
import { TableNames, withTables } from '../table-names.js';

export interface PostgresReadStoreOptions {
  /** e.g. `postgres://postgres@127.0.0.1:5432/archive` */
  readonly connectionString: string;
  /** A schema to keep the read models in (created if missing); `public` when absent. */
  readonly schema?: string;
  /** Connections in the pool; queries share them, a transaction holds one. Default 10. */
  readonly poolSize?: number;
}

const INT8 = 20;
const NUMERIC = 1700;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Positions and counts are BIGINT; they fit a JavaScript number in this archive's lifetime. */
function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8 || oid === NUMERIC) return Number;
  return pg.types.getTypeParser(oid, format as 'text');
}

function toPg(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** Statements run on one pg client or on the pool. */
class PgExecutor implements SqlExecutor {
  readonly dialect = 'postgres' as const;

  constructor(private readonly client: pg.Pool | pg.PoolClient) {}

  private query<Row>(sql: string, params: SqlParams): Promise<pg.QueryResult<Row & pg.QueryResultRow>> {
    return this.client.query<Row & pg.QueryResultRow>(sql, params.map(toPg)).catch((error: unknown) => {
      throw ReadStoreUnavailableError.wrap(error);
    });
  }

  async run(sql: string, params: SqlParams = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  async all<Row>(sql: string, params: SqlParams = []): Promise<Row[]> {
    return (await this.query<Row>(sql, params)).rows;
  }

  async get<Row>(sql: string, params: SqlParams = []): Promise<Row | undefined> {
    return (await this.query<Row>(sql, params)).rows[0];
  }
}

/**
 * The shared read store for the production topology: several API replicas read it while one
 * projector writes. Transactions from this process run one at a time, like SQLite's.
 */
export class PostgresReadStore implements ReadStore {
  readonly dialect = 'postgres' as const;
  readonly tables = new TableNames();
  private readonly pool: pg.Pool;
  private readonly executor: PgExecutor;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly ready: Promise<void>;

  constructor(private readonly options: PostgresReadStoreOptions) {
    const schema = options.schema;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`schema "${schema}" is not a plain lower-case name`);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      types: { getTypeParser: typeParser as never },
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client's error (the server restarting) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.executor = new PgExecutor(this.pool);
    this.ready = schema ? this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(() => undefined) : Promise.resolve();
    this.ready.catch(() => undefined);
  }

  async run(sql: string, params?: SqlParams): Promise<number> {
    await this.ready;
    return this.executor.run(this.tables.resolve(sql), params);
  }

  async all<Row>(sql: string, params?: SqlParams): Promise<Row[]> {
    await this.ready;
    return this.tables.retrying(sql, (resolved) => this.executor.all<Row>(resolved, params));
  }

  async get<Row>(sql: string, params?: SqlParams): Promise<Row | undefined> {
    await this.ready;
    return this.tables.retrying(sql, (resolved) => this.executor.get<Row>(resolved, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      await this.ready;
      const client = await this.pool.connect().catch((error: unknown) => {
        throw ReadStoreUnavailableError.wrap(error);
      });
      try {
        await client.query('BEGIN');
        const value = await work(withTables(new PgExecutor(client), this.tables.map));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  async ping(): Promise<void> {
    await this.get('SELECT 1 AS ok');
  }

  async close(): Promise<void> {
    await this.queue;
    await this.pool.end();
  }

  /** Drops the store's schema and everything in it: for tests that made their own. */
  async dropSchema(): Promise<void> {
    if (!this.options.schema) throw new Error('only a store with its own schema can drop it');
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.options.schema} CASCADE`);
  }
}
