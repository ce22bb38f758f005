import type { SqlExecutor } from '@archive/read-store';
import type { RemarkStatus } from '../briefings/briefings.queries.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';

export interface SearchHit {
  kind: 'statement' | 'question' | 'answer';
  id: string;
  briefingId: string;
  heldOn: string;
  speaker: { id: string | null; name: string | null };
  text: string;
  status: RemarkStatus;
  version: number;
  position: number;
}

export interface SearchResult extends Page<SearchHit> {
  /** The words searched for, as the index understood them: what a client highlights. */
  terms: string[];
}

interface HitRow {
  item_id: string;
  kind: SearchHit['kind'];
  briefing_id: string;
  held_on: string;
  speaker_id: string | null;
  speaker_name: string | null;
  text: string;
  status: RemarkStatus;
  version: number;
  position: number;
}

/**
 * The terms of a query: its words, letters and digits only, so no input can reach the index's own
 * syntax. A word is matched whole, in any English inflection ("talks" finds "talk" and "talked");
 * a word ending in `*` is matched as a prefix ("afghan*" finds "Afghanistan"), which costs more.
 */
export function searchTerms(query: string): string[] {
  return [...new Set((query.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+\*?/gu) ?? []).slice(0, 32))];
}

/** The index's query for the terms: every one of them must occur. */
function matchExpression(terms: readonly string[], dialect: SqlExecutor['dialect']): string {
  const parsed = terms.map((term) => ({ word: term.replace(/\*$/, ''), prefix: term.endsWith('*') }));
  if (dialect === 'postgres') return parsed.map(({ word, prefix }) => (prefix ? `${word}:*` : word)).join(' & ');
  return parsed.map(({ word, prefix }) => (prefix ? `"${word}"*` : `"${word}"`)).join(' ');
}

/**
 * How many matches are ranked together. A word found in hundreds of thousands of remarks would
 * otherwise have every one of them scored for each page; instead the newest `RANK_WINDOW`
 * matches are ranked best first, then the next newest, and so on. A query with fewer matches is
 * ranked as a whole.
 */
export const RANK_WINDOW = 5000;

/** Where a page starts: below which document the window begins (on the first page, the newest then), and how far into it. */
type Place = { below: number; offset: number };

/**
 * Items holding every word of the query, best match first within each window of the newest
 * `rankWindow` matches (see RANK_WINDOW); every match is reached once by paging. The first page
 * fixes the newest document paging covers: what is recorded later does not shift the pages after it.
 */
export async function search(
  db: SqlExecutor,
  query: string,
  page: { limit: number; cursor?: string; rankWindow?: number },
): Promise<SearchResult> {
  const terms = searchTerms(query);
  if (terms.length === 0) return { items: [], nextCursor: null, terms };
  const window = page.rankWindow ?? RANK_WINDOW;
  const sql = db.dialect === 'postgres' ? POSTGRES : SQLITE;
  const match = matchExpression(terms, db.dialect);
  let place: Place;
  if (page.cursor) {
    const [below, offset] = decodeCursor(page.cursor, ['number', 'number']) as [number, number];
    place = { below, offset };
  } else {
    const newest = await db.get<{ doc: number | null }>('SELECT MAX(doc) AS doc FROM {search_items}');
    place = { below: Number(newest?.doc ?? 0) + 1, offset: 0 };
  }
  const found: { row: HitRow; after: Place }[] = [];
  for (;;) {
    const wanted = page.limit + 1 - found.length;
    const rows = await db.all<HitRow>(sql.page, [match, place.below, window, wanted, place.offset]);
    rows.forEach((row, index) => found.push({ row, after: { below: place.below, offset: place.offset + index + 1 } }));
    if (rows.length === wanted) break;
    // This window is used up: the next one holds the matches older than its oldest.
    const bounds = await db.get<{ matches: number; oldest: number | null }>(sql.window, [match, place.below, window]);
    if (!bounds || Number(bounds.matches) < window || bounds.oldest === null) break;
    place = { below: Number(bounds.oldest), offset: 0 };
  }
  const items = found.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(({ row }) => ({
      kind: row.kind,
      id: row.item_id,
      briefingId: row.briefing_id,
      heldOn: row.held_on,
      speaker: { id: row.speaker_id, name: row.speaker_name },
      text: row.text,
      status: row.status,
      version: Number(row.version),
      position: Number(row.position),
    })),
    nextCursor: found.length > page.limit && last ? encodeCursor([last.after.below, last.after.offset]) : null,
    terms,
  };
}

/**
 * Parameters: $1 the match, $2 the window's upper bound (documents below it), $3 the window's
 * size, $4 how many rows, $5 how far into the window. Only the page's rows are read from the
 * items; the window is picked and ranked in the index alone.
 */
const SQLITE = {
  page: `SELECT i.* FROM (
      SELECT doc, score FROM (
        SELECT rowid AS doc, bm25({search_fts}) AS score FROM {search_fts}
        WHERE {search_fts} MATCH $1 AND rowid < $2 ORDER BY rowid DESC LIMIT $3
      ) ORDER BY score, doc LIMIT $4 OFFSET $5
    ) f JOIN {search_items} i ON i.doc = f.doc ORDER BY f.score, f.doc`,
  window: `SELECT COUNT(*) AS matches, MIN(doc) AS oldest FROM (
      SELECT rowid AS doc FROM {search_fts} WHERE {search_fts} MATCH $1 AND rowid < $2 ORDER BY rowid DESC LIMIT $3
    ) w`,
};

const POSTGRES = {
  page: `SELECT i.* FROM (
      SELECT doc, score FROM (
        SELECT i.doc, ts_rank(i.tsv, q) AS score FROM {search_items} i, to_tsquery('archive_search', $1) q
        WHERE i.tsv @@ q AND i.doc < $2 ORDER BY i.doc DESC LIMIT $3
      ) w ORDER BY score DESC, doc LIMIT $4 OFFSET $5
    ) f JOIN {search_items} i ON i.doc = f.doc ORDER BY f.score DESC, f.doc`,
  window: `SELECT COUNT(*) AS matches, MIN(doc) AS oldest FROM (
      SELECT i.doc FROM {search_items} i, to_tsquery('archive_search', $1) q WHERE i.tsv @@ q AND i.doc < $2 ORDER BY i.doc DESC LIMIT $3
    ) w`,
};
