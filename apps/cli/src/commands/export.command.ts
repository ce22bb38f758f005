import type { ArchiveConfig } from '@archive/application';
import { once } from 'node:events';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { storedLog, withArchive } from '../archive-context.js';
import { CliError } from '../cli-error.js';
import { createProgress } from '../progress.js';

const PAGE = 1000;

/**
 * `export [--out file]`: the whole log as stored (no upcasting), one envelope per line in
 * position order, up to the head as it was when the export began. To a file it writes
 * `<file>.partial` first and renames it when complete, so a failed export leaves no truncated file.
 */
export async function exportLog(config: ArchiveConfig, out: string | undefined): Promise<void> {
  const partial = out && `${out}.partial`;
  let file: FileHandle | undefined;
  if (partial) {
    try {
      file = await open(partial, 'w');
    } catch (error) {
      throw new CliError(`cannot write ${partial}: ${(error as Error).message}`);
    }
  }
  const opened = file;
  const write = opened ? (chunk: string) => opened.write(chunk).then(() => undefined) : toStdout;
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
        await file.close();
        file = undefined;
        await rename(partial!, out!);
      }
      progress.stop(`${events} events${out ? ` to ${out}` : ''}`);
    });
  } catch (error) {
    if (partial) {
      await file?.close();
      await rm(partial, { force: true });
    }
    throw error;
  }
}

/** Writes to standard output, waiting for it to drain when its buffer is full. */
async function toStdout(chunk: string): Promise<void> {
  if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
}
