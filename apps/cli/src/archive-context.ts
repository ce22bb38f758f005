import { ArchiveModule, EVENT_STORE, type ArchiveConfig } from '@archive/application';
import { UpcastingEventStore, type EventStore } from '@archive/event-store';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/**
 * The archive's application core over the configured stores, as the API and the projector
 * build it, for the length of one job. Projections are off: a running service or projector
 * applies what the CLI writes, and one started later catches up from its checkpoints.
 */
export async function withArchive<T>(config: ArchiveConfig, job: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  @Module({ imports: [ArchiveModule.forRoot({ ...config, projections: 'off' })] })
  class CliModule {}

  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'], abortOnError: false });
  try {
    await app.init();
    return await job(app);
  } finally {
    await app.close();
  }
}

/** The log exactly as stored, without upcasting: what export writes and restore reproduces. */
export function storedLog(app: INestApplicationContext): EventStore {
  const store = app.get<EventStore>(EVENT_STORE);
  return store instanceof UpcastingEventStore ? store.inner : store;
}
