import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_BATCH_SIZE } from '@archive/projections';
import { parseApiKeys, type ApiKey } from '../security/api-keys.js';

/** The service's settings, read from the environment once at start. */
export interface ArchiveConfig {
  readonly port: number;
  readonly host: string;
  /** Where the embedded stores keep their files. */
  readonly dataDir: string;
  readonly eventStore: 'sqlite' | 'kurrentdb';
  /** With `eventStore: 'kurrentdb'`: the connection string, e.g. `kurrentdb://localhost:2113?tls=false`. */
  readonly kurrentDbUrl?: string;
  readonly readStore: 'sqlite' | 'postgres';
  /** With `readStore: 'postgres'`: the connection string, e.g. `postgres://postgres@localhost:5432/archive`. */
  readonly databaseUrl?: string;
  /** With `readStore: 'postgres'`: the schema for the read models (default `public`). */
  readonly databaseSchema?: string;
  /** The longest one operation on KurrentDB (a read, an append with its checks) may take before it fails as unavailable. */
  readonly kurrentDbDeadlineMs: number;
  /** How long to wait for a PostgreSQL connection before the store counts as unavailable. */
  readonly databaseConnectTimeoutMs: number;
  /** The longest one PostgreSQL statement may take, on the server and as the client waits for it. */
  readonly databaseQueryTimeoutMs: number;
  /** How long `/health` waits for each store's answer before reporting it down. */
  readonly healthTimeoutMs: number;
  /** How long a graceful shutdown may take before the process gives up on it and exits 1. */
  readonly shutdownTimeoutMs: number;
  /** Whether this process runs the projections; `off` for API replicas beside a projector process. */
  readonly projections: 'on' | 'off';
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How long a query with `X-Min-Position` waits for the read models. */
  readonly minPositionTimeoutMs: number;
  readonly projectionBatchSize: number;
  /** Least time between two read-model commits of live events (see ProjectionRunnerOptions). */
  readonly projectionFlushIntervalMs: number;
  /** How often the live feed sends a keep-alive comment to each client. */
  readonly feedHeartbeatMs: number;
  /** How many events the live feed queues for a client that does not read; past it the client is dropped. */
  readonly feedClientBuffer: number;
  /** The reconnection delay the live feed hints (`retry:`) when it drops a client or shuts down. */
  readonly feedRetryMs: number;
  /** How long a webhook callback has to answer a delivery before the attempt counts as failed. */
  readonly webhookTimeoutMs: number;
  /** The wait before the first retry of a failed delivery; it doubles at each failure in a row. */
  readonly webhookRetryBaseMs: number;
  /** The longest wait between two attempts at a delivery. */
  readonly webhookRetryMaxMs: number;
  /** How often the dispatcher looks for subscriptions registered by other processes (and for new events, as a fallback). */
  readonly webhookPollMs: number;
  /** The keys that may call the service; none means every route is open to anyone. */
  readonly apiKeys: readonly ApiKey[];
  /** Whether queries and the feed answer without a key. */
  readonly publicReads: boolean;
  /** `NODE_ENV=production`: the service refuses to start without keys. */
  readonly production: boolean;
  /** The window of the rate limits; each limit counts requests in it (0: no limit). */
  readonly rateLimitWindowMs: number;
  readonly rateLimitPerAddress: number;
  readonly rateLimitPerKey: number;
  /** Origins a browser page may call the API from: a list, `*`, or none (same origin only). */
  readonly corsOrigins: readonly string[] | '*';
  /** Open feed connections allowed in all, and from one address. */
  readonly feedMaxClients: number;
  readonly feedMaxClientsPerAddress: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Every variable the configuration reads: deployment files are checked against this list. */
export const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'ARCHIVE_DATA_DIR',
  'EVENT_STORE',
  'KURRENTDB_URL',
  'READ_STORE',
  'DATABASE_URL',
  'DATABASE_SCHEMA',
  'KURRENTDB_DEADLINE_MS',
  'DATABASE_CONNECT_TIMEOUT_MS',
  'DATABASE_QUERY_TIMEOUT_MS',
  'HEALTH_TIMEOUT_MS',
  'SHUTDOWN_TIMEOUT_MS',
  'PROJECTIONS',
  'LOG_LEVEL',
  'MIN_POSITION_TIMEOUT_MS',
  'PROJECTION_BATCH_SIZE',
  'PROJECTION_FLUSH_INTERVAL_MS',
  'FEED_HEARTBEAT_MS',
  'FEED_CLIENT_BUFFER',
  'FEED_RETRY_MS',
  'WEBHOOK_TIMEOUT_MS',
  'WEBHOOK_RETRY_BASE_MS',
  'WEBHOOK_RETRY_MAX_MS',
  'WEBHOOK_POLL_MS',
  'ARCHIVE_API_KEYS',
  'ARCHIVE_PUBLIC_READS',
  'NODE_ENV',
  'RATE_LIMIT_WINDOW_MS',
  'RATE_LIMIT_PER_ADDRESS',
  'RATE_LIMIT_PER_KEY',
  'CORS_ORIGINS',
  'FEED_MAX_CLIENTS',
  'FEED_MAX_CLIENTS_PER_ADDRESS',
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A host name (RFC 1123 labels), not one made of numbers alone: `999.1.1.1` is a bad address, not a name. */
const HOST_NAME = /^(?=.{1,253}$)(?![\d.]+$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

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

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  };

  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const origins = (raw: string | undefined): readonly string[] | '*' => {
    if (raw === undefined || raw.trim() === '') return [];
    if (raw.trim() === '*') return '*';
    const list = raw.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
    for (const origin of list) {
      if (!/^https?:\/\/[^/\s]+$/.test(origin)) problems.push(`CORS_ORIGINS entries must be origins like https://news.example.org, got "${origin}"`);
    }
    return list;
  };

  const apiKeys = parseApiKeys(env.ARCHIVE_API_KEYS);
  problems.push(...apiKeys.problems);

  const dataDir = env.ARCHIVE_DATA_DIR || './data';
  const host = env.HOST || '0.0.0.0';
  if (!isIP(host) && !HOST_NAME.test(host)) problems.push(`HOST must be an IP address or a host name, got "${host}"`);
  const config: ArchiveConfig = {
    port: integer('PORT', 3000, 0, 65535),
    host,
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(process.cwd(), dataDir),
    eventStore: oneOf('EVENT_STORE', ['sqlite', 'kurrentdb'] as const, 'sqlite'),
    kurrentDbUrl: env.KURRENTDB_URL || undefined,
    readStore: oneOf('READ_STORE', ['sqlite', 'postgres'] as const, 'sqlite'),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    kurrentDbDeadlineMs: integer('KURRENTDB_DEADLINE_MS', 10_000, 100, 600_000),
    databaseConnectTimeoutMs: integer('DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    databaseQueryTimeoutMs: integer('DATABASE_QUERY_TIMEOUT_MS', 30_000, 100, 3_600_000),
    healthTimeoutMs: integer('HEALTH_TIMEOUT_MS', 3000, 100, 600_000),
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 30_000, 1000, 3_600_000),
    projections: oneOf('PROJECTIONS', ['on', 'off'] as const, 'on'),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    minPositionTimeoutMs: integer('MIN_POSITION_TIMEOUT_MS', 5000, 0, 60_000),
    projectionBatchSize: integer('PROJECTION_BATCH_SIZE', DEFAULT_BATCH_SIZE, 1, 100_000),
    projectionFlushIntervalMs: integer('PROJECTION_FLUSH_INTERVAL_MS', 10, 0, 1000),
    feedHeartbeatMs: integer('FEED_HEARTBEAT_MS', 15_000, 10, 15_000),
    feedClientBuffer: integer('FEED_CLIENT_BUFFER', 1000, 1, 1_000_000),
    feedRetryMs: integer('FEED_RETRY_MS', 3000, 0, 600_000),
    webhookTimeoutMs: integer('WEBHOOK_TIMEOUT_MS', 5000, 1, 120_000),
    webhookRetryBaseMs: integer('WEBHOOK_RETRY_BASE_MS', 1000, 1, 3_600_000),
    webhookRetryMaxMs: integer('WEBHOOK_RETRY_MAX_MS', 300_000, 1, 86_400_000),
    webhookPollMs: integer('WEBHOOK_POLL_MS', 1000, 10, 600_000),
    apiKeys: apiKeys.keys,
    publicReads: boolean('ARCHIVE_PUBLIC_READS', true),
    production: env.NODE_ENV === 'production',
    rateLimitWindowMs: integer('RATE_LIMIT_WINDOW_MS', 60_000, 1000, 3_600_000),
    rateLimitPerAddress: integer('RATE_LIMIT_PER_ADDRESS', 6000, 0, 100_000_000),
    rateLimitPerKey: integer('RATE_LIMIT_PER_KEY', 60_000, 0, 100_000_000),
    corsOrigins: origins(env.CORS_ORIGINS),
    feedMaxClients: integer('FEED_MAX_CLIENTS', 5000, 1, 1_000_000),
    feedMaxClientsPerAddress: integer('FEED_MAX_CLIENTS_PER_ADDRESS', 100, 1, 1_000_000),
  };
  if (config.production && config.apiKeys.length === 0) {
    problems.push('NODE_ENV=production needs ARCHIVE_API_KEYS: without keys anyone could write to the archive');
  }
  if (config.eventStore === 'kurrentdb' && !config.kurrentDbUrl) problems.push('EVENT_STORE=kurrentdb needs KURRENTDB_URL');
  if (config.kurrentDbUrl && !/^(kurrentdb|kdb|esdb|eventstoredb)(\+discover)?:\/\//.test(config.kurrentDbUrl)) {
    problems.push('KURRENTDB_URL must be a kurrentdb:// connection string, e.g. kurrentdb://localhost:2113?tls=false');
  }
  if (config.readStore === 'postgres' && !config.databaseUrl) problems.push('READ_STORE=postgres needs DATABASE_URL');
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// connection string');
  }
  if (config.databaseSchema && !/^[a-z_][a-z0-9_]{0,62}$/.test(config.databaseSchema)) {
    problems.push('DATABASE_SCHEMA must be a plain lower-case name');
  }
  if (config.webhookRetryMaxMs < config.webhookRetryBaseMs) problems.push('WEBHOOK_RETRY_MAX_MS must be at least WEBHOOK_RETRY_BASE_MS');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
