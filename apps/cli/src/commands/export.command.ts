import type { ArchiveConfig } from '@archive/application';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { storedLog, withArchive } from '../archive-context.js';
import { createProgress } from '../progress.js';

const PAGE = 1000;

/**
 * `export [--out file]`: the whole log as stored (no upcasting), one envelope per line in
 * position order, up to the head as it was when the export began. To a file it writes
 * `<file>.partial` first and renames it when complete, so a failed export leaves no truncated file.
 */
export async function exportLog(config: ArchiveConfig, out: string | undefined): Promise<void> {
  const target = out ? createWriteStream(`${out}.partial`) : process.stdout;
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
        await write(target, page.map((event) => `${JSON.stringify(event)}\n`).join(''));
        events += page.length;
        after = page.at(-1)!.position;
        progress.update(after);
      }
      progress.stop(`${events} events${out ? ` to ${out}` : ''}`);
    });
    if (out) {
      const file = target as ReturnType<typeof createWriteStream>;
      file.end();
      await once(file, 'close');
      await rename(`${out}.partial`, out);
    }
  } catch (error) {
    if (out) {
      (target as ReturnType<typeof createWriteStream>).destroy();
      await rm(`${out}.partial`, { force: true });
    }
    throw error;
  }
}

/** Writes, waiting for the stream to drain when its buffer is full. */
async function write(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}
