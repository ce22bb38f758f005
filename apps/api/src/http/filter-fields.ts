import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '@archive/domain';
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

export const SLUG_MESSAGE = 'must be a slug: lower-case letters and digits joined by single hyphens, at most 64 characters';

/** An optional slug filter (`topic`, `speaker`), as the live feed and webhooks take it. */
export function SlugFilter(field: string, description: string, example: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, example }),
    IsOptional(),
    IsString(),
    MaxLength(SLUG_MAX_LENGTH, { message: `${field} ${SLUG_MESSAGE}` }),
    Matches(SLUG_PATTERN, { message: `${field} ${SLUG_MESSAGE}` }),
  );
}

/** An optional `briefingId` filter. */
export function BriefingFilter(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: "Only this briefing's events", format: 'uuid' }),
    IsOptional(),
    IsUUID('all', { message: 'briefingId must be a UUID' }),
  );
}
