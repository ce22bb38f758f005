import { ARCHIVE_CONFIG, EVENT_STORE, ProjectionsService, READ_STORE, type ArchiveConfig } from '@archive/application';
import type { EventStore } from '@archive/event-store';
import type { ReadStore } from '@archive/read-store';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Access } from '../security/access.js';

/** One thing the service depends on, as `/health` reports it. */
type Indicator = { status: 'up' | 'down'; message?: string } & Record<string, unknown>;

/** The answer of `/health`, in the shape of @nestjs/terminus reports: every indicator under `details`, split into `info` (up) and `error` (down). */
export interface HealthReport {
  status: 'ok' | 'error';
  info: Record<string, Indicator>;
  error: Record<string, Indicator>;
  details: Record<string, Indicator>;
}

/** No answer within `ms` is a failure: a store that hangs must not hang the health check. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Liveness and readiness: each store answers within HEALTH_TIMEOUT_MS and no projection has
 * failed. 503 (with `Retry-After`) names what is down: `eventStore`, `readStore` or `projections`.
 */
@ApiTags('operations')
@Access('public')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig,
    private readonly projections: ProjectionsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The service's and its stores' state; 503 naming what is down" })
  @ApiOkResponse({ description: '`{ status: "ok", info, error: {}, details: { eventStore, readStore, projections } }`' })
  @ApiServiceUnavailableResponse({ description: '`{ status: "error", … }`: `error` holds each indicator that is down, with a message' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const [eventStore, readStore, projections] = await Promise.all([
      this.ping(this.config.eventStore, () => this.eventStore.ping()),
      this.ping(this.config.readStore, () => this.readStore.ping()),
      this.projectionsIndicator(),
    ]);
    const details: Record<string, Indicator> = { eventStore, readStore, projections };
    const entries = Object.entries(details);
    const down = entries.filter(([, indicator]) => indicator.status === 'down');
    if (down.length > 0) void reply.status(503).header('Retry-After', '1');
    return {
      status: down.length > 0 ? 'error' : 'ok',
      info: Object.fromEntries(entries.filter(([, indicator]) => indicator.status === 'up')),
      error: Object.fromEntries(down),
      details,
    };
  }

  private async ping(store: string, ping: () => Promise<void>): Promise<Indicator> {
    try {
      await within(this.config.healthTimeoutMs, ping());
      return { status: 'up', store };
    } catch (error) {
      return { status: 'down', store, message: messageOf(error) };
    }
  }

  private async projectionsIndicator(): Promise<Indicator> {
    try {
      const states = await within(this.config.healthTimeoutMs, this.projections.status());
      const details = Object.fromEntries(states.map((s) => [s.name, { status: s.status, position: s.position, lag: s.lag }]));
      return { status: states.some((s) => s.status === 'failed') ? 'down' : 'up', ...details };
    } catch (error) {
      return { status: 'down', message: `progress unknown: ${messageOf(error)}` };
    }
  }
}
