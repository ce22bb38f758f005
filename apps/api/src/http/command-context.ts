import type { CommandContext } from '@archive/application';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ValidationFailedException } from './validation.js';

/** Parses `If-Match: 3` or `If-Match: "3"` into a revision. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const raw = (Array.isArray(header) ? header[0] : header)!.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  if (!/^-?\d{1,15}$/.test(raw) || Number(raw) < -1) {
    throw new ValidationFailedException([{ field: 'If-Match', message: 'If-Match must be a stream revision: a whole number' }]);
  }
  return Number(raw);
}

/** The command's context from the request: who, which request, when, and any If-Match. */
export const Context = createParamDecorator((_data: unknown, ctx: ExecutionContext): CommandContext => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { actor?: string }>();
  return {
    actor: request.actor ?? 'anonymous',
    correlationId: String(request.id),
    now: new Date().toISOString(),
    expectedRevision: parseIfMatch(request.headers['if-match']),
  };
});
