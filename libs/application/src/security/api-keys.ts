import { createHash, timingSafeEqual } from 'node:crypto';

/** What a key may do; each role may do what the roles before it may. */
export const ROLES = ['reader', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  /** Recorded as the actor of every event its commands append. */
  readonly name: string;
  readonly role: Role;
  /** SHA-256 of the secret: the secret itself is not kept. */
  readonly digest: Buffer;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DIGEST = /^sha256:([0-9a-f]{64})$/i;
/** Shorter secrets are guessable; a sha256: digest is taken as it is. */
const MIN_SECRET_LENGTH = 16;
/** What `Authorization: Bearer <secret>` carries: printable ASCII without spaces, at most 512 characters. */
export const PRESENTABLE_SECRET = /^[\x21-\x7e]{1,512}$/;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/**
 * Reads `ARCHIVE_API_KEYS`: comma-separated `name:role:secret`, where the secret may be given as
 * `sha256:<hex>` of the secret instead. Answers the keys and a problem for each bad entry.
 */
export function parseApiKeys(raw: string | undefined): { keys: ApiKey[]; problems: string[] } {
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  const entries = (raw ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const [index, entry] of entries.entries()) {
    const [name = '', role = '', ...rest] = entry.split(':');
    const secret = rest.join(':');
    const where = `ARCHIVE_API_KEYS entry ${index + 1}`;
    if (!NAME.test(name)) problems.push(`${where}: the name must be 1 to 64 letters, digits, '.', '_' or '-'`);
    else if (keys.some((key) => key.name === name)) problems.push(`${where}: the name ${name} is used twice`);
    if (!(ROLES as readonly string[]).includes(role)) problems.push(`${where} (${name}): the role must be one of ${ROLES.join(', ')}`);
    const digest = DIGEST.exec(secret);
    if (!digest && secret.length < MIN_SECRET_LENGTH) {
      problems.push(`${where} (${name}): the secret must be at least ${MIN_SECRET_LENGTH} characters, or sha256:<64 hex digits>`);
    } else if (!digest && !PRESENTABLE_SECRET.test(secret)) {
      problems.push(`${where} (${name}): the secret must be printable ASCII without spaces, at most 512 characters: a Bearer header could not carry it`);
    }
    keys.push({ name, role: role as Role, digest: digest ? Buffer.from(digest[1]!, 'hex') : sha256(secret) });
  }
  return { keys, problems };
}

/**
 * The key a secret belongs to, if any. Every key is compared, each in constant time, so how long
 * it takes says nothing about which key, or how much of one, a guess matched.
 */
export function identify(keys: readonly ApiKey[], secret: string): ApiKey | undefined {
  const digest = sha256(secret);
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(key.digest, digest) && !found) found = key;
  }
  return found;
}
