import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import type { UpcasterRegistry } from './upcaster.registry.js';

/**
 * An event store that reads every event through the upcasters: stored events are never
 * changed (they keep the schema version they were written with), and readers of the log —
 * command handlers, projections, the feed — only ever see the current schema. Appends pass
 * through unchanged, and so does the metadata of what is read: its `prevHash` and `hash` cover
 * the data as stored, so a verifier reads `inner`, not the upcast events.
 */
export class UpcastingEventStore implements EventStore {
  constructor(
    /** The store as it holds the events; export and restore use it directly. */
    readonly inner: EventStore,
    private readonly upcasters: UpcasterRegistry,
  ) {}

  appendToStream(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, expected);
  }

  async readStream(streamId: string, options?: { fromRevision?: number; limit?: number }): Promise<StoredEvent[]> {
    return (await this.inner.readStream(streamId, options)).map((event) => this.upcasters.upcast(event));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return (await this.inner.readAll(options)).map((event) => this.upcasters.upcast(event));
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  subscribeToAll(options?: SubscribeOptions): Subscription {
    const subscription = this.inner.subscribeToAll(options);
    const upcasters = this.upcasters;
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of subscription) yield upcasters.upcast(event);
      },
    };
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
