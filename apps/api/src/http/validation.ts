import { BadRequestException, Query, ValidationPipe, type PipeTransform } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { isUUID } from 'class-validator';
import { isSlug } from '@archive/domain';

export interface FieldError {
  field: string;
  message: string;
}

/** A request whose fields failed validation; answered 400 with every field error. */
export class ValidationFailedException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super({ message: 'the request has invalid fields', errors });
  }
}

/** Flattens class-validator's tree into `{ field: 'spokesperson.id', message }` pairs. */
export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/** The global pipe: unknown fields refused, every error reported, plain objects made into DTOs. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedException(fieldErrors(errors)),
  });
}

/** Checks that a path parameter is a uuid, naming it in the error. */
export class UuidParam implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (!isUUID(value)) throw new ValidationFailedException([{ field: this.field, message: `${this.field} must be a UUID` }]);
    return value.toLowerCase();
  }
}

/** Checks that a path parameter is a slug, naming it in the error. */
export class SlugParam implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (!isSlug(value)) throw new ValidationFailedException([{ field: this.field, message: `${this.field} must be a slug` }]);
    return value;
  }
}

/**
 * A body or query that has no fields: none at all, or `{}`. Any field sent is refused by name.
 * (The global pipe cannot check a DTO without properties: class-validator, told to forbid
 * unknown values, refuses every instance of a class it holds no rules for, even `{}`.)
 */
export class NoFields implements PipeTransform<unknown, Record<string, never>> {
  constructor(private readonly part: 'body' | 'query') {}

  transform(value: unknown): Record<string, never> {
    if (value === undefined) return {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ValidationFailedException([{ field: '', message: `the ${this.part} must be an empty JSON object` }]);
    }
    const fields = Object.keys(value);
    if (fields.length > 0) {
      throw new ValidationFailedException(fields.map((field) => ({ field, message: `property ${field} should not exist` })));
    }
    return {};
  }
}

/** A route that reads no query parameters refuses any sent, rather than answer as if they were heard. */
export const NoQuery = () => Query(new NoFields('query'));
