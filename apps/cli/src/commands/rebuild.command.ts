import { setTimeout as delay } from 'node:timers/promises';
import { CliError } from '../cli-error.js';
import { createProgress } from '../progress.js';

export interface RebuildOptions {
  /** The running service, e.g. `http://localhost:3000`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <key>` where the service requires keys. */
  readonly apiKey?: string;
  /** How often progress is asked for, in milliseconds. */
  readonly intervalMs: number;
}

/** `GET /api/projections/:name/rebuild`, per API.md. */
interface RebuildProgress {
  readonly jobId?: string;
  readonly status: string;
  readonly processed: number;
  readonly total: number;
  readonly eventsPerSecond?: number;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
  readonly error?: string | null;
}

/** Progress asked this many times with the job still queued: the process that runs rebuilds may be missing. */
const QUEUED_ASKS_BEFORE_WARNING = 20;

const FAILED = /fail|error|abort|cancel/i;
const FINISHED = /^(done|completed?|succeeded|swapped|finished|live)$/i;

/**
 * `rebuild [name|--all]`: asks a running service to rebuild projections (the service builds
 * shadow tables and swaps them in while it keeps serving), one after the other, following each
 * with a progress bar until it is swapped in. Exits 1 when one fails.
 */
export async function rebuildProjections(names: readonly string[] | 'all', options: RebuildOptions): Promise<void> {
  const api = new ServiceApi(options);
  const targets = names === 'all' ? await api.projectionNames() : names;
  if (targets.length === 0) throw new CliError(`the service at ${options.url} lists no projections`);
  for (const name of targets) {
    let jobId = await api.startRebuild(name);
    const progress = createProgress({ label: `rebuild ${name}`, total: 0, unit: 'events' });
    let state: RebuildProgress;
    let seen = false;
    let queued = 0;
    for (;;) {
      state = await api.rebuildProgress(name);
      progress.update(state.processed, state.total);
      if (state.status === 'queued' && ++queued === QUEUED_ASKS_BEFORE_WARNING) {
        process.stderr.write(
          `warning: the rebuild of ${name} is still queued: a replica (PROJECTIONS=off) hands rebuilds to the projector, ` +
            'which starts them within a second; is a projector running on the same stores?\n',
        );
      }
      // Progress that names another job is an earlier rebuild's until ours is recorded; once ours
      // was seen, a newer one replaced it (a restart under another version starts it over).
      if (seen && state.jobId !== undefined && state.jobId !== jobId) jobId = state.jobId;
      const ours = jobId === undefined || state.jobId === undefined || state.jobId === jobId;
      seen ||= ours;
      if (ours && (FAILED.test(state.status) || FINISHED.test(state.status) || state.finishedAt)) break;
      await delay(options.intervalMs);
    }
    if (FAILED.test(state.status)) {
      progress.stop(`${state.status}`);
      throw new CliError(`rebuild of ${name} ${state.status}${state.error ? `: ${state.error}` : ''}`);
    }
    progress.stop(`${state.status}, ${state.processed} events`);
  }
}

class ServiceApi {
  constructor(private readonly options: RebuildOptions) {}

  async projectionNames(): Promise<string[]> {
    const names: string[] = [];
    let path: string | undefined = '/api/projections';
    while (path) {
      const body = await this.call('GET', path);
      // A service before 0.2 answered the whole list, not a page.
      const page = (Array.isArray(body) ? { items: body, nextCursor: null } : body) as { items?: unknown; nextCursor?: unknown } | undefined;
      if (!Array.isArray(page?.items)) throw new CliError(`${this.options.url}/api/projections did not answer a page of projections`);
      names.push(...page.items.map((projection) => String((projection as { name: unknown }).name)));
      path = typeof page.nextCursor === 'string' ? `/api/projections?cursor=${encodeURIComponent(page.nextCursor)}` : undefined;
    }
    return names;
  }

  /** Starts the rebuild; answers its job id. */
  async startRebuild(name: string): Promise<string | undefined> {
    const body = (await this.call('POST', `/api/projections/${encodeURIComponent(name)}/rebuild`)) as { jobId?: unknown } | undefined;
    return typeof body?.jobId === 'string' ? body.jobId : undefined;
  }

  async rebuildProgress(name: string): Promise<RebuildProgress> {
    const body = (await this.call('GET', `/api/projections/${encodeURIComponent(name)}/rebuild`)) as Partial<RebuildProgress>;
    if (typeof body?.status !== 'string' || typeof body.processed !== 'number' || typeof body.total !== 'number') {
      throw new CliError(`the service answered no rebuild progress for ${name}`);
    }
    return body as RebuildProgress;
  }

  /** One request; the service's problem+json `detail` becomes the error message. */
  private async call(method: 'GET' | 'POST', path: string): Promise<unknown> {
    const url = new URL(path, this.options.url);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { accept: 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach the service at ${this.options.url} (${cause?.code ?? cause?.message ?? (error as Error).message}); is it running? (--url)`);
    }
    const text = await response.text();
    const body = parseJson(text);
    if (response.ok) return body;
    const detail = (body as { detail?: string; title?: string } | undefined)?.detail ?? (body as { title?: string } | undefined)?.title ?? text;
    if (response.status === 404) throw new CliError(`${method} ${url.pathname}: not found${detail ? ` (${detail})` : ''}; is the name right, and does the service have this route?`);
    throw new CliError(`${method} ${url.pathname} answered ${response.status}${detail ? `: ${detail}` : ''}`);
  }
}

/** The answer's JSON, or undefined for an empty or non-JSON body. */
function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}
