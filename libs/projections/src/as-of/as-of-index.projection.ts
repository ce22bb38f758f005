import type { BriefingEventType } from '@archive/domain';
import type { SqlExecutor } from '@archive/read-store';
import type { Projection, StoredBriefingEvent } from '../projection.js';
import { rowPerBatch } from '../shared/per-batch.js';

/**
 * The index that lets a query answer "as the archive stood then" from the log: for each topic and
 * each speaker, which briefings' events concern them, with the day they were said and the
 * position and time each was recorded. An `asOf` query reads only those briefings' streams.
 */
export const asOfIndexProjection: Projection = {
  name: 'as-of-index',
  // 3: topic rows keyed by day, with no second index to write. 4: no table of items; a remark's
  // briefing is found in the remark history, whose key is the remark's id.
  version: 4,
  handles: new Set<BriefingEventType>(['BriefingOpened', 'StatementRecorded', 'QuestionAsked', 'AnswerGiven', 'RemarkCorrected']),
  tables: ['asof_briefings', 'asof_topic_events', 'asof_speaker_events'],
  schema: () => [
    `CREATE TABLE IF NOT EXISTS {asof_briefings} (
      briefing_id TEXT PRIMARY KEY,
      held_on TEXT NOT NULL
    )`,
    // A timeline reads a topic's rows day by day, and a whole day up to the cut: the key serves
    // both, with no second index to write. (A position has one day: the key is as unique as
    // (topic, position).)
    `CREATE TABLE IF NOT EXISTS {asof_topic_events} (
      topic TEXT NOT NULL,
      position BIGINT NOT NULL,
      recorded_at TEXT NOT NULL,
      held_on TEXT NOT NULL,
      briefing_id TEXT NOT NULL,
      item_id TEXT NOT NULL,
      PRIMARY KEY (topic, held_on, position)
    )`,
    `CREATE TABLE IF NOT EXISTS {asof_speaker_events} (
      speaker_id TEXT NOT NULL,
      position BIGINT NOT NULL,
      recorded_at TEXT NOT NULL,
      held_on TEXT NOT NULL,
      briefing_id TEXT NOT NULL,
      PRIMARY KEY (speaker_id, position)
    )`,
  ],
  apply,
};

const briefingOf = rowPerBatch<{ held_on: string }>('SELECT held_on FROM {asof_briefings} WHERE briefing_id = $1');

async function apply(event: StoredBriefingEvent, tx: SqlExecutor): Promise<void> {
  if (event.type === 'BriefingOpened') {
    const { briefingId, heldOn, spokesperson } = event.data;
    await tx.run('INSERT INTO {asof_briefings} (briefing_id, held_on) VALUES ($1, $2) ON CONFLICT (briefing_id) DO NOTHING', [
      briefingId,
      heldOn,
    ]);
    await addSpeakerEvent(tx, event, spokesperson.id, heldOn);
    return;
  }
  const briefing = await briefingOf(tx, event.data.briefingId);
  if (!briefing) return;
  const heldOn = briefing.held_on;
  switch (event.type) {
    case 'StatementRecorded':
      await addTopicEvents(tx, event, event.data.statementId, event.data.topics, heldOn);
      await addSpeakerEvent(tx, event, event.data.speakerId, heldOn);
      return;
    case 'QuestionAsked':
      await addTopicEvents(tx, event, event.data.questionId, event.data.topics, heldOn);
      return;
    case 'AnswerGiven':
      await addTopicEvents(tx, event, event.data.answerId, event.data.topics, heldOn);
      await addSpeakerEvent(tx, event, event.data.speakerId, heldOn);
      return;
    case 'RemarkCorrected':
      await addTopicEvents(tx, event, event.data.remarkId, event.data.topics, heldOn);
      return;
  }
}

async function addTopicEvents(tx: SqlExecutor, event: StoredBriefingEvent, itemId: string, topics: readonly string[], heldOn: string) {
  for (const topic of new Set(topics)) {
    await tx.run(
      `INSERT INTO {asof_topic_events} (topic, position, recorded_at, held_on, briefing_id, item_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (topic, held_on, position) DO NOTHING`,
      [topic, event.position, event.recordedAt, heldOn, event.data.briefingId, itemId],
    );
  }
}

async function addSpeakerEvent(tx: SqlExecutor, event: StoredBriefingEvent, speakerId: string, heldOn: string) {
  await tx.run(
    `INSERT INTO {asof_speaker_events} (speaker_id, position, recorded_at, held_on, briefing_id)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (speaker_id, position) DO NOTHING`,
    [speakerId, event.position, event.recordedAt, heldOn, event.data.briefingId],
  );
}
