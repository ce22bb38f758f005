import type { TableNames } from './table-names.js';

/** Parameters of a statement, bound to `$1`, `$2`, … in order. */
export type SqlParams = readonly unknown[];

/**
 * Runs SQL against a read store. Statements are written once, with `$1`-style placeholders and
 * the SQL that SQLite and PostgreSQL share; where they differ a caller branches on `dialect`.
 */
export interface SqlExecutor {
  readonly dialect: ReadStoreDialect;
  /** Runs a statement; answers how many rows it changed. */
  run(sql: string, params?: SqlParams): Promise<number>;
  all<Row>(sql: string, params?: SqlParams): Promise<Row[]>;
  get<Row>(sql: string, params?: SqlParams): Promise<Row | undefined>;
}

export type ReadStoreDialect = 'sqlite' | 'postgres';

/**
 * The read store port: where projections keep read models and queries read them. A projection
 * writes only inside `transaction`, so its changes and its checkpoint commit together; a lone
 * `run` outside one commits by itself (a checkpoint's first row, a webhook's bookkeeping).
 * Queries outside a transaction see only committed data.
 */
export interface ReadStore extends SqlExecutor {
  /**
   * Statements may name read-model tables as `{name}`; the store resolves them to the live
   * generation's tables (see TableNames). Absent in stores that do not resolve names.
   */
  readonly tables?: TableNames;
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Checks that the store answers; throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
