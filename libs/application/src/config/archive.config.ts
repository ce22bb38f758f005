import { isAbsolute, resolve } from 'node:path';

/** The service's settings, read from the environment once at start. */
export interface ArchiveConfig {
  readonly port: number;
  readonly host: string;
  /** Where the embedded stores keep their files. */
  readonly dataDir: string;
  readonly eventStore: 'sqlite';
  readonly readStore: 'sqlite';
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How long a query with `X-Min-Position` waits for the read models. */
  readonly minPositionTimeoutMs: number;
  readonly projectionBatchSize: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and checks the configuration; throws a ConfigError naming every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ArchiveConfig {
  const problems: string[] = [];

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T, reserved: readonly string[] = []): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    if (reserved.includes(raw)) problems.push(`${name}=${raw} is not available yet; use ${allowed.join(' or ')}`);
    else problems.push(`${name} must be one of ${[...allowed, ...reserved].join(', ')}, got "${raw}"`);
    return fallback;
  };

  const dataDir = env.ARCHIVE_DATA_DIR || './data';
  const config: ArchiveConfig = {
    port: integer('PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(process.cwd(), dataDir),
    eventStore: oneOf('EVENT_STORE', ['sqlite'] as const, 'sqlite', ['kurrentdb']),
    readStore: oneOf('READ_STORE', ['sqlite'] as const, 'sqlite', ['postgres']),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    minPositionTimeoutMs: integer('MIN_POSITION_TIMEOUT_MS', 5000, 0, 60_000),
    projectionBatchSize: integer('PROJECTION_BATCH_SIZE', 500, 1, 100_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
