import type { BriefingEventType } from '@archive/domain';
import type { SqlExecutor } from '@archive/read-store';
import type { Projection, StoredBriefingEvent } from '../projection.js';
import { speakerName } from '../shared/speaker-name.js';
import { perBatch, rowPerBatch } from '../shared/per-batch.js';

/**
 * Topic timelines and the topic list: every statement, question and answer under each of its
 * topics, in the order they were said, with each topic's mentions and first and last day.
 */
export const topicsProjection: Projection = {
  name: 'topics',
  // 2: items keyed by briefing rather than by remark id, so a briefing's rows sit together and
  // applying its events writes a few pages, not one per remark; entries keyed in timeline order.
  version: 2,
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
      briefing_id TEXT NOT NULL,
      item_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      held_on TEXT NOT NULL,
      speaker_id TEXT,
      speaker_name TEXT,
      asked_by TEXT,
      text TEXT NOT NULL,
      topics TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      position BIGINT NOT NULL,
      PRIMARY KEY (briefing_id, item_id)
    )`,
    // Keyed in timeline order: an item's position is its own, so the key is unique, and a page
    // is read through it with no second index to write.
    `CREATE TABLE IF NOT EXISTS {topic_entries} (
      topic TEXT NOT NULL,
      held_on TEXT NOT NULL,
      position BIGINT NOT NULL,
      briefing_id TEXT NOT NULL,
      item_id TEXT NOT NULL,
      PRIMARY KEY (topic, held_on, position)
    )`,
    `CREATE TABLE IF NOT EXISTS {topics} (
      slug TEXT PRIMARY KEY,
      mentions INTEGER NOT NULL,
      first_on TEXT NOT NULL,
      last_on TEXT NOT NULL
    )`,
  ],
  apply,
  endBatch: writeMentions,
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
        'SELECT topics, held_on, position FROM {topic_items} WHERE briefing_id = $1 AND item_id = $2',
        [d.briefingId, d.remarkId],
      );
      if (!item) return;
      await tx.run(
        `UPDATE {topic_items} SET text = $2, topics = $3, version = $4,
           status = CASE WHEN status = 'retracted' THEN status ELSE 'corrected' END
         WHERE briefing_id = $5 AND item_id = $1`,
        [d.remarkId, d.text, JSON.stringify(d.topics), d.version, d.briefingId],
      );
      const before = new Set(JSON.parse(item.topics) as string[]);
      const after = new Set(d.topics);
      for (const topic of before) {
        if (after.has(topic)) continue;
        const removed = await tx.run('DELETE FROM {topic_entries} WHERE topic = $1 AND held_on = $2 AND position = $3', [
          topic,
          item.held_on,
          Number(item.position),
        ]);
        if (removed > 0) await removeMention(tx, topic);
      }
      for (const topic of after) {
        if (!before.has(topic)) await addEntry(tx, topic, d.briefingId, d.remarkId, item.held_on, Number(item.position));
      }
      return;
    }
    case 'RemarkRetracted':
      await tx.run(`UPDATE {topic_items} SET status = 'retracted' WHERE briefing_id = $1 AND item_id = $2`, [
        event.data.briefingId,
        event.data.remarkId,
      ]);
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
     ON CONFLICT (briefing_id, item_id) DO NOTHING`,
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
  for (const topic of item.topics) await addEntry(tx, topic, briefingId, item.id, briefing.held_on, event.position);
}

async function addEntry(tx: SqlExecutor, topic: string, briefingId: string, itemId: string, heldOn: string, position: number): Promise<void> {
  await tx.run('INSERT INTO {topic_entries} (topic, briefing_id, item_id, held_on, position) VALUES ($1, $2, $3, $4, $5)', [
    topic,
    briefingId,
    itemId,
    heldOn,
    position,
  ]);
  const added = mentionsAdded(tx);
  const mention = added.get(topic);
  if (!mention) added.set(topic, { count: 1, firstOn: heldOn, lastOn: heldOn });
  else {
    mention.count += 1;
    if (heldOn < mention.firstOn) mention.firstOn = heldOn;
    if (heldOn > mention.lastOn) mention.lastOn = heldOn;
  }
}

/**
 * The mentions the batch added to each topic, written at its end: one statement per topic instead
 * of one per entry (in a rebuild, a batch of 2,000 events adds some 3,500 mentions to about 160 topics).
 */
const mentionsAdded = perBatch(() => new Map<string, { count: number; firstOn: string; lastOn: string }>());

async function writeMentions(tx: SqlExecutor): Promise<void> {
  for (const topic of [...mentionsAdded(tx).keys()]) await writeMention(tx, topic);
}

async function writeMention(tx: SqlExecutor, topic: string): Promise<void> {
  const added = mentionsAdded(tx);
  const mention = added.get(topic);
  if (!mention) return;
  added.delete(topic);
  await tx.run(
    `INSERT INTO {topics} (slug, mentions, first_on, last_on) VALUES ($1, $2, $3, $4)
     ON CONFLICT (slug) DO UPDATE SET mentions = {topics}.mentions + excluded.mentions,
       first_on = CASE WHEN excluded.first_on < {topics}.first_on THEN excluded.first_on ELSE {topics}.first_on END,
       last_on = CASE WHEN excluded.last_on > {topics}.last_on THEN excluded.last_on ELSE {topics}.last_on END`,
    [topic, mention.count, mention.firstOn, mention.lastOn],
  );
}

/**
 * After an entry is removed: one mention fewer, and the first and last day taken again from the
 * entries left, through the (topic, held_on) index rather than by counting them all.
 */
async function removeMention(tx: SqlExecutor, topic: string): Promise<void> {
  // The count must include the batch's own mentions of the topic before one is taken away.
  await writeMention(tx, topic);
  const row = await tx.get<{ mentions: number }>('UPDATE {topics} SET mentions = mentions - 1 WHERE slug = $1 RETURNING mentions', [topic]);
  if (!row || Number(row.mentions) <= 0) {
    await tx.run('DELETE FROM {topics} WHERE slug = $1', [topic]);
    return;
  }
  await tx.run(
    `UPDATE {topics} SET
       first_on = (SELECT MIN(held_on) FROM {topic_entries} WHERE topic = $1),
       last_on = (SELECT MAX(held_on) FROM {topic_entries} WHERE topic = $1)
     WHERE slug = $1`,
    [topic],
  );
}
