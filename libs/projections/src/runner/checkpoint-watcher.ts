import type { ReadStore } from '@archive/read-store';
import type { ProjectionState } from './projection-runner.js';

interface Row {
  name: string;
  version: number;
  position: number;
  status: ProjectionState['status'];
  error: string | null;
  error_position: number | null;
}

/**
 * Where the projections stand, read from their checkpoints in the read store: how a process
 * that does not run them (an API replica beside a projector) answers `X-Min-Position`. Only the
 * projections this code has count: a checkpoint left by one since removed or renamed never moves.
 */
export class CheckpointWatcher {
  private readonly names: ReadonlySet<string>;

  constructor(
    private readonly readStore: ReadStore,
    names: readonly string[],
    private readonly pollIntervalMs = 20,
  ) {
    this.names = new Set(names);
  }

  async states(): Promise<ProjectionState[]> {
    const rows = await this.readStore.all<Row>('SELECT * FROM projection_checkpoints ORDER BY name');
    return rows
      .filter((row) => this.names.has(row.name))
      .map((row) => ({
      name: row.name,
      version: Number(row.version),
      position: Number(row.position),
      status: row.status,
      error: row.error,
      errorPosition: row.error_position === null ? null : Number(row.error_position),
    }));
  }

  /**
   * True once every live projection has reached `position`; false after `timeoutMs`, or as soon
   * as a failed one stands before it, since it moves only after a rebuild.
   */
  async waitForQueries(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await this.states();
      if (states.some((state) => state.status === 'failed' && state.position < position)) return false;
      // 0 before any projection has started.
      const live = states.filter((state) => state.status === 'live').map((state) => state.position);
      if ((live.length === 0 ? 0 : Math.min(...live)) >= position) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollIntervalMs, left)));
    }
  }
}
