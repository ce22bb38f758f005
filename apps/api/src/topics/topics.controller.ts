import { ListTopicsQuery, TopicTimelineQuery } from '@archive/application';
import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MIN_POSITION } from '../briefings/briefings.controller.js';
import { MinPositionInterceptor } from '../http/min-position.interceptor.js';
import { asOfOf, PageAsOfQueryDto } from '../http/as-of-query.dto.js';
import { PageQueryDto } from '../http/page-query.dto.js';
import { SlugParam } from '../http/validation.js';
import { Access } from '../security/access.js';

@ApiTags('topics')
@ApiHeader(MIN_POSITION)
@UseInterceptors(MinPositionInterceptor)
@Access('read')
@Controller('api/topics')
export class TopicsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Topics with their mentions and first and last day, most mentioned first' })
  list(@Query() page: PageQueryDto) {
    return this.queries.execute(new ListTopicsQuery({ limit: page.limit, cursor: page.cursor }));
  }

  @Get(':slug')
  @ApiOperation({ summary: "A topic's timeline, oldest first" })
  timeline(@Param('slug', new SlugParam('slug')) slug: string, @Query() query: PageAsOfQueryDto) {
    return this.queries.execute(new TopicTimelineQuery(slug, { limit: query.limit, cursor: query.cursor }, asOfOf(query)));
  }
}
