import type { EventStore } from '@archive/event-store';
import { allProjections, CheckpointWatcher, ensureSchema, ProjectionRunner, type ProjectionState } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ArchiveConfig } from '../config/archive.config.js';
import { ARCHIVE_CONFIG, EVENT_STORE, READ_STORE } from '../tokens.js';

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

export interface ProjectionStatus extends ProjectionState {
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

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig,
  ) {
    this.watcher = new CheckpointWatcher(readStore);
    this.runner =
      config.projections === 'on'
        ? new ProjectionRunner(events, readStore, allProjections, {
            batchSize: config.projectionBatchSize,
            logger: { error: (message, context) => this.logger.error({ msg: message, ...context }) },
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

  /** Resolves true once the read models have reached `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.runner ? this.runner.waitFor(position, timeoutMs) : this.watcher.waitFor(position, timeoutMs);
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.events.headPosition();
    const states = this.runner ? this.runner.states() : await this.watcher.states();
    return states.map((state) => ({ ...state, lag: Math.max(0, head - state.position) }));
  }
}
