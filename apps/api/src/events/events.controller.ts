import { ReadAllEventsQuery } from '@archive/application';
import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MIN_POSITION } from '../briefings/briefings.controller.js';
import { MinPositionInterceptor } from '../http/min-position.interceptor.js';
import { EventsQueryDto } from '../http/page-query.dto.js';
import { Access } from '../security/access.js';

/** The log itself; `X-Min-Position` still waits for the read models, as on every query, so one header serves a client's reads alike. */
@ApiTags('events')
@ApiHeader(MIN_POSITION)
@UseInterceptors(MinPositionInterceptor)
@Access('read')
@Controller('api/events')
export class EventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The global log after a position, each event with its whole envelope' })
  list(@Query() query: EventsQueryDto) {
    const after = query.cursor !== undefined ? Number(query.cursor) : query.after;
    return this.queries.execute(new ReadAllEventsQuery(after, query.limit));
  }
}
