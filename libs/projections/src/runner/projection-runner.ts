import { randomUUID } from 'node:crypto';
import { StoreUnavailableError, type EventStore, type StoredEvent, type Subscription } from '@archive/event-store';
import { ReadStoreUnavailableError, withTables, type ReadStore, type SqlExecutor } from '@archive/read-store';
import { applyBatch, nextTurn, type Projection } from '../projection.js';
import { ensureSchema, lockSchema } from './schema.js';
import { loadCheckpoint, saveCheckpoint, saveFailure, type Checkpoint } from './checkpoints.js';
import { builtVersion, createGeneration, dropGeneration, liveGeneration, namesFor, setLiveGeneration } from './generations.js';
import {
  dropRebuildRequest,
  finishRebuild,
  highestRebuildGeneration,
  insertRebuild,
  pendingRebuilds,
  rebuildExists,
  runningRebuilds,
  saveRebuildProgress,
  type RebuildJob,
} from './rebuilds.js';

/** A store that cannot be reached now: a reason to wait and try again, never to fail a projection. */
const isUnavailable = (error: unknown): boolean => error instanceof ReadStoreUnavailableError || error instanceof StoreUnavailableError;

/** The pause before the next try after `failures` failures in a row: 100 ms, doubling, at most 5 s. */
const retryDelay = (failures: number): number => Math.min(5000, 100 * 2 ** Math.min(failures, 10));

/** No projection of that name runs here. */
export class UnknownProjectionError extends Error {
  constructor(readonly projection: string) {
    super(`no projection named "${projection}"`);
    this.name = 'UnknownProjectionError';
  }
}

/**
 * Most events applied in one transaction, unless told otherwise: each commit writes every page its
 * batch touched, so larger batches write shared pages less often (a 1,000,000-event catch-up:
 * 5,093 events/s at 500, 5,703 at 5,000; 2,000 is most of that gain in a smaller transaction).
 * 8,000 gained another 10 % on 200,000 events, but the service's peak RSS rose by some 55 MB
 * (393–400 MB against 338–341), past the benchmark's 400 MB in its full run.
 */
export const DEFAULT_BATCH_SIZE = 2000;

export interface ProjectionRunnerOptions {
  /** Most events applied in one read-store transaction (default DEFAULT_BATCH_SIZE). */
  readonly batchSize?: number;
  readonly logger?: { error(message: string, context?: object): void; warn?(message: string, context?: object): void };
  /**
   * Least time between two commits of events that arrive live (default 0). A lone event is
   * applied at once; under a stream of commands the events of this long share one transaction.
   */
  readonly flushIntervalMs?: number;
  /** How long `stop` waits for the events committed before it to be applied (default 10 s). */
  readonly drainTimeoutMs?: number;
  /** Called after each batch a rebuild commits to its new tables (progress, tests). */
  readonly onRebuildBatch?: (job: Readonly<RebuildJob>) => void | Promise<void>;
  /** How often rebuilds asked of other processes (API replicas) are looked for (default 1000 ms). */
  readonly rebuildRequestPollMs?: number;
}

export interface ProjectionState {
  name: string;
  version: number;
  position: number;
  status: Checkpoint['status'];
  error: string | null;
  errorPosition: number | null;
}

interface Running {
  readonly projection: Projection;
  checkpoint: Checkpoint;
  /** The live generation and its real table names. */
  generation: number;
  names: ReadonlyMap<string, string>;
}

interface Waiter {
  readonly position: number;
  /** Gives up as soon as a failed projection stands before `position`. */
  readonly failFast: boolean;
  readonly resolve: (reached: boolean) => void;
}

/**
 * Feeds projections from one catch-up subscription to the event log. Events are applied in
 * batches; each projection's changes and checkpoint commit in one transaction, so a crash
 * neither applies an event twice nor skips one. A projection that throws stops alone, with the
 * event and error recorded; the others go on.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly running: Running[];
  private subscription: Subscription | undefined;
  private pending: StoredEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  /** When the last live batch began (performance.now()). */
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private waiters: Waiter[] = [];
  private loop: Promise<void> | undefined;
  private seen = 0;
  private stopping = false;
  /** Set once `stop` has drained: a batch that waits for an unreachable store gives up. */
  private abandoned = false;
  /** Pauses before a retry, cut short when the runner stops. */
  private readonly pauses = new Set<() => void>();
  /** Position of the last event taken from the subscription: where a new one resumes. */
  private taken = 0;
  private readonly rebuilds = new Map<string, { job: RebuildJob; done: Promise<void> }>();
  /** Rebuilds being set up (their job recorded, their tables made), by projection: a second ask waits for the first's job id. */
  private readonly startingRebuilds = new Map<string, Promise<string>>();
  /** The next look for rebuild requests, and the one in progress. */
  private requestTimer: NodeJS.Timeout | undefined;
  private requestsTaken: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.running = projections.map((projection) => ({
      projection,
      checkpoint: { name: projection.name, version: projection.version, position: 0, status: 'live', error: null, errorPosition: null },
      generation: 1,
      names: namesFor(projection, readStore.dialect, 1),
    }));
  }

  /**
   * Creates missing tables, loads checkpoints and starts following the log; resumes the rebuilds a
   * stop interrupted (starts them over if another version began them) and starts one for each
   * projection whose version is not the stored one.
   */
  async start(): Promise<void> {
    await ensureSchema(this.readStore, this.running.map((entry) => entry.projection));
    for (const entry of this.running) {
      entry.checkpoint = await loadCheckpoint(this.readStore, entry.projection.name, entry.projection.version);
      entry.generation = await liveGeneration(this.readStore, entry.projection.name);
      entry.names = namesFor(entry.projection, this.readStore.dialect, entry.generation);
    }
    const from = Math.min(...this.live().map((entry) => entry.checkpoint.position), Number.MAX_SAFE_INTEGER);
    const after = from === Number.MAX_SAFE_INTEGER ? await this.events.headPosition() : from;
    this.seen = after;
    this.taken = after;
    this.loop = this.consume();
    // A rebuild a crash interrupted goes on from its shadow's checkpoint if this version of the
    // projection began it; a shadow half built by other code is dropped and the rebuild starts over.
    for (const job of await runningRebuilds(this.readStore)) {
      const entry = this.running.find((candidate) => candidate.projection.name === job.name);
      if (!entry || this.rebuilds.has(job.name)) continue;
      // A store from before versions were recorded: the live tables' version is the best guess.
      const version = (await builtVersion(this.readStore, job.name, job.generation)) ?? entry.checkpoint.version;
      if (version !== entry.projection.version) {
        await this.abandonRebuild(entry, job, version);
        await this.rebuild(job.name);
        continue;
      }
      await this.readStore.transaction((tx) => createGeneration(tx, entry.projection, job.generation));
      this.launch(entry, job);
    }
    // Tables built by an older version of a projection's code are rebuilt by this one; the old
    // ones answer until the new ones are ready.
    for (const entry of this.running) {
      if (entry.checkpoint.version === entry.projection.version || this.rebuilds.has(entry.projection.name)) continue;
      this.options.logger?.warn?.('a projection changed version; it is rebuilt from the log', {
        projection: entry.projection.name,
        from: entry.checkpoint.version,
        to: entry.projection.version,
      });
      await this.rebuild(entry.projection.name);
    }
    this.scheduleRequests();
  }

  /**
   * Rebuilds asked of an API replica (`requestRebuild`), started here under the job id the
   * replica answered with, then taken off the list; a store that does not answer is tried again
   * at the next look.
   */
  private scheduleRequests(): void {
    this.requestTimer = setTimeout(() => {
      this.requestsTaken = this.takeRequests().finally(() => {
        if (!this.stopping) this.scheduleRequests();
      });
    }, this.options.rebuildRequestPollMs ?? 1000);
    this.requestTimer.unref();
  }

  private async takeRequests(): Promise<void> {
    try {
      for (const request of await pendingRebuilds(this.readStore)) {
        if (this.stopping) return;
        const known = this.running.some((entry) => entry.projection.name === request.name);
        // Already started (a crash came between the start and the request's removal): nothing more to do.
        if (known && !(await rebuildExists(this.readStore, request.jobId))) await this.rebuild(request.name, request.jobId);
        await this.readStore.transaction((tx) => dropRebuildRequest(tx, request.name));
      }
    } catch (error) {
      this.options.logger?.warn?.('rebuild requests could not be taken; trying again', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * Stops following the log once what was committed before the call is applied and its
   * checkpoints saved (waiting at most `drainTimeoutMs`): events appended by the requests a
   * shutting-down server let finish are in the read models, and a restart starts at the head.
   */
  async stop(): Promise<void> {
    // Rebuilds stop between batches and stay `running` in the registry: the next start resumes them.
    this.stopping = true;
    clearTimeout(this.requestTimer);
    await this.requestsTaken;
    await Promise.all([...this.rebuilds.values()].map((rebuild) => rebuild.done));
    await this.drain();
    this.abandoned = true;
    for (const wake of [...this.pauses]) wake();
    await this.subscription?.close();
    await this.loop;
    await this.flush();
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters = [];
  }

  private async drain(): Promise<void> {
    if (!this.loop) return;
    // A store that is closed or unreachable leaves nothing to drain towards: the checkpoints say where a restart resumes.
    const head = await Promise.resolve()
      .then(() => this.events.headPosition())
      .catch(() => undefined);
    if (head === undefined) return;
    const drained = await this.waitFor(head, this.options.drainTimeoutMs ?? 10_000);
    if (!drained) this.options.logger?.error('projections stopped before the log head; they resume from their checkpoints at the next start', { head, position: this.position });
  }

  /** The position every live projection has reached. */
  get position(): number {
    const live = this.live();
    if (live.length === 0) return this.seen;
    return Math.min(...live.map((entry) => entry.checkpoint.position));
  }

  states(): ProjectionState[] {
    return this.running.map(({ projection, checkpoint }) => ({
      name: projection.name,
      version: projection.version,
      position: checkpoint.position,
      status: checkpoint.status,
      error: checkpoint.error,
      errorPosition: checkpoint.errorPosition,
    }));
  }

  /** Resolves true once every live projection has reached `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.wait(position, timeoutMs, false);
  }

  /**
   * For a query that reads every read model as of `position` (`X-Min-Position`): `waitFor`, but
   * false as soon as a failed projection stands before it, since it moves only after a rebuild.
   */
  waitForQueries(position: number, timeoutMs: number): Promise<boolean> {
    return this.wait(position, timeoutMs, true);
  }

  private wait(position: number, timeoutMs: number, failFast: boolean): Promise<boolean> {
    if (failFast && this.failedBefore(position)) return Promise.resolve(false);
    if (this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter: Waiter = {
        position,
        failFast,
        resolve: (reached) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Starts building a new generation of the projection's tables from position 0, while the live
   * ones keep serving and following the log; answers the job's id (the running one's, if any).
   */
  rebuild(name: string, jobId: string = randomUUID()): Promise<string> {
    const entry = this.running.find((candidate) => candidate.projection.name === name);
    if (!entry) return Promise.reject(new UnknownProjectionError(name));
    const running = this.rebuilds.get(name);
    if (running) return Promise.resolve(running.job.jobId);
    // Set before the first await: two asks at once get one job.
    let starting = this.startingRebuilds.get(name);
    if (!starting) {
      starting = this.startRebuild(entry, jobId).finally(() => this.startingRebuilds.delete(name));
      this.startingRebuilds.set(name, starting);
    }
    return starting;
  }

  private async startRebuild(entry: Running, jobId: string): Promise<string> {
    const { name } = entry.projection;
    const total = await this.events.headPosition();
    const job: RebuildJob = {
      jobId,
      name,
      generation: 0,
      status: 'running',
      position: 0,
      processed: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
    };
    await this.readStore.transaction(async (tx) => {
      await lockSchema(tx);
      job.generation = Math.max(entry.generation, await highestRebuildGeneration(tx, name)) + 1;
      await dropGeneration(tx, entry.projection, job.generation);
      await createGeneration(tx, entry.projection, job.generation);
      await insertRebuild(tx, job, total);
    });
    this.launch(entry, job);
    return job.jobId;
  }

  /** Ends a rebuild another version of the projection began: its half-built tables are dropped. */
  private async abandonRebuild(entry: Running, job: RebuildJob, version: number): Promise<void> {
    const error = `superseded: begun by version ${version} of the projection, which is now version ${entry.projection.version}; a new rebuild starts`;
    this.options.logger?.warn?.('an interrupted rebuild was begun by another version of the projection; it starts over', {
      projection: job.name,
      generation: job.generation,
      from: version,
      to: entry.projection.version,
    });
    Object.assign(job, { status: 'failed', error, finishedAt: new Date().toISOString() });
    await this.dropShadow(entry, job);
  }

  /** In one transaction: drops the job's half-built tables and records how it ended. */
  private dropShadow(entry: Running, job: RebuildJob): Promise<void> {
    return this.readStore.transaction(async (tx) => {
      await lockSchema(tx);
      await dropGeneration(tx, entry.projection, job.generation);
      await finishRebuild(tx, job);
    });
  }

  /** Resolves once the projection's rebuild in this process, if any, has ended. */
  async rebuildSettled(name: string): Promise<void> {
    await this.rebuilds.get(name)?.done;
  }

  /** The names of the projections being rebuilt in this process. */
  rebuilding(): string[] {
    return [...this.rebuilds.keys()];
  }

  private launch(entry: Running, job: RebuildJob): void {
    const done = this.runRebuild(entry, job).finally(() => {
      if (this.rebuilds.get(job.name)?.job === job) this.rebuilds.delete(job.name);
    });
    this.rebuilds.set(job.name, { job, done });
  }

  private async runRebuild(entry: Running, job: RebuildJob): Promise<void> {
    const names = namesFor(entry.projection, this.readStore.dialect, job.generation);
    try {
      for (;;) {
        if (this.stopping) return;
        const batch = await this.events.readAll({ after: job.position, limit: this.batchSize });
        if (batch.length === 0 || job.position >= this.catchUpTarget(entry)) break;
        await this.readStore.transaction(async (tx) => {
          await applyBatch(entry.projection, batch, withTables(tx, names));
          await saveRebuildProgress(tx, { ...job, position: batch[batch.length - 1]!.position, processed: job.processed + batch.length });
        });
        job.position = batch[batch.length - 1]!.position;
        job.processed += batch.length;
        await this.options.onRebuildBatch?.(job);
        await nextTurn();
      }
      if (this.stopping) return;
      // Between the live runner's batches, so no event can reach the live tables meanwhile.
      await this.inChain(() => this.swap(entry, job, names));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger?.error('projection rebuild failed', { projection: job.name, position: job.position, error: message });
      Object.assign(job, { status: 'failed', error: message, finishedAt: new Date().toISOString() });
      await this.dropShadow(entry, job).catch((saveError: unknown) => this.options.logger?.error('projection rebuild failure not recorded', { error: String(saveError) }));
    }
  }

  /** Where the live tables stand: a failed projection's live tables are as far as the log the runner has followed. */
  private catchUpTarget(entry: Running): number {
    return entry.checkpoint.status === 'live' ? entry.checkpoint.position : Math.max(this.seen, entry.checkpoint.position);
  }

  /**
   * In one transaction: applies what the shadow still lacks up to the live position, makes it the
   * live generation with its checkpoint (live again if it had failed), drops the old tables.
   */
  private async swap(entry: Running, job: RebuildJob, names: ReadonlyMap<string, string>): Promise<void> {
    const target = this.catchUpTarget(entry);
    const old = entry.generation;
    const done: RebuildJob = { ...job };
    await this.readStore.transaction(async (tx) => {
      await lockSchema(tx);
      const shadow = withTables(tx, names);
      while (done.position < target) {
        const batch = (await this.events.readAll({ after: done.position, limit: this.batchSize })).filter((event) => event.position <= target);
        if (batch.length === 0) break;
        await applyBatch(entry.projection, batch, shadow);
        done.position = batch[batch.length - 1]!.position;
        done.processed += batch.length;
      }
      const position = Math.max(done.position, target);
      done.position = position;
      await setLiveGeneration(tx, entry.projection.name, job.generation);
      await tx.run(
        `UPDATE projection_checkpoints SET version = $2, position = $3, status = 'live', error = NULL, error_position = NULL WHERE name = $1`,
        [entry.projection.name, entry.projection.version, position],
      );
      await dropGeneration(tx, entry.projection, old);
      Object.assign(done, { status: 'done', finishedAt: new Date().toISOString() });
      await finishRebuild(tx, done);
    });
    Object.assign(job, done);
    entry.generation = job.generation;
    entry.names = names;
    entry.checkpoint = { ...entry.checkpoint, version: entry.projection.version, position: job.position, status: 'live', error: null, errorPosition: null };
    this.readStore.tables?.set(names);
    this.wakeWaiters();
  }

  /** Runs `task` between the live runner's batches; its failure is the caller's. */
  private inChain<T>(task: () => Promise<T>): Promise<T> {
    const result = this.flushing.then(task);
    this.flushing = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private live(): Running[] {
    return this.running.filter((entry) => entry.checkpoint.status === 'live');
  }

  private failedBefore(position: number): boolean {
    return this.running.some((entry) => entry.checkpoint.status === 'failed' && entry.checkpoint.position < position);
  }

  /**
   * Follows the log from the start position. A subscription that fails (the event store went
   * away in a way the adapter did not ride out itself) is opened again after the last event taken,
   * after a growing pause, until the runner stops.
   */
  private async consume(): Promise<void> {
    for (let failures = 0; !this.abandoned; ) {
      const subscription = this.events.subscribeToAll({ after: this.taken, batchSize: this.batchSize });
      this.subscription = subscription;
      try {
        for await (const event of subscription) {
          failures = 0;
          this.taken = event.position;
          this.pending.push(event);
          if (this.pending.length >= this.batchSize) {
            await this.flush();
            await nextTurn();
          } else this.scheduleFlush();
        }
        return;
      } catch (error) {
        if (this.abandoned) return;
        this.options.logger?.error('projection subscription failed; it is opened again', { error: String(error), after: this.taken });
        await subscription.close().catch(() => undefined);
        await this.pause(retryDelay(failures++));
      }
    }
  }

  /** Waits `ms`, or less if the runner is stopped meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.pauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.pauses.add(wake);
    });
  }

  /**
   * A partial batch is applied once the subscription has nothing more ready, and not sooner than
   * `flushIntervalMs` after the last: each commit writes every page its batch touched, so a batch
   * per command would write the same pages again and again.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = () => {
      this.flushScheduled = false;
      this.lastFlushAt = performance.now();
      void this.flush();
    };
    const wait = this.lastFlushAt + (this.options.flushIntervalMs ?? 0) - performance.now();
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  }

  private flush(): Promise<void> {
    this.flushing = this.flushing
      .then(() => this.applyPending())
      .catch((error: unknown) => this.options.logger?.error('projection batch failed', { error: String(error) }));
    return this.flushing;
  }

  private async applyPending(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    if (!(await this.applyWhenAvailable(this.live(), batch))) return;
    this.seen = batch[batch.length - 1]!.position;
    this.wakeWaiters();
  }

  /**
   * Applies the batch, waiting out a read store that cannot be reached: the batch is tried again
   * after a growing pause until the store answers, or until the runner gives up on stopping (then
   * false; the next start resumes from the checkpoint). Before each new try the checkpoint is
   * read back from the store, since a commit whose answer was lost may have landed: the events it
   * covers are not applied twice.
   */
  private async applyWhenAvailable(entries: readonly Running[], batch: readonly StoredEvent[]): Promise<boolean> {
    const names = entries.map((entry) => entry.projection.name);
    for (let failures = 0; ; failures++) {
      try {
        if (failures > 0) {
          for (const entry of entries) {
            entry.checkpoint.position = (await loadCheckpoint(this.readStore, entry.projection.name, entry.projection.version)).position;
          }
        }
        await this.applyTo(entries, batch);
        if (failures > 0) this.options.logger?.warn?.('the read store answers again; the projections go on', { projections: names });
        return true;
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        if (failures === 0) {
          this.options.logger?.warn?.('the read store is unavailable; the projections wait for it and try again', { projections: names, error: String(error) });
        }
        if (this.abandoned) return false;
        await this.pause(retryDelay(failures));
        if (this.abandoned) return false;
      }
    }
  }

  /**
   * Applies the batch to every live projection in one read-store transaction: one commit, not one
   * per projection, each projection's checkpoint in it. Should a projection throw, the whole
   * transaction rolls back and each projection applies the batch in its own transaction, so the
   * failing one stops alone. (Savepoints would isolate it within the one transaction, but cost
   * SQLite a copy of every page each projection touches, on every batch.)
   */
  private async applyTo(entries: readonly Running[], batch: readonly StoredEvent[]): Promise<void> {
    const pending = entries
      // One that failed on an earlier try of this batch stays stopped at its event.
      .filter((entry) => entry.checkpoint.status !== 'failed')
      .map((entry) => ({ entry, events: batch.filter((event) => event.position > entry.checkpoint.position) }))
      .filter(({ events }) => events.length > 0);
    if (pending.length === 0) return;
    try {
      await this.readStore.transaction(async (store) => {
        for (const { entry, events } of pending) await applyEvents(entry, events, store);
      });
    } catch (error) {
      if (isUnavailable(error)) throw error;
      for (const { entry, events } of pending) await this.applyAlone(entry, events);
      return;
    }
    for (const { entry, events } of pending) entry.checkpoint.position = events[events.length - 1]!.position;
  }

  /** The batch for one projection in its own transaction; a failure is isolated to its event. */
  private async applyAlone(entry: Running, events: readonly StoredEvent[]): Promise<void> {
    try {
      await this.readStore.transaction((store) => applyEvents(entry, events, store));
      entry.checkpoint.position = events[events.length - 1]!.position;
    } catch (error) {
      if (isUnavailable(error)) throw error;
      await this.isolateFailure(entry, events);
    }
  }

  /** Applies the batch one event at a time to find and record the event that fails. */
  private async isolateFailure(entry: Running, events: readonly StoredEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await this.readStore.transaction((store) => applyEvents(entry, [event], store));
        entry.checkpoint.position = event.position;
      } catch (error) {
        // Not the event's fault: the caller waits for the store and tries the batch again.
        if (isUnavailable(error)) throw error;
        const message = error instanceof Error ? error.message : String(error);
        // Stopped even when the failure cannot be recorded: going on would skip this event. Its
        // stored checkpoint then still says where it stopped, and a restart tries the event again.
        entry.checkpoint = { ...entry.checkpoint, status: 'failed', error: message, errorPosition: event.position };
        this.options.logger?.error('projection failed', { projection: entry.projection.name, position: event.position, error: message });
        this.wakeWaiters();
        try {
          await this.readStore.transaction((tx) => saveFailure(tx, entry.projection.name, entry.checkpoint.position, message, event.position));
        } catch (saveError) {
          this.options.logger?.error('projection failure not recorded', { projection: entry.projection.name, error: String(saveError) });
        }
        return;
      }
    }
  }

  private wakeWaiters(): void {
    const reached = this.position;
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.failFast && this.failedBefore(waiter.position)) waiter.resolve(false);
      else if (waiter.position <= reached) waiter.resolve(true);
      else still.push(waiter);
    }
    this.waiters = still;
  }
}

/** Applies the events a projection handles, then moves its checkpoint to the last of them. */
async function applyEvents(entry: Running, events: readonly StoredEvent[], store: SqlExecutor): Promise<void> {
  const tx = withTables(store, entry.names);
  await applyBatch(entry.projection, events, tx);
  await saveCheckpoint(tx, entry.projection.name, events[events.length - 1]!.position);
}
