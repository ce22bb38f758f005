import { SearchQuery } from '@archive/application';
import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MIN_POSITION } from '../briefings/briefings.controller.js';
import { MinPositionInterceptor } from '../http/min-position.interceptor.js';
import { SearchQueryDto } from '../http/page-query.dto.js';
import { Access } from '../security/access.js';

@ApiTags('search')
@ApiHeader(MIN_POSITION)
@UseInterceptors(MinPositionInterceptor)
@Access('read')
@Controller('api/search')
export class SearchController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Statements, questions and answers holding every word of q, best first',
    description:
      'Ranked by relevance (bm25 on SQLite, ts_rank on PostgreSQL) within windows of the 5,000 most recently recorded matches: ' +
      'the newest 5,000 best first, then the next 5,000, and so on. A query with fewer matches is ranked as a whole; paging reaches every match once.',
  })
  search(@Query() query: SearchQueryDto) {
    return this.queries.execute(new SearchQuery(query.q, { limit: query.limit, cursor: query.cursor }));
  }
}
