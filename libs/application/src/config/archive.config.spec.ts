import { describe, expect, it } from '@jest/globals';
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
