import { GetBriefingQuery, ListBriefingsQuery, ReadBriefingEventsQuery } from '@archive/application';
import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AsOfQueryDto, asOfOf } from '../http/as-of-query.dto.js';
import { MinPositionInterceptor } from '../http/min-position.interceptor.js';
import { BriefingListQueryDto, StreamEventsQueryDto } from '../http/page-query.dto.js';
import { UuidParam } from '../http/validation.js';
import { Access } from '../security/access.js';

export const MIN_POSITION = {
  name: 'X-Min-Position',
  required: false,
  description: 'Answer once the read models have reached this global position, or 503 after 5 s',
};

@ApiTags('briefings')
@ApiHeader(MIN_POSITION)
@UseInterceptors(MinPositionInterceptor)
@Access('read')
@Controller('api/briefings')
export class BriefingsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Briefings, newest first' })
  @ApiOkResponse({ description: '{ items: [{ briefingId, title, heldOn, location, spokesperson, status, counts }], nextCursor }' })
  list(@Query() query: BriefingListQueryDto) {
    const { spokesperson, topic, from, to, limit, cursor } = query;
    return this.queries.execute(new ListBriefingsQuery({ spokesperson, topic, from, to, limit, cursor }));
  }

  @Get(':briefingId')
  @ApiOperation({ summary: 'A briefing with its transcript in spoken order' })
  get(@Param('briefingId', new UuidParam('briefingId')) briefingId: string, @Query() query: AsOfQueryDto) {
    return this.queries.execute(new GetBriefingQuery(briefingId, asOfOf(query)));
  }

  @Get(':briefingId/events')
  @ApiOperation({ summary: "The briefing stream's events with their envelopes, in revision order, paged by revision" })
  events(@Param('briefingId', new UuidParam('briefingId')) briefingId: string, @Query() query: StreamEventsQueryDto) {
    const after = query.cursor !== undefined ? Number(query.cursor) : query.after;
    return this.queries.execute(new ReadBriefingEventsQuery(briefingId, after === undefined ? 0 : after + 1, query.limit));
  }
}
