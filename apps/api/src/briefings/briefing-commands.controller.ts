import { ExecuteBriefingCommand, type CommandContext, type CommandResult } from '@archive/application';
import type { BriefingCommand } from '@archive/domain';
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Context } from '../http/command-context.js';
import { NoFields, NoQuery, UuidParam } from '../http/validation.js';
import {
  AskQuestionDto,
  CloseBriefingDto,
  CorrectRemarkDto,
  GiveAnswerDto,
  ImportBriefingDto,
  OpenBriefingDto,
  RecordStatementDto,
  RetractRemarkDto,
} from './briefing.dto.js';
import { importCommand, openCommand } from './briefing.commands.js';
import { Access } from '../security/access.js';

const IF_MATCH = { name: 'If-Match', required: false, description: 'Fail with 412 unless the briefing stream is at this revision' };

/** Where the command left the stream: what `If-Match` and `X-Min-Position` take. */
function written(result: CommandResult, reply: FastifyReply): { revision: number; position: number } {
  void reply.header('ETag', `"${result.revision}"`);
  return { revision: result.revision, position: result.position };
}

@ApiTags('commands')
@Access('editor')
@Controller('api/briefings')
export class BriefingCommandsController {
  constructor(private readonly commands: CommandBus) {}

  private execute(command: BriefingCommand, context: CommandContext): Promise<CommandResult> {
    return this.commands.execute(new ExecuteBriefingCommand(command, context));
  }

  @Post()
  @ApiOperation({ summary: 'Open a briefing' })
  @ApiCreatedResponse({ description: '{ briefingId, revision, position }' })
  async open(@Body() dto: OpenBriefingDto, @NoQuery() _query: Record<string, never>, @Context() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const briefingId = dto.briefingId ?? randomUUID();
    const result = await this.execute(openCommand(dto, briefingId), context);
    void reply.header('Location', `/api/briefings/${briefingId}`);
    return { briefingId, ...written(result, reply) };
  }

  @Post('import')
  @ApiOperation({ summary: 'Import a whole briefing in one atomic append' })
  @ApiCreatedResponse({ description: '{ briefingId, events, revision, position }' })
  async import(@Body() dto: ImportBriefingDto, @NoQuery() _query: Record<string, never>, @Context() context: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const command = importCommand(dto);
    const { briefingId } = command.briefing;
    const result = await this.execute(command, context);
    void reply.header('Location', `/api/briefings/${briefingId}`);
    return { briefingId, events: result.events.length, ...written(result, reply) };
  }

  @Post(':briefingId/statements')
  @ApiOperation({ summary: 'Record an opening statement' })
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ description: '{ statementId, revision, position }' })
  async statement(
    @Param('briefingId', new UuidParam('briefingId')) briefingId: string,
    @Body() dto: RecordStatementDto,
    @NoQuery() _query: Record<string, never>,
    @Context() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const statementId = dto.statementId ?? randomUUID();
    const result = await this.execute(
      { type: 'RecordStatement', briefingId, statementId, speakerId: dto.speakerId, text: dto.text, topics: dto.topics, verbatim: dto.verbatim },
      context,
    );
    return { statementId, ...written(result, reply) };
  }

  @Post(':briefingId/questions')
  @ApiOperation({ summary: "Record a journalist's question" })
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ description: '{ questionId, revision, position }' })
  async question(
    @Param('briefingId', new UuidParam('briefingId')) briefingId: string,
    @Body() dto: AskQuestionDto,
    @NoQuery() _query: Record<string, never>,
    @Context() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const questionId = dto.questionId ?? randomUUID();
    const askedBy = dto.askedBy && { name: dto.askedBy.name, outlet: dto.askedBy.outlet };
    const result = await this.execute({ type: 'AskQuestion', briefingId, questionId, askedBy, text: dto.text, topics: dto.topics }, context);
    return { questionId, ...written(result, reply) };
  }

  @Post(':briefingId/questions/:questionId/answers')
  @ApiOperation({ summary: 'Record an answer to a question' })
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ description: '{ answerId, revision, position }' })
  async answer(
    @Param('briefingId', new UuidParam('briefingId')) briefingId: string,
    @Param('questionId', new UuidParam('questionId')) questionId: string,
    @Body() dto: GiveAnswerDto,
    @NoQuery() _query: Record<string, never>,
    @Context() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const answerId = dto.answerId ?? randomUUID();
    const result = await this.execute(
      { type: 'GiveAnswer', briefingId, questionId, answerId, speakerId: dto.speakerId, text: dto.text, topics: dto.topics },
      context,
    );
    return { answerId, ...written(result, reply) };
  }

  @Post(':briefingId/remarks/:remarkId/corrections')
  @ApiOperation({ summary: "Correct a remark's text: a new version, the old ones kept" })
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ description: '{ remarkId, correctionId, version, revision, position }' })
  async correct(
    @Param('briefingId', new UuidParam('briefingId')) briefingId: string,
    @Param('remarkId', new UuidParam('remarkId')) remarkId: string,
    @Body() dto: CorrectRemarkDto,
    @NoQuery() _query: Record<string, never>,
    @Context() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const correctionId = dto.correctionId ?? randomUUID();
    const result = await this.execute(
      { type: 'CorrectRemark', briefingId, remarkId, correctionId, text: dto.text, reason: dto.reason, topics: dto.topics },
      context,
    );
    const corrected = result.events[0];
    const version = corrected?.type === 'RemarkCorrected' ? corrected.data.version : undefined;
    return { remarkId, correctionId, version, ...written(result, reply) };
  }

  @Post(':briefingId/remarks/:remarkId/retractions')
  @ApiOperation({ summary: 'Retract a remark: it stays in the record, marked retracted' })
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ description: '{ remarkId, retractionId, revision, position }' })
  async retract(
    @Param('briefingId', new UuidParam('briefingId')) briefingId: string,
    @Param('remarkId', new UuidParam('remarkId')) remarkId: string,
    @Body() dto: RetractRemarkDto,
    @NoQuery() _query: Record<string, never>,
    @Context() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const retractionId = dto.retractionId ?? randomUUID();
    const result = await this.execute({ type: 'RetractRemark', briefingId, remarkId, retractionId, reason: dto.reason }, context);
    return { remarkId, retractionId, ...written(result, reply) };
  }

  @Post(':briefingId/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a briefing: afterwards it takes corrections and retractions only' })
  @ApiHeader(IF_MATCH)
  @ApiBody({ type: CloseBriefingDto, required: false })
  @ApiOkResponse({ description: '{ briefingId, revision, position }' })
  async close(
    @Param('briefingId', new UuidParam('briefingId')) briefingId: string,
    @Body(new NoFields('body')) _body: Record<string, never>,
    @NoQuery() _query: Record<string, never>,
    @Context() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.execute({ type: 'CloseBriefing', briefingId }, context);
    return { briefingId, ...written(result, reply) };
  }
}
