import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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
  const count = (db: Database.Database) => (db.prepare('SELECT COUNT(*) AS n FROM rows').get() as { n: number }).n;

  it('copies what the store commits into the database from its own thread, the store never checkpointing', async () => {
    const filename = join(dir, 'store.db');
    const db = openWal(filename);
    let copiedAll: () => void = () => undefined;
    const allCopied = new Promise<void>((resolve) => (copiedAll = resolve));
    const checkpointer = new WalCheckpointer({
      db,
      filename,
      synchronous: 'FULL',
      intervalMs: 10,
      onCheckpoint: (result) => {
        if (result.log > 0 && result.checkpointed === result.log) copiedAll();
      },
    });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(2000));
    })();
    await allCopied;
    await checkpointer.close();

    // Everything is in the database file itself: a copy of that file alone has every row.
    const copy = join(dir, 'copy.db');
    db.prepare('VACUUM INTO ?').run(copy);
    db.close();
    // The last connection to close checkpointed the rest and removed the WAL.
    expect(existsSync(`${filename}-wal`)).toBe(false);
    const reopened = new Database(copy, { readonly: true });
    expect(count(reopened)).toBe(2000);
    reopened.close();
  });

  it('starts the WAL over under a writer that never pauses, which the worker alone never catches up with', async () => {
    const filename = join(dir, 'store.db');
    const db = openWal(filename);
    const checkpointer = new WalCheckpointer({ db, filename, synchronous: 'NORMAL', intervalMs: 5, restartFrames: 200 });
    const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
    const batch = db.transaction(() => {
      for (let i = 0; i < 50; i++) insert.run('x'.repeat(2000));
    });
    // Transactions back to back with a turn of the event loop between them, as a rebuild runs,
    // until the WAL has started over a few times: the file shrinks only when it does.
    let restarts = 0;
    let size = 0;
    let waits = 0;
    const deadline = Date.now() + 20_000;
    try {
      while (restarts < 3 && Date.now() < deadline) {
        const copying = checkpointer.beforeWrite();
        if (copying) {
          waits++;
          await copying;
        }
        batch();
        const now = statSync(`${filename}-wal`).size;
        if (now < size) restarts++;
        size = now;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(restarts).toBe(3);
      // Each restart came after the store waited for the worker once, not on every write.
      expect(waits).toBeGreaterThanOrEqual(3);
      expect(waits).toBeLessThan(20);
    } finally {
      await checkpointer.close();
      db.close();
    }
  });

  it('does not make writes wait for drains while a reader holds back part of the WAL', async () => {
    const filename = join(dir, 'store.db');
    const db = openWal(filename);
    const reports: CheckpointResult[] = [];
    let heard: (() => void) | undefined;
    const checkpointer = new WalCheckpointer({
      db,
      filename,
      synchronous: 'NORMAL',
      intervalMs: 5,
      restartFrames: 100,
      onCheckpoint: (result) => {
        reports.push(result);
        heard?.();
      },
    });
    const nextReport = () => new Promise<void>((resolve) => (heard = resolve));
    const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
    const batch = db.transaction(() => {
      for (let i = 0; i < 50; i++) insert.run('x'.repeat(2000));
    });
    const reader = new Database(filename, { readonly: true });
    try {
      batch();
      // A reader in a transaction keeps its snapshot: the frames written after it cannot be copied.
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) AS n FROM rows').get();
      let waits = 0;
      for (let round = 0; round < 5; round++) {
        if (checkpointer.beforeWrite()) waits++;
        const reported = nextReport();
        batch();
        // The worker has looked at this write's frames; anything it said about earlier ones is heard.
        await reported;
      }
      const last = reports[reports.length - 1]!;
      expect(last.log).toBeGreaterThanOrEqual(100);
      expect(last.checkpointed).toBeLessThan(last.log);
      expect(waits).toBe(0);
      expect(checkpointer.beforeWrite()).toBeUndefined();

      // Once the reader lets go, the worker copies everything and the next write starts the WAL over.
      reader.exec('COMMIT');
      for (let round = 0; round < 10 && reports[reports.length - 1]!.log >= 100; round++) {
        // Each write changes the WAL's length (it grows, or starts over), so the worker reports it.
        const reported = nextReport();
        batch();
        await reported;
      }
      expect(reports[reports.length - 1]!.log).toBeLessThan(100);
    } finally {
      reader.close();
      await checkpointer.close();
      db.close();
    }
  });

  it('gives the checkpoints back to the store when the worker fails', async () => {
    const db = openWal(join(dir, 'store.db'));
    // A worker that cannot open its file fails at once.
    let failures = 0;
    let failed!: () => void;
    const told = new Promise<void>((resolve) => (failed = resolve));
    const checkpointer = new WalCheckpointer({
      db,
      filename: join(dir, 'missing.db'),
      synchronous: 'NORMAL',
      onFailure: () => {
        failures++;
        failed();
      },
    });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await told;
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(failures).toBe(1);
    await checkpointer.close();
    db.close();
  });

  it('serves every store of the process from one worker, stopped once the last store closes', async () => {
    const files = ['a.db', 'b.db'].map((name) => join(dir, name));
    const dbs = files.map(openWal);
    const copied = files.map(() => {
      let done!: () => void;
      const promise = new Promise<void>((resolve) => (done = resolve));
      return { done: () => done(), promise };
    });
    const checkpointers = dbs.map((db, index) => {
      return new WalCheckpointer({
        db,
        filename: files[index]!,
        synchronous: 'NORMAL',
        intervalMs: 10,
        onCheckpoint: (result) => {
          if (result.log > 0 && result.checkpointed === result.log) copied[index]!.done();
        },
      });
    });
    expect(checkpointers[0]!.threadId).toBe(checkpointers[1]!.threadId);
    for (const db of dbs) db.prepare('INSERT INTO rows (body) VALUES (?)').run('x'.repeat(5000));
    // Both stores' commits are copied by the one worker.
    await Promise.all(copied.map((entry) => entry.promise));
    const first = checkpointers[0]!.threadId;
    await checkpointers[0]!.close();
    // The other store still has its checkpoints.
    expect(dbs[1]!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await checkpointers[1]!.close();
    for (const db of dbs) db.close();

    const again = openWal(join(dir, 'c.db'));
    const next = new WalCheckpointer({ db: again, filename: join(dir, 'c.db'), synchronous: 'NORMAL' });
    expect(next.threadId).not.toBe(first);
    await next.close();
    again.close();
  });

  it('leaves a database that is not in WAL mode alone', () => {
    const db = new Database(':memory:');
    expect(checkpointInWorker(db, ':memory:', 'NORMAL')).toBeUndefined();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
    const file = join(dir, 'store.db');
    const wal = openWal(file);
    const checkpointer = checkpointInWorker(wal, file, 'NORMAL');
    expect(checkpointer).toBeInstanceOf(WalCheckpointer);
    return checkpointer!.close().then(() => wal.close());
  });
});
