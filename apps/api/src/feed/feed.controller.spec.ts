import 'reflect-metadata';
import type { ArchiveConfig, FeedHub } from '@archive/application';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FeedController } from './feed.controller.js';
import type { FeedLimits } from './feed-limits.js';

const config = { feedMaxClients: 10, feedMaxClientsPerAddress: 1, feedRetryMs: 1000, feedHeartbeatMs: 15_000, feedClientBuffer: 10 } as ArchiveConfig;

describe('FeedController', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('takes no place for a client that left while the hub was starting', async () => {
    // A hub whose start (the event store's head, the subscription) answers only when told.
    let startAsked!: () => void;
    const asked = new Promise<void>((resolve) => (startAsked = resolve));
    let start!: () => void;
    const gate = new Promise<void>((resolve) => (start = resolve));
    const hub = {
      start: () => {
        startAsked();
        return gate;
      },
    } as unknown as FeedHub;
    const controller = new FeedController(hub, config);
    const served = new Promise<{ followed: Promise<void>; closed: Promise<void> }>((resolve) => {
      server = createServer((request: IncomingMessage, response: ServerResponse) => {
        const closed = new Promise<void>((done) => response.once('close', () => done()));
        const followed = controller.follow({}, undefined, { ip: '10.0.0.1', id: 'r1', raw: request } as never, { raw: response, hijack: () => undefined } as never);
        resolve({ followed, closed });
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const client = httpRequest({ host: '127.0.0.1', port: (server!.address() as AddressInfo).port, path: '/api/feed' });
    client.on('error', () => undefined);
    client.end();

    const { followed, closed } = await served;
    await asked;
    client.destroy();
    await closed;
    start();
    await followed;

    expect((Reflect.get(controller, 'limits') as FeedLimits).open).toBe(0);
  });
});
