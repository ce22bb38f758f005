import { ARCHIVE_CONFIG, type ArchiveConfig, type Role } from '@archive/application';
import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { NoQuery } from '../http/validation.js';
import { Access, requestKey } from './access.js';

/** Who a request's key makes its sender. */
export interface KeyIdentity {
  /** The key's name (the actor its commands record); null without a key. */
  readonly name: string | null;
  /** What it may do; null without a key where keys are required. An archive with no keys lets anyone do everything: `admin`. */
  readonly role: Role | null;
  /** Whether the archive has keys at all. */
  readonly keysRequired: boolean;
}

@ApiTags('security')
@Access('public')
@Controller('api/key')
export class KeyController {
  constructor(@Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig) {}

  @Get()
  @ApiOperation({
    summary: 'The key the request presents: its name and role (401 for a key the archive does not know)',
    description: 'For a client, such as the web page, to tell a reader key from an editor key before offering to write.',
  })
  @ApiOkResponse({ description: '{ name, role, keysRequired }' })
  identify(@Req() request: FastifyRequest, @NoQuery() _query: Record<string, never>): KeyIdentity {
    if (this.config.apiKeys.length === 0) return { name: null, role: 'admin', keysRequired: false };
    const key = requestKey(request, this.config.apiKeys);
    return { name: key?.name ?? null, role: key?.role ?? null, keysRequired: true };
  }
}
