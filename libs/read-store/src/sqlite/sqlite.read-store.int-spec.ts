import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
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

  it('works in memory on one connection', async () => {
    const store = open(':memory:');
    await store.run('CREATE TABLE t (id TEXT PRIMARY KEY)');
    await store.transaction((tx) => tx.run('INSERT INTO t (id) VALUES ($1)', ['a']));
    expect(await store.get('SELECT id FROM t WHERE id = $1', ['a'])).toEqual({ id: 'a' });
  });
});
