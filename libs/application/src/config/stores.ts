import { briefingStream } from '@archive/domain';
import { KurrentDbEventStore, SqliteEventStore, type EventStore } from '@archive/event-store';
import { PostgresReadStore, SqliteReadStore, type ReadStore } from '@archive/read-store';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveConfig } from './archive.config.js';

/** The event store the configuration names. */
export function createEventStore(config: ArchiveConfig): EventStore {
  switch (config.eventStore) {
    case 'sqlite':
      mkdirSync(config.dataDir, { recursive: true });
      return new SqliteEventStore({ filename: join(config.dataDir, 'events.db') });
    case 'kurrentdb':
      // The archive's log is its briefing streams, filtered on the server, in a KurrentDB it may share.
      return new KurrentDbEventStore({ connectionString: config.kurrentDbUrl!, streamPrefixes: [briefingStream('')] });
  }
}

/** The read store the configuration names. */
export function createReadStore(config: ArchiveConfig): ReadStore {
  switch (config.readStore) {
    case 'sqlite':
      mkdirSync(config.dataDir, { recursive: true });
      return new SqliteReadStore({ filename: join(config.dataDir, 'read.db') });
    case 'postgres':
      return new PostgresReadStore({ connectionString: config.databaseUrl!, schema: config.databaseSchema });
  }
}
