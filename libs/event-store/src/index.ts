export type {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from './event-store.port.js';
export { DuplicateEventError, StoreUnavailableError, UnreadableEventError, WrongExpectedRevisionError } from './errors.js';
export {
  CANONICAL_FORM,
  canonicalJson,
  chainMetadata,
  eventHash,
  GENESIS_HASH,
  verifyChains,
  type ChainHead,
  type ChainMismatch,
  type ChainVerification,
  type HashedFields,
} from './hash-chain.js';
export { SqliteEventStore } from './sqlite/sqlite.event-store.js';
export type { SqliteEventStoreOptions, SqlitePragmas } from './sqlite/sqlite.event-store.js';
export { KurrentDbEventStore } from './kurrentdb/kurrentdb.event-store.js';
export type { KurrentDbEventStoreOptions, KurrentDbSubscribeOptions } from './kurrentdb/kurrentdb.event-store.js';
export type { KurrentDbSubscription } from './kurrentdb/kurrentdb.subscription.js';
export {
  briefingUpcasters,
  statementRecordedV0toV1,
  storedSchemaVersion,
  UpcasterRegistry,
  UpcastingEventStore,
  type StatementRecordedV0,
  type Upcaster,
} from './upcasting/index.js';
