import { RemarkHistoryQuery } from '@archive/application';
import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MIN_POSITION } from '../briefings/briefings.controller.js';
import { MinPositionInterceptor } from '../http/min-position.interceptor.js';
import { AsOfQueryDto, asOfOf } from '../http/as-of-query.dto.js';
import { UuidParam } from '../http/validation.js';
import { Access } from '../security/access.js';

@ApiTags('remarks')
@ApiHeader(MIN_POSITION)
@UseInterceptors(MinPositionInterceptor)
@Access('read')
@Controller('api/remarks')
export class RemarksController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':remarkId/history')
  @ApiOperation({
    summary: 'Every version of a remark, oldest first, each with a word diff against the one before, and whether it was retracted',
  })
  history(@Param('remarkId', new UuidParam('remarkId')) remarkId: string, @Query() query: AsOfQueryDto) {
    return this.queries.execute(new RemarkHistoryQuery(remarkId, asOfOf(query)));
  }
}
