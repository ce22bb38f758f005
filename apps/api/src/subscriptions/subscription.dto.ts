import { FEED_EVENT_TYPES } from '@archive/application';
import { BriefingFilter, SlugFilter } from '../http/filter-fields.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min } from 'class-validator';

/** `POST /api/subscriptions`: where to deliver, and the live feed's filters. */
export class CreateSubscriptionDto {
  @ApiProperty({ description: 'Where each matching event is POSTed: an http or https URL', example: 'https://newsroom.example/hooks/archive' })
  @IsString()
  @MaxLength(2048)
  @IsUrl(
    // Credentials in the URL are refused: fetch will not send them, and they would be shown back.
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, require_host: true, disallow_auth: true },
    { message: 'callbackUrl must be an http or https URL without user name or password' },
  )
  callbackUrl!: string;

  @SlugFilter('topic', 'Only events that concern this topic (slug), as in the live feed', 'ttp')
  topic?: string;

  @SlugFilter('speaker', 'Only events about this speaker (slug), as in the live feed', 'mumtaz-zahra-baloch')
  speaker?: string;

  @ApiPropertyOptional({ description: 'Only these event types', type: [String], enum: FEED_EVENT_TYPES, example: ['StatementRecorded', 'AnswerGiven'] })
  @IsOptional()
  @IsArray({ message: 'types must be a list of event types' })
  @ArrayMinSize(1)
  @ArrayMaxSize(FEED_EVENT_TYPES.length)
  @IsIn(FEED_EVENT_TYPES, { each: true, message: `types must name event types among ${FEED_EVENT_TYPES.join(', ')}` })
  types?: string[];

  @BriefingFilter()
  briefingId?: string;

  @ApiPropertyOptional({ description: 'Deliver the events after this global position (0: the whole log); by default only those stored from now on', example: 0 })
  @IsOptional()
  @IsInt({ message: 'after must be a global position: a whole number' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;
}

/** `201` to `POST /api/subscriptions`. */
export class CreatedSubscriptionDto {
  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;

  @ApiProperty({ description: 'The HMAC-SHA256 key of the `X-Archive-Signature` header: shown this once, keep it' })
  secret!: string;
}

class SubscriptionFiltersDto {
  @ApiPropertyOptional()
  topic?: string;

  @ApiPropertyOptional()
  speaker?: string;

  @ApiPropertyOptional({ type: [String] })
  types?: string[];

  @ApiPropertyOptional({ format: 'uuid' })
  briefingId?: string;
}

/** A subscription and how its deliveries go. */
export class SubscriptionDto {
  @ApiProperty({ format: 'uuid' })
  subscriptionId!: string;

  @ApiProperty()
  callbackUrl!: string;

  @ApiProperty({ type: SubscriptionFiltersDto })
  filters!: SubscriptionFiltersDto;

  @ApiProperty({
    enum: ['active', 'failing'],
    description: '`failing` while the last attempt at the next event failed (it is retried at `nextAttemptAt`)',
  })
  status!: string;

  @ApiProperty({ description: 'The position of the last event the callback acknowledged; 0 before the first' })
  lastDeliveredPosition!: number;

  @ApiProperty({ description: 'How far the log has been gone through: every event up to it was acknowledged or did not match' })
  position!: number;

  @ApiProperty({ description: 'Failed attempts in a row at the next event' })
  failures!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed' })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the failed event is tried again' })
  nextAttemptAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class SubscriptionPageDto {
  @ApiProperty({ type: [SubscriptionDto] })
  items!: SubscriptionDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
