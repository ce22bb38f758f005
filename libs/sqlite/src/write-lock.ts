import type Database from 'better-sqlite3';

/** How often a write waiting for another process's lock tries again: well inside the gap between a projector's batches. */
const LOCK_POLL_MS = 2;

/** SQLite said another connection holds a lock this one needs (`SQLITE_BUSY` and its variants). */
export const isBusy = (error: unknown): boolean => /^SQLITE_BUSY/.test(String((error as { code?: unknown })?.code ?? ''));

/**
 * Begins a write transaction (`BEGIN IMMEDIATE`), trying again every 2 ms while another process
 * holds the file's write lock, off the event loop. SQLite's own wait (the connection's
 * `busy_timeout`, which must be `timeoutMs` and stays in force for everything else) blocks the
 * event loop and sleeps up to 100 ms between tries, so a process committing batch after batch, a
 * few milliseconds apart, kept it out until it gave up. Past `timeoutMs` it rejects with the last
 * `SQLITE_BUSY` error, for the store to report as unavailable; any other error at once.
 */
export async function beginImmediate(db: Database.Database, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const busy = tryBeginImmediate(db, timeoutMs);
    if (busy === undefined) return;
    if (performance.now() >= deadline) throw busy;
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

/**
 * One try of `beginImmediate`, without waiting: undefined once begun, SQLite's `SQLITE_BUSY`
 * error while another process holds the lock, any other error thrown. (`exec`, not a prepared
 * pragma: SQLite applies `busy_timeout` when the statement is prepared, not when it runs.)
 */
function tryBeginImmediate(db: Database.Database, timeoutMs: number): unknown {
  try {
    db.exec('PRAGMA busy_timeout = 0; BEGIN IMMEDIATE');
    return undefined;
  } catch (error) {
    if (isBusy(error)) return error;
    throw error;
  } finally {
    db.exec(`PRAGMA busy_timeout = ${Math.trunc(timeoutMs)}`);
  }
}
