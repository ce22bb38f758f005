import type { SqlExecutor } from '@archive/read-store';
import type { RemarkStatus } from '../briefings/briefings.queries.js';
import { decodeCursor, toPage, type Page } from '../shared/cursor.js';
import { wordDiff, type DiffPart } from '../shared/word-diff.js';

export interface TopicSummary {
  slug: string;
  mentions: number;
  firstOn: string;
  lastOn: string;
}

export interface TimelineEntry {
  kind: 'statement' | 'question' | 'answer';
  id: string;
  briefingId: string;
  heldOn: string;
  speaker: { id: string | null; name: string | null };
  askedBy?: { name?: string; outlet?: string };
  text: string;
  topics: string[];
  status: RemarkStatus;
  version: number;
  position: number;
}

interface TopicRow {
  slug: string;
  mentions: number;
  first_on: string;
  last_on: string;
}

interface EntryRow {
  item_id: string;
  kind: TimelineEntry['kind'];
  briefing_id: string;
  held_on: string;
  speaker_id: string | null;
  speaker_name: string | null;
  asked_by: string | null;
  text: string;
  topics: string;
  status: RemarkStatus;
  version: number;
  position: number;
}

/** Topics, most mentioned first. */
export async function listTopics(db: SqlExecutor, page: { limit: number; cursor?: string }): Promise<Page<TopicSummary>> {
  const params: unknown[] = [page.limit + 1];
  let where = '';
  if (page.cursor) {
    const [mentions, slug] = decodeCursor(page.cursor, ['number', 'string']);
    params.push(mentions, slug);
    where = 'WHERE mentions < $2 OR (mentions = $2 AND slug > $3)';
  }
  const rows = await db.all<TopicRow>(`SELECT * FROM {topics} ${where} ORDER BY mentions DESC, slug LIMIT $1`, params);
  return toPage(
    rows,
    page.limit,
    (row) => [Number(row.mentions), row.slug],
    (row) => ({ slug: row.slug, mentions: Number(row.mentions), firstOn: row.first_on, lastOn: row.last_on }),
  );
}

export async function getTopic(db: SqlExecutor, slug: string): Promise<TopicSummary | undefined> {
  const row = await db.get<TopicRow>('SELECT * FROM {topics} WHERE slug = $1', [slug]);
  return row && { slug: row.slug, mentions: Number(row.mentions), firstOn: row.first_on, lastOn: row.last_on };
}

/** A topic's timeline, oldest first. */
export async function topicTimeline(
  db: SqlExecutor,
  slug: string,
  page: { limit: number; cursor?: string },
): Promise<Page<TimelineEntry>> {
  const params: unknown[] = [slug, page.limit + 1];
  let after = '';
  if (page.cursor) {
    const [heldOn, position] = decodeCursor(page.cursor, ['string', 'number']);
    params.push(heldOn, position);
    // A row value, so the index seeks to the cursor instead of scanning the topic's earlier entries.
    after = 'AND (e.held_on, e.position) > ($3, $4)';
  }
  const rows = await db.all<EntryRow>(
    `SELECT i.* FROM {topic_entries} e JOIN {topic_items} i ON i.briefing_id = e.briefing_id AND i.item_id = e.item_id
     WHERE e.topic = $1 ${after} ORDER BY e.held_on, e.position LIMIT $2`,
    params,
  );
  return toPage(rows, page.limit, (row) => [row.held_on, Number(row.position)], entry);
}

/** One remark in a speaker's line on a topic, beside the remark before it and what changed. */
export interface PositionChange extends TimelineEntry {
  previous: { id: string; briefingId: string; heldOn: string; text: string; version: number } | null;
  /** The words that changed from the previous remark to this one; null for the first. */
  diff: DiffPart[] | null;
}

const SPEAKER_ON_TOPIC = `SELECT i.* FROM {topic_entries} e JOIN {topic_items} i ON i.briefing_id = e.briefing_id AND i.item_id = e.item_id
  WHERE e.topic = $1 AND i.speaker_id = $2 AND i.kind <> 'question'`;

/**
 * Every remark of one speaker on one topic across briefings, oldest first, each with the one
 * before it and a word diff, so a reader sees how the line moved. Remarks show their current text.
 */
export async function speakerTopicHistory(
  db: SqlExecutor,
  speakerId: string,
  slug: string,
  page: { limit: number; cursor?: string },
): Promise<Page<PositionChange>> {
  let before: EntryRow | undefined;
  let rows: EntryRow[];
  if (page.cursor) {
    const [heldOn, position] = decodeCursor(page.cursor, ['string', 'number']);
    const after = 'AND (e.held_on, e.position) > ($3, $4)';
    rows = await db.all<EntryRow>(`${SPEAKER_ON_TOPIC} ${after} ORDER BY e.held_on, e.position LIMIT $5`, [
      slug,
      speakerId,
      heldOn,
      position,
      page.limit + 1,
    ]);
    before = await db.get<EntryRow>(
      `${SPEAKER_ON_TOPIC} AND (e.held_on, e.position) <= ($3, $4)
       ORDER BY e.held_on DESC, e.position DESC LIMIT 1`,
      [slug, speakerId, heldOn, position],
    );
  } else {
    rows = await db.all<EntryRow>(`${SPEAKER_ON_TOPIC} ORDER BY e.held_on, e.position LIMIT $3`, [slug, speakerId, page.limit + 1]);
  }
  const previousOf = new Map<EntryRow, EntryRow | undefined>(rows.map((row, index) => [row, index === 0 ? before : rows[index - 1]]));
  return toPage(rows, page.limit, (row) => [row.held_on, Number(row.position)], (row) => {
    const previous = previousOf.get(row);
    return {
      ...entry(row),
      previous: previous
        ? { id: previous.item_id, briefingId: previous.briefing_id, heldOn: previous.held_on, text: previous.text, version: Number(previous.version) }
        : null,
      diff: previous ? wordDiff(previous.text, row.text) : null,
    };
  });
}

function entry(row: EntryRow): TimelineEntry {
  const askedBy = row.asked_by ? (JSON.parse(row.asked_by) as TimelineEntry['askedBy']) : undefined;
  return {
    kind: row.kind,
    id: row.item_id,
    briefingId: row.briefing_id,
    heldOn: row.held_on,
    speaker: row.kind === 'question' ? { id: null, name: askedBy?.name ?? null } : { id: row.speaker_id, name: row.speaker_name },
    ...(askedBy ? { askedBy } : {}),
    text: row.text,
    topics: JSON.parse(row.topics) as string[],
    status: row.status,
    version: Number(row.version),
    position: Number(row.position),
  };
}
