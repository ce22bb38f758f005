import { ProjectionsService, type ArchiveConfig } from '@archive/application';
import { BRIEFING_EVENT_TYPES, isBriefingEventType } from '@archive/domain';
import { verifyChains, WrongExpectedRevisionError, type EventMetadata, type EventStore, type NewEvent, type StoredEvent } from '@archive/event-store';
import { createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { storedLog, withArchive } from '../archive-context.js';
import { CliError } from '../cli-error.js';
import { createProgress } from '../progress.js';

/** At most this many events of one stream go into one append. */
const BATCH = 500;

interface Batch {
  readonly streamId: string;
  /** Revision of its first event. */
  readonly revision: number;
  /** Line number of its first event, for messages. */
  readonly line: number;
  readonly events: NewEvent[];
}

/**
 * `restore <file>`: an export written back into an empty store. Each event keeps its id, type,
 * data, metadata (schema version and hashes included), recorded-at time and stream revision;
 * global positions are the target store's to give, and equal the exported ones on a fresh SQLite
 * store. Runs of one stream are appended together with the revision before them as the
 * expected revision. The read models are not written: the projections build them from the
 * restored log, as after any rebuild.
 */
export async function restoreLog(config: ArchiveConfig, file: string, options: { unverified?: boolean } = {}): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new CliError(`${file}: no such file`);
  }
  // The whole file is checked before anything is written: a bad line anywhere leaves the store empty.
  const { events: total, brokenChain } = await checkFile(file);
  if (brokenChain) {
    // The store writes each event's hashes afresh: restored as it is, an edit would verify clean.
    if (!options.unverified) {
      throw new CliError(
        `${brokenChain}. An export edited after it was written fails so, as does one of an archive that did not verify or ` +
          'that holds events from before hash chains. Nothing was restored (--unverified restores it anyway)',
      );
    }
    process.stderr.write(`warning: ${brokenChain}; restored anyway (--unverified): the restored log's own hashes will not show it\n`);
  }
  await withArchive(config, async (app) => {
    const log = storedLog(app);
    const head = await log.headPosition();
    if (head > 0) {
      throw new CliError(`the event store (${config.eventStore}) is not empty (head position ${head}); restore writes only into an empty store`);
    }
    const applied = (await app.get(ProjectionsService).status()).filter((projection) => projection.position > 0);
    if (applied.length > 0) {
      throw new CliError(`the read store (${config.readStore}) already holds read models (${applied.map((p) => p.name).join(', ')}); restore into an empty one`);
    }
    const progress = createProgress({ label: 'restore', total, unit: 'events' });
    let restored = 0;
    let batch: Batch | undefined;
    let lineNumber = 0;
    const flush = async () => {
      if (!batch) return;
      await append(log, batch);
      restored += batch.events.length;
      progress.update(restored);
      batch = undefined;
    };
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      const event = parseEnvelope(line, `${file}:${lineNumber}`);
      const next = batch && batch.streamId === event.streamId && batch.events.length < BATCH && batch.revision + batch.events.length === event.revision;
      if (!next) {
        await flush();
        batch = { streamId: event.streamId, revision: event.revision, line: lineNumber, events: [] };
      }
      batch!.events.push({ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata, recordedAt: event.recordedAt });
    }
    await flush();
    progress.stop(`${restored} events restored into ${config.eventStore}`);
  });
}

async function append(log: EventStore, batch: Batch): Promise<void> {
  try {
    await log.appendToStream(batch.streamId, batch.events, batch.revision === 0 ? 'no_stream' : batch.revision - 1);
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) {
      throw new CliError(
        `line ${batch.line}: ${batch.streamId} revision ${batch.revision} does not follow the stream's revision ${error.actual}; the export has a gap`,
      );
    }
    throw error;
  }
}

function parseEnvelope(line: string, where: string): StoredEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new CliError(`${where}: not a JSON line: ${(error as Error).message}`);
  }
  const event = value as Partial<Record<keyof StoredEvent, unknown>>;
  const problems = [
    typeof event?.eventId === 'string' && event.eventId !== '' ? '' : 'eventId',
    typeof event?.type === 'string' && event.type !== '' ? '' : 'type',
    typeof event?.streamId === 'string' && event.streamId !== '' ? '' : 'streamId',
    Number.isSafeInteger(event?.revision) && (event.revision as number) >= 0 ? '' : 'revision',
    Number.isSafeInteger(event?.position) && (event.position as number) > 0 ? '' : 'position',
    typeof event?.recordedAt === 'string' ? '' : 'recordedAt',
    event && 'data' in event ? '' : 'data',
    typeof event?.metadata === 'object' && event.metadata !== null && !Array.isArray(event.metadata) ? '' : 'metadata',
  ].filter(Boolean);
  if (problems.length > 0) throw new CliError(`${where}: not an event envelope (missing or bad: ${problems.join(', ')})`);
  return { ...(event as StoredEvent), metadata: event.metadata as EventMetadata };
}

/**
 * Reads the whole export once, as the restore will, and answers how many events it holds: every
 * line an envelope of one of the archive's event types, positions rising, each event id once, each
 * stream's revisions following on from 0. Throws for the first line that is not so. Also
 * recomputes every stream's hash chain as exported, and names the first line that breaks one.
 */
async function checkFile(file: string): Promise<{ events: number; brokenChain: string | undefined }> {
  const progress = createProgress({ label: 'check', total: (await stat(file)).size, unit: 'bytes' });
  const revisions = new Map<string, number>();
  const ids = new Map<string, number>();
  let bytes = 0;
  let lastPosition = 0;
  let lineNumber = 0;
  async function* envelopes(): AsyncGenerator<StoredEvent> {
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      lineNumber += 1;
      bytes += Buffer.byteLength(line) + 1;
      if (lineNumber % 10_000 === 0) progress.update(bytes);
      if (line.trim() === '') continue;
      const where = `${file}:${lineNumber}`;
      const event = parseEnvelope(line, where);
      if (!isBriefingEventType(event.type)) {
        throw new CliError(`${where}: "${event.type}" is not an event type of the archive (${BRIEFING_EVENT_TYPES.join(', ')})`);
      }
      const seen = ids.get(event.eventId);
      if (seen !== undefined) throw new CliError(`${where}: event id ${event.eventId} is already the id of line ${seen}`);
      ids.set(event.eventId, lineNumber);
      if (event.position <= lastPosition) throw new CliError(`${where}: position ${event.position} is not after ${lastPosition}; the export is out of order`);
      lastPosition = event.position;
      const expected = (revisions.get(event.streamId) ?? -1) + 1;
      if (event.revision !== expected) {
        throw new CliError(`${where}: ${event.streamId} revision ${event.revision} does not follow the stream's revision ${expected - 1}; the export has a gap`);
      }
      revisions.set(event.streamId, event.revision);
      yield event;
    }
  }
  const chains = await verifyChains(envelopes());
  const broken = chains.firstMismatch;
  progress.stop(`${chains.events} events, every line an event in order${broken ? '' : ', every hash chain holds'}`);
  return {
    events: chains.events,
    brokenChain: broken ? `${file}:${ids.get(broken.eventId)}: ${broken.streamId} revision ${broken.revision} breaks its hash chain (${broken.reason})` : undefined,
  };
}
