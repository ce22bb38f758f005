import { ArchiveModule, type ArchiveConfig } from '@archive/application';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TerminusModule } from '@nestjs/terminus';
import { AuditController } from './audit/audit.controller.js';
import { BriefingCommandsController } from './briefings/briefing-commands.controller.js';
import { BriefingsController } from './briefings/briefings.controller.js';
import { EventsController } from './events/events.controller.js';
import { FeedController } from './feed/feed.controller.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { KeyController } from './security/key.controller.js';
import { MinPositionInterceptor } from './http/min-position.interceptor.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { ProjectionsController } from './projections/projections.controller.js';
import { RemarksController } from './remarks/remarks.controller.js';
import { SearchController } from './search/search.controller.js';
import { SpokespersonsController } from './spokespersons/spokespersons.controller.js';
import { SubscriptionsController } from './subscriptions/subscriptions.controller.js';
import { AccessGuard } from './security/access.js';
import { RateLimitGuard, rateLimits } from './security/rate-limit.js';
import { TopicsController } from './topics/topics.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: ArchiveConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ArchiveModule.forRoot(config), TerminusModule.forRoot({ errorLogStyle: 'json' }), ThrottlerModule.forRoot(rateLimits(config))],
      controllers: [
        BriefingCommandsController,
        BriefingsController,
        TopicsController,
        SpokespersonsController,
        RemarksController,
        SearchController,
        EventsController,
        FeedController,
        SubscriptionsController,
        HealthController,
        ProjectionsController,
        AuditController,
        MetricsController,
        KeyController,
      ],
      providers: [
        MinPositionInterceptor,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // In this order: an address is counted even when its key is refused.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
