import type { BriefingState } from '@archive/domain';

interface Folded {
  readonly revision: number;
  readonly state: BriefingState;
}

/**
 * Briefing states the write side has folded, by stream, each with the revision it was folded up
 * to. A stream only grows, so a state folded to revision r stays the fold of its first r + 1
 * events for good: a command reads and folds only the events after it. The least recently used
 * streams are forgotten past `capacity`; forgetting costs a full read, never a wrong state.
 */
export class FoldedStates {
  private readonly entries = new Map<string, Folded>();

  constructor(private readonly capacity = 1000) {}

  get(streamId: string): Folded | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      // Map keeps insertion order: re-inserting marks it the most recently used.
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  /** Keeps the state unless one folded further is already kept. */
  set(streamId: string, revision: number, state: BriefingState): void {
    const kept = this.entries.get(streamId);
    if (kept && kept.revision >= revision) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { revision, state });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
