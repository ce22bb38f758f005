import { EVENT_STORE } from '@archive/application';
import { UpcastingEventStore, type EventStore } from '@archive/event-store';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { FeedClient } from './support/feed-client.js';
import { openBriefing, SPOKESPERSON } from './support/http.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * A `StatementRecorded` stored in its version-0 shape (`speaker`, one `topic`) straight through
 * the adapter, with no upcasting, is read as version 1 by the projections and the live feed.
 */
describe('a version-0 event in the log', () => {
  let t: TestApp;
  let base: string;
  let briefingId: string;
  const statementId = randomUUID();
  let position: number;

  beforeAll(async () => {
    t = await createTestApp({ FEED_HEARTBEAT_MS: '100' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    ({ briefingId } = await openBriefing(t.http));
    const store = t.app.get<EventStore>(EVENT_STORE);
    expect(store).toBeInstanceOf(UpcastingEventStore);
    const raw = (store as UpcastingEventStore).inner;
    ({ position } = await raw.appendToStream(
      `briefing-${briefingId}`,
      [
        {
          eventId: randomUUID(),
          type: 'StatementRecorded',
          data: { briefingId, statementId, speaker: SPOKESPERSON.id, text: 'An old statement.', topic: 'legacy-topic' },
          metadata: { correlationId: 'legacy', causationId: 'legacy', actor: 'legacy-importer', schemaVersion: 0 },
          recordedAt: '2019-05-01T10:00:00.000Z',
        },
      ],
      0,
    ));
    const [stored] = await raw.readStream(`briefing-${briefingId}`, { fromRevision: 1 });
    expect(stored?.metadata.schemaVersion).toBe(0);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is projected as version 1: its topics and speaker reach the read models', async () => {
    const topic = await t.http.get('/api/topics/legacy-topic').set('X-Min-Position', String(position)).expect(200);
    expect(JSON.stringify(topic.body)).toContain(statementId);
    expect(JSON.stringify(topic.body)).toContain('An old statement.');
    const speaker = await t.http.get(`/api/spokespersons/${SPOKESPERSON.id}`).set('X-Min-Position', String(position)).expect(200);
    expect(JSON.stringify(speaker.body)).toContain(statementId);
  });

  it('is read as version 1 from the log over HTTP', async () => {
    const response = await t.http.get(`/api/briefings/${briefingId}/events`).expect(200);
    const statement = (response.body.items as { type: string; data: unknown; metadata: Record<string, unknown> }[]).find(
      (event) => event.type === 'StatementRecorded',
    );
    expect(statement?.data).toEqual({ briefingId, statementId, speakerId: SPOKESPERSON.id, text: 'An old statement.', topics: ['legacy-topic'], verbatim: false });
    expect(statement?.metadata).toMatchObject({ schemaVersion: 1, upcastFromSchemaVersion: 0 });
  });

  it('reaches the live feed as version 1, so a topic filter finds it', async () => {
    const client = new FeedClient(`${base}/api/feed?topic=legacy-topic&after=0`);
    try {
      await client.reached(position);
      const [message] = client.received;
      expect(message?.type).toBe('StatementRecorded');
      expect(message?.data.data).toMatchObject({ statementId, speakerId: SPOKESPERSON.id, topics: ['legacy-topic'] });
      expect(message?.data.metadata).toMatchObject({ schemaVersion: 1 });
    } finally {
      client.close();
    }
  });
});
