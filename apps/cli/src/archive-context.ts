import { ArchiveModule, EVENT_STORE, type ArchiveConfig } from '@archive/application';
import { UpcastingEventStore, type EventStore } from '@archive/event-store';
import { ConsoleLogger, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './cli-error.js';

/**
 * Nest's log for a CLI job: warnings and errors, but not Nest's own report of a module that failed
 * to start (a bad data directory, a store that cannot be reached), which the CLI prints by its
 * message alone and exits with.
 */
class CliLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest.at(-1) === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
}

/**
 * The archive's application core over the configured stores, as the API and the projector
 * build it, for the length of one job. Projections are off: a running service or projector
 * applies what the CLI writes, and one started later catches up from its checkpoints.
 */
export async function withArchive<T>(config: ArchiveConfig, job: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  @Module({ imports: [ArchiveModule.forRoot({ ...config, projections: 'off' })] })
  class CliModule {}

  const app = await NestFactory.createApplicationContext(CliModule, { logger: new CliLogger({ logLevels: ['error', 'warn'] }), abortOnError: false });
  try {
    await app.init();
    return await job(app);
  } finally {
    await app.close();
  }
}

/**
 * For a job that only reads (verify, status, export): the embedded log must be there already.
 * Opening it would create an empty archive in a mistyped ARCHIVE_DATA_DIR, which verifies clean.
 */
export function requireExistingLog(config: ArchiveConfig): void {
  if (config.eventStore !== 'sqlite') return;
  const log = join(config.dataDir, 'events.db');
  if (!existsSync(log)) throw new CliError(`no archive in ${config.dataDir}: ${log} does not exist (check ARCHIVE_DATA_DIR)`);
}

/** The log exactly as stored, without upcasting: what export writes and restore reproduces. */
export function storedLog(app: INestApplicationContext): EventStore {
  const store = app.get<EventStore>(EVENT_STORE);
  return store instanceof UpcastingEventStore ? store.inner : store;
}
