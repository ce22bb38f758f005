import type { EventStore } from '@archive/event-store';
import { allProjections, ProjectionRunner, type ProjectionState } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ArchiveConfig } from '../config/archive.config.js';
import { ARCHIVE_CONFIG, EVENT_STORE, READ_STORE } from '../tokens.js';

export interface ProjectionStatus extends ProjectionState {
  /** Events in the log that the projection has not applied yet. */
  lag: number;
}

/**
 * Runs the projections in this process and owns the stores' lifetime: it starts the runner
 * once the app is up and, on shutdown, stops it before closing the stores.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  readonly runner: ProjectionRunner;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ARCHIVE_CONFIG) config: ArchiveConfig,
  ) {
    this.runner = new ProjectionRunner(events, readStore, allProjections, {
      batchSize: config.projectionBatchSize,
      logger: { error: (message, context) => this.logger.error({ msg: message, ...context }) },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.readStore.close();
    await this.events.close();
  }

  /** Resolves true once the read models have reached `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.runner.waitFor(position, timeoutMs);
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.events.headPosition();
    return this.runner.states().map((state) => ({ ...state, lag: Math.max(0, head - state.position) }));
  }
}
