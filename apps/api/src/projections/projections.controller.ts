import { ProjectionsService } from '@archive/application';
import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NoQuery, SlugParam } from '../http/validation.js';
import { PageQueryDto } from '../http/page-query.dto.js';
import { ProjectionChecksumDto, ProjectionStatusPageDto, RebuildProgressDto, RebuildStartedDto } from './projections.dto.js';
import { Access } from '../security/access.js';

@ApiTags('projections')
@Access('admin')
@Controller('api/projections')
export class ProjectionsController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Each read model: its position, lag in events and status (live, rebuilding, failed)' })
  @ApiOkResponse({ type: ProjectionStatusPageDto })
  list(@Query() page: PageQueryDto) {
    return this.projections.statusPage({ limit: page.limit, cursor: page.cursor });
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild a read model into new tables from position 0; the live one keeps serving until the new one is swapped in',
    description: 'Runs where the projections run: a process with PROJECTIONS=off records the request, and the projector starts it within a second under the same job id (queued until then).',
  })
  @ApiAcceptedResponse({ type: RebuildStartedDto })
  @ApiNotFoundResponse({ description: 'No projection of that name' })
  async rebuild(@Param('name', new SlugParam('name')) name: string, @NoQuery() _query: Record<string, never>) {
    return { jobId: await this.projections.rebuild(name) };
  }

  @Get(':name/rebuild')
  @ApiOperation({ summary: "Progress of the read model's latest rebuild" })
  @ApiOkResponse({ type: RebuildProgressDto })
  @ApiNotFoundResponse({ description: 'No such projection, or it was never rebuilt' })
  progress(@Param('name', new SlugParam('name')) name: string, @NoQuery() _query: Record<string, never>) {
    return this.projections.rebuildProgress(name);
  }

  @Get(':name/checksum')
  @ApiOperation({ summary: "SHA-256 of the read model's content at its position" })
  @ApiOkResponse({ type: ProjectionChecksumDto })
  @ApiNotFoundResponse({ description: 'No projection of that name' })
  checksum(@Param('name', new SlugParam('name')) name: string, @NoQuery() _query: Record<string, never>) {
    return this.projections.checksum(name);
  }
}
