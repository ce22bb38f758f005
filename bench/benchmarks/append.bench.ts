import { briefingStream } from '@archive/domain';
import { SqliteEventStore, type ExpectedRevision, type NewEvent } from '@archive/event-store';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ArchiveGenerator } from '../generator/archive.generator.js';
import { progress, type BenchResult } from '../support/report.js';

export interface AppendOptions {
  readonly dir: string;
  readonly seed: string | number;
  readonly batchSizes: readonly number[];
  readonly rounds: number;
  /** About how long the port runs in each round; the raw inserts then write the same rows. */
  readonly roundSeconds: number;
}

interface PlannedAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly NewEvent[];
}

const STREAMS = 64;
/** Appends planned at a time, between the timed stretches; port and raw take turns chunk by chunk. */
const CHUNK_APPENDS = 20;
const WARM_UP_SECONDS = 0.3;
const RATIO_TARGET = 0.9;

/**
 * Events per second through the event-store port (`SqliteEventStore.appendToStream`, WAL,
 * `synchronous=FULL`, a file on disk) at a batch size, beside raw better-sqlite3 inserts of the
 * very rows the port stored, into an identical table (the port's own DDL) with the port's pragmas,
 * at the same batch size, one `BEGIN IMMEDIATE … COMMIT` per batch. Port and raw take turns every
 * chunk of appends (a few milliseconds to a few hundred), so that a slow spell of a shared disk
 * falls on both alike rather than on whichever side held a whole round.
 */
export async function appendBenchmarks(options: AppendOptions): Promise<BenchResult[]> {
  const templates = eventTemplates(options.seed);
  const results: BenchResult[] = [];
  for (const batchSize of options.batchSizes) {
    results.push(await appendBenchmark(options, batchSize, templates));
  }
  return results;
}

/** Realistic events to append: the first few thousand of a generated archive. */
function eventTemplates(seed: string | number): NewEvent[] {
  const generator = new ArchiveGenerator({ seed: `${seed}/append`, events: 5_000, openBriefings: 0 });
  return [...generator.appends()].flatMap((append) => append.events);
}

async function appendBenchmark(options: AppendOptions, batchSize: number, templates: readonly NewEvent[]): Promise<BenchResult> {
  const portFile = join(options.dir, `append-${batchSize}-port.db`);
  const rawFile = join(options.dir, `append-${batchSize}-raw.db`);
  const store = new SqliteEventStore({ filename: portFile });
  const reader = new Database(portFile, { readonly: true });
  const raw = new Database(rawFile);
  try {
    const pragmas = store.pragmas();
    raw.pragma(`busy_timeout = ${pragmas.busyTimeoutMs}`);
    raw.pragma(`journal_mode = ${pragmas.journalMode}`);
    raw.pragma(`synchronous = ${pragmas.synchronous}`);
    for (const { sql } of reader.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").all()) {
      raw.exec(sql);
    }
    // Every column but the INTEGER PRIMARY KEY, which SQLite assigns as it does for the port.
    const columns = reader
      .prepare<[], { name: string; type: string; pk: number }>("SELECT name, type, pk FROM pragma_table_info('events')")
      .all()
      .filter((column) => !(column.pk === 1 && column.type.toUpperCase() === 'INTEGER'))
      .map((column) => column.name);
    const insert = raw.prepare(`INSERT INTO events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const insertBatch = raw.transaction((rows: readonly unknown[][]) => {
      for (const row of rows) insert.run(row);
    });
    const storedAfter = reader.prepare<[number], unknown[]>(`SELECT ${columns.join(', ')} FROM events WHERE position > ? ORDER BY position`).raw();
    const headOf = reader.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck();

    const revisions = new Map<string, number>();
    const streams = Array.from({ length: STREAMS }, () => briefingStream(randomUUID()));
    let next = 0;
    let turn = 0;
    const plan = (events: number): PlannedAppend[] => {
      const appends: PlannedAppend[] = [];
      for (let planned = 0; planned < events; planned += batchSize) {
        const streamId = streams[turn++ % STREAMS]!;
        const revision = revisions.get(streamId) ?? -1;
        const batch: NewEvent[] = [];
        for (let i = 0; i < batchSize; i++) batch.push({ ...templates[next++ % templates.length]!, eventId: randomUUID() });
        appends.push({ streamId, expected: revision < 0 ? 'no_stream' : revision, events: batch });
        revisions.set(streamId, revision + batchSize);
      }
      return appends;
    };
    /** Inserts the rows the port stored after `after`, in the same batches; answers the seconds it took. */
    const runRaw = (after: number, expected: number): number => {
      const rows = storedAfter.all(after);
      if (rows.length !== expected) throw new Error(`the port stored ${rows.length} rows, ${expected} were appended`);
      const batches: unknown[][][] = [];
      for (let i = 0; i < rows.length; i += batchSize) batches.push(rows.slice(i, i + batchSize));
      const started = performance.now();
      for (const batch of batches) insertBatch.immediate(batch);
      return (performance.now() - started) / 1000;
    };
    /**
     * About `seconds` of append time through the port, a chunk at a time, each chunk followed by
     * the raw inserts of its rows; planning the events and reading the rows back are not timed.
     */
    const round = async (seconds: number): Promise<{ events: number; port: number; raw: number }> => {
      let events = 0;
      let port = 0;
      let raw = 0;
      while (port < seconds) {
        const appends = plan(batchSize * CHUNK_APPENDS);
        const head = headOf.get() ?? 0;
        const started = performance.now();
        for (const append of appends) await store.appendToStream(append.streamId, append.events, append.expected);
        port += (performance.now() - started) / 1000;
        raw += runRaw(head, batchSize * CHUNK_APPENDS);
        events += batchSize * CHUNK_APPENDS;
      }
      return { events, port, raw };
    };

    await round(Math.min(options.roundSeconds, WARM_UP_SECONDS));
    let events = 0;
    let portSeconds = 0;
    let rawSeconds = 0;
    for (let i = 0; i < options.rounds; i++) {
      const measured = await round(options.roundSeconds);
      events += measured.events;
      portSeconds += measured.port;
      rawSeconds += measured.raw;
    }
    const port = events / portSeconds;
    const baseline = events / rawSeconds;
    const ratio = port / baseline;
    progress(`append-${batchSize}: ${events} events in ${options.rounds} round(s)`);
    return {
      name: `append-${batchSize}`,
      value: port,
      unit: 'events/s',
      baseline,
      ratio,
      target: `≥ ${RATIO_TARGET} × raw`,
      pass: ratio >= RATIO_TARGET,
      details: {
        portAppendsPerS: port / batchSize,
        rawTransactionsPerS: baseline / batchSize,
        events,
        synchronous: pragmas.synchronous,
        journal: pragmas.journalMode,
      },
    };
  } finally {
    reader.close();
    raw.close();
    await store.close();
  }
}
