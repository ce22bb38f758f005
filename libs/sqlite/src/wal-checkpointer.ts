import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointerOptions {
  /** The store's own connection, in WAL mode. */
  readonly db: Database.Database;
  readonly filename: string;
  /** The `synchronous` level of the store's connection, so a checkpoint syncs as its commits do. */
  readonly synchronous: 'FULL' | 'NORMAL';
  /** How often the worker checkpoints (default 100 ms). */
  readonly intervalMs?: number;
  /** How many frames the WAL may hold before it is started over (default 16,384: 64 MiB of 4 KiB pages). */
  readonly restartFrames?: number;
  /** Told after each checkpoint of the worker that copied pages (tests). */
  readonly onCheckpoint?: (result: CheckpointResult) => void;
}

export interface CheckpointResult {
  /** 1 when the checkpoint could not copy everything (a reader still needed an older frame). */
  readonly busy: number;
  /** Frames in the WAL. */
  readonly log: number;
  /** Of those, how many are in the database file now. */
  readonly checkpointed: number;
}

type WorkerMessage = { kind: 'checkpointed'; result: CheckpointResult } | { kind: 'full' };

/**
 * The worker: its own connection to the file, a PASSIVE checkpoint every interval (it never
 * blocks a writer or a reader; with nothing to copy it returns at once), closed on any message.
 * Plain CommonJS evaluated in the worker, so it runs the same under Node and under the tests.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
let timer;
let copied = 0;
const tick = () => {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  if (workerData.report && result.checkpointed !== copied) parentPort.postMessage({ kind: 'checkpointed', result });
  copied = result.checkpointed;
  if (result.log >= workerData.restartFrames) parentPort.postMessage({ kind: 'full' });
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

/** SQLite's own default, in pages. */
const DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * Checkpoints a WAL database from a worker thread. better-sqlite3 is synchronous, so a checkpoint
 * run by the store's own connection (SQLite's automatic one, every 1000 pages) stalls the event
 * loop while it copies pages into the database and syncs it; from a worker it uses the other core.
 * The store's connection stops checkpointing automatically while the worker runs, and starts
 * again if the worker fails.
 *
 * SQLite starts the WAL over only at a write that finds every frame checkpointed, which a writer
 * that never pauses (a rebuild) never lets the worker achieve. So once the WAL passes
 * `restartFrames` the store's connection, right after one of its commits (`afterCommit`), copies
 * the few frames the worker has not reached itself, and its next write starts the WAL over.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopping = false;
  private full = false;

  constructor(private readonly options: WalCheckpointerOptions) {
    const { db, filename, synchronous } = options;
    db.pragma('wal_autocheckpoint = 0');
    // Keeps the file from staying at its largest once the WAL starts over.
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    db.pragma(`journal_size_limit = ${(options.restartFrames ?? 16_384) * pageSize}`);
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        driver,
        filename,
        synchronous,
        intervalMs: options.intervalMs ?? 100,
        restartFrames: options.restartFrames ?? 16_384,
        report: options.onCheckpoint !== undefined,
      },
    });
    // Never what keeps a process alive: a store left open must not hang its process's exit.
    this.worker.unref();
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'full') this.full = true;
      else options.onCheckpoint?.(message.result);
    });
    let failed = false;
    const fail = () => {
      if (failed || this.stopping) return;
      failed = true;
      if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    };
    this.worker.on('error', fail);
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => {
        fail();
        resolve();
      });
    });
  }

  /** Called by the store after each commit, outside any transaction (see the class comment). */
  afterCommit(): void {
    if (!this.full) return;
    this.full = false;
    const { db } = this.options;
    if (db.open && !db.inTransaction) db.pragma('wal_checkpoint(PASSIVE)');
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

/** Hands a store's checkpoints to a worker (see WalCheckpointer); none for a database not in WAL mode (`:memory:`). */
export function checkpointInWorker(db: Database.Database, filename: string, synchronous: 'FULL' | 'NORMAL'): WalCheckpointer | undefined {
  if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
  return new WalCheckpointer({ db, filename, synchronous });
}
