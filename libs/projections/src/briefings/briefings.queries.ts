import type { SqlExecutor } from '@archive/read-store';
import { decodeCursor, toPage, type Page } from '../shared/cursor.js';

export type RemarkStatus = 'original' | 'corrected' | 'retracted';

export interface BriefingSummary {
  briefingId: string;
  title: string | null;
  heldOn: string;
  location: string;
  organization: string;
  spokesperson: { id: string; name: string; title: string | null };
  status: 'open' | 'closed';
  counts: { statements: number; questions: number; answers: number; corrections: number; retractions: number };
  /** The briefing stream's revision this state is at: what `If-Match` names. */
  revision: number;
}

export interface TranscriptRemark {
  kind: 'statement' | 'answer';
  id: string;
  seq: number;
  speaker: { id: string; name: string };
  text: string;
  topics: string[];
  status: RemarkStatus;
  version: number;
  verbatim?: boolean;
  recordedAt: string;
  position: number;
}

export interface TranscriptQuestion {
  kind: 'question';
  id: string;
  seq: number;
  askedBy: { name?: string; outlet?: string } | null;
  text: string;
  topics: string[];
  recordedAt: string;
  position: number;
  answers: TranscriptRemark[];
}

export interface BriefingTranscript extends BriefingSummary {
  sourceUrl: string | null;
  source: unknown;
  recordedAt: string;
  position: number;
  statements: TranscriptRemark[];
  questions: TranscriptQuestion[];
}

export interface BriefingFilter {
  spokesperson?: string;
  topic?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

interface BriefingRow {
  briefing_id: string;
  title: string | null;
  held_on: string;
  location: string;
  organization: string;
  spokesperson_id: string;
  spokesperson_name: string;
  spokesperson_title: string | null;
  source_url: string | null;
  source: string | null;
  status: 'open' | 'closed';
  statements: number;
  questions: number;
  answers: number;
  corrections: number;
  retractions: number;
  position: number;
  recorded_at: string;
}

interface ItemRow {
  item_id: string;
  seq: number;
  kind: 'statement' | 'question' | 'answer';
  question_id: string | null;
  speaker_id: string | null;
  speaker_name: string | null;
  asked_by: string | null;
  text: string;
  topics: string;
  verbatim: number | null;
  status: RemarkStatus;
  version: number;
  position: number;
  recorded_at: string;
}

function summary(row: BriefingRow): BriefingSummary {
  const counts = {
    statements: Number(row.statements),
    questions: Number(row.questions),
    answers: Number(row.answers),
    corrections: Number(row.corrections),
    retractions: Number(row.retractions),
  };
  return {
    briefingId: row.briefing_id,
    title: row.title,
    heldOn: row.held_on,
    location: row.location,
    organization: row.organization,
    spokesperson: { id: row.spokesperson_id, name: row.spokesperson_name, title: row.spokesperson_title },
    status: row.status,
    counts,
    // Every event of a briefing's stream is counted once: its opening (revision 0), each remark,
    // correction and retraction, and its closing.
    revision: counts.statements + counts.questions + counts.answers + counts.corrections + counts.retractions + (row.status === 'closed' ? 1 : 0),
  };
}

/** Briefings newest first, filtered by spokesperson, topic and day range. */
export async function listBriefings(db: SqlExecutor, filter: BriefingFilter): Promise<Page<BriefingSummary>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.spokesperson) where.push(`b.spokesperson_id = ${param(filter.spokesperson)}`);
  if (filter.topic) {
    where.push(`EXISTS (SELECT 1 FROM {briefing_topics} t WHERE t.briefing_id = b.briefing_id AND t.topic = ${param(filter.topic)})`);
  }
  if (filter.from) where.push(`b.held_on >= ${param(filter.from)}`);
  if (filter.to) where.push(`b.held_on <= ${param(filter.to)}`);
  if (filter.cursor) {
    const [heldOn, briefingId] = decodeCursor(filter.cursor, ['string', 'string']);
    where.push(`(b.held_on < ${param(heldOn)} OR (b.held_on = ${param(heldOn)} AND b.briefing_id < ${param(briefingId)}))`);
  }
  const rows = await db.all<BriefingRow>(
    `SELECT b.* FROM {briefings} b ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY b.held_on DESC, b.briefing_id DESC LIMIT ${param(filter.limit + 1)}`,
    params,
  );
  return toPage(rows, filter.limit, (row) => [row.held_on, row.briefing_id], summary);
}

function remark(row: ItemRow): TranscriptRemark {
  return {
    kind: row.kind as 'statement' | 'answer',
    id: row.item_id,
    seq: Number(row.seq),
    speaker: { id: row.speaker_id ?? '', name: row.speaker_name ?? '' },
    text: row.text,
    topics: JSON.parse(row.topics) as string[],
    status: row.status,
    version: Number(row.version),
    ...(row.verbatim === null ? {} : { verbatim: Boolean(row.verbatim) }),
    recordedAt: row.recorded_at,
    position: Number(row.position),
  };
}

/** One briefing with its transcript in spoken order; undefined when no such briefing. */
export async function getBriefing(db: SqlExecutor, briefingId: string): Promise<BriefingTranscript | undefined> {
  const row = await db.get<BriefingRow>('SELECT * FROM {briefings} WHERE briefing_id = $1', [briefingId]);
  if (!row) return undefined;
  const items = await db.all<ItemRow>('SELECT * FROM {briefing_items} WHERE briefing_id = $1 ORDER BY seq', [briefingId]);
  const statements: TranscriptRemark[] = [];
  const questions = new Map<string, TranscriptQuestion>();
  for (const item of items) {
    if (item.kind === 'statement') statements.push(remark(item));
    else if (item.kind === 'question') {
      questions.set(item.item_id, {
        kind: 'question',
        id: item.item_id,
        seq: Number(item.seq),
        askedBy: item.asked_by ? (JSON.parse(item.asked_by) as TranscriptQuestion['askedBy']) : null,
        text: item.text,
        topics: JSON.parse(item.topics) as string[],
        recordedAt: item.recorded_at,
        position: Number(item.position),
        answers: [],
      });
    } else questions.get(item.question_id ?? '')?.answers.push(remark(item));
  }
  return {
    ...summary(row),
    sourceUrl: row.source_url,
    source: row.source ? JSON.parse(row.source) : null,
    recordedAt: row.recorded_at,
    position: Number(row.position),
    statements,
    questions: [...questions.values()],
  };
}
