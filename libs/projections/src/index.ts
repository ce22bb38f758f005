import { asOfIndexProjection } from './as-of/as-of-index.projection.js';
import { briefingsProjection } from './briefings/briefings.projection.js';
import type { Projection } from './projection.js';
import { remarkHistoryProjection } from './remark-history/remark-history.projection.js';
import { searchProjection } from './search/search.projection.js';
import { spokespersonsProjection } from './spokespersons/spokespersons.projection.js';
import { topicsProjection } from './topics/topics.projection.js';

export * from './projection.js';
export * from './shared/cursor.js';
export * from './runner/projection-runner.js';
export * from './runner/checkpoint-watcher.js';
export * from './runner/checkpoints.js';
export * from './runner/schema.js';
export * from './runner/generations.js';
export * from './runner/rebuilds.js';
export * from './briefings/briefings.queries.js';
export * from './topics/topics.queries.js';
export * from './spokespersons/spokespersons.queries.js';
export * from './remark-history/remark-history.queries.js';
export * from './search/search.queries.js';
export * from './shared/word-diff.js';
export * from './as-of/as-of.js';
export * from './as-of/as-of.queries.js';
export { briefingsProjection, topicsProjection, spokespersonsProjection, remarkHistoryProjection, searchProjection, asOfIndexProjection };

/** Every read model the archive keeps. */
export const allProjections: readonly Projection[] = [
  briefingsProjection,
  topicsProjection,
  spokespersonsProjection,
  remarkHistoryProjection,
  searchProjection,
  asOfIndexProjection,
];
