export * from './read-store.port.js';
export * from './sqlite/sqlite.read-store.js';
export * from './read-store.errors.js';
export * from './postgres/postgres.read-store.js';
export * from './table-names.js';
