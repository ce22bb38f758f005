import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { otherWriter } from '@archive/sqlite/testing';
import Database from 'better-sqlite3';
import { ReadStoreUnavailableError } from '../read-store.errors.js';
import { readStoreContract } from '../testing/index.js';
import { SqliteReadStore } from './sqlite.read-store.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-store-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const newFile = (): string => join(dir, `${randomUUID()}.sqlite`);

readStoreContract('sqlite', async () => {
  const store = new SqliteReadStore({ filename: newFile() });
  return { store, dispose: () => store.close() };
});

describe('SqliteReadStore', () => {
  const opened: SqliteReadStore[] = [];
  const open = (filename: string): SqliteReadStore => {
    const store = new SqliteReadStore({ filename });
    opened.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('runs both its connections in WAL mode with synchronous=NORMAL: read models can be rebuilt from the log', async () => {
    const filename = newFile();
    const store = open(filename);
    expect(store.pragmas()).toEqual({
      writer: { journalMode: 'wal', synchronous: 1 },
      reader: { journalMode: 'wal', synchronous: 1 },
    });
    // WAL is a property of the file: a plain connection sees it too.
    const raw = new Database(filename, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('keeps committed rows across close and reopen', async () => {
    const filename = newFile();
    const first = new SqliteReadStore({ filename });
    await first.run('CREATE TABLE kept (id TEXT PRIMARY KEY)');
    await first.transaction((tx) => tx.run('INSERT INTO kept (id) VALUES ($1)', ['a']));
    await first.close();

    const reopened = open(filename);
    expect(await reopened.all('SELECT id FROM kept')).toEqual([{ id: 'a' }]);
  });

  it('waits for a transaction in flight before it closes', async () => {
    const filename = newFile();
    const store = new SqliteReadStore({ filename });
    await store.run('CREATE TABLE kept (id TEXT PRIMARY KEY)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inFlight = store.transaction(async (tx) => {
      await tx.run('INSERT INTO kept (id) VALUES ($1)', ['late']);
      await gate;
    });
    const closed = store.close();
    release();
    await inFlight;
    await closed;

    expect(await open(filename).all('SELECT id FROM kept')).toEqual([{ id: 'late' }]);
  });

  describe('beside another process writing to the same file', () => {
    const children: ChildProcess[] = [];
    afterEach(() => {
      for (const child of children.splice(0)) child.kill();
    });

    const prepared = async (): Promise<{ filename: string; store: SqliteReadStore }> => {
      const filename = newFile();
      const store = open(filename);
      await store.run('CREATE TABLE other (n INTEGER)');
      await store.run('CREATE TABLE mine (id TEXT)');
      return { filename, store };
    };

    it('waits for its write lock without blocking the event loop', async () => {
      const { filename, store } = await prepared();
      const writer = otherWriter(filename, { holdMs: 600, gapMs: 0, cycles: 1 });
      children.push(writer.child);
      await writer.locked;

      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      try {
        await store.transaction((tx) => tx.run('INSERT INTO mine (id) VALUES ($1)', ['a']));
      } finally {
        clearInterval(ticker);
      }
      expect(ticks).toBeGreaterThan(20);
      expect(await store.all('SELECT id FROM mine')).toEqual([{ id: 'a' }]);
    });

    it('gets its write in at the first gaps between the batches of a process that commits batch after batch', async () => {
      const { filename, store } = await prepared();
      // Batches of 150 ms, 5 ms apart, for about 13 s: far longer than the store's 5 s of patience.
      const writer = otherWriter(filename, { holdMs: 150, gapMs: 5, cycles: 85 });
      children.push(writer.child);
      await writer.locked;

      // SQLite's own wait sleeps up to 100 ms between tries and mostly misses gaps this short.
      await store.transaction((tx) => tx.run('INSERT INTO mine (id) SELECT $1 || COUNT(*) FROM other', ['after batch ']));
      const [{ id }] = await store.all<{ id: string }>('SELECT id FROM mine');
      expect(Number(id.replace('after batch ', ''))).toBeLessThanOrEqual(3);
    });

    it('is unavailable, not failed, once another process has held the lock past lockTimeoutMs', async () => {
      const filename = newFile();
      const store = new SqliteReadStore({ filename, lockTimeoutMs: 200 });
      opened.push(store);
      await store.run('CREATE TABLE other (n INTEGER)');
      const writer = otherWriter(filename, { holdMs: 3000, gapMs: 0, cycles: 1 });
      children.push(writer.child);
      await writer.locked;

      await expect(store.run('CREATE TABLE mine (id TEXT)')).rejects.toBeInstanceOf(ReadStoreUnavailableError);
      // Nothing was left half done: the next write, once the lock is free, goes through.
      writer.child.kill();
      await new Promise((resolve) => writer.child.once('exit', resolve));
      await store.run('CREATE TABLE mine (id TEXT)');
      expect(await store.all('SELECT name FROM sqlite_master WHERE name = $1', ['mine'])).toEqual([{ name: 'mine' }]);
    });
  });

  it('works in memory on one connection', async () => {
    const store = open(':memory:');
    await store.run('CREATE TABLE t (id TEXT PRIMARY KEY)');
    await store.transaction((tx) => tx.run('INSERT INTO t (id) VALUES ($1)', ['a']));
    expect(await store.get('SELECT id FROM t WHERE id = $1', ['a'])).toEqual({ id: 'a' });
  });
});
