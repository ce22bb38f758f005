import type { ArchiveConfig } from '@archive/application';
import { once } from 'node:events';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { requireExistingLog, storedLog, withArchive } from '../archive-context.js';
import { CliError } from '../cli-error.js';
import { createProgress } from '../progress.js';

const PAGE = 1000;

/**
 * `export [--out file]`: the whole log as stored (no upcasting), one envelope per line in
 * position order, up to the head as it was when the export began. To a file it writes
 * `<file>.partial` first and renames it when complete, so a failed export leaves no truncated file.
 */
export async function exportLog(config: ArchiveConfig, out: string | undefined): Promise<void> {
  requireExistingLog(config);
  const partial = `${out}.partial`;
  const file = out === undefined ? undefined : await openPartial(partial);
  const write = file ? (chunk: string) => file.write(chunk).then(() => undefined) : toStdout;
  let closed = false;
  try {
    await withArchive(config, async (app) => {
      const log = storedLog(app);
      const head = await log.headPosition();
      const progress = createProgress({ label: 'export', total: head, unit: 'positions' });
      let after = 0;
      let events = 0;
      while (after < head) {
        const page = (await log.readAll({ after, limit: PAGE })).filter((event) => event.position <= head);
        if (page.length === 0) break;
        await write(page.map((event) => `${JSON.stringify(event)}\n`).join(''));
        events += page.length;
        after = page.at(-1)!.position;
        progress.update(after);
      }
      if (file) {
        closed = true;
        await file.close();
        await rename(partial, out!);
      }
      progress.stop(`${events} events${out ? ` to ${out}` : ''}`);
    });
  } catch (error) {
    if (file) {
      if (!closed) await file.close();
      await rm(partial, { force: true });
    }
    throw error;
  }
}

async function openPartial(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'w');
  } catch (error) {
    throw new CliError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/** Writes to standard output, waiting for it to drain when its buffer is full. */
async function toStdout(chunk: string): Promise<void> {
  if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
}
