import type { BriefingEventType } from '@archive/domain';
import type { SqlExecutor } from '@archive/read-store';
import type { Projection, StoredBriefingEvent } from '../projection.js';
import { speakerName } from '../shared/speaker-name.js';
import { perBatch, rowPerBatch } from '../shared/per-batch.js';

/**
 * Speakers and their profiles: the briefings a spokesperson held, every remark a speaker made
 * and how often each topic came up in them. A speaker who is not a briefing's spokesperson has a
 * profile too, with no briefings held.
 */
export const spokespersonsProjection: Projection = {
  name: 'spokespersons',
  // 2: remarks keyed by briefing, so a briefing's rows sit together in the key's B-tree.
  // 3: the name and title come from the latest briefing the speaker led, never from a remark in
  // someone else's briefing, whatever order they were recorded in. No new column: while version 3
  // rebuilds beside them, the live tables of version 2 take its events too.
  // 4: the title is that of the latest briefing they led that names one, whatever order briefings
  // come in (a new table, `speaker_titles`: a table version 3's live tables are given empty at the
  // upgrade, where a new column would break their inserts while version 4 rebuilds).
  version: 4,
  handles: new Set<BriefingEventType>(['BriefingOpened', 'StatementRecorded', 'AnswerGiven', 'RemarkCorrected', 'RemarkRetracted']),
  tables: ['spokespersons', 'speaker_topics', 'speaker_remarks', 'speaker_briefings', 'speaker_titles'],
  schema: () => [
    // Only briefings that name their spokesperson's title: a few rows per speaker.
    `CREATE TABLE IF NOT EXISTS {speaker_titles} (
      spokesperson_id TEXT NOT NULL,
      held_on TEXT NOT NULL,
      briefing_id TEXT NOT NULL,
      title TEXT NOT NULL,
      PRIMARY KEY (spokesperson_id, held_on, briefing_id)
    )`,
    `CREATE TABLE IF NOT EXISTS {speaker_briefings} (
      briefing_id TEXT PRIMARY KEY,
      held_on TEXT NOT NULL,
      spokesperson_id TEXT NOT NULL,
      spokesperson_name TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS {speaker_briefings_led} ON {speaker_briefings} (spokesperson_id, held_on, briefing_id)',
    `CREATE TABLE IF NOT EXISTS {spokespersons} (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      title TEXT,
      briefings INTEGER NOT NULL,
      first_on TEXT NOT NULL,
      last_on TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS {speaker_remarks} (
      briefing_id TEXT NOT NULL,
      remark_id TEXT NOT NULL,
      speaker_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      held_on TEXT NOT NULL,
      text TEXT NOT NULL,
      topics TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      position BIGINT NOT NULL,
      PRIMARY KEY (briefing_id, remark_id)
    )`,
    'CREATE INDEX IF NOT EXISTS {speaker_remarks_in_order} ON {speaker_remarks} (speaker_id, held_on, position)',
    `CREATE TABLE IF NOT EXISTS {speaker_topics} (
      speaker_id TEXT NOT NULL,
      topic TEXT NOT NULL,
      mentions INTEGER NOT NULL,
      PRIMARY KEY (speaker_id, topic)
    )`,
  ],
  apply,
  endBatch: writeTopicCounts,
};

const briefingOf = rowPerBatch<{ held_on: string; spokesperson_id: string; spokesperson_name: string }>(
  'SELECT held_on, spokesperson_id, spokesperson_name FROM {speaker_briefings} WHERE briefing_id = $1',
);

async function apply(event: StoredBriefingEvent, tx: SqlExecutor): Promise<void> {
  switch (event.type) {
    case 'BriefingOpened': {
      const { briefingId, heldOn, spokesperson } = event.data;
      const inserted = await tx.run(
        `INSERT INTO {speaker_briefings} (briefing_id, held_on, spokesperson_id, spokesperson_name)
         VALUES ($1, $2, $3, $4) ON CONFLICT (briefing_id) DO NOTHING`,
        [briefingId, heldOn, spokesperson.id, spokesperson.name],
      );
      if (inserted === 0) return;
      // The name and title are those of the latest briefing the speaker led (held last; of two held
      // the same day, the greater id), in whatever order briefings are recorded: people change
      // titles. A speaker first met in someone else's briefing has only a name made from the slug,
      // which any briefing they lead replaces. The title is looked up below, as the latest named.
      const latest = await tx.get<{ held_on: string; briefing_id: string }>(
        `SELECT held_on, briefing_id FROM {speaker_briefings} WHERE spokesperson_id = $1 AND briefing_id <> $2
         ORDER BY held_on DESC, briefing_id DESC LIMIT 1`,
        [spokesperson.id, briefingId],
      );
      const named = latest === undefined || heldOn > latest.held_on || (heldOn === latest.held_on && briefingId > latest.briefing_id);
      await tx.run(
        `INSERT INTO {spokespersons} (id, name, title, briefings, first_on, last_on) VALUES ($1, $2, NULL, 1, $3, $3)
         ON CONFLICT (id) DO UPDATE SET briefings = {spokespersons}.briefings + 1,
           name = CASE WHEN $4 = 1 THEN excluded.name ELSE {spokespersons}.name END,
           first_on = CASE WHEN excluded.first_on < {spokespersons}.first_on THEN excluded.first_on ELSE {spokespersons}.first_on END,
           last_on = CASE WHEN excluded.last_on > {spokespersons}.last_on THEN excluded.last_on ELSE {spokespersons}.last_on END`,
        [spokesperson.id, spokesperson.name, heldOn, named ? 1 : 0],
      );
      // The title is that of the latest briefing they led that names one: a briefing that names
      // none leaves it as it is (none before any did).
      if (spokesperson.title === undefined || spokesperson.title === null) return;
      await tx.run(
        `INSERT INTO {speaker_titles} (spokesperson_id, held_on, briefing_id, title) VALUES ($1, $2, $3, $4)
         ON CONFLICT (spokesperson_id, held_on, briefing_id) DO NOTHING`,
        [spokesperson.id, heldOn, briefingId, spokesperson.title],
      );
      const titled = await tx.get<{ title: string }>(
        'SELECT title FROM {speaker_titles} WHERE spokesperson_id = $1 ORDER BY held_on DESC, briefing_id DESC LIMIT 1',
        [spokesperson.id],
      );
      await tx.run('UPDATE {spokespersons} SET title = $2 WHERE id = $1', [spokesperson.id, titled?.title ?? null]);
      return;
    }
    case 'StatementRecorded': {
      const d = event.data;
      await addRemark(tx, event, d.statementId, 'statement', d.speakerId, d.text, d.topics);
      return;
    }
    case 'AnswerGiven': {
      const d = event.data;
      await addRemark(tx, event, d.answerId, 'answer', d.speakerId, d.text, d.topics);
      return;
    }
    case 'RemarkCorrected': {
      const d = event.data;
      const remark = await tx.get<{ speaker_id: string; topics: string }>(
        'SELECT speaker_id, topics FROM {speaker_remarks} WHERE briefing_id = $1 AND remark_id = $2',
        [d.briefingId, d.remarkId],
      );
      if (!remark) return;
      await tx.run(
        `UPDATE {speaker_remarks} SET text = $2, topics = $3, version = $4,
           status = CASE WHEN status = 'retracted' THEN status ELSE 'corrected' END
         WHERE briefing_id = $5 AND remark_id = $1`,
        [d.remarkId, d.text, JSON.stringify(d.topics), d.version, d.briefingId],
      );
      const before = new Set(JSON.parse(remark.topics) as string[]);
      const after = new Set(d.topics);
      for (const topic of before) if (!after.has(topic)) countTopic(tx, remark.speaker_id, topic, -1);
      for (const topic of after) if (!before.has(topic)) countTopic(tx, remark.speaker_id, topic, 1);
      return;
    }
    case 'RemarkRetracted':
      await tx.run(`UPDATE {speaker_remarks} SET status = 'retracted' WHERE briefing_id = $1 AND remark_id = $2`, [
        event.data.briefingId,
        event.data.remarkId,
      ]);
      return;
  }
}

async function addRemark(
  tx: SqlExecutor,
  event: StoredBriefingEvent,
  remarkId: string,
  kind: 'statement' | 'answer',
  speakerId: string,
  text: string,
  topics: readonly string[],
): Promise<void> {
  const briefing = await briefingOf(tx, event.data.briefingId);
  if (!briefing) return;
  const inserted = await tx.run(
    `INSERT INTO {speaker_remarks} (remark_id, speaker_id, kind, briefing_id, held_on, text, topics, status, version, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'original', 1, $8) ON CONFLICT (briefing_id, remark_id) DO NOTHING`,
    [remarkId, speakerId, kind, event.data.briefingId, briefing.held_on, text, JSON.stringify(topics), event.position],
  );
  if (inserted === 0) return;
  if (speakerId !== briefing.spokesperson_id) {
    const name = speakerName(speakerId, { id: briefing.spokesperson_id, name: briefing.spokesperson_name });
    await tx.run(
      `INSERT INTO {spokespersons} (id, name, title, briefings, first_on, last_on) VALUES ($1, $2, NULL, 0, $3, $3)
       ON CONFLICT (id) DO UPDATE SET
         first_on = CASE WHEN excluded.first_on < {spokespersons}.first_on THEN excluded.first_on ELSE {spokespersons}.first_on END,
         last_on = CASE WHEN excluded.last_on > {spokespersons}.last_on THEN excluded.last_on ELSE {spokespersons}.last_on END`,
      [speakerId, name, briefing.held_on],
    );
  }
  for (const topic of topics) countTopic(tx, speakerId, topic, 1);
}

/**
 * What the batch changed in each speaker's count of each topic, written at its end: one statement
 * per speaker and topic instead of one per remark. The net change is enough: a count that reaches
 * zero midway and then grows again ends where the net change puts it.
 */
const topicCounts = perBatch(() => new Map<string, { speakerId: string; topic: string; delta: number }>());

function countTopic(tx: SqlExecutor, speakerId: string, topic: string, delta: 1 | -1): void {
  const counts = topicCounts(tx);
  const key = `${speakerId}\u0000${topic}`;
  const count = counts.get(key);
  if (count) count.delta += delta;
  else counts.set(key, { speakerId, topic, delta });
}

async function writeTopicCounts(tx: SqlExecutor): Promise<void> {
  const counts = topicCounts(tx);
  for (const { speakerId, topic, delta } of counts.values()) {
    if (delta === 0) continue;
    await tx.run(
      `INSERT INTO {speaker_topics} (speaker_id, topic, mentions) VALUES ($1, $2, $3)
       ON CONFLICT (speaker_id, topic) DO UPDATE SET mentions = {speaker_topics}.mentions + excluded.mentions`,
      [speakerId, topic, delta],
    );
    if (delta < 0) await tx.run('DELETE FROM {speaker_topics} WHERE speaker_id = $1 AND topic = $2 AND mentions <= 0', [speakerId, topic]);
  }
  counts.clear();
}
