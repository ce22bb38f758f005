import 'reflect-metadata';
import { createEventStore, loadConfig } from '@archive/application';
import Database from 'better-sqlite3';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { appendBenchmarks } from './benchmarks/append.bench.js';
import { feedBenchmark } from './benchmarks/feed.bench.js';
import { httpCommandsBenchmark } from './benchmarks/http-commands.bench.js';
import { queryBenchmarks } from './benchmarks/query.bench.js';
import { catchUpFromZero, rebuildResult, scanAndParse, type ScanResult } from './benchmarks/rebuild.bench.js';
import { parseOptions, UsageError, type BenchmarkName, type BenchOptions } from './bench.options.js';
import { seedArchive, type SeededArchive } from './generator/archive.seeder.js';
import { machine, progress, Reporter, type BenchResult } from './support/report.js';
import { ServiceProcess } from './support/service.js';

const MEMORY_TARGET_MB = 400;
const MB = 1024 * 1024;

/** The names a benchmark reports, so that a failure can be reported under each of them. */
const REPORTS: Record<BenchmarkName, readonly string[]> = {
  append: ['append-1', 'append-10', 'append-100'],
  rebuild: ['rebuild'],
  query: ['query/timeline', 'query/profile', 'query/search', 'query/as-of'],
  'http-commands': ['http-commands', 'http-commands/catch-up'],
  feed: ['feed'],
  memory: ['memory'],
};

function failure(name: string, error: unknown): BenchResult {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 160);
  return { name, value: null, unit: '', baseline: null, ratio: null, target: '', pass: null, status: 'failed', note: message };
}

/** Runs one benchmark; a failure is reported under its names and the others go on. */
async function attempt(options: BenchOptions, reporter: Reporter, benchmark: BenchmarkName, run: () => Promise<BenchResult[]>): Promise<boolean> {
  if (!options.only.has(benchmark)) return true;
  progress(`${benchmark}…`);
  try {
    for (const result of await run()) reporter.add(result);
    return true;
  } catch (error) {
    progress(`${benchmark} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    for (const name of REPORTS[benchmark]) reporter.add(failure(name, error));
    return false;
  }
}

/**
 * The benchmarks that need a seeded archive and the running service: seed the log through the
 * port, time the raw scan of it, start the service on it with an empty read store (its catch-up
 * from position 0 is the rebuild), then queries, commands and the feed against the same process,
 * whose memory is watched throughout.
 */
async function serviceBenchmarks(options: BenchOptions, reporter: Reporter, work: string): Promise<string> {
  const dataDir = join(work, 'archive');
  const store = createEventStore(loadConfig({ ARCHIVE_DATA_DIR: dataDir }));
  let seeded: SeededArchive;
  try {
    progress(`seeding ${options.events.toLocaleString('en-US')} events through the event-store port…`);
    seeded = await seedArchive(store, { seed: options.seed, events: options.events, openBriefings: options.openBriefings }, (events) =>
      progress(`seeded ${events.toLocaleString('en-US')} events`),
    );
  } finally {
    await store.close();
  }
  const { catalog } = seeded;
  const summary =
    `${catalog.events.toLocaleString('en-US')} events: ${catalog.briefings.toLocaleString('en-US')} briefings ` +
    `(${catalog.firstDay} to ${catalog.lastDay}, ${catalog.openBriefings.length} open), ${catalog.spokespersons.length} spokespersons, ` +
    `${catalog.topics.length} topics, ${catalog.corrections} corrections, ${catalog.retractions} retractions`;
  progress(`archive: ${summary}; seeded in ${seeded.seconds.toFixed(1)} s (${Math.round(catalog.events / seeded.seconds).toLocaleString('en-US')} events/s)`);

  let scan: ScanResult | undefined;
  if (options.only.has('rebuild')) {
    progress('raw scan-and-parse of the log…');
    scan = scanAndParse(join(dataDir, 'events.db'));
  }

  const service = await ServiceProcess.start({ dataDir, logFile: join(work, 'service.log') });
  try {
    service.enter('rebuild');
    // Needed by every benchmark after it, so a failure here stops them all (main reports them failed).
    progress(options.only.has('rebuild') ? 'rebuild…' : 'building the read models…');
    const catchUp = await catchUpFromZero(service, seeded.head, 30 * 60_000);
    if (options.only.has('rebuild') && scan) reporter.add(rebuildResult(catchUp, scan));

    service.enter('query');
    await attempt(options, reporter, 'query', () => queryBenchmarks(service.url, catalog, seeded.head, { seed: options.seed, ...options.query }));
    service.enter('commands');
    await attempt(options, reporter, 'http-commands', () => httpCommandsBenchmark(service.url, catalog, { seed: options.seed, ...options.commands }));
    service.enter('feed');
    await attempt(options, reporter, 'feed', async () => [await feedBenchmark(service.url, catalog, { seed: options.seed, ...options.feed })]);

    await attempt(options, reporter, 'memory', async () => {
      const peak = service.peakRss();
      if (peak === undefined) throw new Error(`cannot read /proc/${service.pid}/status`);
      const phases = Object.fromEntries([...service.phasePeaks()].map(([phase, bytes]) => [`${phase}Mb`, bytes / MB]));
      return [
        {
          name: 'memory',
          value: peak / MB,
          unit: 'MB',
          baseline: null,
          ratio: null,
          target: `peak RSS < ${MEMORY_TARGET_MB} MB`,
          pass: peak / MB < MEMORY_TARGET_MB,
          details: phases,
        },
      ];
    });
  } finally {
    const code = await service.stop();
    if (code !== 0) progress(`the service exited with ${code} on SIGTERM:\n${service.logTail()}`);
  }
  return summary;
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const require = createRequire(import.meta.url);
  const memory = new Database(':memory:');
  const about = machine({
    'better-sqlite3': (require('better-sqlite3/package.json') as { version: string }).version,
    sqlite: String(memory.prepare('SELECT sqlite_version()').pluck().get()),
  });
  memory.close();
  const reporter = new Reporter({ json: options.json, mode: options.mode });
  // `--dir` names where the databases go, as `mkdir -p` would: a missing directory is made.
  await mkdir(options.dir, { recursive: true });
  const work = await mkdtemp(join(options.dir, 'briefing-archive-bench-'));
  progress(`${options.mode} run in ${work} — ${Object.values(about).join(', ')}`);
  const started = performance.now();
  let archive = '';
  try {
    await attempt(options, reporter, 'append', () =>
      appendBenchmarks({ dir: work, seed: options.seed, ...options.append }),
    );
    const onService: BenchmarkName[] = ['rebuild', 'query', 'http-commands', 'feed', 'memory'];
    if (onService.some((name) => options.only.has(name))) {
      try {
        archive = await serviceBenchmarks(options, reporter, work);
      } catch (error) {
        progress(`the service benchmarks stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        const reported = new Set(reporter.results.map((result) => result.name));
        for (const name of onService.filter((each) => options.only.has(each)).flatMap((each) => REPORTS[each])) {
          if (!reported.has(name)) reporter.add(failure(name, error));
        }
      }
    }
  } finally {
    if (options.keep) progress(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  progress(`done in ${seconds.toFixed(0)} s`);
  if (!options.json) {
    process.stdout.write(reporter.table({ ...about, ...(archive ? { archive } : {}), took: `${seconds.toFixed(0)} s` }));
  }
  return reporter.failed() ? 1 : 0;
}

process.exitCode = await main();
