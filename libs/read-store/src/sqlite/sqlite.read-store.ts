import Database from 'better-sqlite3';
import { beginImmediate, checkpointInWorker, isBusy, type WalCheckpointer } from '@archive/sqlite';
import { ReadStoreUnavailableError } from '../read-store.errors.js';
import type { ReadStore, SqlExecutor, SqlParams } from '../read-store.port.js';
import { TableNames, withTables } from '../table-names.js';

interface Compiled {
  readonly statement: Database.Statement;
  /** For each `?` in order, which `$n` parameter (0-based) it binds. */
  readonly order: readonly number[];
  readonly returnsRows: boolean;
}

/**
 * Turns `$1`-style SQL into SQLite's `?` placeholders, remembering which parameter each binds,
 * so one statement text serves both SQLite and PostgreSQL.
 */
function placeholders(sql: string): { text: string; order: number[] } {
  const order: number[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    order.push(Number(n) - 1);
    return '?';
  });
  return { text, order };
}

function toSqlite(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}

/** One better-sqlite3 connection with a statement cache. */
class Connection implements SqlExecutor {
  readonly dialect = 'sqlite' as const;
  private readonly cache = new Map<string, Compiled>();

  constructor(readonly db: Database.Database) {}

  private compile(sql: string): Compiled {
    let compiled = this.cache.get(sql);
    if (!compiled) {
      const { text, order } = placeholders(sql);
      const statement = this.db.prepare(text);
      compiled = { statement, order, returnsRows: statement.reader };
      this.cache.set(sql, compiled);
    }
    return compiled;
  }

  private bind(compiled: Compiled, params: SqlParams): unknown[] {
    return compiled.order.map((index) => toSqlite(params[index]));
  }

  runSync(sql: string, params: SqlParams = []): number {
    const compiled = this.compile(sql);
    return compiled.statement.run(...this.bind(compiled, params)).changes;
  }

  async run(sql: string, params: SqlParams = []): Promise<number> {
    return this.runSync(sql, params);
  }

  async all<Row>(sql: string, params: SqlParams = []): Promise<Row[]> {
    const compiled = this.compile(sql);
    return compiled.statement.all(...this.bind(compiled, params)) as Row[];
  }

  async get<Row>(sql: string, params: SqlParams = []): Promise<Row | undefined> {
    const compiled = this.compile(sql);
    return compiled.statement.get(...this.bind(compiled, params)) as Row | undefined;
  }
}

/** A connection's durability settings, for health checks and tests. */
export interface SqliteReadStorePragmas {
  readonly journalMode: string;
  /** 1 is NORMAL: a commit may be lost in a power cut, never half-applied. */
  readonly synchronous: number;
}

export interface SqliteReadStoreOptions {
  /** The database file; `:memory:` keeps it in memory (one connection, tests only). */
  readonly filename: string;
  /** Told if the checkpoint worker fails (SQLite then checkpoints on the store's own connection). */
  readonly onCheckpointerFailure?: () => void;
  /** How long a write waits for another process's write transaction to end. Default 5000 ms. */
  readonly lockTimeoutMs?: number;
}

/**
 * The embedded read store. A writer connection takes projection transactions; queries use a
 * second connection that, thanks to WAL, sees only committed data and never waits for a batch.
 * Read models can be rebuilt from the log, so commits use `synchronous=NORMAL`.
 */
export class SqliteReadStore implements ReadStore {
  readonly dialect = 'sqlite' as const;
  readonly tables = new TableNames();
  private readonly writer: Connection;
  private readonly reader: Connection;
  /** Serialises transactions: each runs to its end before the next begins. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly checkpointer: WalCheckpointer | undefined;
  private readonly lockTimeoutMs: number;

  constructor(options: SqliteReadStoreOptions) {
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5000;
    const open = () => {
      const db = new Database(options.filename);
      db.pragma(`busy_timeout = ${this.lockTimeoutMs}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      return db;
    };
    this.writer = new Connection(open());
    this.reader = options.filename === ':memory:' ? this.writer : new Connection(open());
    this.checkpointer = checkpointInWorker(this.writer.db, options.filename, 'NORMAL', options.onCheckpointerFailure);
  }

  /**
   * Waits for the transaction in flight, if any: on the shared writer connection the statement
   * would otherwise become part of it, and be undone if it rolled back. Inside a transaction's
   * work, write through its `tx`: this would wait for the work itself.
   */
  run(sql: string, params?: SqlParams): Promise<number> {
    return this.writing(() => this.writer.run(this.tables.resolve(sql), params));
  }

  all<Row>(sql: string, params?: SqlParams): Promise<Row[]> {
    return this.tables.retrying(sql, (resolved) => this.reader.all<Row>(resolved, params));
  }

  get<Row>(sql: string, params?: SqlParams): Promise<Row | undefined> {
    return this.tables.retrying(sql, (resolved) => this.reader.get<Row>(resolved, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.writing(() => work(withTables(this.writer, this.tables.map)));
  }

  /** Runs `work` in a write transaction of its own, once the writer and the file's write lock are free. */
  private writing<T>(work: () => Promise<T>): Promise<T> {
    return this.serialised(async () => {
      await this.checkpointer?.beforeWrite();
      const db = this.writer.db;
      await this.lock();
      try {
        const value = await work();
        db.exec('COMMIT');
        return value;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** Begins a write transaction once no other process holds the lock (see `beginImmediate`); past `lockTimeoutMs` the store is unavailable. */
  private async lock(): Promise<void> {
    try {
      await beginImmediate(this.writer.db, this.lockTimeoutMs);
    } catch (error) {
      if (!isBusy(error)) throw error;
      throw new ReadStoreUnavailableError(`read store unavailable: another process held its write lock for over ${this.lockTimeoutMs} ms`, { cause: error });
    }
  }

  /** Runs `task` once everything queued before it on the writer has finished. */
  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  pragmas(): { writer: SqliteReadStorePragmas; reader: SqliteReadStorePragmas } {
    const of = ({ db }: Connection): SqliteReadStorePragmas => ({
      journalMode: String(db.pragma('journal_mode', { simple: true })),
      synchronous: Number(db.pragma('synchronous', { simple: true })),
    });
    return { writer: of(this.writer), reader: of(this.reader) };
  }

  async ping(): Promise<void> {
    this.reader.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.queue;
    await this.checkpointer?.close();
    if (this.reader !== this.writer) this.reader.db.close();
    this.writer.db.close();
  }
}
