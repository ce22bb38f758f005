import { SLUG_PATTERN } from '@archive/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** How many items a page holds; each list adds its own cursor. */
class LimitQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit: number = DEFAULT_LIMIT;
}

export class PageQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class BriefingListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Spokesperson id (slug)' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'spokesperson must be a slug' })
  @MaxLength(64)
  spokesperson?: string;

  @ApiPropertyOptional({ description: 'Topic slug' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'topic must be a slug' })
  @MaxLength(64)
  topic?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Held on or after this day' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar date' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Held on or before this day' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar date' })
  to?: string;
}

export class SearchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Words to find: every word must occur, in any English form; a word ending in * is matched as a prefix', example: 'dialogue TTP' })
  @IsString()
  @Length(1, 500)
  q!: string;
}

export class EventsQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ description: 'Read events after this global position', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after: number = 0;

  @ApiPropertyOptional({ description: 'Same as after: the nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'cursor must be a position' })
  cursor?: string;
}

/** One stream's events: the stream's own revisions (each event's `revision`), not global positions. */
export class StreamEventsQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ description: "Read the stream's events after this revision (an event's `revision`); none: from its first event" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ description: 'Same as after: the nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'cursor must be a revision' })
  cursor?: string;
}
