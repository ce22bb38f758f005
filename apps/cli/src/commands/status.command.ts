import { EVENT_STORE, ProjectionsService, type ArchiveConfig } from '@archive/application';
import type { EventStore } from '@archive/event-store';
import { allProjections } from '@archive/projections';
import { requireExistingLog, withArchive } from '../archive-context.js';

export interface ArchiveStatus {
  readonly eventStore: string;
  readonly readStore: string;
  /** Position of the last event in the log. */
  readonly head: number;
  readonly projections: readonly { name: string; position: number; lag: number; status: string; error?: string | null }[];
  /**
   * Projections whose position is past the log's head: their read models were built from another
   * log (the event store was replaced or emptied, the read store kept). They answer from it.
   */
  readonly aheadOfLog: readonly string[];
}

/** `status`: the log's head and each projection's checkpoint and lag, from the configured stores. */
export async function archiveStatus(config: ArchiveConfig): Promise<ArchiveStatus> {
  requireExistingLog(config);
  return withArchive(config, async (app) => {
    const head = await app.get<EventStore>(EVENT_STORE).headPosition();
    const states = new Map((await app.get(ProjectionsService).status()).map((state) => [state.name, state]));
    // A projection no runner has started yet has no checkpoint: it is at 0, the whole log behind.
    const names = [...new Set([...allProjections.map((projection) => projection.name), ...states.keys()])];
    const projections = names.map((name) => {
      const state = states.get(name);
      return state
        ? { name, position: state.position, lag: state.lag, status: String(state.status), error: state.error }
        : { name, position: 0, lag: head, status: 'not started' };
    });
    const aheadOfLog = projections.filter((projection) => projection.position > head).map((projection) => projection.name);
    return { eventStore: config.eventStore, readStore: config.readStore, head, projections, aheadOfLog };
  });
}

export function formatStatus(status: ArchiveStatus): string {
  const rows = status.projections.map((p) => [p.name, String(p.position), String(p.lag), p.status + (p.error ? ` (${p.error})` : '')]);
  const table = [['projection', 'position', 'lag', 'status'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  const warning =
    status.aheadOfLog.length > 0
      ? [
          '',
          `warning: ${status.aheadOfLog.join(', ')} ${status.aheadOfLog.length === 1 ? 'is' : 'are'} past the log's head: built from another log, ` +
            'they answer from it. Rebuild them from this log (archive rebuild --all) or put back the log they came from.',
        ]
      : [];
  return [`event store: ${status.eventStore}, head position ${status.head}`, `read store: ${status.readStore}`, '', ...lines, ...warning].join('\n');
}
