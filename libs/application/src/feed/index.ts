export * from './feed.facts.js';
export * from './feed.filter.js';
export * from './feed-facts.resolver.js';
export * from './feed.hub.js';
