import type { EventStore, StoredEvent, Subscription } from '@archive/event-store';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ArchiveConfig } from '../config/archive.config.js';
import { FeedFactsResolver } from '../feed/feed-facts.resolver.js';
import { matchesFeedFilter } from '../feed/feed.filter.js';
import { ARCHIVE_CONFIG, EVENT_STORE } from '../tokens.js';
import type { WebhookTarget } from './webhook-subscription.js';
import { WebhookSubscriptionStore } from './webhook-subscription.store.js';
import { retryDelay, webhookSignature } from './webhook.signature.js';

/** How many events a delivery loop reads from the log at a time. */
const PAGE_SIZE = 100;

type Outcome = { ok: true } | { ok: false; error: string };

interface Worker {
  readonly abort: AbortController;
  /** New events were signalled while the loop was reading: it reads once more before it idles. */
  again: boolean;
  done?: Promise<void>;
}

/**
 * Delivers the log to the webhook subscriptions. Runs in the one process that runs the
 * projections (`PROJECTIONS=on`: the embedded API, or the projector beside API replicas), so a
 * subscription has one deliverer.
 *
 * Each subscription has its own loop that reads the log after the subscription's position, page
 * by page, and POSTs each matching event, one at a time (no batches), waiting for a 2xx before the
 * next. The position is saved after every acknowledged event, so after a restart the loop
 * resumes after it: delivery is at least once (an event acknowledged just before a crash, but
 * not yet saved, comes again; receivers deduplicate on `X-Archive-Event-Id`). A failed attempt
 * (not 2xx, no answer in time, unreachable) is retried after a growing wait, and nothing after
 * the failed event is sent until it is acknowledged.
 *
 * What starts the loops: one catch-up subscription to the event store per process, which only
 * signals that the log grew; a registration in this process; and a poll of the subscriptions
 * table (`webhookPollMs`), which also finds those registered through other processes.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly workers = new Map<string, Worker>();
  private running = false;
  private stopped = false;
  private signalled = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private subscription: Subscription | undefined;
  private following: Promise<void> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly subscriptions: WebhookSubscriptionStore,
    @Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.projections === 'on') this.start();
  }

  /** Whether this process delivers. */
  get active(): boolean {
    return this.running && !this.stopped;
  }

  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something may be due: a new event, a new subscription, a failure to schedule. */
  wake(): void {
    for (const worker of this.workers.values()) worker.again = true;
    this.signalled = true;
    this.wakeUp?.();
  }

  /** Stops the subscription's loop and waits for it: after this, nothing more is sent to it. */
  async forget(subscriptionId: string): Promise<void> {
    const worker = this.workers.get(subscriptionId);
    if (!worker) return;
    worker.abort.abort();
    await worker.done;
  }

  /**
   * Stops before the stores close. An attempt in flight is let finish (it takes at most
   * `webhookTimeoutMs`) and its answer saved: abandoned, it could still reach the callback, and
   * be sent again after the restart.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.subscription?.close().catch(() => undefined);
    await Promise.allSettled([this.loop, this.following, ...[...this.workers.values()].map((worker) => worker.done)]);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.signalled = false;
      let wait = this.config.webhookPollMs;
      try {
        await this.follow();
        const now = Date.now();
        for (const target of await this.subscriptions.targets()) {
          if (this.stopped) break;
          if (this.workers.has(target.subscriptionId)) continue;
          const due = target.nextAttemptAt ? Date.parse(target.nextAttemptAt) : now;
          if (due <= now) this.launch(target.subscriptionId);
          else wait = Math.min(wait, due - now);
        }
      } catch (error) {
        this.logger.error({ msg: 'webhook dispatch could not read its subscriptions; it tries again', err: describe(error) });
      }
      if (!this.signalled && !this.stopped) await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }

  /** Opens the store subscription that signals new events, if it is not open. */
  private async follow(): Promise<void> {
    if (this.subscription || this.stopped) return;
    const subscription = this.events.subscribeToAll({ after: await this.events.headPosition() });
    this.subscription = subscription;
    this.following = (async () => {
      try {
        // The events themselves are read by the loops, each from its own position.
        for await (const _event of subscription) this.wake();
      } catch (error) {
        if (!this.stopped) this.logger.error({ msg: 'the webhook store subscription failed; it is reopened', err: describe(error) });
      } finally {
        this.subscription = undefined;
        await subscription.close().catch(() => undefined);
      }
    })();
  }

  private launch(subscriptionId: string): void {
    const worker: Worker = { abort: new AbortController(), again: false };
    this.workers.set(subscriptionId, worker);
    worker.done = this.deliverDue(subscriptionId, worker).then(
      (ended) => {
        this.workers.delete(subscriptionId);
        // A failure leaves a retry to schedule: the dispatcher looks at the subscriptions again.
        if (ended === 'failed' || ended === 'not due') this.wake();
      },
      (error: unknown) => {
        this.workers.delete(subscriptionId);
        if (!worker.abort.signal.aborted) {
          this.logger.error({ msg: 'a webhook delivery loop failed; it is launched again at the next poll', subscriptionId, err: describe(error) });
        }
      },
    );
  }

  /**
   * Reads the subscription again before delivering: the list it was launched from may be older
   * than a loop of it that ended meanwhile (its position, its retry's time) or than its deletion.
   */
  private async deliverDue(subscriptionId: string, worker: Worker): Promise<'idle' | 'failed' | 'stopped' | 'not due'> {
    const target = await this.subscriptions.target(subscriptionId);
    if (!target || worker.abort.signal.aborted) return 'stopped';
    if (target.nextAttemptAt && Date.parse(target.nextAttemptAt) > Date.now()) return 'not due';
    return this.deliverAll(target, worker);
  }

  /** Delivers the events after the target's position until the log is exhausted, an attempt fails, or the loop is stopped. */
  private async deliverAll(target: WebhookTarget, worker: Worker): Promise<'idle' | 'failed' | 'stopped'> {
    const { subscriptionId } = target;
    const signal = worker.abort.signal;
    const resolver = new FeedFactsResolver(this.events);
    let position = target.position;
    let saved = target.position;
    let failures = target.failures;
    while (!signal.aborted && !this.stopped) {
      worker.again = false;
      const page = await this.events.readAll({ after: position, limit: PAGE_SIZE });
      for (const event of page) {
        if (signal.aborted || this.stopped) break;
        if (!matchesFeedFilter(target.filters, event, await resolver.describe(event))) {
          position = event.position;
          continue;
        }
        const outcome = await this.attempt(target, event, signal);
        if (signal.aborted) return 'stopped';
        if (outcome.ok) {
          if (!(await this.subscriptions.acknowledged(subscriptionId, event.position))) return 'stopped';
          position = saved = event.position;
          failures = 0;
          continue;
        }
        failures += 1;
        const nextAttemptAt = new Date(Date.now() + retryDelay(failures, this.config.webhookRetryBaseMs, this.config.webhookRetryMaxMs));
        this.logger.warn({ msg: 'a webhook delivery failed; it is retried', subscriptionId, position: event.position, failures, error: outcome.error });
        // The loop ends here; the dispatcher launches it again when the retry is due.
        return (await this.subscriptions.failed(subscriptionId, position, failures, outcome.error, nextAttemptAt.toISOString())) ? 'failed' : 'stopped';
      }
      if (position > saved) {
        if (!(await this.subscriptions.skipped(subscriptionId, position))) return 'stopped';
        saved = position;
      }
      if (page.length < PAGE_SIZE && !worker.again) return 'idle';
    }
    return 'stopped';
  }

  private async attempt(target: WebhookTarget, event: StoredEvent, stop: AbortSignal): Promise<Outcome> {
    const body = JSON.stringify(event);
    const timeout = AbortSignal.timeout(this.config.webhookTimeoutMs);
    try {
      const response = await fetch(target.callbackUrl, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.any([stop, timeout]),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'briefing-archive-webhooks/1',
          'X-Archive-Subscription': target.subscriptionId,
          'X-Archive-Event-Id': event.eventId,
          'X-Archive-Event-Type': event.type,
          'X-Archive-Position': String(event.position),
          'X-Archive-Delivery': randomUUID(),
          'X-Archive-Signature': webhookSignature(target.secret, body),
        },
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true };
      return { ok: false, error: `the callback answered ${response.status}` };
    } catch (error) {
      if (timeout.aborted) return { ok: false, error: `the callback did not answer within ${this.config.webhookTimeoutMs} ms` };
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const reason = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : describe(error);
      return { ok: false, error: `the callback could not be reached: ${typeof reason === 'string' ? reason : reason.message}` };
    }
  }
}

function describe(error: unknown): { message: string; stack?: string } | string {
  return error instanceof Error ? { message: error.message, stack: error.stack } : String(error);
}
