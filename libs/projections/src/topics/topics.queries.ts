import type { SqlExecutor } from '@archive/read-store';
import type { RemarkStatus } from '../briefings/briefings.queries.js';
import { decodeCursor, toPage, type Page } from '../shared/cursor.js';

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
    after = 'AND (e.held_on > $3 OR (e.held_on = $3 AND e.position > $4))';
  }
  const rows = await db.all<EntryRow>(
    `SELECT i.* FROM {topic_entries} e JOIN {topic_items} i ON i.item_id = e.item_id
     WHERE e.topic = $1 ${after} ORDER BY e.held_on, e.position LIMIT $2`,
    params,
  );
  return toPage(rows, page.limit, (row) => [row.held_on, Number(row.position)], entry);
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
