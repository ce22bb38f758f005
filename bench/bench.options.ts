import { tmpdir } from 'node:os';

export const BENCHMARKS = ['append', 'rebuild', 'query', 'http-commands', 'feed', 'memory'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  readonly mode: 'quick' | 'full';
  readonly json: boolean;
  readonly only: ReadonlySet<BenchmarkName>;
  /** Where the temporary stores go: a real disk, since fsync is what is measured. */
  readonly dir: string;
  readonly keep: boolean;
  readonly seed: string;
  /** Events in the seeded archive. */
  readonly events: number;
  readonly openBriefings: number;
  readonly append: { readonly batchSizes: readonly number[]; readonly rounds: number; readonly roundSeconds: number };
  readonly query: { readonly warmUp: number; readonly samples: number; readonly budgetSeconds: number };
  readonly commands: { readonly connections: number; readonly seconds: number; readonly warmUpSeconds: number };
  readonly feed: { readonly clients: number; readonly events: number; readonly intervalMs: number };
}

export class UsageError extends Error {}

export const USAGE = `npm run bench -- [--quick] [--json] [--only ${BENCHMARKS.join(',')}] [--events N] [--seed S] [--dir PATH] [--keep]

  --quick     a small version of each benchmark (well under two minutes), e.g. as a CI smoke test
  --json      one JSON object per result line on stdout; progress goes to stderr
  --only      run only these benchmarks (comma-separated)
  --events    events in the seeded archive (default 1,000,000; quick 50,000)
  --seed      the generator's seed (default 20240111): the same seed gives the same archive
  --dir       where the temporary databases go (default $BENCH_DIR or the system's temp dir)
  --keep      keep the temporary databases and the service's log afterwards`;

/** Reads the command line; throws a UsageError for anything it does not know. */
export function parseOptions(args: readonly string[]): BenchOptions {
  let quick = false;
  let json = false;
  let keep = false;
  let only: Set<BenchmarkName> = new Set(BENCHMARKS);
  let events: number | undefined;
  let seed = '20240111';
  let dir = process.env.BENCH_DIR || tmpdir();
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--json':
        json = true;
        break;
      case '--keep':
        keep = true;
        break;
      case '--only': {
        const names = value().split(',').map((name) => name.trim()).filter(Boolean);
        const unknown = names.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
        if (unknown.length > 0) throw new UsageError(`unknown benchmark(s): ${unknown.join(', ')}`);
        only = new Set(names as BenchmarkName[]);
        break;
      }
      case '--events': {
        events = Number(value());
        if (!Number.isSafeInteger(events) || events < 1_000) throw new UsageError('--events must be a whole number of at least 1000');
        break;
      }
      case '--seed':
        seed = value();
        break;
      case '--dir':
        dir = value();
        break;
      case '--help':
      case '-h':
        throw new UsageError(USAGE);
      default:
        throw new UsageError(`unknown option ${flag}\n\n${USAGE}`);
    }
  }
  const common = { json, only, dir, keep, seed };
  if (quick) {
    return {
      ...common,
      mode: 'quick',
      events: events ?? 50_000,
      openBriefings: 64,
      append: { batchSizes: [1, 10, 100], rounds: 2, roundSeconds: 0.3 },
      query: { warmUp: 50, samples: 200, budgetSeconds: 4 },
      commands: { connections: 16, seconds: 5, warmUpSeconds: 1 },
      feed: { clients: 100, events: 30, intervalMs: 20 },
    };
  }
  return {
    ...common,
    mode: 'full',
    events: events ?? 1_000_000,
    openBriefings: 256,
    append: { batchSizes: [1, 10, 100], rounds: 6, roundSeconds: 1 },
    query: { warmUp: 500, samples: 1_000, budgetSeconds: 30 },
    commands: { connections: 16, seconds: 20, warmUpSeconds: 3 },
    feed: { clients: 1_000, events: 100, intervalMs: 50 },
  };
}
