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
});
