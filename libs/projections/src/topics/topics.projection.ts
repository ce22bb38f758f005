import type { BriefingEventType } from '@archive/domain';
import type { SqlExecutor } from '@archive/read-store';
import type { Projection, StoredBriefingEvent } from '../projection.js';
import { speakerName } from '../shared/speaker-name.js';
import { rowPerBatch } from '../shared/row-per-batch.js';

/**
 * Topic timelines and the topic list: every statement, question and answer under each of its
 * topics, in the order they were said, with each topic's mentions and first and last day.
 */
export const topicsProjection: Projection = {
  name: 'topics',
  version: 1,
  handles: new Set<BriefingEventType>([
    'BriefingOpened',
    'StatementRecorded',
    'QuestionAsked',
    'AnswerGiven',
    'RemarkCorrected',
    'RemarkRetracted',
  ]),
  tables: ['topics', 'topic_entries', 'topic_items', 'topic_briefings'],
  schema: () => [
    `CREATE TABLE IF NOT EXISTS {topic_briefings} (
      briefing_id TEXT PRIMARY KEY,
      held_on TEXT NOT NULL,
      spokesperson_id TEXT NOT NULL,
      spokesperson_name TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS {topic_items} (
      item_id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      briefing_id TEXT NOT NULL,
      held_on TEXT NOT NULL,
      speaker_id TEXT,
      speaker_name TEXT,
      asked_by TEXT,
      text TEXT NOT NULL,
      topics TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      position BIGINT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS {topic_entries} (
      topic TEXT NOT NULL,
      item_id TEXT NOT NULL,
      held_on TEXT NOT NULL,
      position BIGINT NOT NULL,
      PRIMARY KEY (topic, item_id)
    )`,
    'CREATE INDEX IF NOT EXISTS {topic_entries_in_order} ON {topic_entries} (topic, held_on, position)',
    `CREATE TABLE IF NOT EXISTS {topics} (
      slug TEXT PRIMARY KEY,
      mentions INTEGER NOT NULL,
      first_on TEXT NOT NULL,
      last_on TEXT NOT NULL
    )`,
  ],
  apply,
};

const briefingOf = rowPerBatch<{ held_on: string; spokesperson_id: string; spokesperson_name: string }>(
  'SELECT held_on, spokesperson_id, spokesperson_name FROM {topic_briefings} WHERE briefing_id = $1',
);

async function apply(event: StoredBriefingEvent, tx: SqlExecutor): Promise<void> {
  switch (event.type) {
    case 'BriefingOpened': {
      const { briefingId, heldOn, spokesperson } = event.data;
      await tx.run(
        `INSERT INTO {topic_briefings} (briefing_id, held_on, spokesperson_id, spokesperson_name)
         VALUES ($1, $2, $3, $4) ON CONFLICT (briefing_id) DO NOTHING`,
        [briefingId, heldOn, spokesperson.id, spokesperson.name],
      );
      return;
    }
    case 'StatementRecorded': {
      const d = event.data;
      await addItem(tx, event, { id: d.statementId, kind: 'statement', speakerId: d.speakerId, text: d.text, topics: d.topics });
      return;
    }
    case 'QuestionAsked': {
      const d = event.data;
      await addItem(tx, event, { id: d.questionId, kind: 'question', askedBy: d.askedBy, text: d.text, topics: d.topics });
      return;
    }
    case 'AnswerGiven': {
      const d = event.data;
      await addItem(tx, event, { id: d.answerId, kind: 'answer', speakerId: d.speakerId, text: d.text, topics: d.topics });
      return;
    }
    case 'RemarkCorrected': {
      const d = event.data;
      const item = await tx.get<{ topics: string; held_on: string; position: number }>(
        'SELECT topics, held_on, position FROM {topic_items} WHERE item_id = $1',
        [d.remarkId],
      );
      if (!item) return;
      await tx.run(
        `UPDATE {topic_items} SET text = $2, topics = $3, version = $4,
           status = CASE WHEN status = 'retracted' THEN status ELSE 'corrected' END
         WHERE item_id = $1`,
        [d.remarkId, d.text, JSON.stringify(d.topics), d.version],
      );
      const before = new Set(JSON.parse(item.topics) as string[]);
      const after = new Set(d.topics);
      for (const topic of before) {
        if (after.has(topic)) continue;
        await tx.run('DELETE FROM {topic_entries} WHERE topic = $1 AND item_id = $2', [topic, d.remarkId]);
        await recount(tx, topic);
      }
      for (const topic of after) {
        if (!before.has(topic)) await addEntry(tx, topic, d.remarkId, item.held_on, Number(item.position));
      }
      return;
    }
    case 'RemarkRetracted':
      await tx.run(`UPDATE {topic_items} SET status = 'retracted' WHERE item_id = $1`, [event.data.remarkId]);
      return;
  }
}

interface NewItem {
  id: string;
  kind: 'statement' | 'question' | 'answer';
  speakerId?: string;
  askedBy?: { name?: string; outlet?: string };
  text: string;
  topics: readonly string[];
}

async function addItem(tx: SqlExecutor, event: StoredBriefingEvent, item: NewItem): Promise<void> {
  const briefingId = event.data.briefingId;
  const briefing = await briefingOf(tx, briefingId);
  if (!briefing) return;
  const speaker = item.speakerId
    ? speakerName(item.speakerId, { id: briefing.spokesperson_id, name: briefing.spokesperson_name })
    : null;
  const inserted = await tx.run(
    `INSERT INTO {topic_items} (item_id, kind, briefing_id, held_on, speaker_id, speaker_name, asked_by, text, topics,
       status, version, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'original', 1, $10)
     ON CONFLICT (item_id) DO NOTHING`,
    [
      item.id,
      item.kind,
      briefingId,
      briefing.held_on,
      item.speakerId ?? null,
      speaker,
      item.askedBy ? JSON.stringify(item.askedBy) : null,
      item.text,
      JSON.stringify(item.topics),
      event.position,
    ],
  );
  if (inserted === 0) return;
  for (const topic of item.topics) await addEntry(tx, topic, item.id, briefing.held_on, event.position);
}

async function addEntry(tx: SqlExecutor, topic: string, itemId: string, heldOn: string, position: number): Promise<void> {
  await tx.run('INSERT INTO {topic_entries} (topic, item_id, held_on, position) VALUES ($1, $2, $3, $4)', [
    topic,
    itemId,
    heldOn,
    position,
  ]);
  await tx.run(
    `INSERT INTO {topics} (slug, mentions, first_on, last_on) VALUES ($1, 1, $2, $2)
     ON CONFLICT (slug) DO UPDATE SET mentions = {topics}.mentions + 1,
       first_on = CASE WHEN excluded.first_on < {topics}.first_on THEN excluded.first_on ELSE {topics}.first_on END,
       last_on = CASE WHEN excluded.last_on > {topics}.last_on THEN excluded.last_on ELSE {topics}.last_on END`,
    [topic, heldOn],
  );
}

/** After an entry is removed the topic's figures are taken again from what is left. */
async function recount(tx: SqlExecutor, topic: string): Promise<void> {
  const stats = await tx.get<{ mentions: number; first_on: string | null; last_on: string | null }>(
    'SELECT COUNT(*) AS mentions, MIN(held_on) AS first_on, MAX(held_on) AS last_on FROM {topic_entries} WHERE topic = $1',
    [topic],
  );
  if (!stats || Number(stats.mentions) === 0) {
    await tx.run('DELETE FROM {topics} WHERE slug = $1', [topic]);
    return;
  }
  await tx.run('UPDATE {topics} SET mentions = $2, first_on = $3, last_on = $4 WHERE slug = $1', [
    topic,
    Number(stats.mentions),
    stats.first_on,
    stats.last_on,
  ]);
}
