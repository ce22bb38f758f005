import type { EventStore } from '@archive/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { FeedHub } from '../feed/feed.hub.js';
import { ProjectionsService } from '../projections/projections.service.js';
import { EVENT_STORE } from '../tokens.js';
import { WebhookSubscriptions } from '../webhooks/webhook-subscriptions.service.js';
import { ArchiveMetrics } from './archive-metrics.js';

/** Reads the state gauges from their sources, then renders every metric as Prometheus text. */
@Injectable()
export class MetricsService {
  constructor(
    private readonly metrics: ArchiveMetrics,
    private readonly projections: ProjectionsService,
    private readonly feed: FeedHub,
    private readonly webhooks: WebhookSubscriptions,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  get contentType(): string {
    return this.metrics.registry.contentType;
  }

  async render(): Promise<string> {
    const head = await this.events.headPosition();
    this.metrics.headPosition.set(head);
    for (const state of await this.projections.status()) {
      this.metrics.projectionPosition.set({ projection: state.name }, state.position);
      this.metrics.projectionLag.set({ projection: state.name }, state.lag);
      const rebuild = state.status === 'rebuilding' ? await this.projections.rebuildProgress(state.name) : undefined;
      this.metrics.rebuildRate.set({ projection: state.name }, rebuild?.status === 'running' ? rebuild.eventsPerSecond : 0);
    }
    this.metrics.feedClients.set(this.feed.listenerCount);
    this.metrics.webhookBacklog.reset();
    for (const subscription of (await this.webhooks.list({ limit: 500 })).items) {
      this.metrics.webhookBacklog.set({ subscription: subscription.subscriptionId }, Math.max(0, head - subscription.position));
    }
    return this.metrics.registry.metrics();
  }
}
