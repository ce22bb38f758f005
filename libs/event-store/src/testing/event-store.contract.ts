import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DuplicateEventError, WrongExpectedRevisionError } from '../errors.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import { eventHash, GENESIS_HASH, hashedMetadata, verifyChains } from '../hash-chain.js';

/** Builds an event with a fresh id; `overrides` replace any field. */
export function newTestEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'ContractTested',
    data: { note: 'contract' },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'contract-suite', schemaVersion: 1 },
    recordedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** A stream no other test touches, so every suite may share one store. */
function newStreamId(): string {
  return `contract-${randomUUID()}`;
}

function newTestEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, () => newTestEvent());
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail, but it succeeded');
    },
    (error: unknown) => error,
  );
}

async function expectWrongRevision(
  promise: Promise<unknown>,
  streamId: string,
  expected: ExpectedRevision,
  actual: number,
): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect(error).toMatchObject({ streamId, expected, actual });
}

async function expectDuplicate(promise: Promise<unknown>, repeatedIds: readonly string[]): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(DuplicateEventError);
  expect(repeatedIds).toContain((error as DuplicateEventError).eventId);
}

function expectIncreasing(positions: readonly number[]): void {
  for (let i = 1; i < positions.length; i++) {
    expect(positions[i]).toBeGreaterThan(positions[i - 1]);
  }
}

/** Pages through the whole log after `after` with `limit`-sized pages. */
async function readAllPages(store: EventStore, after: number, limit: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let from = after;
  for (;;) {
    const page = await store.readAll({ after: from, limit });
    if (page.length === 0) return events;
    expect(page.length).toBeLessThanOrEqual(limit);
    // `after` is exclusive; checked here too so a store that repeats it fails instead of looping.
    expect(page[0].position).toBeGreaterThan(from);
    events.push(...page);
    from = page[page.length - 1].position;
  }
}

export interface Collector {
  /** Delivered events that passed the filter, in delivery order. */
  readonly events: StoredEvent[];
  /** Positions of every delivered event, filtered or not. */
  readonly positions: number[];
  /** The collected events once there are at least `count`; rejects if the iteration ends first. */
  until(count: number): Promise<StoredEvent[]>;
  /** Settles when the iteration has ended. */
  readonly ended: Promise<void>;
}

/** Iterates the subscription in the background; tests wait on a count, bounded by Jest's timeout. */
export function collect(subscription: Subscription, keep: (event: StoredEvent) => boolean = () => true): Collector {
  const events: StoredEvent[] = [];
  const positions: number[] = [];
  const waiters = new Set<{ count: number; resolve: (events: StoredEvent[]) => void; reject: (error: unknown) => void }>();
  let finished = false;
  let failure: unknown;

  const settle = (): void => {
    for (const waiter of waiters) {
      if (events.length >= waiter.count) {
        waiters.delete(waiter);
        waiter.resolve([...events]);
      } else if (finished) {
        waiters.delete(waiter);
        waiter.reject(failure ?? new Error(`subscription ended after ${events.length} of ${waiter.count} events`));
      }
    }
  };

  const ended = (async () => {
    try {
      for await (const event of subscription) {
        positions.push(event.position);
        if (keep(event)) {
          events.push(event);
          settle();
        }
      }
    } catch (error) {
      failure = error;
    } finally {
      finished = true;
      settle();
    }
  })();

  return {
    events,
    positions,
    ended,
    until: (count) =>
      new Promise((resolve, reject) => {
        waiters.add({ count, resolve, reject });
        settle();
      }),
  };
}

/** The hash an event must carry: recomputed here from its stored fields and the given link. */
function expectedHash(event: StoredEvent, prevHash: string): string {
  const { streamId, revision, eventId, type, recordedAt, data, metadata } = event;
  return eventHash({ streamId, revision, eventId, type, recordedAt, data, metadata: hashedMetadata(metadata), prevHash });
}

/** Checks a whole stream link by link: genesis first, each prevHash the hash before, each hash recomputed. */
function expectChained(stream: readonly StoredEvent[]): void {
  let prevHash = GENESIS_HASH;
  for (const event of stream) {
    expect(event.metadata).toMatchObject({ prevHash, hash: expectedHash(event, prevHash) });
    prevHash = event.metadata.hash as string;
  }
}

const inStreams =
  (...streamIds: string[]) =>
  (event: StoredEvent): boolean =>
    streamIds.includes(event.streamId);

/**
 * The behaviour every EventStore adapter must show. It asserts only what the port promises:
 * positions grow with commit order but need not start at 1 or grow by one, and the store may
 * hold events of other suites, so every test works on its own random streams.
 */
export function eventStoreContract(
  name: string,
  createStore: () => Promise<{ store: EventStore; dispose: () => Promise<void> }>,
): void {
  describe(`${name} event store contract`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    const subscriptions: Subscription[] = [];

    const append = (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> =>
      store.appendToStream(streamId, events, expected);

    const subscribe = (options: SubscribeOptions): Subscription => {
      const subscription = store.subscribeToAll(options);
      subscriptions.push(subscription);
      return subscription;
    };

    beforeAll(async () => {
      ({ store, dispose } = await createStore());
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
    });

    afterAll(async () => {
      await dispose();
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('appendToStream with an expected revision', () => {
      it("'any' appends to a new and to an existing stream", async () => {
        const streamId = newStreamId();
        expect((await append(streamId, [newTestEvent()], 'any')).revision).toBe(0);
        expect((await append(streamId, [newTestEvent()], 'any')).revision).toBe(1);
        expect((await store.readStream(streamId)).map((event) => event.revision)).toEqual([0, 1]);
      });

      it("'no_stream' creates a stream and then refuses, naming the actual revision", async () => {
        const streamId = newStreamId();
        expect((await append(streamId, [newTestEvent()], 'no_stream')).revision).toBe(0);
        await expectWrongRevision(append(streamId, [newTestEvent()], 'no_stream'), streamId, 'no_stream', 0);
        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it("'stream_exists' refuses a stream with no events and appends to one with events", async () => {
        const streamId = newStreamId();
        await expectWrongRevision(append(streamId, [newTestEvent()], 'stream_exists'), streamId, 'stream_exists', -1);
        expect(await store.readStream(streamId)).toEqual([]);
        await append(streamId, [newTestEvent()], 'no_stream');
        expect((await append(streamId, [newTestEvent()], 'stream_exists')).revision).toBe(1);
      });

      it('an exact revision must equal the last revision of the stream', async () => {
        const streamId = newStreamId();
        await expectWrongRevision(append(streamId, [newTestEvent()], 0), streamId, 0, -1);
        await append(streamId, [newTestEvent()], 'no_stream');
        expect((await append(streamId, [newTestEvent()], 0)).revision).toBe(1);
        await expectWrongRevision(append(streamId, [newTestEvent()], 0), streamId, 0, 1);
        await expectWrongRevision(append(streamId, [newTestEvent()], 5), streamId, 5, 1);
        expect((await append(streamId, [newTestEvent()], 1)).revision).toBe(2);
      });

      it('appends several events at once with consecutive revisions and returns the last', async () => {
        const streamId = newStreamId();
        await append(streamId, [newTestEvent()], 'no_stream');
        const events = newTestEvents(3);
        const result = await append(streamId, events, 0);
        const stored = await store.readStream(streamId);
        expect(stored.map((event) => event.revision)).toEqual([0, 1, 2, 3]);
        expect(stored.slice(1).map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
        expectIncreasing(stored.map((event) => event.position));
        expect(result).toEqual({ revision: 3, position: stored[3].position });
      });

      it('a refused multi-event append writes none of its events', async () => {
        const streamId = newStreamId();
        await append(streamId, [newTestEvent()], 'no_stream');
        const before = await store.headPosition();
        const batch = newTestEvents(3);
        await expectWrongRevision(append(streamId, batch, 5), streamId, 5, 0);
        expect(await store.readStream(streamId)).toHaveLength(1);
        expect((await store.readAll({ after: before })).filter(inStreams(streamId))).toEqual([]);
        // The refused ids were not consumed: the same batch can be appended now.
        expect((await append(streamId, batch, 0)).revision).toBe(3);
      });

      it('an empty append writes nothing, checks the revision and returns where the stream stands', async () => {
        const streamId = newStreamId();
        expect(await append(streamId, [], 'no_stream')).toEqual({ revision: -1, position: 0 });
        await expectWrongRevision(append(streamId, [], 'stream_exists'), streamId, 'stream_exists', -1);
        const written = await append(streamId, newTestEvents(2), 'no_stream');
        expect(await append(streamId, [], 1)).toEqual(written);
        expect(await append(streamId, [], 'any')).toEqual(written);
        await expectWrongRevision(append(streamId, [], 0), streamId, 0, 1);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });
    });

    describe('idempotent append by event id', () => {
      it('a re-sent append returns the first result and stores the events once', async () => {
        const streamId = newStreamId();
        const before = await store.headPosition();
        const events = newTestEvents(2);
        const first = await append(streamId, events, 'no_stream');
        expect(first.resent).toBeUndefined();
        // 'no_stream' would now be refused if the re-send checked the revision.
        expect(await append(streamId, events, 'no_stream')).toEqual({ ...first, resent: true });
        expect((await store.readStream(streamId)).map((event) => event.eventId)).toEqual(
          events.map((event) => event.eventId),
        );
        expect((await store.readAll({ after: before })).filter(inStreams(streamId))).toHaveLength(2);
      });

      it('a re-send after later appends returns the original result, even with a stale revision', async () => {
        const streamId = newStreamId();
        const [a, b, c, d] = newTestEvents(4);
        const first = await append(streamId, [a], 'no_stream');
        const second = await append(streamId, [b, c], 0);
        const third = await append(streamId, [d], 2);
        expect(await append(streamId, [a], 'no_stream')).toEqual({ ...first, resent: true });
        expect(await append(streamId, [b, c], 0)).toEqual({ ...second, resent: true });
        expect(await append(streamId, [b, c], 'stream_exists')).toEqual({ ...second, resent: true });
        expect(await append(streamId, [d], 7)).toEqual({ ...third, resent: true });
        expect((await store.readStream(streamId)).map((event) => event.eventId)).toEqual(
          [a, b, c, d].map((event) => event.eventId),
        );
      });

      it('repeating some stored ids but not all throws DuplicateEventError and writes nothing', async () => {
        const streamId = newStreamId();
        const [a, b] = newTestEvents(2);
        await append(streamId, [a, b], 'no_stream');
        const fresh = newTestEvent();
        await expectDuplicate(append(streamId, [b, fresh], 1), [b.eventId]);
        await expectDuplicate(append(streamId, [fresh, a], 'any'), [a.eventId]);
        expect((await store.readStream(streamId)).map((event) => event.eventId)).toEqual([a.eventId, b.eventId]);
        // Nothing half-written: the fresh event is still free to append.
        expect((await append(streamId, [fresh], 1)).revision).toBe(2);
      });

      it('repeating stored ids in another order or another stream throws DuplicateEventError', async () => {
        const streamId = newStreamId();
        const otherId = newStreamId();
        const [a, b] = newTestEvents(2);
        await append(streamId, [a, b], 'no_stream');
        await expectDuplicate(append(streamId, [b, a], 'any'), [a.eventId, b.eventId]);
        await expectDuplicate(append(otherId, [a], 'no_stream'), [a.eventId]);
        await expectDuplicate(append(otherId, [a, b], 'any'), [a.eventId, b.eventId]);
        expect(await store.readStream(otherId)).toEqual([]);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });
    });

    describe('readStream', () => {
      it('reads from a revision with a limit, in revision order', async () => {
        const streamId = newStreamId();
        const events = newTestEvents(6);
        await append(streamId, events, 'no_stream');
        const revisions = async (options: { fromRevision?: number; limit?: number }) =>
          (await store.readStream(streamId, options)).map((event) => event.revision);
        expect(await revisions({})).toEqual([0, 1, 2, 3, 4, 5]);
        expect(await revisions({ fromRevision: 2, limit: 2 })).toEqual([2, 3]);
        expect(await revisions({ fromRevision: 4 })).toEqual([4, 5]);
        expect(await revisions({ limit: 3 })).toEqual([0, 1, 2]);
        expect(await revisions({ fromRevision: 6 })).toEqual([]);
        expect((await store.readStream(streamId, { fromRevision: 1, limit: 1 }))[0].eventId).toBe(events[1].eventId);
      });

      it('returns an empty array for a stream with no events', async () => {
        expect(await store.readStream(newStreamId())).toEqual([]);
      });

      it('round-trips the whole envelope through readStream, readAll and subscribeToAll', async () => {
        const streamId = newStreamId();
        const before = await store.headPosition();
        const data = {
          title: 'ہفتہ وار پریس بریفنگ — weekly briefing',
          speaker: 'Mumtaz Zahra Baloch',
          symbols: '🕊️ “quoted” \\ back\nslash\ttab',
          nested: { topics: ['ttp', 'afghanistan'], counts: { questions: 12, answers: 11 }, open: false, none: null },
          ratio: 0.25,
          empty: {},
        };
        const metadata = {
          correlationId: randomUUID(),
          causationId: randomUUID(),
          actor: 'mumtaz-zahra-baloch',
          schemaVersion: 2,
          previousHash: 'a'.repeat(64),
        };
        const first = newTestEvent({ type: 'StatementRecorded', data, metadata, recordedAt: '2024-03-14T10:15:30.123Z' });
        const second = newTestEvent({ type: 'TopicsListed', data: ['ttp', 1, { deep: [[]] }] });
        const result = await append(streamId, [first, second], 'no_stream');

        const stored = await store.readStream(streamId);
        expect(stored[0]).toEqual({
          eventId: first.eventId,
          type: 'StatementRecorded',
          streamId,
          revision: 0,
          position: stored[0].position,
          recordedAt: '2024-03-14T10:15:30.123Z',
          data,
          metadata: { ...metadata, prevHash: GENESIS_HASH, hash: expectedHash(stored[0], GENESIS_HASH) },
        });
        expect(stored[1]).toEqual({
          eventId: second.eventId,
          type: 'TopicsListed',
          streamId,
          revision: 1,
          position: result.position,
          recordedAt: second.recordedAt,
          data: second.data,
          metadata: { ...second.metadata, prevHash: stored[0].metadata.hash, hash: expectedHash(stored[1], stored[0].metadata.hash as string) },
        });
        expect(stored[0].position).toBeGreaterThan(before);

        expect((await readAllPages(store, before, 100)).filter(inStreams(streamId))).toEqual(stored);
        const collector = collect(subscribe({ after: before }), inStreams(streamId));
        expect(await collector.until(2)).toEqual(stored);
      });
    });

    describe('hash chain', () => {
      it('chains every stream across appends of every kind of expected revision, streams interleaved', async () => {
        const [a, b] = [newStreamId(), newStreamId()];
        await append(a, newTestEvents(2), 'no_stream');
        await append(b, [newTestEvent({ data: { text: 'ہفتہ وار — “weekly”', topics: ['ttp'], nested: { z: 1, a: [null, 2] } } })], 'any');
        await append(a, [newTestEvent()], 1);
        await append(b, newTestEvents(2), 'stream_exists');
        await append(a, [newTestEvent({ data: undefined }), newTestEvent({ data: [3, 'x'] })], 'any');
        await append(a, [], 4);

        const [streamA, streamB] = [await store.readStream(a), await store.readStream(b)];
        expect(streamA.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
        expect(streamB.map((event) => event.revision)).toEqual([0, 1, 2]);
        expectChained(streamA);
        expectChained(streamB);
        expect(new Set([...streamA, ...streamB].map((event) => event.metadata.hash)).size).toBe(8);
      });

      it("replaces a caller's prevHash and hash and keeps the rest of its metadata", async () => {
        const streamId = newStreamId();
        const forged = newTestEvent({
          metadata: { ...newTestEvent().metadata, prevHash: 'a'.repeat(64), hash: 'b'.repeat(64), source: 'kept' },
        });
        await append(streamId, [newTestEvent()], 'no_stream');
        await append(streamId, [forged], 0);
        const [first, second] = await store.readStream(streamId);
        expect(second.metadata).toEqual({
          ...forged.metadata,
          prevHash: first.metadata.hash,
          hash: expectedHash(second, first.metadata.hash as string),
        });
      });

      it('keeps one chain per stream when many writers append with any at once', async () => {
        const streamId = newStreamId();
        await Promise.all(Array.from({ length: 8 }, () => append(streamId, newTestEvents(2), 'any')));
        const stream = await store.readStream(streamId);
        expect(stream.map((event) => event.revision)).toEqual(Array.from({ length: 16 }, (_, revision) => revision));
        expectChained(stream);
      });

      it('verifyChains over readAll pages finds every chain intact', async () => {
        const streamIds = [newStreamId(), newStreamId(), newStreamId()];
        const before = await store.headPosition();
        for (let i = 0; i < 9; i++) await append(streamIds[i % 3], newTestEvents(1 + (i % 2)), 'any');
        // Pages of 4 so that streams and appends straddle page boundaries.
        const events = (await readAllPages(store, before, 4)).filter(inStreams(...streamIds));
        expect(await verifyChains(events)).toEqual({ ok: true, streams: 3, events: 13, firstMismatch: null });
      });
    });

    describe('readAll and headPosition', () => {
      it('pages through the log after a position: every event once, in commit order across streams', async () => {
        const streamIds = [newStreamId(), newStreamId(), newStreamId()];
        const before = await store.headPosition();
        const appended: string[] = [];
        for (let i = 0; i < 15; i++) {
          const event = newTestEvent();
          await append(streamIds[i % 3], [event], 'any');
          appended.push(event.eventId);
        }
        const paged = await readAllPages(store, before, 4);
        expectIncreasing(paged.map((event) => event.position));
        expect(paged.every((event) => event.position > before)).toBe(true);
        expect(paged.filter(inStreams(...streamIds)).map((event) => event.eventId)).toEqual(appended);
      });

      it('pages through the whole log from 0 without gaps or repeats', async () => {
        const streamId = newStreamId();
        const events = newTestEvents(5);
        await append(streamId, events, 'no_stream');
        const head = await store.headPosition();
        const all = await readAllPages(store, 0, 97);
        expectIncreasing(all.map((event) => event.position));
        expect(new Set(all.map((event) => event.eventId)).size).toBe(all.length);
        expect(all.filter(inStreams(streamId)).map((event) => event.eventId)).toEqual(
          events.map((event) => event.eventId),
        );
        expect(all[all.length - 1].position).toBeLessThanOrEqual(head);
      });

      it('headPosition reaches the position of the last append', async () => {
        const streamId = newStreamId();
        const before = await store.headPosition();
        const result = await append(streamId, newTestEvents(2), 'no_stream');
        expect(result.position).toBeGreaterThan(before);
        const head = await store.headPosition();
        expect(head).toBeGreaterThanOrEqual(result.position);
        expect((await store.readAll({ after: head })).filter(inStreams(streamId))).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it('from 0 catches up with the log, then delivers live appends', async () => {
        const streamId = newStreamId();
        await append(streamId, newTestEvents(3), 'no_stream');
        const collector = collect(subscribe({ after: 0 }), inStreams(streamId));
        expect((await collector.until(3)).map((event) => event.revision)).toEqual([0, 1, 2]);

        await append(streamId, [newTestEvent()], 2);
        await append(streamId, [newTestEvent()], 3);
        const delivered = await collector.until(5);
        expect(delivered.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
        expect(delivered).toEqual(await store.readStream(streamId));
        expectIncreasing(collector.positions);
      });

      it('from a middle position delivers only the later events', async () => {
        const streamId = newStreamId();
        const results: AppendResult[] = [];
        for (let revision = 0; revision < 5; revision++) {
          results.push(await append(streamId, [newTestEvent()], revision === 0 ? 'no_stream' : revision - 1));
        }
        const after = results[2].position;
        const collector = collect(subscribe({ after }), inStreams(streamId));
        expect((await collector.until(2)).map((event) => event.revision)).toEqual([3, 4]);
        await append(streamId, [newTestEvent()], 4);
        expect((await collector.until(3)).map((event) => event.revision)).toEqual([3, 4, 5]);
        expect(collector.positions.every((position) => position > after)).toBe(true);
      });

      it('hands over from catch-up to live with no gap and no duplicate while appends go on', async () => {
        const streamIds = [newStreamId(), newStreamId(), newStreamId(), newStreamId(), newStreamId()];
        const before = await store.headPosition();
        for (let i = 0; i < 50; i++) {
          await append(streamIds[i % streamIds.length], newTestEvents(10), 'any');
        }
        const collector = collect(subscribe({ after: before, batchSize: 50 }), inStreams(...streamIds));
        const writer = (async () => {
          for (let i = 0; i < 200; i++) {
            await append(streamIds[i % streamIds.length], [newTestEvent()], 'any');
          }
        })();
        const delivered = await collector.until(700);
        await writer;

        const logged = (await readAllPages(store, before, 1000)).filter(inStreams(...streamIds));
        expect(logged).toHaveLength(700);
        expect(delivered.map((event) => event.position)).toEqual(logged.map((event) => event.position));
        expect(delivered.map((event) => event.eventId)).toEqual(logged.map((event) => event.eventId));
        expectIncreasing(collector.positions);
      });

      it('close() ends an iteration that is waiting for new events', async () => {
        const streamId = newStreamId();
        const before = await store.headPosition();
        await append(streamId, [newTestEvent()], 'no_stream');
        const subscription = subscribe({ after: before });
        const collector = collect(subscription, inStreams(streamId));
        await collector.until(1);
        await subscription.close();
        // Hangs until Jest's timeout if close() does not end the iteration.
        await collector.ended;
        await append(streamId, [newTestEvent()], 0);
        expect(collector.events.map((event) => event.revision)).toEqual([0]);
      });

      it('a subscription closed before it is iterated delivers nothing', async () => {
        await append(newStreamId(), [newTestEvent()], 'no_stream');
        const subscription = subscribe({ after: 0 });
        await subscription.close();
        const delivered: StoredEvent[] = [];
        for await (const event of subscription) delivered.push(event);
        expect(delivered).toEqual([]);
      });
    });

    describe('concurrent appends', () => {
      it('to one stream with the same expected revision: exactly one wins', async () => {
        const streamId = newStreamId();
        await append(streamId, [newTestEvent()], 'no_stream');
        const contenders = newTestEvents(10);
        const outcomes = await Promise.allSettled(contenders.map((event) => append(streamId, [event], 0)));

        const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
        expect(winners).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') {
            expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
            expect(outcome.reason).toMatchObject({ streamId, expected: 0, actual: 1 });
          }
        }
        const stored = await store.readStream(streamId);
        expect(stored.map((event) => event.eventId)).toEqual([stored[0].eventId, contenders[winners[0]].eventId]);
      });

      it("to a new stream with 'no_stream': exactly one creates it", async () => {
        const streamId = newStreamId();
        const outcomes = await Promise.allSettled(
          newTestEvents(10).map((event) => append(streamId, [event], 'no_stream')),
        );
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ expected: 'no_stream', actual: 0 });
        }
        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it('to many streams: all land, each with its own position', async () => {
        const streamIds = Array.from({ length: 50 }, () => newStreamId());
        const results = await Promise.all(streamIds.map((streamId) => append(streamId, newTestEvents(2), 'no_stream')));
        expect(results.every((result) => result.revision === 1)).toBe(true);

        const streams = await Promise.all(streamIds.map((streamId) => store.readStream(streamId)));
        const positions = streams.flat().map((event) => event.position);
        expect(positions).toHaveLength(100);
        expect(new Set(positions).size).toBe(100);
        streams.forEach((stored, index) => {
          expect(stored.map((event) => event.revision)).toEqual([0, 1]);
          expect(results[index].position).toBe(stored[1].position);
        });
      });
    });
  });
}
