import { characterCount, isBlankText, isReadableText, SLUG_MAX_LENGTH, SLUG_PATTERN, TEXT_MAX_LENGTH, TOPICS_MAX } from '@archive/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

const SLUG_MESSAGE = 'must be a slug: lower-case letters and digits joined by single hyphens, at most 64 characters';
const MAX_REMARKS = 5000;

/** Free text holds no control characters (but tab and line breaks) and no unpaired surrogates. */
function Readable(): PropertyDecorator {
  return ValidateBy({
    name: 'isReadableText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || isReadableText(value),
      defaultMessage: (args) => `${args?.property} must not hold control characters or unpaired surrogates`,
    },
  });
}

/**
 * Text that must say something: not only spaces, line breaks and invisible characters. The domain
 * refuses such text too; checked here as well, so that a 400 names it beside every other field in
 * error. It names empty text too: beside it, a field takes AtMostCharacters, not Length(1, n),
 * which would name it a second time.
 */
function NotBlank(): PropertyDecorator {
  return ValidateBy({
    name: 'isNotBlank',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !isBlankText(value),
      defaultMessage: (args) => `${args?.property} must not be empty`,
    },
  });
}

/**
 * At most `max` characters (code points, as the domain counts them). What is not a string passes:
 * IsString names it, once.
 */
function AtMostCharacters(max: number): PropertyDecorator {
  return ValidateBy({
    name: 'atMostCharacters',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || characterCount(value) <= max,
      defaultMessage: (args) => `${args?.property} must be at most ${max} characters`,
    },
  });
}

/** An array that holds no value twice (what is not an array at all, IsArray names). */
function NoRepeats(): PropertyDecorator {
  return ValidateBy({
    name: 'noRepeats',
    validator: {
      validate: (value: unknown) => !Array.isArray(value) || new Set(value).size === value.length,
      defaultMessage: (args) => `${args?.property} must not repeat a topic`,
    },
  });
}

/** Text of a remark or question: 1 to 20,000 characters. */
function RemarkText(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    AtMostCharacters(TEXT_MAX_LENGTH)(target, key);
    NotBlank()(target, key);
    Readable()(target, key);
    ApiProperty({ minLength: 1, maxLength: TEXT_MAX_LENGTH })(target, key);
  };
}

function Topics(required: boolean): PropertyDecorator {
  return (target, key) => {
    if (!required) IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMinSize(1)(target, key);
    ArrayMaxSize(TOPICS_MAX)(target, key);
    IsString({ each: true })(target, key);
    MaxLength(SLUG_MAX_LENGTH, { each: true, message: `each topic ${SLUG_MESSAGE}` })(target, key);
    Matches(SLUG_PATTERN, { each: true, message: `each topic ${SLUG_MESSAGE}` })(target, key);
    NoRepeats()(target, key);
    (required ? ApiProperty : ApiPropertyOptional)({ type: [String], minItems: 1, maxItems: TOPICS_MAX, uniqueItems: true, example: ['ttp', 'afghanistan'] })(
      target,
      key,
    );
  };
}

function Slug(required: boolean): PropertyDecorator {
  return (target, key) => {
    if (!required) IsOptional()(target, key);
    IsString()(target, key);
    MaxLength(SLUG_MAX_LENGTH, { message: `${String(key)} ${SLUG_MESSAGE}` })(target, key);
    Matches(SLUG_PATTERN, { message: `${String(key)} ${SLUG_MESSAGE}` })(target, key);
    (required ? ApiProperty : ApiPropertyOptional)({ pattern: SLUG_PATTERN.source, maxLength: SLUG_MAX_LENGTH })(target, key);
  };
}

/** A uuid in any case names one thing: written in lower case, as ids in a path are. */
function ClientId(): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))(target, key);
    IsOptional()(target, key);
    IsUUID()(target, key);
    ApiPropertyOptional({ format: 'uuid', description: 'Chosen by the client to make the command safe to send again' })(target, key);
  };
}

export class SpokespersonDto {
  @Slug(true)
  id!: string;

  @ApiProperty({ example: 'Mumtaz Zahra Baloch' })
  @IsString()
  @AtMostCharacters(200)
  @NotBlank()
  @Readable()
  name!: string;

  @ApiPropertyOptional({ example: 'Spokesperson, Ministry of Foreign Affairs' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Readable()
  title?: string;
}

export class SourceDto {
  @ApiProperty({ example: 'https://example.org/briefing' })
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  retrievedAt?: string;

  @ApiPropertyOptional({ description: 'SHA-256 of the retrieved document, hex' })
  @IsOptional()
  @Matches(/^[a-f0-9]{64}$/, { message: 'sha256 must be 64 lower-case hex digits' })
  sha256?: string;
}

export class OpenBriefingDto {
  @ClientId()
  briefingId?: string;

  @ApiPropertyOptional({ example: 'Weekly press briefing' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @Readable()
  title?: string;

  @ApiProperty({ format: 'date', example: '2024-01-11' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'heldOn must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'heldOn must be a real calendar date' })
  heldOn!: string;

  @ApiProperty({ example: 'Islamabad' })
  @IsString()
  @AtMostCharacters(200)
  @NotBlank()
  @Readable()
  location!: string;

  @ApiProperty({ example: 'Ministry of Foreign Affairs of Pakistan' })
  @IsString()
  @AtMostCharacters(200)
  @NotBlank()
  @Readable()
  organization!: string;

  @ApiProperty({ type: SpokespersonDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SpokespersonDto)
  spokesperson!: SpokespersonDto;

  @ApiPropertyOptional({ example: 'https://mofa.gov.pk/press-briefings' })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  sourceUrl?: string;

  @ApiPropertyOptional({ type: SourceDto, description: 'Where the transcript was taken from, when and its digest' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;
}

export class RecordStatementDto {
  @ClientId()
  statementId?: string;

  @Slug(false)
  speakerId?: string;

  @RemarkText()
  text!: string;

  @Topics(true)
  topics!: string[];

  @ApiPropertyOptional({ description: "True when the text is the speaker's own words" })
  @IsOptional()
  @IsBoolean()
  verbatim?: boolean;
}

export class AskedByDto {
  @ApiPropertyOptional({ example: 'A journalist' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Readable()
  name?: string;

  @ApiPropertyOptional({ example: 'Dawn' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Readable()
  outlet?: string;
}

export class AskQuestionDto {
  @ClientId()
  questionId?: string;

  @ApiPropertyOptional({ type: AskedByDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AskedByDto)
  askedBy?: AskedByDto;

  @RemarkText()
  text!: string;

  @Topics(true)
  topics!: string[];
}

export class GiveAnswerDto {
  @ClientId()
  answerId?: string;

  @Slug(false)
  speakerId?: string;

  @RemarkText()
  text!: string;

  @Topics(false)
  topics?: string[];
}

export class CorrectRemarkDto {
  @ClientId()
  correctionId?: string;

  @RemarkText()
  text!: string;

  @ApiProperty({ example: 'Transcript corrected against the recording' })
  @IsString()
  @AtMostCharacters(2000)
  @NotBlank()
  @Readable()
  reason!: string;

  @Topics(false)
  topics?: string[];
}

export class RetractRemarkDto {
  @ClientId()
  retractionId?: string;

  @ApiProperty({ example: 'Withdrawn by the ministry' })
  @IsString()
  @AtMostCharacters(2000)
  @NotBlank()
  @Readable()
  reason!: string;
}

export class CloseBriefingDto {}

/** A question in an import, with the answers given to it. */
export class ImportQuestionDto extends AskQuestionDto {
  @ApiPropertyOptional({ type: [GiveAnswerDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  // ValidateNested takes an array inside the list for a list of its own, and checks nothing in it.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => GiveAnswerDto)
  answers?: GiveAnswerDto[];
}

export class ImportBriefingDto extends OpenBriefingDto {
  @ApiPropertyOptional({ type: [RecordStatementDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REMARKS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => RecordStatementDto)
  statements?: RecordStatementDto[];

  @ApiPropertyOptional({ type: [ImportQuestionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REMARKS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ImportQuestionDto)
  questions?: ImportQuestionDto[];

  @ApiPropertyOptional({ description: 'Close the briefing after its remarks (default true)' })
  @IsOptional()
  @IsBoolean()
  closed?: boolean;
}
