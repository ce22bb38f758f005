export * from './other-writer.js';
