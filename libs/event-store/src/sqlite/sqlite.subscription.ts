import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StoredEvent, Subscription } from '../event-store.port.js';

/** Wakes the subscriptions waiting for new events once this process has committed an append. */
export class AppendSignal {
  private readonly waiters = new Set<() => void>();

  add(waiter: () => void): void {
    this.waiters.add(waiter);
  }

  delete(waiter: () => void): void {
    this.waiters.delete(waiter);
  }

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }
}

export interface LogSubscriptionOptions {
  /** Reads up to `limit` committed events with a position greater than `after`, in order. */
  readonly readPage: (after: number, limit: number) => StoredEvent[];
  readonly signal: AppendSignal;
  readonly after: number;
  readonly batchSize: number;
  /** Re-read this often while idle, to see appends made by other processes on the same file. */
  readonly pollIntervalMs: number;
  readonly onClose: (subscription: LogSubscription) => void;
}

/**
 * Catch-up and live are one loop: read the page after the last delivered position until a page
 * comes back empty, then wait for a wake-up. Because positions are assigned under the write
 * lock and only committed rows are visible, "greater than the last delivered position" can
 * neither skip nor repeat an event, so there is no hand-over to get wrong.
 */
export class LogSubscription implements Subscription {
  private last: number;
  private closed = false;
  private iterated = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: LogSubscriptionOptions) {
    this.last = options.after;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeUp?.();
    this.options.onClose(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    // Two iterators would split the events between them.
    if (this.iterated) throw new Error('a subscription can be iterated only once');
    this.iterated = true;
    return this.events();
  }

  private async *events(): AsyncGenerator<StoredEvent> {
    const { readPage, batchSize } = this.options;
    try {
      while (!this.closed) {
        // Armed before the read, so an append committed during the read still wakes us.
        const woken = this.armWakeUp();
        const page = readPage(this.last, batchSize);
        if (page.length === 0) {
          await woken;
          continue;
        }
        this.wakeUp?.();
        for (const event of page) {
          if (this.closed) return;
          this.last = event.position;
          yield event;
        }
        // Reads and yields never leave the microtask queue; without this turn a long catch-up
        // would starve timers and I/O (HTTP requests, other subscriptions) until it is done.
        await nextTurn();
      }
    } finally {
      await this.close();
    }
  }

  private armWakeUp(): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.options.signal.delete(wake);
        if (this.wakeUp === wake) this.wakeUp = undefined;
        resolve();
      };
      // unref: an idle subscription must not keep the process alive.
      const timer = setTimeout(wake, this.options.pollIntervalMs).unref();
      this.options.signal.add(wake);
      this.wakeUp = wake;
    });
  }
}
