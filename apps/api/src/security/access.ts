import { ARCHIVE_CONFIG, identify, PRESENTABLE_SECRET, roleAllows, type ApiKey, type ArchiveConfig, type Role } from '@archive/application';
import { HttpException, HttpStatus, Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

/**
 * Who may call a route: anyone (`public`), anyone while reads are public and readers otherwise
 * (`read`), or keys of at least that role. A route that says nothing needs `admin`: forgetting to
 * open a route closes it rather than the other way round.
 */
export type AccessLevel = 'public' | 'read' | Role;
const ACCESS = 'archive:access';
export const Access = (level: AccessLevel) => SetMetadata(ACCESS, level);

/** 401: no key, or one the service does not know. */
export class UnauthenticatedException extends HttpException {
  constructor(message: string) {
    super(message, HttpStatus.UNAUTHORIZED);
  }
}

/** 403: a known key whose role is too weak for the route. */
export class ForbiddenRoleException extends HttpException {
  constructor(message: string) {
    super(message, HttpStatus.FORBIDDEN);
  }
}

type KeyedRequest = FastifyRequest & { actor?: string };
const identified = new WeakMap<object, ApiKey | null>();

/**
 * The key a request presents as `Authorization: Bearer <secret>`; undefined when it presents
 * none. A header that is not a bearer secret, or a secret no key has, is a 401. Remembered per
 * request: the rate limiter and the access check both ask.
 */
export function requestKey(request: KeyedRequest, keys: readonly ApiKey[]): ApiKey | undefined {
  const known = identified.get(request);
  if (known !== undefined) return known ?? undefined;
  const header = request.headers.authorization;
  let key: ApiKey | null = null;
  if (header !== undefined) {
    // The scheme's name is case-insensitive (RFC 9110, 11.1).
    const match = /^bearer +(.*)$/i.exec(header.trim());
    if (!match || !PRESENTABLE_SECRET.test(match[1]!)) throw new UnauthenticatedException('the Authorization header must be "Bearer <key>"');
    key = identify(keys, match[1]!) ?? null;
    if (!key) throw new UnauthenticatedException('the key is not one this service knows');
  }
  identified.set(request, key);
  if (key) request.actor = key.name;
  return key ?? undefined;
}

/** Checks every request's key against its route's access level; records the key's name as the actor. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // With no keys configured the archive is open; the service said so loudly at start.
    if (this.config.apiKeys.length === 0) return true;
    const level = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS, [context.getHandler(), context.getClass()]) ?? 'admin';
    // A public route (health, metrics) does not read the header: a probe with a stale key is still answered.
    if (level === 'public') return true;
    const key = requestKey(context.switchToHttp().getRequest<KeyedRequest>(), this.config.apiKeys);
    if (level === 'read' && this.config.publicReads) return true;
    const needed: Role = level === 'read' ? 'reader' : level;
    if (!key) throw new UnauthenticatedException(`this route needs a key with the role ${needed}: send Authorization: Bearer <key>`);
    if (!roleAllows(key.role, needed)) throw new ForbiddenRoleException(`the key ${key.name} is a ${key.role}; this route needs ${needed}`);
    return true;
  }
}
