import type { EventStore, StoredEvent, Subscription } from '@archive/event-store';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EVENT_STORE } from '../tokens.js';
import { FeedFactsResolver } from './feed-facts.resolver.js';
import type { EventFacts } from './feed.facts.js';

/** A stored event with the facts the feed's filters look at. */
export interface FeedItem {
  readonly event: StoredEvent;
  readonly facts: EventFacts;
}

/** One client of the hub. */
export interface FeedListener {
  /**
   * Every event the hub reads after the listener joined, in log order. Called synchronously
   * for every listener in turn: it must queue or drop, never wait.
   */
  deliver(item: FeedItem): void;
  /** The hub stopped (the app shuts down, or the store subscription failed): end the stream. */
  end(): void;
}

export interface FeedMembership {
  /** The hub's position when the listener joined: `deliver` gets every event after it. */
  readonly position: number;
  leave(): void;
}

/** The feed is shutting down and takes no new client. */
export class FeedClosedError extends Error {
  constructor() {
    super('the live feed is shutting down');
    this.name = 'FeedClosedError';
  }
}

/** How many events a history page reads from the log. */
const HISTORY_PAGE_SIZE = 500;

/**
 * The live feed's fan-out: one catch-up subscription to the store per process, whatever the
 * number of clients, each new event described once and handed to every client synchronously
 * (a client queues or drops; none can hold the others up). Started by the first client, from
 * the head of the log; if the store subscription fails, every client is ended (they resume
 * from their last id) and the next client starts a new one.
 *
 * It also reads the log's history for the clients that resume, and is closed before the
 * HTTP server and the stores, so that open streams end first.
 */
@Injectable()
export class FeedHub implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Feed');
  private readonly listeners = new Set<FeedListener>();
  private readonly reads = new Set<Promise<unknown>>();
  private subscription: Subscription | undefined;
  private starting: Promise<void> | undefined;
  private following: Promise<void> | undefined;
  private lastPosition = 0;
  private closed = false;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Clients joined now. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Store subscriptions open now: 0 before the first client, then 1. */
  get subscriptionCount(): number {
    return this.subscription ? 1 : 0;
  }

  /** Opens the store subscription if it is not open; resolves once it is. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new FeedClosedError());
    this.starting ??= this.open().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /** Adds a listener to the running hub (`start` first). */
  join(listener: FeedListener): FeedMembership {
    if (this.closed || !this.subscription) throw new FeedClosedError();
    this.listeners.add(listener);
    return { position: this.lastPosition, leave: () => this.listeners.delete(listener) };
  }

  /**
   * A reader of the log after `after`, page by page, each event with its facts; a page comes
   * back empty at the head of the log, or once the hub is closed.
   */
  history(after: number): () => Promise<FeedItem[]> {
    const resolver = new FeedFactsResolver(this.store);
    let last = after;
    return async () => {
      if (this.closed) return [];
      const page = await this.track(this.store.readAll({ after: last, limit: HISTORY_PAGE_SIZE }));
      const items: FeedItem[] = [];
      for (const event of page) items.push({ event, facts: await this.track(resolver.describe(event)) });
      last = page.at(-1)?.position ?? last;
      return items;
    };
  }

  /** Ends every stream and closes the store subscription, before the HTTP server closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** The same, for a context that skips the hook above; closing twice is harmless. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.subscription?.close();
    await this.following;
    this.endAll();
    await Promise.allSettled([...this.reads]);
  }

  private async open(): Promise<void> {
    const head = await this.store.headPosition();
    if (this.closed) throw new FeedClosedError();
    const subscription = this.store.subscribeToAll({ after: head });
    this.lastPosition = head;
    this.subscription = subscription;
    this.following = this.follow(subscription);
  }

  private async follow(subscription: Subscription): Promise<void> {
    const resolver = new FeedFactsResolver(this.store);
    try {
      for await (const event of subscription) {
        const item: FeedItem = { event, facts: await resolver.describe(event) };
        if (this.closed) break;
        this.lastPosition = event.position;
        for (const listener of this.listeners) {
          try {
            listener.deliver(item);
          } catch (error) {
            this.listeners.delete(listener);
            this.logger.error({ msg: 'a feed client failed; it is dropped', err: describe(error) });
          }
        }
        // A page of the log is delivered without leaving the microtask queue; a turn of the event
        // loop between events lets the sockets drain, so a burst does not look like a slow client.
        await nextTurn();
      }
      if (!this.closed) this.logger.error({ msg: 'the feed subscription ended; clients are ended and will resume' });
    } catch (error) {
      if (!this.closed) this.logger.error({ msg: 'the feed subscription failed; clients are ended and will resume', err: describe(error) });
    } finally {
      if (this.subscription === subscription) {
        this.subscription = undefined;
        this.starting = undefined;
      }
      // Before any await: a client that comes meanwhile joins the next subscription, not this one.
      this.endAll();
      await subscription.close().catch(() => undefined);
    }
  }

  private endAll(): void {
    const ended = [...this.listeners];
    this.listeners.clear();
    for (const listener of ended) listener.end();
  }

  private track<T>(read: Promise<T>): Promise<T> {
    this.reads.add(read);
    return read.finally(() => this.reads.delete(read));
  }
}

function describe(error: unknown): { message: string; stack?: string } | string {
  return error instanceof Error ? { message: error.message, stack: error.stack } : String(error);
}
