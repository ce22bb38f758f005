import { request, type ClientRequest } from 'node:http';
import type { ArchiveCatalog } from '../generator/archive.generator.js';
import { Random } from '../generator/random.js';
import { TextMaker } from '../generator/text.js';
import { HttpClient } from '../support/http-client.js';
import { progress, type BenchResult } from '../support/report.js';
import { summarise } from '../support/stats.js';

export interface FeedOptions {
  readonly seed: string | number;
  readonly clients: number;
  /** Statements recorded while the clients listen, one at a time... */
  readonly events: number;
  /** ...this many milliseconds apart. */
  readonly intervalMs: number;
}

const P99_TARGET_MS = 50;
/** An `id:` line is short; a partial line longer than this at a chunk's end is a data line. */
const ID_LINE_MAX = 32;

/**
 * One SSE client: a raw HTTP request reading `GET /api/feed`, noting when each `id:` line (the
 * event's global position) arrives. It never decodes the data lines, so that 1,000 of them in
 * one process cost little beside the service.
 */
class FeedListener {
  readonly positions: number[] = [];
  readonly times: number[] = [];
  private carry: Buffer | undefined;
  private atLineStart = true;
  private req: ClientRequest | undefined;

  connect(url: URL): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request({ host: url.hostname, port: url.port, path: '/api/feed', headers: { accept: 'text/event-stream' }, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET /api/feed answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.on('data', (chunk: Buffer) => this.scan(chunk, performance.now()));
        res.on('error', () => undefined);
        resolve();
      });
      this.req.on('error', reject);
      this.req.end();
    });
  }

  last(): number {
    return this.positions.length > 0 ? this.positions[this.positions.length - 1]! : 0;
  }

  close(): void {
    this.req?.destroy();
  }

  private scan(chunk: Buffer, now: number): void {
    let buffer = chunk;
    let start: number;
    if (this.carry) {
      buffer = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
      start = 0;
    } else if (this.atLineStart) {
      start = 0;
    } else {
      const newline = buffer.indexOf(10);
      if (newline < 0) return;
      start = newline + 1;
    }
    while (start < buffer.length) {
      const newline = buffer.indexOf(10, start);
      if (newline < 0) {
        if (buffer.length - start < ID_LINE_MAX) this.carry = Buffer.from(buffer.subarray(start));
        this.atLineStart = false;
        return;
      }
      // "id: <position>"
      if (buffer[start] === 0x69 && buffer[start + 1] === 0x64 && buffer[start + 2] === 0x3a) {
        this.positions.push(Number(buffer.toString('latin1', start + 3, newline).trim()));
        this.times.push(now);
      }
      start = newline + 1;
    }
    this.atLineStart = true;
  }
}

/**
 * `clients` live-feed clients on `GET /api/feed` (no filter: each gets every event), then
 * statements recorded over HTTP one at a time; each delivery's latency is from just before the
 * command was sent to the moment its `id:` line reached the client.
 */
export async function feedBenchmark(url: string, catalog: ArchiveCatalog, options: FeedOptions): Promise<BenchResult> {
  const target = new URL(url);
  const listeners = Array.from({ length: options.clients }, () => new FeedListener());
  const client = new HttpClient(url, 1);
  try {
    // Connect in waves, so the listen backlog is never the bottleneck.
    for (let i = 0; i < listeners.length; i += 100) await Promise.all(listeners.slice(i, i + 100).map((listener) => listener.connect(target)));
    progress(`feed: ${listeners.length} clients connected`);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const random = new Random(`${options.seed}/feed`);
    const text = new TextMaker(random);
    const sent = new Map<number, number>();
    const answers: number[] = [];
    let last = 0;
    for (let i = 0; i < options.events; i++) {
      const briefing = catalog.openBriefings[i % catalog.openBriefings.length]!;
      const topics = briefing.topics.slice(0, 2);
      const body = { text: text.statement({ organisation: briefing.organisation, year: Number(briefing.heldOn.slice(0, 4)), topics }), topics };
      const started = performance.now();
      const answer = await client.request('POST', `/api/briefings/${briefing.briefingId}/statements`, { body });
      if (answer.status !== 201) throw new Error(`recording a statement answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      last = (JSON.parse(answer.body) as { position: number }).position;
      sent.set(last, started);
      answers.push(answer.ms);
      const wait = options.intervalMs - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }

    const deadline = Date.now() + 15_000;
    while (listeners.some((listener) => listener.last() < last) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const latencies: number[] = [];
    for (const listener of listeners) {
      listener.positions.forEach((position, index) => {
        const at = sent.get(position);
        if (at !== undefined) latencies.push(listener.times[index]! - at);
      });
    }
    const expected = listeners.length * sent.size;
    const missing = expected - latencies.length;
    const summary = summarise(latencies);
    const answered = summarise(answers);
    return {
      name: 'feed',
      value: summary.p99,
      unit: 'ms',
      baseline: null,
      ratio: null,
      target: `p99 < ${P99_TARGET_MS} ms at ${options.clients.toLocaleString('en-US')} clients`,
      pass: summary.p99 < P99_TARGET_MS && missing === 0,
      note: missing > 0 ? `${missing} of ${expected} deliveries missing after 15 s` : undefined,
      details: {
        p50Ms: summary.p50,
        p99Ms: summary.p99,
        maxMs: summary.max,
        clients: listeners.length,
        events: sent.size,
        deliveries: latencies.length,
        commandP50Ms: answered.p50,
      },
    };
  } finally {
    for (const listener of listeners) listener.close();
    client.close();
  }
}
