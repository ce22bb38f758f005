import { EVENT_STORE, ProjectionsService, READ_STORE } from '@archive/application';
import type { EventStore } from '@archive/event-store';
import type { ReadStore } from '@archive/read-store';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Access } from '../security/access.js';

/** Liveness and readiness: the stores answer and no projection has failed. */
@ApiTags('operations')
@Access('public')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly projections: ProjectionsService,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: "The service's and its stores' state; 503 when one is down" })
  check() {
    return this.health.check([
      () => this.ping('eventStore', () => this.eventStore.ping()),
      () => this.ping('readStore', () => this.readStore.ping()),
      async () => {
        const indicator = this.indicators.check('projections');
        const states = await this.projections.status();
        const details = Object.fromEntries(states.map((s) => [s.name, { status: s.status, position: s.position, lag: s.lag }]));
        return states.some((s) => s.status === 'failed') ? indicator.down(details) : indicator.up(details);
      },
    ]);
  }

  private async ping(key: string, ping: () => Promise<void>) {
    const indicator = this.indicators.check(key);
    try {
      await ping();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
