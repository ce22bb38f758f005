import { AuditService } from '@archive/application';
import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MIN_POSITION } from '../briefings/briefings.controller.js';
import { MinPositionInterceptor } from '../http/min-position.interceptor.js';
import { NoQuery, UuidParam } from '../http/validation.js';
import { Access } from '../security/access.js';
import { ChainVerificationDto, RemarkProofDto, VerifyQueryDto } from './audit.dto.js';

/** Verifying the whole log is an admin's job; a proof is for anyone who may read the archive. */
@ApiTags('audit')
@Access('admin')
@Controller('api')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('audit/verify')
  @ApiOperation({
    summary: "Recompute every stream's hash chain (or one briefing's) from the log as stored, and name the first event that breaks one",
  })
  @ApiOkResponse({ type: ChainVerificationDto })
  @ApiBadRequestResponse({ description: 'briefingId is not a UUID' })
  @ApiNotFoundResponse({ description: 'No briefing with that id' })
  verify(@Query() query: VerifyQueryDto) {
    return this.audit.verify({ briefingId: query.briefingId?.toLowerCase() });
  }

  @Get('remarks/:remarkId/proof')
  @Access('read')
  @ApiHeader(MIN_POSITION)
  @UseInterceptors(MinPositionInterceptor)
  @ApiOperation({
    summary: "A remark's events and its briefing's whole hash chain, as stored, for anyone to check with sha256 and the canonical form",
  })
  @ApiOkResponse({ type: RemarkProofDto })
  @ApiNotFoundResponse({ description: 'No remark with that id' })
  proof(@Param('remarkId', new UuidParam('remarkId')) remarkId: string, @NoQuery() _query: Record<string, never>) {
    return this.audit.proof(remarkId);
  }
}
