import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { DuplicateEventError, StoreUnavailableError, WrongExpectedRevisionError } from '../errors.js';
import { verifyChains } from '../hash-chain.js';
import { eventStoreContract, newTestEvent, tamperEvidenceSuite } from '../testing/index.js';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite.event-store.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'event-store-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const newFile = (): string => join(dir, `${randomUUID()}.sqlite`);

eventStoreContract('sqlite', async () => {
  const store = new SqliteEventStore({ filename: newFile() });
  return { store, dispose: () => store.close() };
});

/** Tampering through a second connection to the file, as anyone with write access to it could. */
tamperEvidenceSuite('sqlite', async () => {
  const filename = newFile();
  const store = new SqliteEventStore({ filename });
  const file = new Database(filename);
  return {
    store,
    editData: async (streamId, revision, data) => {
      file.prepare('UPDATE events SET data = ? WHERE stream_id = ? AND revision = ?').run(JSON.stringify(data), streamId, revision);
    },
    editMetadata: async (streamId, revision, metadata) => {
      file.prepare('UPDATE events SET metadata = ? WHERE stream_id = ? AND revision = ?').run(JSON.stringify(metadata), streamId, revision);
    },
    deleteEvent: async (streamId, revision) => {
      file.prepare('DELETE FROM events WHERE stream_id = ? AND revision = ?').run(streamId, revision);
    },
    swapRevisions: async (streamId, revisionA, revisionB) => {
      // Through a revision no event has, as UNIQUE (stream_id, revision) holds at each statement.
      const move = file.prepare('UPDATE events SET revision = ? WHERE stream_id = ? AND revision = ?');
      file.transaction(() => {
        move.run(-1, streamId, revisionA);
        move.run(revisionA, streamId, revisionB);
        move.run(revisionB, streamId, -1);
      })();
    },
    dispose: async () => {
      file.close();
      await store.close();
    },
  };
});

describe('SqliteEventStore', () => {
  const opened: SqliteEventStore[] = [];
  const open = (options: SqliteEventStoreOptions): SqliteEventStore => {
    const store = new SqliteEventStore(options);
    opened.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('numbers a fresh log from position 1 and reports 0 while it is empty', async () => {
    const store = open({ filename: newFile() });
    expect(await store.headPosition()).toBe(0);
    expect(await store.readAll()).toEqual([]);
    expect(await store.appendToStream('s-1', [newTestEvent(), newTestEvent()], 'no_stream')).toEqual({
      revision: 1,
      position: 2,
    });
    expect(await store.headPosition()).toBe(2);
  });

  it('keeps its events across close and reopen, and goes on numbering after them', async () => {
    const filename = newFile();
    const first = new SqliteEventStore({ filename });
    const written = await first.appendToStream('s-1', [newTestEvent(), newTestEvent()], 'no_stream');
    const before = await first.readStream('s-1');
    await first.close();

    const reopened = open({ filename });
    expect(await reopened.readStream('s-1')).toEqual(before);
    expect(await reopened.headPosition()).toBe(written.position);
    const next = await reopened.appendToStream('s-1', [newTestEvent()], 1);
    expect(next.revision).toBe(2);
    expect(next.position).toBeGreaterThan(written.position);
  });

  it('runs in WAL mode with synchronous=FULL, so an acknowledged append is on disk', async () => {
    const filename = newFile();
    const store = open({ filename, busyTimeoutMs: 1234 });
    expect(store.pragmas()).toEqual({ journalMode: 'wal', synchronous: 2, busyTimeoutMs: 1234 });
    // WAL is a property of the file: a plain connection sees it too.
    const raw = new Database(filename, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('works in memory', async () => {
    const store = open({ filename: ':memory:' });
    await store.appendToStream('s-1', [newTestEvent()], 'no_stream');
    expect(await store.readStream('s-1')).toHaveLength(1);
  });

  it('wakes a waiting subscription as soon as this instance commits, without waiting for a poll', async () => {
    const store = open({ filename: newFile(), pollIntervalMs: 3_600_000 });
    const next = store.subscribeToAll()[Symbol.asyncIterator]().next();
    const event = newTestEvent();
    await store.appendToStream('s-1', [event], 'no_stream');
    // With an hour-long poll only the in-process notifier can deliver this in time.
    expect((await next).value).toMatchObject({ eventId: event.eventId, position: 1 });
  });

  it("sees another instance's appends to the same file through its subscription", async () => {
    const filename = newFile();
    const writer = open({ filename });
    const reader = open({ filename, pollIntervalMs: 20 });
    const iterator = reader.subscribeToAll()[Symbol.asyncIterator]();
    // The reader is already waiting when the writer appends; only its poll can notice.
    const next = iterator.next();
    const event = newTestEvent();
    await writer.appendToStream('s-1', [event], 'no_stream');
    const delivered = await next;
    expect(delivered.done).toBe(false);
    expect(delivered.value).toMatchObject({ eventId: event.eventId, streamId: 's-1', revision: 0 });
  });

  it('checks the expected revision against appends made by another instance', async () => {
    const filename = newFile();
    const a = open({ filename });
    const b = open({ filename });
    await a.appendToStream('s-1', [newTestEvent()], 'no_stream');
    const error = await b.appendToStream('s-1', [newTestEvent()], 'no_stream').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ actual: 0 });
  });

  it("links to, and checks against, a head another instance wrote after this one's last append", async () => {
    const filename = newFile();
    const a = open({ filename });
    const b = open({ filename });
    await a.appendToStream('s-1', [newTestEvent()], 'no_stream');
    await b.appendToStream('s-1', [newTestEvent(), newTestEvent()], 0);
    const error = await a.appendToStream('s-1', [newTestEvent()], 0).catch((e: unknown) => e);
    expect(error).toMatchObject({ actual: 2 });
    expect(await a.appendToStream('s-1', [newTestEvent()], 2)).toMatchObject({ revision: 3 });
    expect(await b.appendToStream('s-1', [newTestEvent()], 3)).toMatchObject({ revision: 4 });
    expect(await verifyChains(await a.readStream('s-1'))).toMatchObject({ ok: true, events: 5 });
  });

  it("reads what follows its own last append to a stream, another instance's appends included", async () => {
    const filename = newFile();
    const a = open({ filename });
    const b = open({ filename });
    await a.appendToStream('s-1', [newTestEvent(), newTestEvent()], 'no_stream');
    // Nothing after the head this instance wrote: answered from that head.
    expect(await a.readStream('s-1', { fromRevision: 2 })).toEqual([]);
    const written = await b.appendToStream('s-1', [newTestEvent()], 1);
    const after = await a.readStream('s-1', { fromRevision: 2 });
    expect(after.map((event) => [event.revision, event.position])).toEqual([[2, written.position]]);
    expect(await a.readStream('s-1', { fromRevision: 3 })).toEqual([]);
  });

  it("stores each event's metadata as the JSON of the caller's metadata with prevHash and hash", async () => {
    const filename = newFile();
    const store = open({ filename });
    const base = newTestEvent().metadata;
    const kinds = [
      base,
      { ...base, prevHash: 'f'.repeat(64), note: 'after the supplied prevHash' },
      { hash: 'e'.repeat(64), ...base },
      { ...base, 1: 'an index key', 'quote "and" \\ back': '\u0000 ہفتہ' },
      {} as typeof base,
    ];
    await store.appendToStream('s-1', kinds.map((metadata) => newTestEvent({ metadata })), 'no_stream');
    const file = new Database(filename, { readonly: true });
    try {
      const rows = file.prepare<[], { metadata: string }>("SELECT metadata FROM events WHERE stream_id = 's-1' ORDER BY revision").all();
      const stored = await store.readStream('s-1');
      expect(rows.map((row) => row.metadata)).toEqual(
        kinds.map((metadata, index) =>
          JSON.stringify({ ...metadata, prevHash: stored[index]!.metadata.prevHash, hash: stored[index]!.metadata.hash }),
        ),
      );
    } finally {
      file.close();
    }
  });

  it('answers a lone re-send that names the right revision, and goes on from the right head', async () => {
    const store = open({ filename: newFile() });
    const [a, b] = [newTestEvent(), newTestEvent()];
    const first = await store.appendToStream('s-1', [a, b], 'no_stream');
    // 'any' and 0 match nothing here, so only the UNIQUE constraint on event_id notices the re-send.
    expect(await store.appendToStream('s-1', [a, b], 'any')).toEqual({ ...first, resent: true });
    await expect(store.appendToStream('s-1', [b, newTestEvent()], 1)).rejects.toBeInstanceOf(DuplicateEventError);
    expect(await store.appendToStream('s-1', [newTestEvent()], 1)).toMatchObject({ revision: 2 });
    const stream = await store.readStream('s-1');
    expect(stream.map((event) => event.revision)).toEqual([0, 1, 2]);
    expect(await verifyChains(stream)).toMatchObject({ ok: true, events: 3 });
  });

  it('refuses only the append whose data JSON cannot hold; its neighbours in the group commit', async () => {
    const store = open({ filename: newFile() });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const settled = await Promise.allSettled([
      store.appendToStream('s-a', [newTestEvent()], 'no_stream'),
      store.appendToStream('s-b', [newTestEvent(), newTestEvent({ data: cyclic })], 'no_stream'),
      store.appendToStream('s-c', [newTestEvent()], 'no_stream'),
    ]);
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
    expect(await store.readStream('s-b')).toEqual([]);
    await expect(store.appendToStream('s-b', [newTestEvent({ data: { big: 1n } })], 'no_stream')).rejects.toBeInstanceOf(TypeError);
    expect((await store.readAll()).map((event) => event.streamId)).toEqual(['s-a', 's-c']);
  });

  it('close() ends a waiting iteration at once, without waiting for the next poll', async () => {
    const store = open({ filename: newFile(), pollIntervalMs: 3_600_000 });
    const subscription = store.subscribeToAll();
    const next = subscription[Symbol.asyncIterator]().next();
    await subscription.close();
    // With an hour-long poll this resolves only if close() wakes the waiting iteration.
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('closing the store ends its subscriptions', async () => {
    const store = new SqliteEventStore({ filename: newFile(), pollIntervalMs: 3_600_000 });
    const next = store.subscribeToAll()[Symbol.asyncIterator]().next();
    await store.close();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('refuses every call once closed with StoreUnavailableError', async () => {
    const store = new SqliteEventStore({ filename: newFile() });
    await store.close();
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.appendToStream('s-1', [newTestEvent()], 'any')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(() => store.subscribeToAll()).toThrow(StoreUnavailableError);
  });

  it('reports a file it cannot open as StoreUnavailableError', () => {
    expect(() => new SqliteEventStore({ filename: join(dir, 'missing', 'dir', 'events.sqlite') })).toThrow(
      StoreUnavailableError,
    );
  });

  it('commits the appends asked for together in one transaction, each with its own check and answer', async () => {
    const commits: { appends: number; events: number }[] = [];
    const store = open({ filename: newFile(), onCommit: ({ appends, events }) => commits.push({ appends, events }) });
    await store.appendToStream('s-a', [newTestEvent()], 'no_stream');
    commits.length = 0;
    const replay = newTestEvent();
    const asked = [
      store.appendToStream('s-a', [newTestEvent(), newTestEvent()], 0),
      store.appendToStream('s-a', [newTestEvent()], 0), // the first of the group took revision 0 → 2
      store.appendToStream('s-b', [replay], 'no_stream'),
      store.appendToStream('s-b', [replay], 'no_stream'), // a re-send within the group: the first's answer
      store.appendToStream('s-c', [newTestEvent()], 'stream_exists'),
      store.appendToStream('s-d', [newTestEvent()], 'any'),
    ];
    const settled = await Promise.allSettled(asked);
    expect(commits).toEqual([{ appends: 6, events: 4 }]);
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((settled[4] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    const answers = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(answers[2]).toEqual({ ...answers[1], resent: true });
    expect(answers.map((answer) => answer.position)).toEqual([3, 4, 4, 5]);
    expect((await store.readStream('s-a')).map((event) => event.revision)).toEqual([0, 1, 2]);
    expect(await store.readStream('s-c')).toEqual([]);
  });

  it('fails every append of a group when the commit itself fails, and writes none of them', async () => {
    const filename = newFile();
    const store = open({ filename, busyTimeoutMs: 0 });
    const other = new Database(filename);
    other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    const settled = await Promise.allSettled([
      store.appendToStream('s-a', [newTestEvent()], 'any'),
      store.appendToStream('s-b', [newTestEvent()], 'any'),
    ]);
    other.exec('ROLLBACK');
    other.close();
    expect(settled.map((outcome) => outcome.status === 'rejected' && outcome.reason instanceof StoreUnavailableError)).toEqual([true, true]);
    expect(await store.headPosition()).toBe(0);
    // Nothing of the failed group is taken for written: the streams still start from nothing.
    await store.appendToStream('s-a', [newTestEvent()], 'no_stream');
    expect(await verifyChains(await store.readAll())).toMatchObject({ ok: true, events: 1 });
  });

  it('refuses an append that carries the same event id twice, and writes nothing', async () => {
    const store = open({ filename: newFile() });
    const event = newTestEvent();
    const error = await store.appendToStream('s-1', [event, newTestEvent(), event], 'any').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateEventError);
    expect(error).toMatchObject({ eventId: event.eventId });
    expect(await store.headPosition()).toBe(0);
  });

  it('reads pages of the configured size by default and caps larger requests at 10 000', async () => {
    const store = open({ filename: newFile(), pageSize: 3 });
    const events = Array.from({ length: 10_005 }, () => newTestEvent());
    expect((await store.appendToStream('big', events, 'no_stream')).revision).toBe(10_004);
    expect(await store.readAll()).toHaveLength(3);
    expect(await store.readAll({ limit: 50_000 })).toHaveLength(10_000);
    expect(await store.readAll({ limit: 0 })).toEqual([]);
    expect(await store.readStream('big')).toHaveLength(10_005);
  });

  it('rejects nonsense positions, limits and revisions with RangeError', async () => {
    const store = open({ filename: newFile() });
    await expect(store.readAll({ after: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(store.readStream('s-1', { limit: 1.5 })).rejects.toBeInstanceOf(RangeError);
    await expect(store.appendToStream('s-1', [newTestEvent()], -2)).rejects.toBeInstanceOf(RangeError);
    expect(() => store.subscribeToAll({ batchSize: 0 })).toThrow(RangeError);
    expect(() => new SqliteEventStore({ filename: ':memory:', pollIntervalMs: 0 })).toThrow(RangeError);
  });
});
