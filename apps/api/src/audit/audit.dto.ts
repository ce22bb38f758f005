import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class VerifyQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Verify only this briefing's stream" })
  @IsOptional()
  @IsUUID('all', { message: 'briefingId must be a UUID' })
  briefingId?: string;
}

export class ChainMismatchDto {
  @ApiProperty({ example: 'briefing-7d1c6f0e-2b4a-4c8e-9f10-3a5b7c9d1e2f' })
  streamId!: string;

  @ApiProperty({ description: 'The revision the event is stored with' })
  revision!: number;

  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ description: 'Its global position' })
  position!: number;

  @ApiProperty({ example: 'its content does not match its hash' })
  reason!: string;
}

export class ChainVerificationDto {
  @ApiProperty({ description: 'True when every chain checked holds' })
  ok!: boolean;

  @ApiProperty({ description: 'Streams checked' })
  streams!: number;

  @ApiProperty({ description: 'Events checked' })
  events!: number;

  @ApiProperty({ type: ChainMismatchDto, nullable: true, description: 'The first event, in log order, that breaks its chain' })
  firstMismatch!: ChainMismatchDto | null;
}

class ChainHeadDto {
  @ApiProperty()
  revision!: number;

  @ApiProperty({ nullable: true, type: String, description: 'The hash of the last event of the stream' })
  hash!: string | null;
}

export class RemarkProofDto {
  @ApiProperty({ format: 'uuid' })
  remarkId!: string;

  @ApiProperty({ format: 'uuid' })
  briefingId!: string;

  @ApiProperty()
  streamId!: string;

  @ApiProperty({ enum: ['sha256'] })
  algorithm!: string;

  @ApiProperty({ description: 'The prevHash of revision 0: 64 zeros' })
  genesis!: string;

  @ApiProperty({ description: 'How each hash is computed, in one sentence' })
  canonicalForm!: string;

  @ApiProperty({ type: ChainHeadDto })
  head!: ChainHeadDto;

  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: "The remark's events as stored (its StatementRecorded or AnswerGiven, corrections, retraction), whole envelopes",
  })
  events!: unknown[];

  @ApiProperty({ type: 'array', items: { type: 'object' }, description: "Every event of the briefing's stream from revision 0 to the head, as stored" })
  chain!: unknown[];
}
