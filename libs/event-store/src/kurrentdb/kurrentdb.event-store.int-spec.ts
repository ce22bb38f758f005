import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DuplicateEventError, StoreUnavailableError, WrongExpectedRevisionError } from '../errors.js';
import type { NewEvent, Subscription } from '../event-store.port.js';
import { collect, eventStoreContract, newTestEvent, tamperEvidenceSuite } from '../testing/index.js';
import { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb.event-store.js';
import { type KurrentDbTestServer, startKurrentDbTestServer } from './testing/kurrentdb-test-server.js';

/**
 * With KURRENTDB_URL set, the contract and the tests that need no server hooks run against that
 * real node; the tests that drop connections or write system events always use the in-test
 * server. Each test's name says which.
 */
const realUrl = process.env.KURRENTDB_URL;
const target = realUrl ? `real KurrentDB at ${realUrl}` : 'the in-test KurrentDB server';

const servers: KurrentDbTestServer[] = [];
const startServer = async (options?: Parameters<typeof startKurrentDbTestServer>[0]): Promise<KurrentDbTestServer> => {
  const server = await startKurrentDbTestServer(options);
  servers.push(server);
  return server;
};
let shared: KurrentDbTestServer | undefined;

beforeAll(async () => {
  if (!realUrl) shared = await startServer();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

const sharedUrl = (): string => realUrl ?? (shared as KurrentDbTestServer).url;

eventStoreContract(`kurrentdb on ${target}`, async () => {
  const store = new KurrentDbEventStore({ connectionString: sharedUrl() });
  return { store, dispose: () => store.close() };
});

if (!realUrl) {
  // The client appends through BatchAppend when the server lists it, as a real node does, and
  // through Append otherwise: the contract holds on both paths.
  let appendOnly: KurrentDbTestServer;
  eventStoreContract('kurrentdb on the in-test KurrentDB server without BatchAppend', async () => {
    appendOnly = await startServer({ batchAppend: false });
    const store = new KurrentDbEventStore({ connectionString: appendOnly.url });
    return {
      store,
      dispose: async () => {
        await store.close();
        expect(appendOnly.calls.get('Streams/Append')).toBeGreaterThan(0);
        expect(appendOnly.calls.get('Streams/BatchAppend')).toBeUndefined();
      },
    };
  });
}

if (!realUrl) {
  // The server's log is changed behind the store through the test server's hooks; a fresh server per test.
  tamperEvidenceSuite('kurrentdb on the in-test KurrentDB server', async () => {
    const server = await startServer({ statsIntervalMs: 0 });
    const store = new KurrentDbEventStore({ connectionString: server.url });
    const hook = (done: boolean, what: string): Promise<void> => {
      if (!done) throw new Error(`the test server found no event to ${what}`);
      return Promise.resolve();
    };
    return {
      store,
      editData: (streamId, revision, data) => hook(server.tamper(streamId, revision, data), 'tamper with'),
      editMetadata: async (streamId, revision, metadata) => {
        // The adapter keeps the recorded-at time in the stored metadata: it stays as it was.
        const [event] = await store.readStream(streamId, { fromRevision: revision, limit: 1 });
        await hook(server.tamper(streamId, revision, { ...(metadata as object), $recordedAt: event?.recordedAt }, 'metadata'), 'tamper with');
      },
      deleteEvent: (streamId, revision) => hook(server.delete(streamId, revision), 'delete'),
      swapRevisions: (streamId, revisionA, revisionB) => hook(server.swap(streamId, revisionA, revisionB), 'swap'),
      dispose: async () => {
        await store.close();
        await server.stop();
      },
    };
  });
}

const ids = (events: readonly { eventId: string }[]): string[] => events.map((event) => event.eventId);

/** Resolves once `condition` holds, checking every few milliseconds; bounded by Jest's timeout. */
async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('KurrentDbEventStore', () => {
  const opened: KurrentDbEventStore[] = [];
  const subscriptions: Subscription[] = [];
  const open = (options: Partial<KurrentDbEventStoreOptions> & { server?: KurrentDbTestServer } = {}): KurrentDbEventStore => {
    const { server, ...rest } = options;
    const store = new KurrentDbEventStore({
      connectionString: server?.url ?? sharedUrl(),
      resubscribe: { initialDelayMs: 10, maxDelayMs: 200 },
      ...rest,
    });
    opened.push(store);
    return store;
  };
  const subscribe = (store: KurrentDbEventStore, ...args: Parameters<KurrentDbEventStore['subscribeToAll']>) => {
    const subscription = store.subscribeToAll(...args);
    subscriptions.push(subscription);
    return subscription;
  };

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  describe(`on ${target}`, () => {
    it('numbers events by their offset in the log, so positions grow by more than one', async () => {
      const store = open();
      const streamId = `positions-${randomUUID()}`;
      const result = await store.appendToStream(streamId, [newTestEvent(), newTestEvent()], 'no_stream');
      const [first, second] = await store.readStream(streamId);
      expect(second.position).toBe(result.position);
      expect(second.position - first.position).toBeGreaterThan(1);
    });

    it('keeps the command time as recordedAt, whatever the server clock says', async () => {
      const store = open();
      const streamId = `recorded-${randomUUID()}`;
      await store.appendToStream(streamId, [newTestEvent({ recordedAt: '2001-02-03T04:05:06.789Z' })], 'no_stream');
      const [stored] = await store.readStream(streamId);
      expect(stored.recordedAt).toBe('2001-02-03T04:05:06.789Z');
      expect(stored.metadata).not.toHaveProperty('$recordedAt');
    });

    it('with a stream prefix, sees only those streams and moves its checkpoint while it skips the others', async () => {
      const prefix = `briefing-${randomUUID()}-`;
      const store = open({ streamPrefixes: [prefix] });
      const before = await store.headPosition();
      expect(before).toBe(0);

      const first = newTestEvent();
      const written = await store.appendToStream(`${prefix}a`, [first], 'no_stream');
      const checkpoints: number[] = [];
      let reached: (position: number) => void = () => undefined;
      const subscription = subscribe(store, {
        onCheckpoint: (position) => {
          checkpoints.push(position);
          reached(position);
        },
      });
      const collector = collect(subscription);
      expect(ids(await collector.until(1))).toEqual([first.eventId]);

      // Far more than one search window (32 events) of other streams: the server must checkpoint.
      const other = await store.appendToStream(`other-${randomUUID()}`, Array.from({ length: 100 }, () => newTestEvent()), 'no_stream');
      const passed = await new Promise<number>((resolve) => {
        reached = (position) => position > written.position && resolve(position);
        const latest = checkpoints.find((position) => position > written.position);
        if (latest !== undefined) resolve(latest);
      });
      expect(passed).toBeGreaterThan(written.position);
      expect(passed).toBeLessThanOrEqual(other.position);
      expect(subscription.checkpoint).toBeGreaterThanOrEqual(passed);
      expect(checkpoints).toEqual([...checkpoints].sort((a, b) => a - b));

      const second = newTestEvent();
      await store.appendToStream(`${prefix}b`, [second], 'no_stream');
      expect(ids(await collector.until(2))).toEqual([first.eventId, second.eventId]);

      // readAll and headPosition see the same slice of the log.
      expect(ids(await store.readAll())).toEqual([first.eventId, second.eventId]);
      expect(await store.headPosition()).toBe((await store.readStream(`${prefix}b`))[0].position);

      // Resuming after the checkpoint delivers what came after it, and nothing the filter skipped.
      const resumed = collect(subscribe(store, { after: passed }));
      expect(ids(await resumed.until(1))).toEqual([second.eventId]);
    });

    it("with eventIdScope 'stream', re-sends still return the first result, but ids are not checked across streams", async () => {
      const store = open({ eventIdScope: 'stream' });
      const streamId = `scope-${randomUUID()}`;
      const [a, b, c] = [newTestEvent(), newTestEvent(), newTestEvent()];
      const first = await store.appendToStream(streamId, [a, b], 'no_stream');
      await store.appendToStream(streamId, [c], 1);
      expect(await store.appendToStream(streamId, [a, b], 'no_stream')).toEqual({ ...first, resent: true });
      await expect(store.appendToStream(streamId, [b, newTestEvent()], 'any')).rejects.toBeInstanceOf(DuplicateEventError);
      const elsewhere = `scope-${randomUUID()}`;
      expect((await store.appendToStream(elsewhere, [a], 'no_stream')).revision).toBe(0);
    });

    it('refuses events it could not read back faithfully, and writes none of them', async () => {
      const store = open();
      const streamId = `refused-${randomUUID()}`;
      const reserved = newTestEvent({ metadata: { ...newTestEvent().metadata, $recordedAt: 'x' } });
      await expect(store.appendToStream(streamId, [newTestEvent(), reserved], 'any')).rejects.toBeInstanceOf(RangeError);
      await expect(store.appendToStream(streamId, [newTestEvent({ type: '$Sneaky' })], 'any')).rejects.toBeInstanceOf(RangeError);
      await expect(store.appendToStream('$system', [newTestEvent()], 'any')).rejects.toBeInstanceOf(RangeError);
      expect(await store.readStream(streamId)).toEqual([]);
    });

    it('refuses every call once closed with StoreUnavailableError, and ends its subscriptions', async () => {
      const store = new KurrentDbEventStore({ connectionString: sharedUrl() });
      const collector = collect(store.subscribeToAll({ after: await store.headPosition() }));
      await store.close();
      await collector.ended;
      await store.close();
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.appendToStream('s-1', [newTestEvent()], 'any')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(() => store.subscribeToAll()).toThrow(StoreUnavailableError);
    });

    it('rejects nonsense positions, limits, revisions and options with RangeError', async () => {
      const store = open();
      await expect(store.readAll({ after: -1 })).rejects.toBeInstanceOf(RangeError);
      await expect(store.readStream('s-1', { limit: 1.5 })).rejects.toBeInstanceOf(RangeError);
      await expect(store.appendToStream('s-1', [newTestEvent()], -2)).rejects.toBeInstanceOf(RangeError);
      expect(() => store.subscribeToAll({ batchSize: 0 })).toThrow(RangeError);
      expect(() => open({ streamPrefixes: [] })).toThrow(RangeError);
      expect(() => open({ streamPrefixes: ['$ce-'] })).toThrow(RangeError);
      expect(() => open({ pageSize: 0 })).toThrow(RangeError);
    });
  });

  describe('on the in-test KurrentDB server', () => {
    let server: KurrentDbTestServer;

    beforeAll(async () => {
      server = await startServer({ statsIntervalMs: 0 });
    });

    const userEvents = (count: number): NewEvent[] => Array.from({ length: count }, () => newTestEvent());

    it('never hands system events to readAll, headPosition or subscribers', async () => {
      const store = open({ server });
      const streamId = `system-${randomUUID()}`;
      const before = await store.headPosition();
      const subscription = collect(subscribe(store, { after: before }));
      const a = newTestEvent();
      const b = newTestEvent();
      server.writeSystemEvent();
      await store.appendToStream(streamId, [a], 'no_stream');
      server.writeSystemEvent({ streamId: '$$' + streamId, type: '$metadata' });
      // A non-system type in a system stream gets past the server's type filter; the adapter drops it too.
      server.writeSystemEvent({ streamId: '$projections-$all', type: 'ProjectionUpdated' });
      const written = await store.appendToStream(streamId, [b], 0);
      const systemHead = server.writeSystemEvent({ streamId: '$scavenges', type: '$scavengeStarted' });

      expect(ids(await store.readAll({ after: before }))).toEqual([a.eventId, b.eventId]);
      expect(ids(await store.readAll({ after: before, limit: 1 }))).toEqual([a.eventId]);
      expect(await store.headPosition()).toBe(written.position);
      expect(systemHead).toBeGreaterThan(written.position);
      expect(ids(await subscription.until(2))).toEqual([a.eventId, b.eventId]);

      // The next user event arrives after the system ones, with nothing in between.
      const c = newTestEvent();
      await store.appendToStream(streamId, [c], 1);
      expect(ids(await subscription.until(3))).toEqual([a.eventId, b.eventId, c.eventId]);
      expect((await store.readAll({ after: 0, limit: 10_000 })).some((event) => event.streamId.startsWith('$'))).toBe(false);
    });

    it('pages over long runs of system events without stopping early', async () => {
      const store = open({ server });
      const streamId = `sparse-${randomUUID()}`;
      const before = await store.headPosition();
      const a = newTestEvent();
      await store.appendToStream(streamId, [a], 'no_stream');
      for (let i = 0; i < 50; i++) server.writeSystemEvent({ streamId: '$projections-$all', type: 'ProjectionUpdated' });
      const b = newTestEvent();
      await store.appendToStream(streamId, [b], 0);
      expect(ids(await store.readAll({ after: before, limit: 2 }))).toEqual([a.eventId, b.eventId]);
    });

    it('resubscribes after the server aborts its calls and delivers every event exactly once', async () => {
      const store = open({ server });
      const streamId = `dropped-${randomUUID()}`;
      const before = await store.headPosition();
      const collector = collect(subscribe(store, { after: before }));
      const events = userEvents(30);
      await store.appendToStream(streamId, events.slice(0, 10), 'no_stream');
      await collector.until(10);

      const readsBefore = server.calls.get('Streams/Read') ?? 0;
      server.dropCalls();
      await store.appendToStream(streamId, events.slice(10, 20), 9);
      await collector.until(20);
      server.dropCalls();
      await store.appendToStream(streamId, events.slice(20), 19);

      expect(ids(await collector.until(30))).toEqual(ids(events));
      expect(server.calls.get('Streams/Read')).toBeGreaterThan(readsBefore);
      expect(ids(await store.readAll({ after: before }))).toEqual(ids(events));
      // One live call on the server, not one per attempt.
      await eventually(() => server.openSubscriptions === 1);
    });

    it('close() ends the subscription call on the server too', async () => {
      const own = await startServer({ statsIntervalMs: 0 });
      const store = open({ server: own });
      const subscription = subscribe(store);
      const collector = collect(subscription);
      await eventually(() => own.openSubscriptions === 1);
      await subscription.close();
      await collector.ended;
      await eventually(() => own.openSubscriptions === 0);
    });

    it('rides out a server restart on the same port: appends fail meanwhile, the subscription resumes exactly once', async () => {
      const restarting = await startServer({ statsIntervalMs: 0 });
      const store = open({ server: restarting });
      const streamId = `restart-${randomUUID()}`;
      const collector = collect(subscribe(store));
      const events = userEvents(20);
      await store.appendToStream(streamId, events.slice(0, 10), 'no_stream');
      await collector.until(10);

      await restarting.stop();
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.appendToStream(streamId, [newTestEvent()], 9)).rejects.toBeInstanceOf(StoreUnavailableError);
      await restarting.start();

      await store.appendToStream(streamId, events.slice(10), 9);
      expect(ids(await collector.until(20))).toEqual(ids(events));
      expect(ids(await store.readStream(streamId))).toEqual(ids(events));
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('starts while the server is down and reads once it is up', async () => {
      const late = await startServer({ statsIntervalMs: 0 });
      await late.stop();
      const store = open({ server: late });
      // The client's native bridge never retries a first connection that failed; the store replaces it.
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
      await late.start();
      await expect(store.ping()).resolves.toBeUndefined();
      const streamId = `late-${randomUUID()}`;
      await store.appendToStream(streamId, [newTestEvent()], 'any');
      expect(await store.readStream(streamId)).toHaveLength(1);
    });

    it('claims event ids in $-typed events that no reader of the archive sees', async () => {
      const store = open({ server });
      const streamId = `claims-${randomUUID()}`;
      const event = newTestEvent();
      await store.appendToStream(streamId, [event], 'no_stream');
      const claims = await store.readStream(`archive-event-id-${event.eventId}`);
      expect(claims).toEqual([]);
      const all = await store.readAll({ after: 0, limit: 10_000 });
      expect(all.filter((stored) => stored.streamId.startsWith('archive-event-id-'))).toEqual([]);
    });

    it('lets a test tamper with a stored event behind the store', async () => {
      const store = open({ server });
      const streamId = `tamper-${randomUUID()}`;
      await store.appendToStream(streamId, [newTestEvent({ data: { said: 'original' } })], 'no_stream');
      expect(server.tamper(streamId, 0, { said: 'forged' })).toBe(true);
      expect(server.tamper(streamId, 1, {})).toBe(false);
      expect((await store.readStream(streamId))[0].data).toEqual({ said: 'forged' });
    });

    it('maps the server refusing an exact revision to WrongExpectedRevisionError with the actual revision', async () => {
      const store = open({ server });
      const streamId = `conflict-${randomUUID()}`;
      await store.appendToStream(streamId, userEvents(3), 'no_stream');
      const error = await store.appendToStream(streamId, [newTestEvent()], 0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId, expected: 0, actual: 2 });
    });
  });
});
