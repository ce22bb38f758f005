import type { ArchiveConfig } from '@archive/application';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestKey } from './access.js';
import { SlidingWindowStorage } from './sliding-window.storage.js';

/**
 * Two limits over one window: requests from one address, and requests made with one key (from
 * any address). A limit of 0 is off. The count is across all routes, not per route, in a sliding
 * window (see SlidingWindowStorage).
 */
export function rateLimits(config: ArchiveConfig): ThrottlerModuleOptions {
  const keyOf = (request: FastifyRequest) => {
    try {
      return requestKey(request, config.apiKeys)?.name;
    } catch {
      return undefined; // a bad key is the access check's to answer (401), after the address limit counted it
    }
  };
  return {
    throttlers: [
      {
        name: 'default',
        ttl: config.rateLimitWindowMs,
        limit: config.rateLimitPerAddress,
        skipIf: () => config.rateLimitPerAddress === 0,
        getTracker: (request) => `address:${(request as FastifyRequest).ip}`,
      },
      {
        name: 'key',
        ttl: config.rateLimitWindowMs,
        limit: config.rateLimitPerKey,
        skipIf: (context) => config.rateLimitPerKey === 0 || keyOf(context.switchToHttp().getRequest<FastifyRequest>()) === undefined,
        getTracker: (request) => `key:${keyOf(request as FastifyRequest)}`,
      },
    ],
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    storage: new SlidingWindowStorage(),
  };
}

/**
 * The throttler guard, answering 429 with a plain `Retry-After` whichever limit was hit, and the
 * `X-RateLimit-*` headers of that limit, as every answer within it has them (the throttler sets
 * them only on answers it lets through).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const retryAfter = String(Math.max(1, Math.ceil(detail.timeToBlockExpire)));
    // The key is `name:tracker` (see generateKey); the throttler names its headers' suffix so.
    const name = detail.key.slice(0, detail.key.indexOf(':'));
    const suffix = name === 'default' ? '' : `-${name}`;
    void reply
      .header('Retry-After', retryAfter)
      .header(`X-RateLimit-Limit${suffix}`, String(detail.limit))
      .header(`X-RateLimit-Remaining${suffix}`, '0')
      .header(`X-RateLimit-Reset${suffix}`, retryAfter);
    return super.throwThrottlingException(context, detail);
  }
}
