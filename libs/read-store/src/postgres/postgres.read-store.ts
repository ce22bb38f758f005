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
  /** How long to wait for a connection before the store counts as unavailable. Default 5 s. */
  readonly connectTimeoutMs?: number;
  /**
   * The longest one statement may take: the server cancels it (`statement_timeout`) and the
   * client stops waiting for it a moment later, in case the server or the network does not answer
   * at all. Either way the caller gets ReadStoreUnavailableError. Default 30 s.
   */
  readonly queryTimeoutMs?: number;
}

/** How much longer than the server's statement timeout the client waits, so the server's own cancel normally wins. */
const CLIENT_TIMEOUT_MARGIN_MS = 1000;

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
  private ready: Promise<void> | undefined;

  constructor(private readonly options: PostgresReadStoreOptions) {
    const schema = options.schema;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`schema "${schema}" is not a plain lower-case name`);
    const queryTimeoutMs = options.queryTimeoutMs ?? 30_000;
    if (!Number.isSafeInteger(queryTimeoutMs) || queryTimeoutMs <= 0) throw new RangeError('queryTimeoutMs must be a positive whole number');
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      // Finds connections a dead network left half open, where no answer would ever come.
      keepAlive: true,
      statement_timeout: queryTimeoutMs,
      query_timeout: queryTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
      types: { getTypeParser: typeParser as never },
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client's error (the server restarting) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.executor = new PgExecutor(this.pool);
    this.ready = this.prepare();
  }

  /** Creates the store's schema; a failure (the server is down) is tried again by the next call rather than kept. */
  private prepare(): Promise<void> {
    const schema = this.options.schema;
    if (!schema) return Promise.resolve();
    const ready: Promise<void> = this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(
      () => undefined,
      (error: unknown) => {
        if (this.ready === ready) this.ready = undefined;
        throw ReadStoreUnavailableError.wrap(error);
      },
    );
    ready.catch(() => undefined);
    return ready;
  }

  private whenReady(): Promise<void> {
    this.ready ??= this.prepare();
    return this.ready;
  }

  async run(sql: string, params?: SqlParams): Promise<number> {
    await this.whenReady();
    return this.executor.run(this.tables.resolve(sql), params);
  }

  async all<Row>(sql: string, params?: SqlParams): Promise<Row[]> {
    await this.whenReady();
    return this.tables.retrying(sql, (resolved) => this.executor.all<Row>(resolved, params));
  }

  async get<Row>(sql: string, params?: SqlParams): Promise<Row | undefined> {
    await this.whenReady();
    return this.tables.retrying(sql, (resolved) => this.executor.get<Row>(resolved, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      await this.whenReady();
      const client = await this.pool.connect().catch((error: unknown) => {
        throw ReadStoreUnavailableError.wrap(error);
      });
      const control = (sql: string) =>
        client.query(sql).catch((error: unknown) => {
          throw ReadStoreUnavailableError.wrap(error);
        });
      // A connection that failed to answer is not given back to the pool: it may never answer again.
      let broken = false;
      // While checked out, a client has no listener of the pool's: a connection lost between two
      // statements would otherwise be an unhandled 'error' event, and end the process.
      const lost = (): void => {
        broken = true;
      };
      client.on('error', lost);
      try {
        await control('BEGIN');
        const value = await work(withTables(new PgExecutor(client), this.tables.map));
        await control('COMMIT');
        return value;
      } catch (error) {
        // Without a connection the server rolls back by itself; waiting on a ROLLBACK that cannot come would only add a timeout.
        broken ||= error instanceof ReadStoreUnavailableError;
        if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        client.off('error', lost);
        client.release(broken);
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
