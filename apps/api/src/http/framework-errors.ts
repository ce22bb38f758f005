import { Logger } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem-details.filter.js';

const logger = new Logger('HTTP');

/**
 * Fastify's router refuses some requests before any route or filter sees them (a path that is not
 * valid percent-encoding, a path parameter too long): they are answered as problems too.
 */
export function frameworkErrorProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const body = toProblem(error);
  body.instance = request.url;
  if (body.status >= 500) logger.error({ msg: 'request failed', reqId: request.id, err: { message: error.message, stack: error.stack } });
  void reply.status(body.status).header('Content-Type', 'application/problem+json; charset=utf-8').send(body);
}
