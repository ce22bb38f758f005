import { GetSpokespersonQuery, ListSpokespersonsQuery, SpeakerTopicHistoryQuery } from '@archive/application';
import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MIN_POSITION } from '../briefings/briefings.controller.js';
import { MinPositionInterceptor } from '../http/min-position.interceptor.js';
import { asOfOf, PageAsOfQueryDto } from '../http/as-of-query.dto.js';
import { PageQueryDto } from '../http/page-query.dto.js';
import { SlugParam } from '../http/validation.js';
import { Access } from '../security/access.js';

@ApiTags('spokespersons')
@ApiHeader(MIN_POSITION)
@UseInterceptors(MinPositionInterceptor)
@Access('read')
@Controller('api/spokespersons')
export class SpokespersonsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Spokespersons and other speakers, those who held most briefings first' })
  list(@Query() page: PageQueryDto) {
    return this.queries.execute(new ListSpokespersonsQuery({ limit: page.limit, cursor: page.cursor }));
  }

  @Get(':id')
  @ApiOperation({ summary: "A speaker's profile: topics most mentioned first, and the timeline of their remarks (paged)" })
  profile(@Param('id', new SlugParam('id')) id: string, @Query() query: PageAsOfQueryDto) {
    return this.queries.execute(new GetSpokespersonQuery(id, { limit: query.limit, cursor: query.cursor }, asOfOf(query)));
  }

  @Get(':id/topics/:slug/history')
  @ApiOperation({
    summary: "How a speaker's line on a topic moved: each of their remarks on it, oldest first, beside the one before and a word diff",
  })
  topicHistory(@Param('id', new SlugParam('id')) id: string, @Param('slug', new SlugParam('slug')) slug: string, @Query() page: PageQueryDto) {
    return this.queries.execute(new SpeakerTopicHistoryQuery(id, slug, { limit: page.limit, cursor: page.cursor }));
  }
}
