export * from './wal-checkpointer.js';
export * from './write-lock.js';
