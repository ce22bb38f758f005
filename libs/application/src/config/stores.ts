import { briefingStream } from '@archive/domain';
import {
  briefingUpcasters,
  KurrentDbEventStore,
  SqliteEventStore,
  UpcasterRegistry,
  UpcastingEventStore,
  type EventStore,
} from '@archive/event-store';
import { PostgresReadStore, SqliteReadStore, type ReadStore } from '@archive/read-store';
import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveMetrics } from '../metrics/archive-metrics.js';
import { ConfigError, type ArchiveConfig } from './archive.config.js';

/**
 * The event store the configuration names, read through the briefing upcasters so that every
 * reader sees the current event schemas. Its `inner` store is the log exactly as stored.
 */
export function createEventStore(config: ArchiveConfig, metrics?: ArchiveMetrics): UpcastingEventStore {
  return new UpcastingEventStore(createStoredEventStore(config, metrics), new UpcasterRegistry(briefingUpcasters));
}

function createStoredEventStore(config: ArchiveConfig, metrics?: ArchiveMetrics): EventStore {
  switch (config.eventStore) {
    case 'sqlite':
      dataDirectory(config);
      return new SqliteEventStore({
        filename: join(config.dataDir, 'events.db'),
        onCommit: metrics && (({ appends }) => metrics.groupCommitAppends.observe(appends)),
        onCheckpointerFailure: () => checkpointerFailed('events.db'),
      });
    case 'kurrentdb':
      // The archive's log is its briefing streams, filtered on the server, in a KurrentDB it may share.
      return new KurrentDbEventStore({
        connectionString: config.kurrentDbUrl!,
        streamPrefixes: [briefingStream('')],
        deadlineMs: config.kurrentDbDeadlineMs,
      });
  }
}

/** Creates ARCHIVE_DATA_DIR if it is missing; one that cannot be is a bad setting, named as such. */
function dataDirectory(config: ArchiveConfig): void {
  try {
    mkdirSync(config.dataDir, { recursive: true });
  } catch (error) {
    throw new ConfigError([`ARCHIVE_DATA_DIR ${config.dataDir} cannot be used as a directory: ${(error as Error).message}`]);
  }
}

/** Writes stay durable without the worker, but its checkpoints run on the event loop again. */
function checkpointerFailed(file: string): void {
  new Logger('Stores').warn({ msg: 'the checkpoint worker failed; SQLite checkpoints the WAL on the store\'s own connection, stalling requests while it copies', file });
}

/** The read store the configuration names. */
export function createReadStore(config: ArchiveConfig): ReadStore {
  switch (config.readStore) {
    case 'sqlite':
      dataDirectory(config);
      return new SqliteReadStore({ filename: join(config.dataDir, 'read.db'), onCheckpointerFailure: () => checkpointerFailed('read.db') });
    case 'postgres':
      return new PostgresReadStore({
        connectionString: config.databaseUrl!,
        schema: config.databaseSchema,
        connectTimeoutMs: config.databaseConnectTimeoutMs,
        queryTimeoutMs: config.databaseQueryTimeoutMs,
      });
  }
}

/** A private, empty read store in memory: where an `asOf` query folds the events it read. */
export function createScratchReadStore(): ReadStore {
  return new SqliteReadStore({ filename: ':memory:' });
}
