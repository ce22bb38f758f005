import { cpus, totalmem } from 'node:os';
import { round } from './stats.js';

/** One figure of a benchmark, with what it is measured against and the issue's target for it. */
export interface BenchResult {
  readonly name: string;
  /** The figure; null when it could not be measured (skipped or failed). */
  readonly value: number | null;
  readonly unit: string;
  /** The same work without the archive's code, measured in the same run; null where there is none. */
  readonly baseline: number | null;
  /** value / baseline. */
  readonly ratio: number | null;
  /** The target issue 7 sets for this figure, in words. */
  readonly target: string;
  /** Whether the figure meets the target (printed, never asserted); null when not measured. */
  readonly pass: boolean | null;
  readonly status?: 'skipped' | 'failed';
  readonly note?: string;
  /** Further figures: percentiles, counts, durations. */
  readonly details?: Record<string, number | string | null>;
}

export interface ReporterOptions {
  readonly json: boolean;
  readonly mode: 'quick' | 'full';
}

/** Machine and versions, printed with the results: a figure means little without them. */
export function machine(versions: Record<string, string>): Record<string, string> {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    ...versions,
  };
}

/**
 * Prints each result as it comes: with `--json` one object per line on stdout (progress goes to
 * stderr), otherwise a table at the end.
 */
export class Reporter {
  readonly results: BenchResult[] = [];

  constructor(private readonly options: ReporterOptions) {}

  add(result: BenchResult): void {
    this.results.push(result);
    if (this.options.json) {
      const { details, ...main } = result;
      const line = JSON.stringify({ ...main, ...(details ?? {}) }, (_key, value: unknown) => (typeof value === 'number' ? round(value) : value));
      process.stdout.write(`${line}\n`);
    } else {
      progress(`${result.name}: ${formatValue(result)}${result.ratio !== null ? ` (${round(result.ratio)} × baseline)` : ''} ${verdict(result)}`);
    }
  }

  failed(): boolean {
    return this.results.some((result) => result.status === 'failed');
  }

  /** The table, for a terminal or a README. */
  table(about: Record<string, string>): string {
    const header = ['benchmark', 'value', 'baseline', 'ratio', 'target', 'result', 'details'];
    const rows = this.results.map((result) => [
      result.name,
      formatValue(result),
      result.baseline === null ? '' : `${formatNumber(result.baseline)} ${result.unit}`,
      result.ratio === null ? '' : round(result.ratio).toFixed(2),
      result.target,
      verdict(result),
      details(result),
    ]);
    const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
    const machineLine = Object.entries(about)
      .map(([key, value]) => `${key}: ${value}`)
      .join(', ');
    return [`Briefing Archive benchmark (${this.options.mode}) — ${machineLine}`, '', ...lines, ''].join('\n');
  }
}

function verdict(result: BenchResult): string {
  if (result.status === 'skipped') return 'skipped';
  if (result.status === 'failed') return 'FAILED';
  if (result.pass === null) return '';
  return result.pass ? 'pass' : 'miss';
}

function formatValue(result: BenchResult): string {
  if (result.value === null) return result.note ? `— (${result.note})` : '—';
  return `${formatNumber(result.value)} ${result.unit}`;
}

function formatNumber(value: number): string {
  const rounded = round(value);
  return Math.abs(rounded) >= 10_000 ? rounded.toLocaleString('en-US') : String(rounded);
}

function details(result: BenchResult): string {
  const parts = Object.entries(result.details ?? {}).map(([key, value]) => `${key} ${typeof value === 'number' ? formatNumber(value) : value ?? '—'}`);
  if (result.note && result.value !== null) parts.push(result.note);
  return parts.join(', ');
}

/** Progress and notes, on stderr so that `--json` output stays one result per line. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
