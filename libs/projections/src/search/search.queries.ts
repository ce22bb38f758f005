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

/** The words of a query: letters and digits only, so no input can reach the index's own syntax. */
export function searchTerms(query: string): string[] {
  return [...new Set((query.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 32))];
}

/** Items holding every word of the query, best match first. */
export async function search(db: SqlExecutor, query: string, page: { limit: number; cursor?: string }): Promise<SearchResult> {
  const terms = searchTerms(query);
  if (terms.length === 0) return { items: [], nextCursor: null, terms };
  const offset = page.cursor ? Number(decodeCursor(page.cursor, ['number'])[0]) : 0;
  // On SQLite the page is picked in the index alone, and only its rows are read from the items:
  // `ORDER BY bm25(…), rowid LIMIT` keeps just the best rows while every match is ranked (FTS5's
  // own `ORDER BY rank` would sort them all), where a join first would carry each match's row along.
  const rows =
    db.dialect === 'postgres'
      ? await db.all<HitRow>(
          `SELECT i.*, ts_rank(i.tsv, q) AS rank FROM {search_items} i, to_tsquery('simple', $1) q
           WHERE i.tsv @@ q ORDER BY rank DESC, i.doc LIMIT $2 OFFSET $3`,
          [terms.map((t) => `${t}:*`).join(' & '), page.limit + 1, offset],
        )
      : await db.all<HitRow>(
          `SELECT i.* FROM (
             SELECT rowid AS doc, bm25({search_fts}) AS score FROM {search_fts}
             WHERE {search_fts} MATCH $1 ORDER BY score, doc LIMIT $2 OFFSET $3
           ) f JOIN {search_items} i ON i.doc = f.doc ORDER BY f.score, f.doc`,
          [terms.map((t) => `"${t}"*`).join(' '), page.limit + 1, offset],
        );
  const more = rows.length > page.limit;
  return {
    items: rows.slice(0, page.limit).map((row) => ({
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
    nextCursor: more ? encodeCursor([offset + page.limit]) : null,
    terms,
  };
}
