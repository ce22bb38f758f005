import { SingleBar } from 'cli-progress';

/** Progress of a long job: a bar with rate and ETA on a terminal, plain lines otherwise. */
export interface Progress {
  /** `done` of `total` (which may grow, e.g. the log's head while a rebuild runs). */
  update(done: number, total?: number): void;
  /** The last update, then a final line. */
  stop(summary?: string): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  /** What is counted, for the rate: `events`, `files`. */
  readonly unit: string;
  /** Where progress goes: stderr by default, so that stdout can carry data (an export). */
  readonly stream?: NodeJS.WriteStream;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  return stream.isTTY ? new BarProgress(options, stream) : new LineProgress(options, stream);
}

class BarProgress implements Progress {
  private readonly bar: SingleBar;
  private readonly started = Date.now();
  private total: number;

  constructor(
    private readonly options: ProgressOptions,
    private readonly stream: NodeJS.WriteStream,
  ) {
    this.total = options.total;
    this.bar = new SingleBar({
      stream,
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} ${options.unit} | {rate} ${options.unit}/s | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
    });
    this.bar.start(options.total, 0, { rate: '0' });
  }

  update(done: number, total?: number): void {
    if (total !== undefined && total !== this.total) {
      this.total = total;
      this.bar.setTotal(total);
    }
    this.bar.update(done, { rate: rateOf(done, this.started) });
  }

  stop(summary?: string): void {
    this.bar.stop();
    if (summary) this.stream.write(`${this.options.label}: ${summary}\n`);
  }
}

/**
 * One line each time another tenth of the job is done, and a last one: a log file or a CI
 * run gets a readable trace instead of carriage returns.
 */
class LineProgress implements Progress {
  private readonly started = Date.now();
  private total: number;
  private done = 0;
  private lastTenth = -1;

  constructor(
    private readonly options: ProgressOptions,
    private readonly stream: NodeJS.WriteStream,
  ) {
    this.total = options.total;
  }

  update(done: number, total?: number): void {
    this.done = done;
    if (total !== undefined) this.total = total;
    const tenth = this.total > 0 ? Math.floor((10 * done) / this.total) : 10;
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.write();
    }
  }

  stop(summary?: string): void {
    if (this.lastTenth < 10) this.write();
    if (summary) this.stream.write(`${this.options.label}: ${summary}\n`);
  }

  private write(): void {
    const { label, unit } = this.options;
    const percent = this.total > 0 ? Math.min(100, Math.floor((100 * this.done) / this.total)) : 100;
    const rate = rateOf(this.done, this.started);
    const eta = etaOf(this.done, this.total, this.started);
    this.stream.write(`${label}: ${this.done}/${this.total} ${unit} (${percent}%), ${rate} ${unit}/s, ETA ${eta}\n`);
  }
}

function rateOf(done: number, started: number): string {
  const seconds = (Date.now() - started) / 1000;
  return seconds > 0 ? (done / seconds).toFixed(0) : '0';
}

function etaOf(done: number, total: number, started: number): string {
  if (done >= total) return '0s';
  if (done === 0) return '?';
  const seconds = Math.ceil((((Date.now() - started) / done) * (total - done)) / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
}
