import type { SqlExecutor } from '@archive/read-store';

/**
 * State a projection keeps while it applies a batch, keyed by the executor the batch is applied
 * through. Each transaction has an executor of its own, so the state lives as long as the
 * transaction (several batches, in a rebuild's last catch-up) and goes with it: what a
 * rolled-back transaction left is never seen again, since a retry applies through a new executor.
 */
export function perBatch<State>(create: () => State): (tx: SqlExecutor) => State {
  const batches = new WeakMap<SqlExecutor, State>();
  return (tx) => {
    let state = batches.get(tx);
    if (state === undefined) batches.set(tx, (state = create()));
    return state;
  };
}

/**
 * A lookup of a row that never changes once inserted (a briefing's day and spokesperson), asked
 * of the store once per transaction: the events of a batch mostly belong to a few briefings. A
 * row not found is not remembered, since a later event may insert it.
 */
export function rowPerBatch<Row>(sql: string): (tx: SqlExecutor, key: string) => Promise<Row | undefined> {
  const rowsOf = perBatch(() => new Map<string, Row>());
  return async (tx, key) => {
    const rows = rowsOf(tx);
    const known = rows.get(key);
    if (known) return known;
    const row = await tx.get<Row>(sql, [key]);
    if (row) rows.set(key, row);
    return row;
  };
}
