import Database from 'better-sqlite3';
import { HttpClient } from '../support/http-client.js';
import { progress, type BenchResult } from '../support/report.js';
import type { ServiceProcess } from '../support/service.js';

const RATE_TARGET = 100_000;
const RATIO_TARGET = 0.3;

export interface ScanResult {
  readonly events: number;
  readonly seconds: number;
}

/**
 * The baseline: every row of the log read in position order with better-sqlite3 and its data and
 * metadata parsed, which is the least any rebuild must do.
 */
export function scanAndParse(eventsFile: string): ScanResult {
  const db = new Database(eventsFile, { readonly: true });
  try {
    const rows = db.prepare<[], { data: string; metadata: string }>('SELECT * FROM events ORDER BY position');
    let events = 0;
    let sink = 0;
    const started = performance.now();
    for (const row of rows.iterate()) {
      const data = JSON.parse(row.data) as object;
      const metadata = JSON.parse(row.metadata) as object;
      if (data && metadata) sink++;
      events++;
    }
    const seconds = (performance.now() - started) / 1000;
    if (sink !== events) throw new Error('a row without data or metadata');
    return { events, seconds };
  } finally {
    db.close();
  }
}

export interface CatchUpResult {
  /** Events the projections applied while they were timed. */
  readonly events: number;
  readonly seconds: number;
}

interface ProjectionStatus {
  readonly name: string;
  readonly position: number;
  readonly lag: number;
  readonly status: string;
}

/** The lowest position any projection has reached, and the largest lag. */
export async function projectionsStatus(client: HttpClient): Promise<{ position: number; lag: number; failed: string[] }> {
  const { items: states } = await client.json<{ items: ProjectionStatus[] }>('/api/projections?limit=500');
  return {
    position: Math.min(...states.map((state) => Number(state.position))),
    lag: Math.max(...states.map((state) => Number(state.lag))),
    failed: states.filter((state) => state.status === 'failed').map((state) => state.name),
  };
}

/**
 * Waits until every read model has reached `position`, with a read-your-writes query
 * (`X-Min-Position`), which answers the moment the projections get there: no polling load on the
 * service while it works.
 */
export async function waitForProjections(client: HttpClient, position: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await client.request('GET', '/api/topics?limit=1', { headers: { 'X-Min-Position': String(position) } });
    if (answer.status === 200) return;
    if (answer.status !== 503) throw new Error(`waiting for the projections: GET /api/topics answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    if (Date.now() > deadline) throw new Error(`the projections did not reach position ${position} within ${timeoutMs / 1000} s`);
  }
}

/**
 * Every read model built from position 0: the service started on a seeded log and an empty read
 * store catches all projections up from the start, which is what rebuilding all of them does.
 * Timed from the moment it answers until the projections reach the log's head.
 */
export async function catchUpFromZero(service: ServiceProcess, head: number, timeoutMs: number): Promise<CatchUpResult> {
  const client = new HttpClient(service.url, 1);
  const watcher = new HttpClient(service.url, 1);
  try {
    const started = performance.now();
    const first = await projectionsStatus(client);
    const ticker = setInterval(() => {
      projectionsStatus(watcher)
        .then((status) => progress(`rebuild: ${status.position.toLocaleString('en-US')} / ${head.toLocaleString('en-US')} events`))
        .catch(() => undefined);
    }, 15_000);
    try {
      await waitForProjections(client, head, timeoutMs);
    } finally {
      clearInterval(ticker);
    }
    const seconds = (performance.now() - started) / 1000;
    const last = await projectionsStatus(client);
    if (last.failed.length > 0) throw new Error(`projections failed during the rebuild: ${last.failed.join(', ')}\n${service.logTail()}`);
    return { events: head - first.position, seconds };
  } finally {
    client.close();
    watcher.close();
  }
}

export function rebuildResult(catchUp: CatchUpResult, scan: ScanResult): BenchResult {
  const value = catchUp.events / catchUp.seconds;
  const baseline = scan.events / scan.seconds;
  const ratio = value / baseline;
  return {
    name: 'rebuild',
    value,
    unit: 'events/s',
    baseline,
    ratio,
    target: `≥ ${RATE_TARGET.toLocaleString('en-US')} events/s and ≥ ${RATIO_TARGET} × raw scan`,
    pass: value >= RATE_TARGET && ratio >= RATIO_TARGET,
    details: { events: catchUp.events, seconds: catchUp.seconds, scanSeconds: scan.seconds },
  };
}
