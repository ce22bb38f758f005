import { DomainError } from '@archive/domain';
import type { EventStore } from '@archive/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { PageRequest } from '../queries/paging.js';
import { NotFoundError } from '../queries/not-found.error.js';
import { EVENT_STORE } from '../tokens.js';
import type { WebhookRegistration, WebhookSubscription } from './webhook-subscription.js';
import { WebhookSubscriptionStore, type WebhookPage } from './webhook-subscription.store.js';
import { WebhookDispatcher } from './webhook.dispatcher.js';
import { newWebhookSecret } from './webhook.signature.js';

/** A registered subscription, with the secret that signs its deliveries: shown this once. */
export interface RegisteredWebhook {
  readonly subscriptionId: string;
  readonly secret: string;
}

/** Registers, shows and deletes webhook subscriptions; the dispatcher delivers to them. */
@Injectable()
export class WebhookSubscriptions {
  constructor(
    private readonly store: WebhookSubscriptionStore,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  /**
   * Deliveries start after `after`, or after the head of the log as it is now. An `after` past
   * the head is refused: the subscription would report as gone through a log it has not seen.
   */
  async register(registration: WebhookRegistration, now: Date): Promise<RegisteredWebhook> {
    const head = await this.events.headPosition();
    if (registration.after !== undefined && registration.after > head) {
      throw new DomainError('INVALID_INPUT', `after must not be past the head of the log, position ${head}`, 'after');
    }
    const position = registration.after ?? head;
    const subscriptionId = randomUUID();
    const secret = newWebhookSecret();
    await this.store.insert({
      subscriptionId,
      callbackUrl: registration.callbackUrl,
      secret,
      filters: registration.filters,
      status: 'active',
      lastDeliveredPosition: 0,
      position,
      failures: 0,
      lastError: null,
      nextAttemptAt: null,
      createdAt: now.toISOString(),
    });
    this.dispatcher.wake();
    return { subscriptionId, secret };
  }

  async get(subscriptionId: string): Promise<WebhookSubscription> {
    const subscription = await this.store.get(subscriptionId);
    if (!subscription) throw new NotFoundError('subscription', subscriptionId);
    return subscription;
  }

  list(page: PageRequest): Promise<WebhookPage> {
    return this.store.page(page);
  }

  /** Once this answers, this process sends the subscription nothing more. */
  async delete(subscriptionId: string): Promise<void> {
    if (!(await this.store.delete(subscriptionId))) throw new NotFoundError('subscription', subscriptionId);
    await this.dispatcher.forget(subscriptionId);
  }
}
