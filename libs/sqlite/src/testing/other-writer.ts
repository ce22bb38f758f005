import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Another process writing to the file as a projector does: a write transaction held for
 * `holdMs` (a row of the cycle's number into the file's table `other`), committed, and the next
 * begun `gapMs` later, `cycles` times. It says `locked` on its first lock.
 */
export function otherWriter(filename: string, { holdMs, gapMs, cycles }: { holdMs: number; gapMs: number; cycles: number }): { locked: Promise<void>; child: ChildProcess } {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.pragma('journal_mode = WAL');
    const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    for (let i = 0; i < ${cycles}; i++) {
      db.exec('BEGIN IMMEDIATE');
      db.prepare('INSERT INTO other (n) VALUES (?)').run(i);
      if (i === 0) process.stdout.write('locked\\n');
      sleep(${holdMs});
      db.exec('COMMIT');
      sleep(${gapMs});
    }`;
  const child = spawn(process.execPath, ['-e', script, filename], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`the other writer exited (${code}) before it took the lock`)));
  });
  return { locked, child };
}
