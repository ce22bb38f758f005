import { FEED_EVENT_TYPES } from '@archive/application';
import { BriefingFilter, SlugFilter } from '../http/filter-fields.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, Matches } from 'class-validator';

/** `types=A,B` (or `types=A&types=B`) as `['A', 'B']`; anything else is left for the validators to refuse. */
function commaList({ value }: { value: unknown }): unknown {
  const parts = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(parts) || !parts.every((part) => typeof part === 'string')) return value;
  return parts.flatMap((part: string) => part.split(',')).map((type) => type.trim());
}

/** The live feed's filters and resume point. */
export class FeedQueryDto {
  @SlugFilter('topic', 'Only events that concern this topic (slug)', 'ttp')
  topic?: string;

  @SlugFilter('speaker', 'Only events about this speaker (slug)', 'mumtaz-zahra-baloch')
  speaker?: string;

  @ApiPropertyOptional({
    description: `Only these event types, comma-separated, among ${FEED_EVENT_TYPES.join(', ')}`,
    type: String,
    example: 'StatementRecorded,AnswerGiven',
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray({ message: 'types must be a comma-separated list of event types' })
  @ArrayMinSize(1)
  @ArrayMaxSize(FEED_EVENT_TYPES.length * 2)
  @IsIn(FEED_EVENT_TYPES, { each: true, message: `types must name event types among ${FEED_EVENT_TYPES.join(', ')}` })
  types?: string[];

  @BriefingFilter()
  briefingId?: string;

  @ApiPropertyOptional({ description: 'Replay the events after this global position first (the Last-Event-ID header wins)', pattern: '^\\d{1,15}$', example: '42' })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'after must be a global position: a whole number' })
  after?: string;
}
