import { parseAsOf, type AsOf } from '@archive/projections';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, ValidateBy } from 'class-validator';
import { PageQueryDto } from './page-query.dto.js';

const AS_OF = {
  description:
    'Answer as the archive stood then: a global position (`1234`), a timestamp (`2024-01-20T09:00:00Z`) or a day ' +
    '(`2024-01-20`, the end of that day in UTC). Answered from the log, so a later correction shows its earlier ' +
    'text and a remark recorded later is absent.',
  example: '2024-01-20T09:00:00Z',
};

function IsAsOf(): PropertyDecorator {
  return ValidateBy({
    name: 'isAsOf',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseAsOf(value) !== undefined,
      defaultMessage: () => 'asOf must be a position or an ISO 8601 day or timestamp with its offset',
    },
  });
}

/** `?asOf=` alone, for a query that is not paged. */
export class AsOfQueryDto {
  @ApiPropertyOptional(AS_OF)
  @IsOptional()
  @IsString()
  @IsAsOf()
  asOf?: string;
}

/** `?asOf=` with `limit` and `cursor`. */
export class PageAsOfQueryDto extends PageQueryDto {
  @ApiPropertyOptional(AS_OF)
  @IsOptional()
  @IsString()
  @IsAsOf()
  asOf?: string;
}

/** The cut a validated `asOf` names; undefined when the query has none. */
export function asOfOf(query: { asOf?: string }): AsOf | undefined {
  return query.asOf === undefined ? undefined : parseAsOf(query.asOf);
}
