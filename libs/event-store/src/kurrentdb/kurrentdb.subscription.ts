import { setImmediate as nextMacrotask } from 'node:timers/promises';
import kurrent, { type AllStreamResolvedEvent, type AllStreamSubscription, type Filter, type Position } from '@kurrent/kurrentdb-client';
import type { StoredEvent, Subscription } from '../event-store.port.js';

const { START, AccessDeniedError, isCommandError } = kurrent;

export interface KurrentDbSubscriptionOptions {
  /** Opens the client's subscription to `$all` after a position (exclusive), or from the start. */
  readonly open: (from: Position | typeof START, filter: Filter, highWaterMark: number) => AllStreamSubscription;
  /** The server-side filter, wired to the callback that receives its checkpoints. */
  readonly filter: (checkpointReached: (subscription: AllStreamSubscription, position: Position) => Promise<void>) => Filter;
  /** Converts a user event; undefined for an event the archive does not see (a system event). */
  readonly convert: (resolved: AllStreamResolvedEvent) => StoredEvent | undefined;
  /** Position of a resolved event, as the archive numbers them. */
  readonly positionOf: (resolved: AllStreamResolvedEvent) => number;
  readonly after: number;
  /** How many events the client buffers ahead of the consumer. */
  readonly highWaterMark: number;
  /** First pause before subscribing again after a drop; doubles with each failed attempt up to `maxDelayMs`. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** See `KurrentDbSubscribeOptions.onCheckpoint`. */
  readonly onCheckpoint?: (position: number) => void | Promise<void>;
  readonly onClose: (subscription: KurrentDbSubscription) => void;
}

/**
 * A catch-up subscription to `$all` on KurrentDB. The server delivers the stored events after the
 * start and then each new one on the same call. When the call fails (the connection dropped, the
 * node restarted, the leader moved) it subscribes again, after a pause that grows with each failed
 * attempt, from the last position it handed out. KurrentDB starts a subscription after (exclusive
 * of) the given position and sends events in `$all` order, so nothing is skipped or repeated
 * across the seam; an event at or before the last position is dropped all the same.
 */
export class KurrentDbSubscription implements Subscription {
  private closed = false;
  private iterated = false;
  private current: AllStreamSubscription | undefined;
  private wakeUp: (() => void) | undefined;
  /** Position of the last event taken from the server, delivered or skipped. */
  private lastPosition: number;
  private safePosition: number;
  private pendingCheckpoint = 0;
  /** True while the iteration waits for the server, having handed every earlier event out and seen it processed. */
  private idle = false;
  private checkpointFailure: unknown;

  constructor(private readonly options: KurrentDbSubscriptionOptions) {
    this.lastPosition = options.after;
    this.safePosition = options.after;
  }

  /**
   * A position the consumer may resume after without losing anything: every event up to it has
   * been handed out and processed (the consumer asked for the next one). It moves with the events
   * and, while the filter skips events, with the server's checkpoints.
   */
  get checkpoint(): number {
    return this.safePosition;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeUp?.();
    this.options.onClose(this);
    const current = this.current;
    if (current) {
      await current.unsubscribe();
      // Ends a waiting iteration whether or not the cancelled call ends the client's stream.
      current.destroy();
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    // Two iterators would split the events between them.
    if (this.iterated) throw new Error('a subscription can be iterated only once');
    this.iterated = true;
    return this.events();
  }

  private async *events(): AsyncGenerator<StoredEvent> {
    let failures = 0;
    try {
      while (!this.closed) {
        const from =
          this.lastPosition === 0 ? START : { commit: BigInt(this.lastPosition), prepare: BigInt(this.lastPosition) };
        const filter = this.options.filter((subscription, position) => this.checkpointReached(subscription, position));
        const subscription = this.options.open(from, filter, this.options.highWaterMark);
        this.current = subscription;
        const iterator = (subscription as AsyncIterable<AllStreamResolvedEvent>)[Symbol.asyncIterator]();
        try {
          for (;;) {
            this.idle = true;
            const next = await iterator.next();
            this.idle = false;
            if (this.checkpointFailure) throw this.checkpointFailure;
            if (next.done || this.closed) break;
            failures = 0;
            const position = this.options.positionOf(next.value);
            if (position <= this.lastPosition && this.lastPosition !== 0) continue;
            this.lastPosition = position;
            // Everything before this event has been processed, so a checkpoint below it is safe now.
            await this.applyCheckpoint(position);
            const event = this.options.convert(next.value);
            if (event) yield event;
            this.safePosition = Math.max(this.safePosition, position);
            if (this.closed) return;
          }
        } catch (error) {
          if (this.closed) return;
          if (error === this.checkpointFailure || error instanceof AccessDeniedError || !isCommandError(error as Error)) {
            throw error;
          }
        } finally {
          this.current = undefined;
          this.idle = false;
          await subscription.unsubscribe();
          subscription.destroy();
        }
        if (this.closed) return;
        await this.pause(Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** failures));
        failures++;
      }
    } finally {
      await this.close();
    }
  }

  /**
   * The server passed `position` while filtering. It is safe once every event before it has been
   * processed: at once when the iteration is idle with nothing buffered, otherwise when the next
   * event is taken from the server.
   */
  private async checkpointReached(subscription: AllStreamSubscription, position: Position): Promise<void> {
    const commit = Number(position.commit);
    // Some server versions repeat an old position in live checkpoints: a checkpoint only moves forward.
    if (!Number.isSafeInteger(commit) || commit <= Math.max(this.safePosition, this.pendingCheckpoint)) return;
    this.pendingCheckpoint = commit;
    // An event the iterator has already read from the buffer reaches the loop within this turn.
    await nextMacrotask();
    if (this.idle && this.current === subscription && subscription.readableLength === 0) {
      try {
        await this.applyCheckpoint(Number.POSITIVE_INFINITY);
      } catch (error) {
        // Thrown here it would be lost in the client's stream; the iteration rethrows it.
        this.checkpointFailure = error;
        subscription.destroy();
      }
    }
  }

  /** Applies the pending checkpoint if it lies before `before`, the position of the next event to hand out. */
  private async applyCheckpoint(before: number): Promise<void> {
    const position = this.pendingCheckpoint;
    if (position <= this.safePosition || position >= before) return;
    this.pendingCheckpoint = 0;
    this.safePosition = position;
    await this.options.onCheckpoint?.(position);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeUp = wake;
    });
  }
}
