import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointerOptions {
  /** The database file, in WAL mode. */
  readonly filename: string;
  /** The `synchronous` level of the store's own connection, so a checkpoint syncs as its commits do. */
  readonly synchronous: 'FULL' | 'NORMAL';
  /** How often the worker checkpoints (default 100 ms). */
  readonly intervalMs?: number;
  /** Told when the worker cannot go on, so the store checkpoints for itself again. */
  readonly onFailure: (error: Error) => void;
  /** Told after each checkpoint that copied pages: the WAL's frames, and how many are in the database now. */
  readonly onCheckpoint?: (result: CheckpointResult) => void;
}

export interface CheckpointResult {
  readonly log: number;
  readonly checkpointed: number;
}

/**
 * The worker: its own connection to the file, a PASSIVE checkpoint every interval (it never
 * blocks a writer or a reader; when there is nothing to copy it returns at once), closed on 'stop'.
 * Plain CommonJS evaluated in the worker, so it runs the same under Node and under the tests.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = ' + workerData.synchronous);
let timer;
let copied = 0;
const tick = () => {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  if (workerData.report && result.checkpointed !== copied) parentPort.postMessage(result);
  copied = result.checkpointed;
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
timer = setTimeout(tick, workerData.intervalMs);
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Checkpoints a WAL database from a worker thread. better-sqlite3 is synchronous, so a checkpoint
 * run by the store's own connection (SQLite's automatic one, every 1000 pages) stalls the event
 * loop while it copies pages into the database and syncs it; from a worker it uses the other core.
 * The store turns its automatic checkpoints off while the worker runs, and on again if it fails.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopping = false;

  constructor(options: WalCheckpointerOptions) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        driver,
        filename: options.filename,
        synchronous: options.synchronous,
        intervalMs: options.intervalMs ?? 100,
        report: options.onCheckpoint !== undefined,
      },
    });
    if (options.onCheckpoint) this.worker.on('message', options.onCheckpoint);
    // Never what keeps a process alive: a store left open must not hang its process's exit.
    this.worker.unref();
    let failed = false;
    const fail = (error: Error) => {
      if (failed || this.stopping) return;
      failed = true;
      options.onFailure(error);
    };
    // A driver error reaches this thread as a copy holding its code alone.
    this.worker.on('error', (error: unknown) => fail(new Error(`the checkpoint worker failed: ${describe(error)}`)));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        if (!this.stopping) fail(new Error(`the checkpoint worker exited with code ${code}`));
        resolve();
      });
    });
  }

  /** Stops the worker after its current checkpoint; the store's last connection to close checkpoints the rest. */
  async close(): Promise<void> {
    this.stopping = true;
    // Held open until the worker is gone: else a process with nothing else left to do would exit
    // in the middle of closing, before the store's own connection is closed.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}

/**
 * Hands the checkpoints of a store's connection to a worker (see WalCheckpointer): none for a
 * database that is not in WAL mode (`:memory:`). Should the worker fail, the connection
 * checkpoints for itself again, as SQLite does by default.
 */
export function checkpointInWorker(db: Database.Database, filename: string, synchronous: 'FULL' | 'NORMAL'): WalCheckpointer | undefined {
  if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
  db.pragma('wal_autocheckpoint = 0');
  return new WalCheckpointer({
    filename,
    synchronous,
    onFailure: () => {
      if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    },
  });
}

function describe(error: unknown): string {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  return [code, message].filter((part) => typeof part === 'string' && part.length > 0).join(': ') || String(error);
}

/** SQLite's own default, in pages. */
const DEFAULT_AUTOCHECKPOINT = 1000;
