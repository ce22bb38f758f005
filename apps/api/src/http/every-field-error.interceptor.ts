import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor, type PipeTransform, type Paramtype } from '@nestjs/common';
// The table of a route's parameters and their pipes, as @Param, @Query and @Body record it.
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import { validationPipe, ValidationFailedException, type FieldError } from './validation.js';

interface RouteArgument {
  readonly index: number;
  readonly data?: string;
  readonly pipes?: readonly (PipeTransform | (new () => PipeTransform))[];
}

/** Nest's numbers for the parameters a request's fields come from (RouteParamtypes). */
const SOURCES: Readonly<Record<number, { type: Paramtype; of: (request: FastifyRequest) => unknown }>> = {
  3: { type: 'body', of: (request) => request.body },
  4: { type: 'query', of: (request) => request.query },
  5: { type: 'param', of: (request) => request.params },
};

/**
 * Nest runs a route's parameter pipes side by side and answers the first error alone, so a bad
 * path id hid every field error of the body and the query. When one of them refuses the request,
 * this runs every parameter's pipes again and answers all their field errors in one 400, the
 * path's first, each part in the order of the handler's parameters. It costs nothing on a valid request.
 */
@Injectable()
export class EveryFieldErrorInterceptor implements NestInterceptor {
  private readonly globalPipe = validationPipe();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof ValidationFailedException) || context.getType() !== 'http') throw error;
        return from(this.everyFieldError(context)).pipe(
          mergeMap((found) => {
            // The first error's own fields stay: a header's (If-Match) is none of the parameters rerun.
            // The same field refused alike in two parts (`foo` in the body and the query) is named once.
            const errors: FieldError[] = [];
            for (const each of [...found, ...error.errors]) {
              if (!errors.some((kept) => kept.field === each.field && kept.message === each.message)) errors.push(each);
            }
            throw errors.length > error.errors.length ? new ValidationFailedException(errors) : error;
          }),
        );
      }),
    );
  }

  private async everyFieldError(context: ExecutionContext): Promise<FieldError[]> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const arguments_ = Object.entries(
      (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, RouteArgument>,
    );
    const metatypes = (Reflect.getMetadata('design:paramtypes', context.getClass().prototype, context.getHandler().name) ?? []) as unknown[];
    const checks = arguments_.flatMap(([key, argument]) => {
      const source = SOURCES[Number(key.split(':')[0])];
      if (!source) return [];
      const whole = source.of(request) as Record<string, unknown> | undefined;
      const value = argument.data === undefined ? whole : whole?.[argument.data];
      const metadata = { type: source.type, data: argument.data, metatype: metatypes[argument.index] as never };
      const pipes = [this.globalPipe, ...(argument.pipes ?? []).filter((pipe): pipe is PipeTransform => typeof pipe !== 'function')];
      return [{ path: source.type === 'param', index: argument.index, errors: fieldErrorsOf(pipes, value, metadata) }];
    });
    const found = await Promise.all(checks.sort((a, b) => Number(b.path) - Number(a.path) || a.index - b.index).map((check) => check.errors));
    return found.flat();
  }
}

/** The field errors the pipes find in one parameter, in turn, as Nest runs them; none if it passes. */
async function fieldErrorsOf(pipes: readonly PipeTransform[], value: unknown, metadata: Parameters<PipeTransform['transform']>[1]): Promise<FieldError[]> {
  try {
    for (const pipe of pipes) value = await pipe.transform(value, metadata);
    return [];
  } catch (error) {
    return error instanceof ValidationFailedException ? error.errors : [];
  }
}
