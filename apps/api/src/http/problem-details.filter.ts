import { ConcurrentWriteError, NotFoundError, StaleRevisionError } from '@archive/application';
import { DomainError } from '@archive/domain';
import { DuplicateEventError, StoreUnavailableError, UnreadableEventError, WrongExpectedRevisionError } from '@archive/event-store';
import { InvalidCursorError } from '@archive/projections';
import { ReadStoreUnavailableError } from '@archive/read-store';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FeedFullException } from '../feed/feed-limits.js';
import { ForbiddenRoleException, UnauthenticatedException } from '../security/access.js';
import { ReadModelsBehindError } from './min-position.interceptor.js';
import type { FieldError } from './validation.js';
import { ValidationFailedException } from './validation.js';

/** An RFC 9457 problem. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

/** Maps what the layers below throw to the problem a client sees. Nothing below knows HTTP. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ValidationFailedException) return problem(400, 'VALIDATION_FAILED', 'the request has invalid fields', error.errors);
  if (error instanceof DomainError) {
    if (error.code === 'INVALID_INPUT') {
      return problem(400, 'VALIDATION_FAILED', error.message, [{ field: error.field ?? '', message: error.message }]);
    }
    return problem(error.isNotFound ? 404 : 409, error.code, error.message);
  }
  if (error instanceof NotFoundError) return problem(404, `${error.what.toUpperCase()}_NOT_FOUND`, error.message);
  if (error instanceof StaleRevisionError) return problem(412, 'STALE_REVISION', error.message);
  if (error instanceof ConcurrentWriteError || error instanceof WrongExpectedRevisionError) {
    return problem(409, 'CONCURRENT_WRITE', error.message);
  }
  if (error instanceof DuplicateEventError) return problem(409, 'DUPLICATE_EVENT', error.message);
  if (error instanceof UnreadableEventError) return problem(500, 'UNREADABLE_EVENT', `${error.message}; GET /api/audit/verify names the first damaged event`);
  if (error instanceof InvalidCursorError) return problem(400, 'INVALID_CURSOR', error.message, [{ field: 'cursor', message: error.message }]);
  if (error instanceof ReadModelsBehindError) return problem(503, 'READ_MODELS_BEHIND', error.message);
  if (error instanceof StoreUnavailableError || error instanceof ReadStoreUnavailableError) {
    return problem(503, 'STORE_UNAVAILABLE', error.message);
  }
  if (error instanceof UnauthenticatedException) return problem(401, 'UNAUTHENTICATED', error.message);
  if (error instanceof ForbiddenRoleException) return problem(403, 'FORBIDDEN', error.message);
  if (error instanceof ThrottlerException) return problem(429, 'RATE_LIMITED', 'too many requests: wait as Retry-After says, then try again');
  if (error instanceof FeedFullException) return problem(error.getStatus(), 'FEED_FULL', error.message);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return problem(status, status === 404 ? 'ROUTE_NOT_FOUND' : `HTTP_${status}`, error.message);
  }
  // Fastify's own errors (body too large, bad content type, malformed JSON) carry a status.
  const fastifyError = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const code = typeof fastifyError.code === 'string' ? fastifyError.code.replace(/^FST_ERR_/, '') : `HTTP_${fastifyError.statusCode}`;
    return problem(fastifyError.statusCode, code, String(fastifyError.message));
  }
  return problem(500, 'INTERNAL', 'the service failed to answer; the failure was logged');
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body = toProblem(error);
    body.instance = request.url;
    if (body.status === 503) {
      // An answer the service meant (a store away, read models behind), not a failure of its code.
      const log = { msg: 'request answered 503', reqId: request.id, code: body.code, detail: body.detail };
      if (error instanceof ReadModelsBehindError) this.logger.log(log);
      else this.logger.warn(log);
    } else if (body.status >= 500) {
      this.logger.error({ msg: 'request failed', reqId: request.id, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) });
    }
    if (error instanceof FeedFullException) void reply.header('Retry-After', String(error.retryAfterSeconds));
    else if (body.status === 503) void reply.header('Retry-After', '1');
    if (body.status === 401) void reply.header('WWW-Authenticate', 'Bearer realm="briefing-archive"');
    void reply.status(body.status).header('Content-Type', 'application/problem+json; charset=utf-8').send(body);
  }
}
