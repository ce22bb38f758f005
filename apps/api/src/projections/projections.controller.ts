import { ProjectionsService, RebuildElsewhereError } from '@archive/application';
import { ConflictException, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SlugParam } from '../http/validation.js';
import { ProjectionChecksumDto, ProjectionStatusDto, RebuildProgressDto, RebuildStartedDto } from './projections.dto.js';
import { Access } from '../security/access.js';

@ApiTags('projections')
@Access('admin')
@Controller('api/projections')
export class ProjectionsController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Each read model: its position, lag in events and status (live, rebuilding, failed)' })
  @ApiOkResponse({ type: ProjectionStatusDto, isArray: true })
  list() {
    return this.projections.status();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild a read model into new tables from position 0; the live one keeps serving until the new one is swapped in',
    description: 'Runs where the projections run: a process with PROJECTIONS=off answers 409 (rebuild in the projector).',
  })
  @ApiAcceptedResponse({ type: RebuildStartedDto })
  @ApiNotFoundResponse({ description: 'No projection of that name' })
  @ApiConflictResponse({ description: 'This process does not run the projections' })
  async rebuild(@Param('name', new SlugParam('name')) name: string) {
    try {
      return { jobId: await this.projections.rebuild(name) };
    } catch (error) {
      if (error instanceof RebuildElsewhereError) throw new ConflictException(error.message);
      throw error;
    }
  }

  @Get(':name/rebuild')
  @ApiOperation({ summary: "Progress of the read model's latest rebuild" })
  @ApiOkResponse({ type: RebuildProgressDto })
  @ApiNotFoundResponse({ description: 'No such projection, or it was never rebuilt' })
  progress(@Param('name', new SlugParam('name')) name: string) {
    return this.projections.rebuildProgress(name);
  }

  @Get(':name/checksum')
  @ApiOperation({ summary: "SHA-256 of the read model's content at its position" })
  @ApiOkResponse({ type: ProjectionChecksumDto })
  @ApiNotFoundResponse({ description: 'No projection of that name' })
  checksum(@Param('name', new SlugParam('name')) name: string) {
    return this.projections.checksum(name);
  }
}
