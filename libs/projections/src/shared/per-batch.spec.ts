import type { SqlExecutor, SqlParams } from '@archive/read-store';
import { rowPerBatch } from './per-batch.js';

/** An executor over a map of rows, counting what it is asked. */
function executor(rows: Map<string, { day: string }>) {
  const asked: string[] = [];
  const tx: SqlExecutor = {
    dialect: 'sqlite',
    run: async () => 0,
    all: async () => [],
    get: async <Row>(_sql: string, params?: SqlParams) => {
      asked.push(String(params?.[0]));
      return rows.get(String(params?.[0])) as Row | undefined;
    },
  };
  return { tx, asked };
}

describe('rowPerBatch', () => {
  const lookup = rowPerBatch<{ day: string }>('SELECT day FROM {briefings} WHERE briefing_id = $1');

  it('asks the store once per key within one executor', async () => {
    const { tx, asked } = executor(new Map([['b1', { day: '2024-01-11' }]]));
    expect(await lookup(tx, 'b1')).toEqual({ day: '2024-01-11' });
    expect(await lookup(tx, 'b1')).toEqual({ day: '2024-01-11' });
    expect(asked).toEqual(['b1']);
  });

  it('asks again for a row it did not find, and afresh in the next batch', async () => {
    const rows = new Map<string, { day: string }>();
    const first = executor(rows);
    expect(await lookup(first.tx, 'b2')).toBeUndefined();
    rows.set('b2', { day: '2024-01-18' });
    expect(await lookup(first.tx, 'b2')).toEqual({ day: '2024-01-18' });
    expect(first.asked).toEqual(['b2', 'b2']);

    const next = executor(rows);
    expect(await lookup(next.tx, 'b2')).toEqual({ day: '2024-01-18' });
    expect(next.asked).toEqual(['b2']);
  });
});
