import type { BriefingEventType } from '@archive/domain';
import type { SqlExecutor } from '@archive/read-store';
import type { Projection, StoredBriefingEvent } from '../projection.js';
import { speakerName } from '../shared/speaker-name.js';
import { perBatch, rowPerBatch } from '../shared/per-batch.js';

/**
 * Briefings and their transcripts: one row per briefing with its counts, one per statement,
 * question and answer in spoken order with its current text, status and version.
 */
export const briefingsProjection: Projection = {
  name: 'briefings',
  // 2: rows keyed by briefing first. A briefing's rows then sit together in each key's B-tree, so
  // applying its events writes a few pages, not one page per remark at a random place.
  version: 2,
  handles: new Set<BriefingEventType>([
    'BriefingOpened',
    'StatementRecorded',
    'QuestionAsked',
    'AnswerGiven',
    'RemarkCorrected',
    'RemarkRetracted',
    'BriefingClosed',
  ]),
  tables: ['briefings', 'briefing_items', 'briefing_topics'],
  schema: () => [
    `CREATE TABLE IF NOT EXISTS {briefings} (
      briefing_id TEXT PRIMARY KEY,
      title TEXT,
      held_on TEXT NOT NULL,
      location TEXT NOT NULL,
      organization TEXT NOT NULL,
      spokesperson_id TEXT NOT NULL,
      spokesperson_name TEXT NOT NULL,
      spokesperson_title TEXT,
      source_url TEXT,
      source TEXT,
      status TEXT NOT NULL,
      statements INTEGER NOT NULL DEFAULT 0,
      questions INTEGER NOT NULL DEFAULT 0,
      answers INTEGER NOT NULL DEFAULT 0,
      corrections INTEGER NOT NULL DEFAULT 0,
      retractions INTEGER NOT NULL DEFAULT 0,
      position BIGINT NOT NULL,
      recorded_at TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS {briefings_by_day} ON {briefings} (held_on, briefing_id)',
    'CREATE INDEX IF NOT EXISTS {briefings_by_spokesperson} ON {briefings} (spokesperson_id, held_on, briefing_id)',
    `CREATE TABLE IF NOT EXISTS {briefing_items} (
      briefing_id TEXT NOT NULL,
      item_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      kind TEXT NOT NULL,
      question_id TEXT,
      speaker_id TEXT,
      speaker_name TEXT,
      asked_by TEXT,
      text TEXT NOT NULL,
      topics TEXT NOT NULL,
      verbatim INTEGER,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      position BIGINT NOT NULL,
      recorded_at TEXT NOT NULL,
      PRIMARY KEY (briefing_id, item_id)
    )`,
    'CREATE INDEX IF NOT EXISTS {briefing_items_in_order} ON {briefing_items} (briefing_id, seq)',
    `CREATE TABLE IF NOT EXISTS {briefing_topics} (
      briefing_id TEXT NOT NULL,
      topic TEXT NOT NULL,
      PRIMARY KEY (briefing_id, topic)
    )`,
  ],
  apply,
  endBatch: writeCounts,
};

const briefingOf = rowPerBatch<{ spokesperson_id: string; spokesperson_name: string }>(
  'SELECT spokesperson_id, spokesperson_name FROM {briefings} WHERE briefing_id = $1',
);

async function apply(event: StoredBriefingEvent, tx: SqlExecutor): Promise<void> {
  switch (event.type) {
    case 'BriefingOpened': {
      const d = event.data;
      await tx.run(
        `INSERT INTO {briefings} (briefing_id, title, held_on, location, organization, spokesperson_id, spokesperson_name,
           spokesperson_title, source_url, source, status, position, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12)
         ON CONFLICT (briefing_id) DO NOTHING`,
        [
          d.briefingId,
          d.title ?? null,
          d.heldOn,
          d.location,
          d.organization,
          d.spokesperson.id,
          d.spokesperson.name,
          d.spokesperson.title ?? null,
          d.sourceUrl ?? null,
          d.source ? JSON.stringify(d.source) : null,
          event.position,
          event.recordedAt,
        ],
      );
      return;
    }
    case 'StatementRecorded': {
      const d = event.data;
      await addItem(tx, event, d.briefingId, d.statementId, 'statement', {
        speakerId: d.speakerId,
        text: d.text,
        topics: d.topics,
        verbatim: d.verbatim,
      });
      return;
    }
    case 'QuestionAsked': {
      const d = event.data;
      await addItem(tx, event, d.briefingId, d.questionId, 'question', {
        askedBy: d.askedBy,
        text: d.text,
        topics: d.topics,
      });
      return;
    }
    case 'AnswerGiven': {
      const d = event.data;
      await addItem(tx, event, d.briefingId, d.answerId, 'answer', {
        speakerId: d.speakerId,
        questionId: d.questionId,
        text: d.text,
        topics: d.topics,
      });
      return;
    }
    case 'RemarkCorrected': {
      const d = event.data;
      await tx.run(
        `UPDATE {briefing_items} SET text = $2, topics = $3, version = $4,
           status = CASE WHEN status = 'retracted' THEN status ELSE 'corrected' END
         WHERE briefing_id = $5 AND item_id = $1`,
        [d.remarkId, d.text, JSON.stringify(d.topics), d.version, d.briefingId],
      );
      await tx.run('UPDATE {briefings} SET corrections = corrections + 1 WHERE briefing_id = $1', [d.briefingId]);
      await refreshTopics(tx, d.briefingId);
      return;
    }
    case 'RemarkRetracted': {
      const d = event.data;
      await tx.run(`UPDATE {briefing_items} SET status = 'retracted' WHERE briefing_id = $1 AND item_id = $2`, [d.briefingId, d.remarkId]);
      await tx.run('UPDATE {briefings} SET retractions = retractions + 1 WHERE briefing_id = $1', [d.briefingId]);
      return;
    }
    case 'BriefingClosed':
      await tx.run(`UPDATE {briefings} SET status = 'closed' WHERE briefing_id = $1`, [event.data.briefingId]);
      return;
  }
}

interface ItemFields {
  speakerId?: string;
  questionId?: string;
  askedBy?: { name?: string; outlet?: string };
  text: string;
  topics: readonly string[];
  verbatim?: boolean;
}

type ItemKind = 'statement' | 'question' | 'answer';

async function addItem(
  tx: SqlExecutor,
  event: StoredBriefingEvent,
  briefingId: string,
  itemId: string,
  kind: ItemKind,
  item: ItemFields,
): Promise<void> {
  const briefing = await briefingOf(tx, briefingId);
  if (!briefing) return;
  const speaker = item.speakerId
    ? speakerName(item.speakerId, { id: briefing.spokesperson_id, name: briefing.spokesperson_name })
    : null;
  const inserted = await tx.run(
    `INSERT INTO {briefing_items} (item_id, briefing_id, seq, kind, question_id, speaker_id, speaker_name, asked_by,
       text, topics, verbatim, status, version, position, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'original', 1, $12, $13)
     ON CONFLICT (briefing_id, item_id) DO NOTHING`,
    [
      itemId,
      briefingId,
      event.revision,
      kind,
      item.questionId ?? null,
      item.speakerId ?? null,
      speaker,
      item.askedBy ? JSON.stringify(item.askedBy) : null,
      item.text,
      JSON.stringify(item.topics),
      item.verbatim === undefined ? null : item.verbatim ? 1 : 0,
      event.position,
      event.recordedAt,
    ],
  );
  if (inserted === 0) return;
  const counts = itemCounts(tx);
  let count = counts.get(briefingId);
  if (!count) counts.set(briefingId, (count = { statement: 0, question: 0, answer: 0 }));
  count[kind] += 1;
  const known = knownTopics(tx, briefingId);
  for (const topic of item.topics) {
    if (known.has(topic)) continue;
    await tx.run('INSERT INTO {briefing_topics} (briefing_id, topic) VALUES ($1, $2) ON CONFLICT DO NOTHING', [briefingId, topic]);
    known.add(topic);
  }
}

/** The items the batch added to each briefing, counted at its end: one statement per briefing, not per item. */
const itemCounts = perBatch(() => new Map<string, Record<ItemKind, number>>());

async function writeCounts(tx: SqlExecutor): Promise<void> {
  const counts = itemCounts(tx);
  for (const [briefingId, count] of counts) {
    await tx.run('UPDATE {briefings} SET statements = statements + $2, questions = questions + $3, answers = answers + $4 WHERE briefing_id = $1', [
      briefingId,
      count.statement,
      count.question,
      count.answer,
    ]);
  }
  counts.clear();
}

/**
 * The topics of each briefing the batch knows to be in `briefing_topics`: most remarks repeat
 * their briefing's topics, and the batch need not ask the store again (in a rebuild, nine in ten
 * inserts were of rows already there).
 */
const topicsKnown = perBatch(() => new Map<string, Set<string>>());

function knownTopics(tx: SqlExecutor, briefingId: string): Set<string> {
  const briefings = topicsKnown(tx);
  let topics = briefings.get(briefingId);
  if (!topics) briefings.set(briefingId, (topics = new Set()));
  return topics;
}

/** A correction may change a remark's topics: the briefing's topic set is taken again from its items. */
async function refreshTopics(tx: SqlExecutor, briefingId: string): Promise<void> {
  const rows = await tx.all<{ topics: string }>('SELECT topics FROM {briefing_items} WHERE briefing_id = $1', [briefingId]);
  const topics = new Set(rows.flatMap((row) => JSON.parse(row.topics) as string[]));
  await tx.run('DELETE FROM {briefing_topics} WHERE briefing_id = $1', [briefingId]);
  for (const topic of topics) {
    await tx.run('INSERT INTO {briefing_topics} (briefing_id, topic) VALUES ($1, $2)', [briefingId, topic]);
  }
  topicsKnown(tx).set(briefingId, topics);
}
