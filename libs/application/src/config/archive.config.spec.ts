import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES, loadConfig } from './archive.config.js';

describe('the live feed settings', () => {
  it('default to a keep-alive every 15 s, 1000 queued events per client and a 3 s reconnection hint', () => {
    expect(loadConfig({})).toMatchObject({ feedHeartbeatMs: 15_000, feedClientBuffer: 1000, feedRetryMs: 3000 });
    expect(CONFIG_VARIABLES).toEqual(expect.arrayContaining(['FEED_HEARTBEAT_MS', 'FEED_CLIENT_BUFFER', 'FEED_RETRY_MS']));
  });

  it('are read from the environment', () => {
    expect(loadConfig({ FEED_HEARTBEAT_MS: '250', FEED_CLIENT_BUFFER: '10', FEED_RETRY_MS: '0' })).toMatchObject({
      feedHeartbeatMs: 250,
      feedClientBuffer: 10,
      feedRetryMs: 0,
    });
  });

  it('refuse a keep-alive rarer than every 15 s, and an empty buffer, naming each', () => {
    expect(() => loadConfig({ FEED_HEARTBEAT_MS: '30000', FEED_CLIENT_BUFFER: '0', FEED_RETRY_MS: 'soon' })).toThrow(
      /FEED_HEARTBEAT_MS must be a whole number from 10 to 15000[\s\S]*FEED_CLIENT_BUFFER must be[\s\S]*FEED_RETRY_MS must be/,
    );
  });

  it('time webhook deliveries: 5 s to answer, retries from 1 s doubling up to 5 min, each settable', () => {
    expect(loadConfig({})).toMatchObject({ webhookTimeoutMs: 5000, webhookRetryBaseMs: 1000, webhookRetryMaxMs: 300_000 });
    expect(CONFIG_VARIABLES).toEqual(expect.arrayContaining(['WEBHOOK_TIMEOUT_MS', 'WEBHOOK_RETRY_BASE_MS', 'WEBHOOK_RETRY_MAX_MS', 'WEBHOOK_POLL_MS']));
    expect(loadConfig({ WEBHOOK_TIMEOUT_MS: '200', WEBHOOK_RETRY_BASE_MS: '10', WEBHOOK_RETRY_MAX_MS: '80', WEBHOOK_POLL_MS: '50' })).toMatchObject({
      webhookTimeoutMs: 200,
      webhookRetryBaseMs: 10,
      webhookRetryMaxMs: 80,
      webhookPollMs: 50,
    });
    expect(() => loadConfig({ WEBHOOK_RETRY_BASE_MS: '5000', WEBHOOK_RETRY_MAX_MS: '1000' })).toThrow(/WEBHOOK_RETRY_MAX_MS must be at least WEBHOOK_RETRY_BASE_MS/);
  });
});

describe('the time limits on the stores, the health check and the shutdown', () => {
  it('default to 10 s per KurrentDB operation, 5 s to connect to and 30 s per statement on PostgreSQL, 3 s per health check and 30 s to shut down', () => {
    expect(loadConfig({})).toMatchObject({
      kurrentDbDeadlineMs: 10_000,
      databaseConnectTimeoutMs: 5000,
      databaseQueryTimeoutMs: 30_000,
      healthTimeoutMs: 3000,
      shutdownTimeoutMs: 30_000,
    });
    expect(CONFIG_VARIABLES).toEqual(
      expect.arrayContaining(['KURRENTDB_DEADLINE_MS', 'DATABASE_CONNECT_TIMEOUT_MS', 'DATABASE_QUERY_TIMEOUT_MS', 'HEALTH_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT_MS']),
    );
  });

  it('are read from the environment, and a limit of none or next to none is refused, naming each', () => {
    expect(
      loadConfig({
        KURRENTDB_DEADLINE_MS: '1500',
        DATABASE_CONNECT_TIMEOUT_MS: '800',
        DATABASE_QUERY_TIMEOUT_MS: '2000',
        HEALTH_TIMEOUT_MS: '500',
        SHUTDOWN_TIMEOUT_MS: '5000',
      }),
    ).toMatchObject({ kurrentDbDeadlineMs: 1500, databaseConnectTimeoutMs: 800, databaseQueryTimeoutMs: 2000, healthTimeoutMs: 500, shutdownTimeoutMs: 5000 });
    expect(() =>
      loadConfig({ KURRENTDB_DEADLINE_MS: '0', DATABASE_CONNECT_TIMEOUT_MS: 'soon', DATABASE_QUERY_TIMEOUT_MS: '-1', HEALTH_TIMEOUT_MS: '1.5', SHUTDOWN_TIMEOUT_MS: '10' }),
    ).toThrow(
      /KURRENTDB_DEADLINE_MS must be[\s\S]*DATABASE_CONNECT_TIMEOUT_MS must be[\s\S]*DATABASE_QUERY_TIMEOUT_MS must be[\s\S]*HEALTH_TIMEOUT_MS must be[\s\S]*SHUTDOWN_TIMEOUT_MS must be/,
    );
  });
});

describe("the README's configuration table", () => {
  it('names every variable the configuration reads, and no other', () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('\n## Configuration\n');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
    expect(new Set(documented).size).toBe(documented.length);
  });
});

describe('HOST', () => {
  it('takes an IP address or a host name', () => {
    for (const host of ['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'api.internal', 'archive-1']) expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  it('refuses anything else, naming it', () => {
    for (const host of ['999.1.1.1', '1.2.3', 'bad host', '-archive', 'archive_1', 'http://localhost']) {
      expect(() => loadConfig({ HOST: host })).toThrow(`HOST must be an IP address or a host name, got "${host}"`);
    }
  });
});
