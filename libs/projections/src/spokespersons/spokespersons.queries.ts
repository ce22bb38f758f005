import type { SqlExecutor } from '@archive/read-store';
import type { RemarkStatus } from '../briefings/briefings.queries.js';
import { decodeCursor, toPage, type Page } from '../shared/cursor.js';

export interface SpokespersonSummary {
  id: string;
  name: string;
  title: string | null;
  briefings: number;
  firstOn: string;
  lastOn: string;
}

export interface SpeakerRemark {
  kind: 'statement' | 'answer';
  id: string;
  briefingId: string;
  heldOn: string;
  text: string;
  topics: string[];
  status: RemarkStatus;
  version: number;
  position: number;
}

export interface SpokespersonProfile extends SpokespersonSummary {
  topics: { slug: string; mentions: number }[];
  timeline: Page<SpeakerRemark>;
}

interface SpokespersonRow {
  id: string;
  name: string;
  title: string | null;
  briefings: number;
  first_on: string;
  last_on: string;
}

interface RemarkRow {
  remark_id: string;
  kind: 'statement' | 'answer';
  briefing_id: string;
  held_on: string;
  text: string;
  topics: string;
  status: RemarkStatus;
  version: number;
  position: number;
}

function summary(row: SpokespersonRow): SpokespersonSummary {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    briefings: Number(row.briefings),
    firstOn: row.first_on,
    lastOn: row.last_on,
  };
}

/** Speakers, those who held the most briefings first. */
export async function listSpokespersons(db: SqlExecutor, page: { limit: number; cursor?: string }): Promise<Page<SpokespersonSummary>> {
  const params: unknown[] = [page.limit + 1];
  let where = '';
  if (page.cursor) {
    const [briefings, id] = decodeCursor(page.cursor, ['number', 'string']);
    params.push(briefings, id);
    where = 'WHERE briefings < $2 OR (briefings = $2 AND id > $3)';
  }
  const rows = await db.all<SpokespersonRow>(`SELECT * FROM {spokespersons} ${where} ORDER BY briefings DESC, id LIMIT $1`, params);
  return toPage(rows, page.limit, (row) => [Number(row.briefings), row.id], summary);
}

/** One speaker's summary; undefined for a speaker the archive has not heard. */
export async function findSpokesperson(db: SqlExecutor, id: string): Promise<SpokespersonSummary | undefined> {
  const row = await db.get<SpokespersonRow>('SELECT * FROM {spokespersons} WHERE id = $1', [id]);
  return row && summary(row);
}

/** A speaker's profile: their topics, most mentioned first, and their remarks oldest first. */
export async function getSpokesperson(
  db: SqlExecutor,
  id: string,
  page: { limit: number; cursor?: string },
): Promise<SpokespersonProfile | undefined> {
  const speaker = await findSpokesperson(db, id);
  if (!speaker) return undefined;
  const topics = await db.all<{ topic: string; mentions: number }>(
    'SELECT topic, mentions FROM {speaker_topics} WHERE speaker_id = $1 ORDER BY mentions DESC, topic',
    [id],
  );
  const params: unknown[] = [id, page.limit + 1];
  let after = '';
  if (page.cursor) {
    const [heldOn, position] = decodeCursor(page.cursor, ['string', 'number']);
    params.push(heldOn, position);
    // A row value, so the index seeks to the cursor instead of scanning the speaker's earlier remarks.
    after = 'AND (held_on, position) > ($3, $4)';
  }
  const remarks = await db.all<RemarkRow>(
    `SELECT * FROM {speaker_remarks} WHERE speaker_id = $1 ${after} ORDER BY held_on, position LIMIT $2`,
    params,
  );
  return {
    ...speaker,
    topics: topics.map((t) => ({ slug: t.topic, mentions: Number(t.mentions) })),
    timeline: toPage(remarks, page.limit, (r) => [r.held_on, Number(r.position)], (r) => ({
      kind: r.kind,
      id: r.remark_id,
      briefingId: r.briefing_id,
      heldOn: r.held_on,
      text: r.text,
      topics: JSON.parse(r.topics) as string[],
      status: r.status,
      version: Number(r.version),
      position: Number(r.position),
    })),
  };
}
