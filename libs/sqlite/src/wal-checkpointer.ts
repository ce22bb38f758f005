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
  /**
   * How many frames the WAL may hold before it is started over (default 65,536: 256 MiB of 4 KiB
   * pages, which the `-wal` file may keep on disk). Each restart waits about 140 ms for a copy and
   * an fsync; at 16,384 frames a catch-up of the read models spent a sixth of its time waiting for
   * them (300,000 events: 52 restarts, 7.1 s; at 65,536, 20 restarts, 2.9 s, and 8,050–8,466
   * events/s instead of 6,741–7,309).
   */
  readonly restartFrames?: number;
  /** Told after each checkpoint of the worker that copied pages or found new ones (tests). */
  readonly onCheckpoint?: (result: CheckpointResult) => void;
  /** Told once if the worker fails; the store's connection then checkpoints by itself again. */
  readonly onFailure?: () => void;
}

export interface CheckpointResult {
  /** 1 when the checkpoint could not copy everything (a reader still needed an older frame). */
  readonly busy: number;
  /** Frames in the WAL. */
  readonly log: number;
  /** Of those, how many are in the database file now. */
  readonly checkpointed: number;
}

type WorkerMessage =
  | { id: number; kind: 'checkpointed'; result: CheckpointResult }
  | { id: number; kind: 'full' }
  | { id: number; kind: 'failed' }
  | { id: number; kind: 'drained' }
  | { id: number; kind: 'closed' };

/**
 * The worker, one per process for every store in it: for each database its own connection and a
 * PASSIVE checkpoint every interval (it never blocks a writer or a reader; with nothing to copy
 * it returns at once). Plain CommonJS evaluated in the worker, so it runs the same under Node and
 * under the tests.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const stores = new Map();
const drop = (id) => {
  const store = stores.get(id);
  if (!store) return;
  clearTimeout(store.timer);
  stores.delete(id);
  try { store.db.close(); } catch {}
};
const tick = (id) => {
  const store = stores.get(id);
  if (!store) return;
  let result;
  try {
    [result] = store.db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    drop(id);
    parentPort.postMessage({ id, kind: 'failed' });
    return;
  }
  if (store.report && (result.checkpointed !== store.copied || result.log !== store.logged)) parentPort.postMessage({ id, kind: 'checkpointed', result });
  store.copied = result.checkpointed;
  store.logged = result.log;
  // Only a WAL copied whole can start over: while a reader holds back part of it, a store that
  // waited for another drain before each write would wait for nothing.
  if (result.log >= store.restartFrames && result.checkpointed === result.log) parentPort.postMessage({ id, kind: 'full' });
  store.timer = setTimeout(tick, store.intervalMs, id);
};
parentPort.on('message', (message) => {
  if (message.kind === 'close') {
    drop(message.id);
    parentPort.postMessage({ id: message.id, kind: 'closed' });
    return;
  }
  if (message.kind === 'drain') {
    const store = stores.get(message.id);
    if (store) {
      clearTimeout(store.timer);
      tick(message.id);
    }
    parentPort.postMessage({ id: message.id, kind: 'drained' });
    return;
  }
  try {
    const db = new Database(message.filename, { fileMustExist: true });
    db.pragma('synchronous = ' + message.synchronous);
    const store = { db, copied: 0, logged: 0, report: message.report, intervalMs: message.intervalMs, restartFrames: message.restartFrames };
    stores.set(message.id, store);
    store.timer = setTimeout(tick, store.intervalMs, message.id);
  } catch {
    parentPort.postMessage({ id: message.id, kind: 'failed' });
  }
});
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/** SQLite's own default, in pages. */
const DEFAULT_AUTOCHECKPOINT = 1000;

const DEFAULT_RESTART_FRAMES = 65_536;

interface Client {
  onMessage(message: WorkerMessage): void;
  /** The worker is gone. */
  onExit(): void;
}

/**
 * The process's one checkpoint worker, shared by its stores (each worker thread costs some 9 MB).
 * Started by the first store, stopped when the last one closes. It never keeps the process alive,
 * except while a store waits for it to close that store's connection.
 */
class SharedWorker {
  private static current: SharedWorker | undefined;
  private readonly worker: Worker;
  private readonly clients = new Map<number, Client>();
  private closing = 0;
  private nextId = 1;

  static join(client: Client, open: { filename: string; synchronous: string; intervalMs: number; restartFrames: number; report: boolean }) {
    const shared = (SharedWorker.current ??= new SharedWorker());
    const id = shared.nextId++;
    shared.clients.set(id, client);
    shared.worker.postMessage({ kind: 'open', id, ...open });
    return { shared, id };
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  private constructor() {
    this.worker = new Worker(WORKER, { eval: true, workerData: { driver } });
    this.worker.unref();
    this.worker.on('message', (message: WorkerMessage) => this.clients.get(message.id)?.onMessage(message));
    // An error is followed by the exit, which tells every store.
    this.worker.on('error', () => undefined);
    this.worker.once('exit', () => {
      if (SharedWorker.current === this) SharedWorker.current = undefined;
      for (const client of this.clients.values()) client.onExit();
      this.clients.clear();
    });
  }

  /** Asks for a checkpoint of the store's database now; the store hears `drained` once it is done. */
  drain(id: number): void {
    this.worker.postMessage({ kind: 'drain', id });
  }

  /** Closes the store's connection in the worker; the last store to leave stops the worker. */
  leave(id: number): Promise<void> {
    if (!this.clients.has(id)) return Promise.resolve();
    if (this.closing++ === 0) this.worker.ref();
    return new Promise<void>((resolve) => {
      const client = this.clients.get(id)!;
      const done = () => {
        this.clients.delete(id);
        if (--this.closing === 0) this.worker.unref();
        resolve();
      };
      this.clients.set(id, {
        onMessage: (message) => (message.kind === 'closed' ? this.stopIfIdle(done) : client.onMessage(message)),
        onExit: done,
      });
      this.worker.postMessage({ kind: 'close', id });
    });
  }

  private stopIfIdle(done: () => void): void {
    done();
    if (this.clients.size > 0) return;
    if (SharedWorker.current === this) SharedWorker.current = undefined;
    void this.worker.terminate();
  }
}

/**
 * Checkpoints a WAL database from a worker thread. better-sqlite3 is synchronous, so a checkpoint
 * run by the store's own connection (SQLite's automatic one, every 1000 pages) stalls the event
 * loop while it copies pages into the database and syncs it; from a worker it uses the other core.
 * The store's connection stops checkpointing automatically while the worker runs, and starts
 * again if the worker fails.
 *
 * SQLite starts the WAL over only at a write that finds every frame checkpointed, which a writer
 * that never pauses (a rebuild, a stream of commands) never lets the worker achieve. So once the
 * WAL passes `restartFrames` and the worker has copied all of it, the store's next write waits
 * (`beforeWrite`) for the worker to copy what was committed since, and then starts the WAL over.
 * The wait is asynchronous: the copy and its fsync stay off the event loop, which only the
 * store's writes sit out. While a reader holds an old snapshot no copy can be whole, writes do
 * not wait, and the WAL grows until the reader lets go.
 */
export class WalCheckpointer {
  private readonly shared: SharedWorker;
  private readonly id: number;
  private stopping = false;
  private failed = false;
  private full = false;
  private draining: { promise: Promise<void>; done: () => void } | undefined;

  constructor(private readonly options: WalCheckpointerOptions) {
    const { db, filename, synchronous } = options;
    db.pragma('wal_autocheckpoint = 0');
    // Keeps the file from staying at its largest once the WAL starts over.
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    db.pragma(`journal_size_limit = ${(options.restartFrames ?? DEFAULT_RESTART_FRAMES) * pageSize}`);
    const fail = () => {
      this.drained();
      if (this.failed || this.stopping) return;
      this.failed = true;
      if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
      options.onFailure?.();
    };
    ({ shared: this.shared, id: this.id } = SharedWorker.join(
      {
        onMessage: (message) => {
          if (message.kind === 'full') this.full = true;
          else if (message.kind === 'checkpointed') options.onCheckpoint?.(message.result);
          else if (message.kind === 'drained') this.drained();
          else if (message.kind === 'failed') fail();
        },
        onExit: fail,
      },
      {
        filename,
        synchronous,
        intervalMs: options.intervalMs ?? 100,
        restartFrames: options.restartFrames ?? DEFAULT_RESTART_FRAMES,
        report: options.onCheckpoint !== undefined,
      },
    ));
  }

  /** The worker thread's id: the same for every store of the process while the worker runs. */
  get threadId(): number {
    return this.shared.threadId;
  }

  /**
   * Called by the store before each write, outside any transaction: undefined when it may write at
   * once, else a promise that resolves once the worker has copied the WAL (see the class comment).
   */
  beforeWrite(): Promise<void> | undefined {
    if (this.draining) return this.draining.promise;
    if (!this.full || this.failed || this.stopping) return undefined;
    this.full = false;
    let done!: () => void;
    const promise = new Promise<void>((resolve) => (done = resolve));
    this.draining = { promise, done };
    this.shared.drain(this.id);
    return promise;
  }

  private drained(): void {
    const draining = this.draining;
    this.draining = undefined;
    draining?.done();
  }

  /** Stops checkpointing after the worker's current checkpoint; the store's last connection to close checkpoints the rest. */
  async close(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.shared.leave(this.id);
    this.drained();
  }
}

/** Hands a store's checkpoints to a worker (see WalCheckpointer); none for a database not in WAL mode (`:memory:`). */
export function checkpointInWorker(
  db: Database.Database,
  filename: string,
  synchronous: 'FULL' | 'NORMAL',
  onFailure?: () => void,
): WalCheckpointer | undefined {
  if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
  return new WalCheckpointer({ db, filename, synchronous, onFailure });
}
