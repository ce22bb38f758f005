import type { FeedFilter } from '../feed/feed.filter.js';

/**
 * How a subscription's deliveries are going:
 * - `active`: every matching event so far has been acknowledged, or the next one is on its way;
 * - `failing`: the last attempt was refused or timed out; it is retried at `nextAttemptAt`.
 */
export type WebhookStatus = 'active' | 'failing';

/**
 * A webhook subscription: the callback that receives every stored event its filter follows,
 * one at a time, in log order. Registered once (configuration); its delivery progress (state)
 * is kept beside it in the read store, which every API replica and the dispatcher share.
 */
export interface WebhookSubscription {
  readonly subscriptionId: string;
  readonly callbackUrl: string;
  /** The live feed's filters: every field given must match. */
  readonly filters: FeedFilter;
  readonly status: WebhookStatus;
  /** The position of the last event the callback acknowledged (2xx); 0 before the first. */
  readonly lastDeliveredPosition: number;
  /**
   * How far the log has been gone through: every event up to it was acknowledged or did not
   * match the filters. Deliveries resume after it.
   */
  readonly position: number;
  /** Attempts that failed in a row on the current event; 0 once it is acknowledged. */
  readonly failures: number;
  readonly lastError: string | null;
  /** When the failed event is tried again (ISO 8601); null while nothing waits for a retry. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
}

/** A subscription as the dispatcher needs it: with its signing secret. */
export interface WebhookTarget extends WebhookSubscription {
  readonly secret: string;
}

/** What registering a subscription takes. */
export interface WebhookRegistration {
  readonly callbackUrl: string;
  readonly filters: FeedFilter;
  /** Deliver the events after this global position; the head of the log when absent. */
  readonly after?: number;
}
