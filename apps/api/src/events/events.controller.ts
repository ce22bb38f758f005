import { ReadAllEventsQuery } from '@archive/application';
import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventsQueryDto } from '../http/page-query.dto.js';
import { Access } from '../security/access.js';

@ApiTags('events')
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
