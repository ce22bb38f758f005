import type { EventStore } from '@archive/event-store';
import { ArchiveGenerator, type ArchiveCatalog, type ArchiveOptions } from './archive.generator.js';

export interface SeededArchive {
  readonly catalog: ArchiveCatalog;
  /** Global position of the last event written. */
  readonly head: number;
  readonly seconds: number;
}

/**
 * Writes a generated archive through the event-store port: one `appendToStream` per command, as
 * the service would (a whole briefing per import, one append per correction), each checked
 * against the revision the generator expects.
 */
export async function seedArchive(
  store: EventStore,
  options: ArchiveOptions,
  onProgress?: (events: number) => void,
): Promise<SeededArchive> {
  const started = performance.now();
  const generator = new ArchiveGenerator(options);
  let head = 0;
  let written = 0;
  let reported = 0;
  for (const append of generator.appends()) {
    head = (await store.appendToStream(append.streamId, append.events, append.expected)).position;
    written += append.events.length;
    if (onProgress && written - reported >= 100_000) {
      reported = written;
      onProgress(written);
    }
  }
  return { catalog: generator.catalog, head, seconds: (performance.now() - started) / 1000 };
}
