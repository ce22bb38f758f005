import { AsOfQueries } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import type { Provider } from '@nestjs/common';
import { createScratchReadStore } from '../config/stores.js';
import type { UpcastingEventStore } from '@archive/event-store';
import { EVENT_STORE, READ_STORE } from '../tokens.js';

/** `asOf` queries read the log through the upcasters and find what to read in the read store's index. */
export const asOfQueriesProvider: Provider = {
  provide: AsOfQueries,
  inject: [EVENT_STORE, READ_STORE],
  useFactory: (events: UpcastingEventStore, index: ReadStore) => new AsOfQueries({ events, index, scratch: createScratchReadStore }),
};
