import type { SqlExecutor } from '@archive/read-store';

/**
 * A lookup of a row that never changes once inserted (a briefing's day and spokesperson), asked
 * of the store once per batch: a projection applies a batch through one executor, and the events
 * of a batch mostly belong to a few briefings. A row not found is not remembered, since a later
 * event of the batch may insert it.
 */
export function rowPerBatch<Row>(sql: string): (tx: SqlExecutor, key: string) => Promise<Row | undefined> {
  const batches = new WeakMap<SqlExecutor, Map<string, Row>>();
  return async (tx, key) => {
    let rows = batches.get(tx);
    if (!rows) batches.set(tx, (rows = new Map()));
    const known = rows.get(key);
    if (known) return known;
    const row = await tx.get<Row>(sql, [key]);
    if (row) rows.set(key, row);
    return row;
  };
}
