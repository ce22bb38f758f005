import type { BriefingEventType } from '@archive/domain';
import type { ReadStoreDialect, SqlExecutor } from '@archive/read-store';
import type { Projection, StoredBriefingEvent } from '../projection.js';
import { speakerName } from '../shared/speaker-name.js';
import { rowPerBatch } from '../shared/per-batch.js';

/**
 * Full-text search over the current text of every statement, question and answer. SQLite keeps
 * an FTS5 index beside the items; PostgreSQL a tsvector column. Both index English word stems
 * (Porter's stemmer on SQLite, Snowball's on PostgreSQL), so a word is found in any inflection
 * without a prefix search, whose merging of every matching term's postings is the costly part.
 */
export const searchProjection: Projection = {
  name: 'search',
  // 2: English stems; items keyed by briefing, so a briefing's rows sit together in the key's B-tree.
  // 3: SQLite's full-text index keeps no copy of the text (contentless), which `search_items` holds.
  // 4: a question's speaker is the journalist who asked it, by name, as in the topic timelines.
  version: 4,
  handles: new Set<BriefingEventType>([
    'BriefingOpened',
    'StatementRecorded',
    'QuestionAsked',
    'AnswerGiven',
    'RemarkCorrected',
    'RemarkRetracted',
  ]),
  tables: ['search_items', 'search_briefings'],
  checksumIgnores: ['doc', 'tsv'],
  schema,
  apply,
};

function schema(dialect: ReadStoreDialect): string[] {
  const common = `
      briefing_id TEXT NOT NULL,
      item_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      held_on TEXT NOT NULL,
      speaker_id TEXT,
      speaker_name TEXT,
      text TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      position BIGINT NOT NULL,
      UNIQUE (briefing_id, item_id)`;
  const briefings = `CREATE TABLE IF NOT EXISTS {search_briefings} (
      briefing_id TEXT PRIMARY KEY,
      held_on TEXT NOT NULL,
      spokesperson_id TEXT NOT NULL,
      spokesperson_name TEXT NOT NULL
    )`;
  if (dialect === 'postgres') {
    return [
      ...POSTGRES_SEARCH_CONFIGURATION,
      briefings,
      `CREATE TABLE IF NOT EXISTS {search_items} (
        doc BIGSERIAL PRIMARY KEY,${common},
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('archive_search', text)) STORED
      )`,
      'CREATE INDEX IF NOT EXISTS {search_items_tsv} ON {search_items} USING GIN (tsv)',
    ];
  }
  return [
    briefings,
    `CREATE TABLE IF NOT EXISTS {search_items} (doc INTEGER PRIMARY KEY,${common})`,
    // Queries read only its rowids and ranks; a copy of every text made the projection's file 38 %
    // larger and its rebuild 7 % slower. `contentless_delete` lets a correction delete by rowid.
    `CREATE VIRTUAL TABLE IF NOT EXISTS {search_fts} USING fts5(
      text, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2'
    )`,
  ];
}

/**
 * `archive_search`: the `simple` configuration (every word kept, lower case) with English stems
 * for Latin-script words. Unlike `english` it keeps stop words, as FTS5 does, so a query means
 * the same on both stores. Created once per database; a concurrent creator's error is harmless.
 */
const POSTGRES_SEARCH_CONFIGURATION = [
  `DO $$ BEGIN
     CREATE TEXT SEARCH DICTIONARY archive_english_stem (TEMPLATE = snowball, LANGUAGE = english);
   EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
   END $$`,
  `DO $$ BEGIN
     CREATE TEXT SEARCH CONFIGURATION archive_search (COPY = simple);
     ALTER TEXT SEARCH CONFIGURATION archive_search ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH archive_english_stem;
   EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
   END $$`,
];

const briefingOf = rowPerBatch<{ held_on: string; spokesperson_id: string; spokesperson_name: string }>(
  'SELECT held_on, spokesperson_id, spokesperson_name FROM {search_briefings} WHERE briefing_id = $1',
);

async function apply(event: StoredBriefingEvent, tx: SqlExecutor): Promise<void> {
  switch (event.type) {
    case 'BriefingOpened': {
      const { briefingId, heldOn, spokesperson } = event.data;
      await tx.run(
        `INSERT INTO {search_briefings} (briefing_id, held_on, spokesperson_id, spokesperson_name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (briefing_id) DO NOTHING`,
        [briefingId, heldOn, spokesperson.id, spokesperson.name],
      );
      return;
    }
    case 'StatementRecorded':
      await addItem(tx, event, event.data.statementId, 'statement', event.data.speakerId, event.data.text);
      return;
    case 'QuestionAsked':
      await addItem(tx, event, event.data.questionId, 'question', undefined, event.data.text, event.data.askedBy?.name);
      return;
    case 'AnswerGiven':
      await addItem(tx, event, event.data.answerId, 'answer', event.data.speakerId, event.data.text);
      return;
    case 'RemarkCorrected': {
      const d = event.data;
      // Looked up, not `UPDATE … RETURNING`: see addItem on RETURNING and FTS5.
      const row = await tx.get<{ doc: number }>('SELECT doc FROM {search_items} WHERE briefing_id = $1 AND item_id = $2', [d.briefingId, d.remarkId]);
      if (!row) return;
      await tx.run(
        `UPDATE {search_items} SET text = $2, version = $3,
           status = CASE WHEN status = 'retracted' THEN status ELSE 'corrected' END
         WHERE doc = $1`,
        [row.doc, d.text, d.version],
      );
      if (tx.dialect === 'sqlite') {
        await tx.run('DELETE FROM {search_fts} WHERE rowid = $1', [row.doc]);
        await tx.run('INSERT INTO {search_fts} (rowid, text) VALUES ($1, $2)', [row.doc, d.text]);
      }
      return;
    }
    case 'RemarkRetracted':
      await tx.run(`UPDATE {search_items} SET status = 'retracted' WHERE briefing_id = $1 AND item_id = $2`, [
        event.data.briefingId,
        event.data.remarkId,
      ]);
      return;
  }
}

async function addItem(
  tx: SqlExecutor,
  event: StoredBriefingEvent,
  itemId: string,
  kind: 'statement' | 'question' | 'answer',
  speakerId: string | undefined,
  text: string,
  /** A question's: the journalist's name, as the topic timelines show it. */
  askedBy?: string,
): Promise<void> {
  const briefing = await briefingOf(tx, event.data.briefingId);
  if (!briefing) return;
  const name = speakerId ? speakerName(speakerId, { id: briefing.spokesperson_id, name: briefing.spokesperson_name }) : (askedBy ?? null);
  const inserted = await tx.run(
    `INSERT INTO {search_items} (item_id, kind, briefing_id, held_on, speaker_id, speaker_name, text, status, version, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'original', 1, $8) ON CONFLICT (briefing_id, item_id) DO NOTHING`,
    [itemId, kind, event.data.briefingId, briefing.held_on, speakerId ?? null, name, text, event.position],
  );
  // Not `RETURNING doc`: SQLite builds RETURNING as a trigger, run in a statement transaction, and
  // FTS5 writes the words it holds in memory to disk at every such savepoint: a segment per remark
  // instead of per batch (23.9 µs an insert instead of 3.9, then merging all those segments).
  // No statement may run between the two: last_insert_rowid() is the row just inserted.
  if (inserted === 1 && tx.dialect === 'sqlite') await tx.run('INSERT INTO {search_fts} (rowid, text) VALUES (last_insert_rowid(), $1)', [text]);
}
