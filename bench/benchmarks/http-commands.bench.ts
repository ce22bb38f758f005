import autocannon from 'autocannon';
import type { ArchiveCatalog, OpenBriefingInfo } from '../generator/archive.generator.js';
import { Random } from '../generator/random.js';
import { TextMaker } from '../generator/text.js';
import { HttpClient } from '../support/http-client.js';
import { progress, type BenchResult } from '../support/report.js';
import { summarise } from '../support/stats.js';
import { projectionsStatus, waitForProjections } from './rebuild.bench.js';

export interface HttpCommandsOptions {
  readonly seed: string | number;
  readonly connections: number;
  readonly seconds: number;
  /** A first, unmeasured run of the same load, so the service's code is warm. */
  readonly warmUpSeconds: number;
}

const RATE_TARGET = 8_000;
const P99_TARGET_MS = 25;
const CATCH_UP_TARGET_MS = 1_000;

interface Load {
  readonly seconds: number;
  readonly commands: number;
  readonly latencies: number[];
  readonly statuses: Map<number, number>;
  readonly errors: number;
  readonly timeouts: number;
  /** The highest position a command answered: where the projections must get to. */
  readonly lastPosition: number;
}

/**
 * Record-statement commands over HTTP from 16 connections for a fixed time, each to one of the
 * archive's open briefings drawn at random (so a few collide on a briefing, as writers do), against
 * the built service at full durability with its projections running in-process. Then the
 * projections' lag the moment the load stops, and how long until they have caught up.
 */
export async function httpCommandsBenchmark(url: string, catalog: ArchiveCatalog, options: HttpCommandsOptions): Promise<BenchResult[]> {
  if (catalog.openBriefings.length === 0) throw new Error('the archive has no open briefing to record statements in');
  const random = new Random(`${options.seed}/commands`);
  const bodies = statementBodies(catalog.openBriefings, random);
  const client = new HttpClient(url, 2);
  try {
    if (options.warmUpSeconds > 0) {
      const warm = await load(url, bodies, random, options.connections, options.warmUpSeconds);
      await waitForProjections(client, warm.lastPosition, 120_000);
    }
    const measured = await load(url, bodies, random, options.connections, options.seconds);
    const stopped = performance.now();
    const [atStop] = await Promise.all([projectionsStatus(client), waitForProjections(client, measured.lastPosition, 120_000)]);
    // The last answered position is reached; any command still in flight at the stop is in the lag too.
    let status = await projectionsStatus(client);
    while (status.lag > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      status = await projectionsStatus(client);
    }
    const catchUpMs = performance.now() - stopped;

    const rate = measured.commands / measured.seconds;
    const latency = summarise(measured.latencies);
    const failures = [...measured.statuses].filter(([code]) => code < 200 || code >= 300);
    const non2xx = failures.reduce((sum, [, count]) => sum + count, 0);
    progress(`http-commands: ${measured.commands} commands in ${measured.seconds.toFixed(1)} s`);
    return [
      {
        name: 'http-commands',
        value: rate,
        unit: 'commands/s',
        baseline: null,
        ratio: null,
        target: `≥ ${RATE_TARGET.toLocaleString('en-US')}/s with p99 < ${P99_TARGET_MS} ms`,
        pass: rate >= RATE_TARGET && latency.p99 < P99_TARGET_MS,
        note: failures.length > 0 ? `non-2xx: ${failures.map(([code, count]) => `${code}×${count}`).join(' ')}` : undefined,
        details: {
          p50Ms: latency.p50,
          p99Ms: latency.p99,
          non2xx,
          errors: measured.errors + measured.timeouts,
          connections: options.connections,
          seconds: measured.seconds,
        },
      },
      {
        name: 'http-commands/catch-up',
        value: catchUpMs,
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: `lag 0 within ${CATCH_UP_TARGET_MS.toLocaleString('en-US')} ms of the load's end`,
        pass: catchUpMs <= CATCH_UP_TARGET_MS,
        // The service counts lag up to 10,000 events and reports that many beyond.
        details: { lagAtStop: atStop.lag, lagCapped: atStop.lag >= 10_000 ? 'yes (service counts to 10,000)' : 'no' },
      },
    ];
  } finally {
    client.close();
  }
}

interface Body {
  readonly path: string;
  readonly json: string;
}

/** Statements as a client would send them: the briefing's topics, a few sentences, no ids (the service draws them). */
function statementBodies(briefings: readonly OpenBriefingInfo[], random: Random): Body[] {
  const text = new TextMaker(random);
  const bodies: Body[] = [];
  for (let i = 0; i < 2_000; i++) {
    const briefing = random.pick(briefings);
    const topics = briefing.topics.slice(0, random.int(1, Math.min(3, briefing.topics.length)));
    const context = { organisation: briefing.organisation, year: Number(briefing.heldOn.slice(0, 4)), topics };
    bodies.push({
      path: `/api/briefings/${briefing.briefingId}/statements`,
      json: JSON.stringify({ text: text.statement(context), topics }),
    });
  }
  return bodies;
}

async function load(url: string, bodies: readonly Body[], random: Random, connections: number, seconds: number): Promise<Load> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let lastPosition = 0;
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const body = bodies[random.int(0, bodies.length - 1)]!;
          return { ...request, method: 'POST', path: body.path, headers: { 'content-type': 'application/json' }, body: body.json };
        },
        onResponse: (status, body) => {
          if (status !== 201) return;
          const position = (JSON.parse(body) as { position?: number }).position ?? 0;
          if (position > lastPosition) lastPosition = position;
        },
      },
    ],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  return {
    seconds: result.duration,
    commands: latencies.length,
    latencies,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    lastPosition,
  };
}
