import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventStore, NewEvent, StoredEvent } from '../event-store.port.js';
import { verifyChains } from '../hash-chain.js';
import { SqliteEventStore } from '../sqlite/sqlite.event-store.js';
import { briefingUpcasters } from './briefing.upcasters.js';
import { UpcasterRegistry } from './upcaster.registry.js';
import { UpcastingEventStore } from './upcasting.event-store.js';

const meta = (schemaVersion: number) => ({ correlationId: 'c', causationId: 'c', actor: 'test', schemaVersion });

function v0Statement(eventId: string, topic: string): NewEvent {
  return {
    eventId,
    type: 'StatementRecorded',
    data: { briefingId: 'b', statementId: eventId, speaker: 'spokesperson', text: 'Said.', topic },
    metadata: meta(0),
    recordedAt: '2020-01-01T00:00:00.000Z',
  };
}

const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];

describe('UpcastingEventStore over SQLite', () => {
  let raw: SqliteEventStore;
  let store: EventStore;

  beforeEach(async () => {
    raw = new SqliteEventStore({ filename: ':memory:', pollIntervalMs: 10 });
    store = new UpcastingEventStore(raw, new UpcasterRegistry(briefingUpcasters));
    await raw.appendToStream('briefing-b', [v0Statement(ids[0]!, 'ttp')], 'no_stream');
  });
  afterEach(async () => {
    await store.close();
  });

  const expectV1 = (event: StoredEvent | undefined, topic: string) => {
    expect(event?.metadata.schemaVersion).toBe(1);
    expect(event?.data).toMatchObject({ speakerId: 'spokesperson', topics: [topic], verbatim: false });
    expect(event?.data).not.toHaveProperty('speaker');
  };

  it('reads version-0 events as version 1 from a stream and from the whole log', async () => {
    expectV1((await store.readStream('briefing-b'))[0], 'ttp');
    expectV1((await store.readAll())[0], 'ttp');
  });

  it('upcasts what a subscription delivers, while catching up and live', async () => {
    const subscription = store.subscribeToAll();
    const received: StoredEvent[] = [];
    const done = (async () => {
      for await (const event of subscription) {
        received.push(event);
        if (received.length === 2) break;
      }
    })();
    await store.appendToStream('briefing-b', [v0Statement(ids[1]!, 'afghanistan')], 0);
    await done;
    await subscription.close();
    expectV1(received[0], 'ttp');
    expectV1(received[1], 'afghanistan');
  });

  it('hands on the hash chain of the stored event, which still verifies against the raw log only', async () => {
    const [stored] = await raw.readStream('briefing-b');
    const [upcast] = await store.readStream('briefing-b');
    expect(upcast?.metadata).toMatchObject({ prevHash: stored?.metadata.prevHash, hash: stored?.metadata.hash });
    expect((await verifyChains(await raw.readAll())).ok).toBe(true);
    // The hash covers the data as stored, not as upcast.
    expect((await verifyChains(await store.readAll())).firstMismatch).toMatchObject({ eventId: ids[0], reason: 'its content does not match its hash' });
  });

  it('stores the events as they were written', async () => {
    const [storedEvent] = await raw.readStream('briefing-b');
    expect(storedEvent?.metadata.schemaVersion).toBe(0);
    expect(storedEvent?.data).toMatchObject({ speaker: 'spokesperson', topic: 'ttp' });
  });
});
