/** Injection tokens for the ports, so handlers depend on interfaces, not adapters. */
export const EVENT_STORE = Symbol('EventStore');
export const READ_STORE = Symbol('ReadStore');
export const ARCHIVE_CONFIG = Symbol('ArchiveConfig');
