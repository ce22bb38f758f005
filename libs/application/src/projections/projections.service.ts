import type { EventStore } from '@archive/event-store';
import {
  allProjections,
  CheckpointWatcher,
  decodeCursor,
  ensureSchema,
  InvalidCursorError,
  latestRebuild,
  pendingRebuild,
  projectionChecksum,
  requestRebuild,
  ProjectionRunner,
  runningRebuilds,
  toPage,
  UnknownProjectionError,
  type Page,
  type Projection,
  type ProjectionState,
} from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ArchiveConfig } from '../config/archive.config.js';
import { NotFoundError } from '../queries/not-found.error.js';
import type { PageRequest } from '../queries/paging.js';
import { ARCHIVE_CONFIG, EVENT_STORE, READ_STORE } from '../tokens.js';

export interface RebuildProgress {
  jobId: string;
  /** `queued`: asked of an API replica, not yet taken up by the projector. */
  status: 'queued' | 'running' | 'done' | 'failed';
  /** Events applied to the new tables so far. */
  processed: number;
  /** Events to apply in all: those applied plus those in the log after the new tables' position. */
  total: number;
  eventsPerSecond: number;
  /** Seconds left at the current rate; null when unknown, 0 once finished. */
  etaSeconds: number | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** A store could not be reached when the process started. */
export class StoreUnreachableError extends Error {
  constructor(
    readonly store: string,
    cause: unknown,
  ) {
    super(`cannot reach ${store}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnreachableError';
  }
}

/** Lag beyond this many events is reported as this many: status calls stay cheap on a long backlog. */
const LAG_COUNT_LIMIT = 10_000;

export interface ProjectionStatus extends Omit<ProjectionState, 'status'> {
  /** `rebuilding` while new tables are being built beside the live ones (which keep serving). */
  status: ProjectionState['status'] | 'rebuilding';
  /** Events in the log that the projection has not applied yet. */
  lag: number;
}

/**
 * The read models' progress, and their runner when this process runs them (`PROJECTIONS=on`).
 * With projections off, progress is read from the checkpoints the projector process writes into
 * the shared read store. On shutdown it stops the runner before the stores close.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  readonly runner: ProjectionRunner | undefined;
  private readonly watcher: CheckpointWatcher;
  private readonly projections: readonly Projection[] = allProjections;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig,
  ) {
    this.watcher = new CheckpointWatcher(readStore, this.projections.map((projection) => projection.name));
    this.runner =
      config.projections === 'on'
        ? new ProjectionRunner(events, readStore, allProjections, {
            batchSize: config.projectionBatchSize,
            flushIntervalMs: config.projectionFlushIntervalMs,
            // Half the shutdown's time for the last events to reach the read models; the rest for everything else.
            drainTimeoutMs: Math.round(config.shutdownTimeoutMs / 2),
            logger: {
              error: (message, context) => this.logger.error({ msg: message, ...context }),
              warn: (message, context) => this.logger.warn({ msg: message, ...context }),
            },
          })
        : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.checkStores();
    if (this.runner) await this.runner.start();
    // Replicas may start before the projector: the tables they query must exist.
    else await ensureSchema(this.readStore, allProjections);
  }

  /** A store that does not answer at start stops the process with a message that names it. */
  private async checkStores(): Promise<void> {
    const check = async (name: string, ping: () => Promise<void>) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 10 s')), 10_000);
      });
      try {
        await Promise.race([ping(), timeout]);
      } catch (error) {
        throw new StoreUnreachableError(name, error);
      } finally {
        clearTimeout(timer);
      }
    };
    await check(`the event store (${this.config.eventStore})`, () => this.events.ping());
    await check(`the read store (${this.config.readStore})`, () => this.readStore.ping());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
    await this.readStore.close();
    await this.events.close();
  }

  /**
   * Resolves true once the read models have reached `position`; false after `timeoutMs`, or as
   * soon as a failed one stands before it, since it moves again only after a rebuild.
   */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.runner ? this.runner.waitForQueries(position, timeoutMs) : this.watcher.waitForQueries(position, timeoutMs);
  }

  /** The failed projections that stopped before `position`. */
  async failedBefore(position: number): Promise<string[]> {
    const states = this.runner ? this.runner.states() : await this.watcher.states();
    return states.filter((state) => state.status === 'failed' && state.position < position).map((state) => state.name);
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.events.headPosition();
    const states = this.runner ? this.runner.states() : await this.watcher.states();
    const rebuilding = new Set((await runningRebuilds(this.readStore)).map((job) => job.name));
    const lags = new Map<number, number>();
    for (const { position } of states) if (!lags.has(position)) lags.set(position, await this.eventsAfter(position, head));
    return states.map((state) => ({
      ...state,
      status: rebuilding.has(state.name) ? 'rebuilding' : state.status,
      lag: lags.get(state.position)!,
    }));
  }

  /** A page of `status()`, in the projections' own order; its cursor is the last one's name. */
  async statusPage({ limit, cursor }: PageRequest): Promise<Page<ProjectionStatus>> {
    const states = await this.status();
    let start = 0;
    if (cursor !== undefined) {
      const [name] = decodeCursor(cursor, ['string']);
      start = states.findIndex((state) => state.name === name) + 1;
      if (start === 0) throw new InvalidCursorError();
    }
    return toPage(states.slice(start, start + limit + 1), limit, (state) => [state.name], (state) => state);
  }

  /**
   * Events in the log after `position`, counted up to LAG_COUNT_LIMIT. Positions are not event
   * counts on every store (KurrentDB's are log offsets), so the events themselves are counted.
   */
  private async eventsAfter(position: number, head: number): Promise<number> {
    if (position >= head) return 0;
    let count = 0;
    let after = position;
    while (count < LAG_COUNT_LIMIT) {
      const page = await this.events.readAll({ after, limit: Math.min(1000, LAG_COUNT_LIMIT - count) });
      if (page.length === 0) break;
      count += page.length;
      after = page[page.length - 1]!.position;
      if (after >= head) break;
    }
    return count;
  }

  /**
   * Starts a zero-downtime rebuild of the projection; answers the job's id. Only the process that
   * applies events to the live tables can swap them: a replica (`PROJECTIONS=off`) records the
   * request, which the projector takes up within a second under the same job id.
   */
  async rebuild(name: string): Promise<string> {
    this.projection(name);
    if (!this.runner) return this.readStore.transaction((tx) => requestRebuild(tx, name));
    try {
      return await this.runner.rebuild(name);
    } catch (error) {
      if (error instanceof UnknownProjectionError) throw new NotFoundError('projection', name);
      throw error;
    }
  }

  /**
   * Events left between a rebuild's position and the head, estimated from the positions the
   * rebuild has covered per event so far: exact where positions count events (SQLite), close
   * where they are log offsets (KurrentDB), and cheap on both.
   */
  private async remainingEstimate(position: number, processed: number): Promise<number> {
    const head = await this.events.headPosition();
    if (head <= position) return 0;
    if (processed === 0 || position === 0) return this.eventsAfter(position, head);
    return Math.round((head - position) / (position / processed));
  }

  /** The projection's latest rebuild: how far it is, how fast it goes, when it should end. */
  async rebuildProgress(name: string): Promise<RebuildProgress> {
    this.projection(name);
    const job = await latestRebuild(this.readStore, name);
    const queued = await pendingRebuild(this.readStore, name);
    if (queued && queued.jobId !== job?.jobId) {
      const total = await this.remainingEstimate(0, 0);
      return { jobId: queued.jobId, status: 'queued', processed: 0, total, eventsPerSecond: 0, etaSeconds: null, startedAt: queued.requestedAt, finishedAt: null, error: null };
    }
    if (!job) throw new NotFoundError('rebuild', name);
    const finished = job.status !== 'running';
    const total = finished ? job.processed : job.processed + (await this.remainingEstimate(job.position, job.processed));
    const seconds = ((finished && job.finishedAt ? Date.parse(job.finishedAt) : Date.now()) - Date.parse(job.startedAt)) / 1000;
    const eventsPerSecond = seconds > 0 ? Math.round((job.processed / seconds) * 10) / 10 : 0;
    const etaSeconds = finished ? 0 : eventsPerSecond > 0 ? Math.ceil((total - job.processed) / eventsPerSecond) : null;
    return {
      jobId: job.jobId,
      status: job.status,
      processed: job.processed,
      total,
      eventsPerSecond,
      etaSeconds,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      error: job.error,
    };
  }

  /** A SHA-256 of the projection's live tables, with the position they stand at. */
  checksum(name: string): Promise<{ name: string; position: number; checksum: string }> {
    return projectionChecksum(this.readStore, this.projection(name));
  }

  private projection(name: string): Projection {
    const projection = this.projections.find((candidate) => candidate.name === name);
    if (!projection) throw new NotFoundError('projection', name);
    return projection;
  }
}
