import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HttpClient } from './http-client.js';

/** The built API, beside this file in dist/: `dist/bench/support` → `dist/apps/api/src/main.js`. */
const MAIN = fileURLToPath(new URL('../../apps/api/src/main.js', import.meta.url));

export interface ServiceOptions {
  readonly dataDir: string;
  /** Where the service's stdout and stderr go (a file: a pipe would cost the benchmark process CPU). */
  readonly logFile: string;
  /** Added to the environment; the bench's own choices come first and these win. */
  readonly env?: Record<string, string>;
}

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

function statusField(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The real service as its own process (`node dist/apps/api/src/main.js`), as `npm run start:prod`
 * runs it, with its memory watched from outside: the kernel's peak RSS (VmHWM) and a sample of
 * the RSS every 100 ms, kept per phase of the benchmark.
 */
export class ServiceProcess {
  private phase = 'start';
  private readonly peaks = new Map<string, number>();
  private readonly sampler: NodeJS.Timeout;
  private readonly exited: Promise<number | string>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    this.sampler = setInterval(() => this.sample(), 100);
    this.sampler.unref();
  }

  static async start(options: ServiceOptions): Promise<ServiceProcess> {
    const port = await freePort();
    const log = openSync(options.logFile, 'a');
    // BENCH_SERVICE_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`, to profile the service under the load.
    const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, MAIN], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        ARCHIVE_DATA_DIR: options.dataDir,
        // Request logs off: the figures are the archive's, not the log pipe's (BENCH_LOG_LEVEL=info to include them).
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        // Lets a read-your-writes query wait out a whole rebuild, so the benchmark need not poll.
        MIN_POSITION_TIMEOUT_MS: '60000',
        // All the load comes from one address: limits as high as they go, so that they are still
        // checked on every request (their cost is measured) but never refuse the benchmark.
        RATE_LIMIT_PER_ADDRESS: '100000000',
        RATE_LIMIT_PER_KEY: '100000000',
        FEED_MAX_CLIENTS: '1000000',
        FEED_MAX_CLIENTS_PER_ADDRESS: '1000000',
        ...options.env,
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const service = new ServiceProcess(child, `http://127.0.0.1:${port}`, options.logFile);
    await service.ready();
    return service;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Names the phase the next memory samples belong to. */
  enter(phase: string): void {
    this.sample();
    this.phase = phase;
  }

  /** The kernel's high-water mark of the process's resident memory, in bytes. */
  peakRss(): number | undefined {
    this.sample();
    return statusField(this.pid, 'VmHWM');
  }

  /** The highest RSS sampled in each phase, in bytes. */
  phasePeaks(): ReadonlyMap<string, number> {
    return this.peaks;
  }

  /** The end of the service's log, for error messages. */
  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async stop(): Promise<number | string> {
    clearInterval(this.sampler);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  private sample(): void {
    const rss = statusField(this.pid, 'VmRSS');
    if (rss !== undefined && rss > (this.peaks.get(this.phase) ?? 0)) this.peaks.set(this.phase, rss);
  }

  /** Listening and answering: the projections status route answers 200. */
  private async ready(): Promise<void> {
    const client = new HttpClient(this.url, 1);
    const deadline = Date.now() + 60_000;
    let exited: number | string | undefined;
    void this.exited.then((code) => (exited = code));
    try {
      for (;;) {
        if (exited !== undefined) throw new Error(`the service exited (${exited}) before it was ready:\n${this.logTail()}`);
        if (Date.now() > deadline) throw new Error(`the service did not answer within 60 s:\n${this.logTail()}`);
        try {
          if ((await client.request('GET', '/api/projections')).status === 200) return;
        } catch {
          // Not listening yet.
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      client.close();
    }
  }
}
