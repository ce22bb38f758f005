export * from './wal-checkpointer.js';
