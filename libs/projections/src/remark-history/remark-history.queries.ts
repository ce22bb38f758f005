import type { SqlExecutor } from '@archive/read-store';
import { wordDiff, type DiffPart } from '../shared/word-diff.js';

export interface RemarkVersion {
  version: number;
  text: string;
  topics: string[];
  /** Why this version replaced the one before; null for the first. */
  reason: string | null;
  recordedAt: string;
  position: number;
  eventId: string;
  /** What this version changed in the one before, word by word; null for the first. */
  diff: DiffPart[] | null;
}

export interface RemarkHistory {
  remarkId: string;
  briefingId: string;
  kind: 'statement' | 'answer';
  versions: RemarkVersion[];
  retracted: boolean;
  retraction: { reason: string; recordedAt: string; position: number; eventId: string } | null;
}

interface VersionRow {
  version: number;
  briefing_id: string;
  kind: 'statement' | 'answer';
  text: string;
  topics: string;
  reason: string | null;
  recorded_at: string;
  position: number;
  event_id: string;
}

/** Every version of a remark, oldest first; undefined when there is no such remark. */
export async function remarkHistory(db: SqlExecutor, remarkId: string): Promise<RemarkHistory | undefined> {
  const rows = await db.all<VersionRow>('SELECT * FROM {remark_versions} WHERE remark_id = $1 ORDER BY version', [remarkId]);
  const first = rows[0];
  if (!first) return undefined;
  const retraction = await db.get<{ reason: string; recorded_at: string; position: number; event_id: string }>(
    'SELECT reason, recorded_at, position, event_id FROM {remark_retractions} WHERE remark_id = $1',
    [remarkId],
  );
  return {
    remarkId,
    briefingId: first.briefing_id,
    kind: first.kind,
    versions: rows.map((row, index) => ({
      version: Number(row.version),
      text: row.text,
      topics: JSON.parse(row.topics) as string[],
      reason: row.reason,
      recordedAt: row.recorded_at,
      position: Number(row.position),
      eventId: row.event_id,
      diff: index === 0 ? null : wordDiff(rows[index - 1]!.text, row.text),
    })),
    retracted: retraction !== undefined,
    retraction: retraction
      ? { reason: retraction.reason, recordedAt: retraction.recorded_at, position: Number(retraction.position), eventId: retraction.event_id }
      : null,
  };
}

/** Ids asked about in one statement: well inside both stores' limits on parameters. */
const OWNERS_PER_QUERY = 1000;

/**
 * The briefing whose remark holds each of these ids, as far as the read model has got; an id no
 * remark holds yet is not in the map. The commands ask it before remarks take ids, since the write
 * side knows one briefing at a time.
 */
export async function remarkOwners(db: SqlExecutor, remarkIds: readonly string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (let at = 0; at < remarkIds.length; at += OWNERS_PER_QUERY) {
    const ids = remarkIds.slice(at, at + OWNERS_PER_QUERY);
    const rows = await db.all<{ remark_id: string; briefing_id: string }>(
      `SELECT remark_id, briefing_id FROM {remark_versions} WHERE version = 1 AND remark_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`,
      ids,
    );
    for (const row of rows) owners.set(row.remark_id, row.briefing_id);
  }
  return owners;
}
