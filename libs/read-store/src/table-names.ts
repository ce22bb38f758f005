import type { SqlExecutor, SqlParams } from './read-store.port.js';

/** `{name}` in a statement: a read-model table whose real name depends on the live generation. */
const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;

/** Replaces every `{name}` with its entry in `names`, or with `name` itself when it has none. */
function resolveTables(sql: string, names: ReadonlyMap<string, string>): string {
  if (!sql.includes('{')) return sql;
  return sql.replace(PLACEHOLDER, (_, name: string) => names.get(name) ?? name);
}

/** The `{name}` placeholders a statement uses, in order of first use. */
export function tablePlaceholders(sql: string): string[] {
  return [...new Set([...sql.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/**
 * An executor that resolves `{name}` through `names` before handing the statement on. Statements
 * are few and run many times (a projection's per event), so each is resolved once.
 */
export function withTables(executor: SqlExecutor, names: ReadonlyMap<string, string>): SqlExecutor {
  const resolved = new Map<string, string>();
  const resolve = (sql: string): string => {
    let text = resolved.get(sql);
    if (text === undefined) resolved.set(sql, (text = resolveTables(sql, names)));
    return text;
  };
  return {
    dialect: executor.dialect,
    run: (sql: string, params?: SqlParams) => executor.run(resolve(sql), params),
    all: <Row>(sql: string, params?: SqlParams) => executor.all<Row>(resolve(sql), params),
    get: <Row>(sql: string, params?: SqlParams) => executor.get<Row>(resolve(sql), params),
  };
}

/** Whether a statement failed because a table it names does not exist (SQLite or PostgreSQL). */
export function isMissingTable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (e.code === '42P01') return true;
  return typeof e.message === 'string' && /no such table/i.test(e.message);
}

/**
 * The live names of the read models' tables, as a store resolves them for queries. A rebuild
 * swaps a projection to new tables; the process that swapped updates the names at once, and
 * any other process learns of it the first time a query finds an old table gone: the store then
 * calls the refresher (which reads the registry) and tries the query once more.
 */
export class TableNames {
  private readonly names = new Map<string, string>();
  private refresher: (() => Promise<void>) | undefined;
  private refreshing: Promise<void> | undefined;

  get map(): ReadonlyMap<string, string> {
    return this.names;
  }

  resolve(sql: string): string {
    return resolveTables(sql, this.names);
  }

  set(names: ReadonlyMap<string, string>): void {
    for (const [name, real] of names) this.names.set(name, real);
  }

  onStale(refresher: () => Promise<void>): void {
    this.refresher = refresher;
  }

  /** Runs `query` with the live names; once more after a refresh when one of its tables is gone. */
  async retrying<T>(sql: string, query: (resolved: string) => Promise<T>): Promise<T> {
    const resolved = this.resolve(sql);
    try {
      return await query(resolved);
    } catch (error) {
      if (!this.refresher || resolved === sql || !isMissingTable(error)) throw error;
      this.refreshing ??= this.refresher().finally(() => {
        this.refreshing = undefined;
      });
      await this.refreshing;
      const again = this.resolve(sql);
      if (again === resolved) throw error;
      return query(again);
    }
  }
}
