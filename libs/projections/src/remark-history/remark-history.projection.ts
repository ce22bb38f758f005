import type { BriefingEventType } from '@archive/domain';
import type { SqlExecutor } from '@archive/read-store';
import type { Projection, StoredBriefingEvent } from '../projection.js';

/**
 * Every version of every remark, with the reason for each correction and any retraction. A remark
 * id belongs to the first briefing that used it: the commands refuse its use in another briefing,
 * and should one get past them (recorded before the first use was projected), its corrections and
 * retraction stay out of the first remark's history.
 */
export const remarkHistoryProjection: Projection = {
  name: 'remark-history',
  // 2: a remark id's corrections and retractions from another briefing than its first are ignored.
  version: 2,
  handles: new Set<BriefingEventType>(['StatementRecorded', 'AnswerGiven', 'RemarkCorrected', 'RemarkRetracted']),
  tables: ['remark_versions', 'remark_retractions'],
  schema: () => [
    `CREATE TABLE IF NOT EXISTS {remark_versions} (
      remark_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      briefing_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      text TEXT NOT NULL,
      topics TEXT NOT NULL,
      reason TEXT,
      recorded_at TEXT NOT NULL,
      position BIGINT NOT NULL,
      event_id TEXT NOT NULL,
      PRIMARY KEY (remark_id, version)
    )`,
    `CREATE TABLE IF NOT EXISTS {remark_retractions} (
      remark_id TEXT PRIMARY KEY,
      reason TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      position BIGINT NOT NULL,
      event_id TEXT NOT NULL
    )`,
  ],
  apply,
};

const INSERT_VERSION = `INSERT INTO {remark_versions}
  (remark_id, version, briefing_id, kind, text, topics, reason, recorded_at, position, event_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (remark_id, version) DO NOTHING`;

async function apply(event: StoredBriefingEvent, tx: SqlExecutor): Promise<void> {
  const envelope = [event.recordedAt, event.position, event.eventId];
  switch (event.type) {
    case 'StatementRecorded': {
      const d = event.data;
      await tx.run(INSERT_VERSION, [d.statementId, 1, d.briefingId, 'statement', d.text, JSON.stringify(d.topics), null, ...envelope]);
      return;
    }
    case 'AnswerGiven': {
      const d = event.data;
      await tx.run(INSERT_VERSION, [d.answerId, 1, d.briefingId, 'answer', d.text, JSON.stringify(d.topics), null, ...envelope]);
      return;
    }
    case 'RemarkCorrected': {
      const d = event.data;
      const first = await firstVersion(tx, d.remarkId, d.briefingId);
      if (!first) return;
      await tx.run(INSERT_VERSION, [d.remarkId, d.version, d.briefingId, first.kind, d.text, JSON.stringify(d.topics), d.reason, ...envelope]);
      return;
    }
    case 'RemarkRetracted': {
      const d = event.data;
      if (!(await firstVersion(tx, d.remarkId, d.briefingId))) return;
      await tx.run(
        `INSERT INTO {remark_retractions} (remark_id, reason, recorded_at, position, event_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (remark_id) DO NOTHING`,
        [d.remarkId, d.reason, ...envelope],
      );
      return;
    }
  }
}

/** The remark's first version, if the remark is the one of that briefing that holds the id. */
function firstVersion(tx: SqlExecutor, remarkId: string, briefingId: string): Promise<{ kind: string } | undefined> {
  return tx.get<{ kind: string }>('SELECT kind FROM {remark_versions} WHERE remark_id = $1 AND version = 1 AND briefing_id = $2', [remarkId, briefingId]);
}
