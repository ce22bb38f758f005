import { ARCHIVE_CONFIG, ProjectionsService, type ArchiveConfig } from '@archive/application';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, mergeMap, type Observable } from 'rxjs';
import { ValidationFailedException } from './validation.js';

/** The read models did not reach the position a query asked for in time. */
export class ReadModelsBehindError extends Error {
  constructor(
    readonly position: number,
    /** Failed projections that stopped before it: they get there only after a rebuild. */
    readonly failed: readonly string[] = [],
  ) {
    super(
      failed.length > 0
        ? `the read models have not reached position ${position}: ${failed.join(', ')} failed before it and must be rebuilt (see GET /api/projections)`
        : `the read models have not reached position ${position} yet; try again shortly`,
    );
    this.name = 'ReadModelsBehindError';
  }
}

/**
 * Read your writes: a query with `X-Min-Position: N` is answered once the read models have
 * applied the log up to N, or 503 after the configured wait.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(
    private readonly projections: ProjectionsService,
    @Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers['x-min-position'];
    if (header === undefined) return next.handle();
    const raw = Array.isArray(header) ? header[0] : header;
    if (!/^\d{1,15}$/.test(raw ?? '')) {
      throw new ValidationFailedException([{ field: 'X-Min-Position', message: 'X-Min-Position must be a global position' }]);
    }
    const position = Number(raw);
    return from(this.projections.waitFor(position, this.config.minPositionTimeoutMs)).pipe(
      mergeMap(async (reached) => {
        if (!reached) throw new ReadModelsBehindError(position, await this.projections.failedBefore(position));
      }),
      mergeMap(() => next.handle()),
    );
  }
}
