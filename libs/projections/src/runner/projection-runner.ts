import type { EventStore, StoredEvent, Subscription } from '@archive/event-store';
import type { ReadStore } from '@archive/read-store';
import type { Projection, StoredBriefingEvent } from '../projection.js';
import { ensureSchema } from './schema.js';
import { loadCheckpoint, saveCheckpoint, saveFailure, type Checkpoint } from './checkpoints.js';

export interface ProjectionRunnerOptions {
  /** Most events applied in one read-store transaction. */
  readonly batchSize?: number;
  readonly logger?: { error(message: string, context?: object): void };
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
}

interface Waiter {
  readonly position: number;
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
  private waiters: Waiter[] = [];
  private loop: Promise<void> | undefined;
  private seen = 0;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.running = projections.map((projection) => ({
      projection,
      checkpoint: { name: projection.name, version: projection.version, position: 0, status: 'live', error: null, errorPosition: null },
    }));
  }

  /** Creates missing tables, loads checkpoints and starts following the log. */
  async start(): Promise<void> {
    await ensureSchema(this.readStore, this.running.map((entry) => entry.projection));
    for (const entry of this.running) {
      entry.checkpoint = await loadCheckpoint(this.readStore, entry.projection.name, entry.projection.version);
    }
    const from = Math.min(...this.live().map((entry) => entry.checkpoint.position), Number.MAX_SAFE_INTEGER);
    const after = from === Number.MAX_SAFE_INTEGER ? await this.events.headPosition() : from;
    this.seen = after;
    this.subscription = this.events.subscribeToAll({ after, batchSize: this.batchSize });
    this.loop = this.consume(this.subscription);
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.loop;
    await this.flush();
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters = [];
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
    if (this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter: Waiter = {
        position,
        resolve: (reached) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private live(): Running[] {
    return this.running.filter((entry) => entry.checkpoint.status === 'live');
  }

  private async consume(subscription: Subscription): Promise<void> {
    try {
      for await (const event of subscription) {
        this.pending.push(event);
        if (this.pending.length >= this.batchSize) await this.flush();
        else this.scheduleFlush();
      }
    } catch (error) {
      this.options.logger?.error('projection subscription stopped', { error: String(error) });
    }
  }

  /** A partial batch is applied once the subscription has nothing more ready. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
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
    for (const entry of this.live()) await this.applyTo(entry, batch);
    this.seen = batch[batch.length - 1]!.position;
    this.wakeWaiters();
  }

  private async applyTo(entry: Running, batch: readonly StoredEvent[]): Promise<void> {
    const events = batch.filter((event) => event.position > entry.checkpoint.position);
    if (events.length === 0) return;
    const last = events[events.length - 1]!.position;
    try {
      await this.readStore.transaction(async (tx) => {
        for (const event of events) {
          if (entry.projection.handles.has(event.type as StoredBriefingEvent['type'])) {
            await entry.projection.apply(event as StoredBriefingEvent, tx);
          }
        }
        await saveCheckpoint(tx, entry.projection.name, last);
      });
      entry.checkpoint.position = last;
    } catch {
      await this.isolateFailure(entry, events);
    }
  }

  /** Applies the batch one event at a time to find and record the event that fails. */
  private async isolateFailure(entry: Running, events: readonly StoredEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await this.readStore.transaction(async (tx) => {
          if (entry.projection.handles.has(event.type as StoredBriefingEvent['type'])) {
            await entry.projection.apply(event as StoredBriefingEvent, tx);
          }
          await saveCheckpoint(tx, entry.projection.name, event.position);
        });
        entry.checkpoint.position = event.position;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // Stopped even when the failure cannot be recorded: going on would skip this event. Its
        // stored checkpoint then still says where it stopped, and a restart tries the event again.
        entry.checkpoint = { ...entry.checkpoint, status: 'failed', error: message, errorPosition: event.position };
        this.options.logger?.error('projection failed', { projection: entry.projection.name, position: event.position, error: message });
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
      if (waiter.position <= reached) waiter.resolve(true);
      else still.push(waiter);
    }
    this.waiters = still;
  }
}
