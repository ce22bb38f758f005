import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditService } from './audit/audit.service.js';
import { BriefingCommandHandler } from './commands/briefing-command.handler.js';
import type { ArchiveConfig } from './config/archive.config.js';
import { createEventStore, createReadStore } from './config/stores.js';
import { FeedHub } from './feed/feed.hub.js';
import { ArchiveMetrics } from './metrics/archive-metrics.js';
import { MetricsService } from './metrics/metrics.service.js';
import { ProjectionsService } from './projections/projections.service.js';
import { GetBriefingHandler } from './queries/get-briefing.query.js';
import { GetSpokespersonHandler } from './queries/get-spokesperson.query.js';
import { ListBriefingsHandler } from './queries/list-briefings.query.js';
import { ListSpokespersonsHandler } from './queries/list-spokespersons.query.js';
import { ListTopicsHandler } from './queries/list-topics.query.js';
import { ReadAllEventsHandler, ReadBriefingEventsHandler } from './queries/read-events.query.js';
import { RemarkHistoryHandler } from './queries/remark-history.query.js';
import { SearchHandler } from './queries/search.query.js';
import { asOfQueriesProvider } from './queries/as-of.provider.js';
import { SpeakerTopicHistoryHandler } from './queries/speaker-topic-history.query.js';
import { TopicTimelineHandler } from './queries/topic-timeline.query.js';
import { ARCHIVE_CONFIG, EVENT_STORE, READ_STORE } from './tokens.js';
import { WebhookSubscriptionStore } from './webhooks/webhook-subscription.store.js';
import { WebhookSubscriptions } from './webhooks/webhook-subscriptions.service.js';
import { WebhookDispatcher } from './webhooks/webhook.dispatcher.js';

const handlers = [
  BriefingCommandHandler,
  ListBriefingsHandler,
  GetBriefingHandler,
  ListTopicsHandler,
  TopicTimelineHandler,
  ListSpokespersonsHandler,
  GetSpokespersonHandler,
  RemarkHistoryHandler,
  SpeakerTopicHistoryHandler,
  SearchHandler,
  ReadAllEventsHandler,
  ReadBriefingEventsHandler,
];

/** The archive's application core: stores, command and query handlers, projections, the live feed's hub, the webhooks. */
@Module({})
export class ArchiveModule {
  static forRoot(config: ArchiveConfig): DynamicModule {
    return {
      module: ArchiveModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: ARCHIVE_CONFIG, useValue: config },
        { provide: ArchiveMetrics, useValue: new ArchiveMetrics() },
        { provide: EVENT_STORE, useFactory: (metrics: ArchiveMetrics) => createEventStore(config, metrics), inject: [ArchiveMetrics] },
        MetricsService,
        { provide: READ_STORE, useFactory: () => createReadStore(config) },
        ProjectionsService,
        AuditService,
        FeedHub,
        WebhookSubscriptionStore,
        WebhookDispatcher,
        WebhookSubscriptions,
        asOfQueriesProvider,
        ...handlers,
      ],
      exports: [ARCHIVE_CONFIG, EVENT_STORE, READ_STORE, ProjectionsService, AuditService, FeedHub, WebhookSubscriptions, WebhookDispatcher, CqrsModule, ArchiveMetrics, MetricsService],
    };
  }
}
