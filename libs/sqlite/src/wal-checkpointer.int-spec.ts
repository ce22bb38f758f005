import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointInWorker, WalCheckpointer, type CheckpointResult } from './wal-checkpointer.js';

describe('WalCheckpointer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const openWal = (filename: string) => {
    const db = new Database(filename);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    return db;
  };

  it('copies what the store commits into the database from its own thread, the store never checkpointing', async () => {
    const filename = join(dir, 'store.db');
    const db = openWal(filename);
    const reports: CheckpointResult[] = [];
    let copiedAll: () => void = () => undefined;
    const allCopied = new Promise<void>((resolve) => (copiedAll = resolve));
    const checkpointer = new WalCheckpointer({
      filename,
      synchronous: 'FULL',
      intervalMs: 10,
      onFailure: (error) => {
        throw error;
      },
      onCheckpoint: (result) => {
        reports.push(result);
        if (result.log > 0 && result.checkpointed === result.log) copiedAll();
      },
    });
    db.pragma('wal_autocheckpoint = 0');
    const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(2000));
    })();
    await allCopied;
    expect(reports.at(-1)!.checkpointed).toBeGreaterThan(1000);
    await checkpointer.close();

    // Everything is in the database file itself: a copy of it alone, without the WAL, has every row.
    const copy = join(dir, 'copy.db');
    db.prepare('VACUUM INTO ?').run(copy);
    db.close();
    const reopened = new Database(copy, { readonly: true });
    expect(reopened.prepare('SELECT COUNT(*) AS n FROM rows').get()).toEqual({ n: 2000 });
    reopened.close();
  });

  it('takes the checkpoints of a WAL database off its connection, and gives them back when the worker fails', async () => {
    const filename = join(dir, 'store.db');
    const db = openWal(filename);
    const checkpointer = checkpointInWorker(db, filename, 'NORMAL');
    expect(checkpointer).toBeInstanceOf(WalCheckpointer);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await checkpointer!.close();
    db.close();
    // The last connection to close checkpointed the rest and removed the WAL.
    expect(existsSync(`${filename}-wal`)).toBe(false);

    const failures: Error[] = [];
    const failed = new Promise<void>((resolve) => {
      new WalCheckpointer({
        filename: join(dir, 'missing.db'),
        synchronous: 'NORMAL',
        onFailure: (error) => {
          failures.push(error);
          resolve();
        },
      });
    });
    await failed;
    expect(failures[0]!.message).toMatch(/the checkpoint worker failed: SQLITE_CANTOPEN/);

    // A worker that cannot open its file fails at once: the store's connection checkpoints again.
    const store = openWal(join(dir, 'other.db'));
    checkpointInWorker(store, join(dir, 'missing.db'), 'NORMAL');
    expect(store.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const deadline = Date.now() + 10_000;
    while (store.pragma('wal_autocheckpoint', { simple: true }) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(store.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    store.close();
  });

  it('leaves a database that is not in WAL mode alone', () => {
    const db = new Database(':memory:');
    expect(checkpointInWorker(db, ':memory:', 'NORMAL')).toBeUndefined();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });
});
