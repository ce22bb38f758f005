import { ARCHIVE_CONFIG, FeedClosedError, FeedHub, type ArchiveConfig, type FeedFilter } from '@archive/application';
import { StoreUnavailableError } from '@archive/event-store';
import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationFailedException } from '../http/validation.js';
import { FeedQueryDto } from './feed-query.dto.js';
import { FeedLimits } from './feed-limits.js';
import { FeedStream } from './feed.stream.js';
import { Access } from '../security/access.js';

const POSITION = /^\d{1,15}$/;

/** Where a client resumes: the `Last-Event-ID` its reconnection sends, else `?after=`; undefined for live only. */
function resumePoint(lastEventId: string | undefined, after: string | undefined): number | undefined {
  const header = lastEventId?.trim();
  if (header) {
    if (!POSITION.test(header)) {
      throw new ValidationFailedException([{ field: 'Last-Event-ID', message: 'Last-Event-ID must be a global position: a whole number' }]);
    }
    return Number(header);
  }
  return after === undefined ? undefined : Number(after);
}

@ApiTags('feed')
@Access('read')
@Controller('api/feed')
export class FeedController {
  private readonly limits: FeedLimits;

  constructor(
    private readonly hub: FeedHub,
    @Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig,
  ) {
    this.limits = new FeedLimits(config.feedMaxClients, config.feedMaxClientsPerAddress, Math.ceil(config.feedRetryMs / 1000) || 1);
  }

  @Get()
  @ApiOperation({
    summary: 'Follow the log live, as Server-Sent Events',
    description:
      'Each stored event is sent as `id: <global position>`, `event: <type>`, `data: <envelope JSON>`. ' +
      'Filters combine (all must match): `topic` matches the topics an event concerns (a correction: the old and new ' +
      "topics of the remark; a retraction: the retracted remark's), `speaker` the speaker it is about (an opening or " +
      "closing: the briefing's spokesperson). To resume, send `Last-Event-ID` (or `?after=`): the events after it are " +
      'replayed from the log, then the stream goes live, with no gap and no duplicate. A `: keep-alive` comment comes ' +
      'at least every 15 s. A client that does not read fast enough is sent `retry:` and disconnected; it resumes from its last id.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this global position (wins over `after`)' })
  @ApiOkResponse({
    description: 'An endless stream of `id:`/`event:`/`data:` messages and `: keep-alive` comments',
    content: { 'text/event-stream': { schema: { type: 'string', example: 'id: 42\nevent: StatementRecorded\ndata: {"eventId":"…","position":42,…}\n\n' } } },
  })
  async follow(
    @Query() query: FeedQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const after = resumePoint(lastEventId, query.after);
    const filter: FeedFilter = {
      topic: query.topic,
      speaker: query.speaker,
      types: query.types,
      briefingId: query.briefingId?.toLowerCase(),
    };
    // A hub that is shutting down, or an event store that cannot be reached, is not an error
    // status: the stream is opened with its retry hint and ended at once, so the client tries
    // again (SSE clients give up on an error status) until it finds the store back, this
    // replica's successor, or this one restarted.
    await this.hub.start().catch((error: unknown) => {
      if (!(error instanceof FeedClosedError) && !(error instanceof StoreUnavailableError)) throw error;
    });
    // A client that left while the hub started takes no place: its 'close' has been and gone.
    const socket = reply.raw.socket;
    if (reply.raw.destroyed || !socket || socket.destroyed) {
      reply.hijack();
      return;
    }
    const release = this.limits.admit(request.ip);
    reply.raw.once('close', release);
    // From here on the stream is ours: Fastify neither sends nor buffers a reply.
    reply.hijack();
    const stream = new FeedStream(reply.raw, this.hub, filter, {
      heartbeatMs: this.config.feedHeartbeatMs,
      clientBuffer: this.config.feedClientBuffer,
      retryMs: this.config.feedRetryMs,
      requestId: String(request.id),
    });
    void stream.run(after);
  }
}
