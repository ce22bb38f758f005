import { ApiProperty } from '@nestjs/swagger';

export class ProjectionStatusDto {
  @ApiProperty({ example: 'topics' })
  name!: string;

  @ApiProperty({ description: 'Bumped when the tables or the way they are filled change' })
  version!: number;

  @ApiProperty({ description: 'The last global position applied to the live tables' })
  position!: number;

  @ApiProperty({ description: 'Events in the log not applied yet' })
  lag!: number;

  @ApiProperty({ enum: ['live', 'rebuilding', 'failed'] })
  status!: string;

  @ApiProperty({ nullable: true, type: String, description: 'Why it stopped, when it failed' })
  error!: string | null;

  @ApiProperty({ nullable: true, type: Number, description: 'The event it failed on' })
  errorPosition!: number | null;
}

export class ProjectionStatusPageDto {
  @ApiProperty({ type: [ProjectionStatusDto] })
  items!: ProjectionStatusDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class RebuildStartedDto {
  @ApiProperty({ format: 'uuid' })
  jobId!: string;
}

export class RebuildProgressDto {
  @ApiProperty({ format: 'uuid' })
  jobId!: string;

  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'], description: 'queued: asked of an API replica, not yet taken up by the projector' })
  status!: string;

  @ApiProperty({ description: 'Events applied to the new tables so far' })
  processed!: number;

  @ApiProperty({ description: 'Events to apply in all (grows while new events arrive)' })
  total!: number;

  @ApiProperty()
  eventsPerSecond!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Seconds left at the current rate' })
  etaSeconds!: number | null;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  finishedAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  error!: string | null;
}

export class ProjectionChecksumDto {
  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'The position the read model stands at' })
  position!: number;

  @ApiProperty({ description: "SHA-256 (hex) of the read model's rows in a canonical form, the same on SQLite and PostgreSQL" })
  checksum!: string;
}
