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
 * that does not run them (an API replica beside a projector) answers `X-Min-Position`.
 */
export class CheckpointWatcher {
  constructor(
    private readonly readStore: ReadStore,
    private readonly pollIntervalMs = 20,
  ) {}

  async states(): Promise<ProjectionState[]> {
    const rows = await this.readStore.all<Row>('SELECT * FROM projection_checkpoints ORDER BY name');
    return rows.map((row) => ({
      name: row.name,
      version: Number(row.version),
      position: Number(row.position),
      status: row.status,
      error: row.error,
      errorPosition: row.error_position === null ? null : Number(row.error_position),
    }));
  }

  /** The position every live projection has reached; 0 before any projection has started. */
  async position(): Promise<number> {
    const live = (await this.states()).filter((state) => state.status === 'live');
    return live.length === 0 ? 0 : Math.min(...live.map((state) => state.position));
  }

  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.position()) >= position) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollIntervalMs, left)));
    }
  }
}
