/**
 * A point in the archive's history: everything up to a global position, or everything recorded
 * up to a moment. `asOf` queries answer as the archive stood then.
 */
export type AsOf = { readonly position: number } | { readonly recordedAt: string };

const POSITION = /^\d{1,15}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads an `asOf` value: a position (digits), a timestamp with its offset, or a day, which means
 * the end of that day in UTC. Undefined for anything else, including days that do not exist.
 */
export function parseAsOf(value: string): AsOf | undefined {
  if (POSITION.test(value)) return { position: Number(value) };
  const moment = DAY.test(value) ? `${value}T23:59:59.999Z` : TIMESTAMP.test(value) ? value : undefined;
  if (moment === undefined) return undefined;
  // Date.parse rolls 2024-02-30 over to March; a day that does not exist is refused instead.
  const [year, month, day] = moment.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day || month > 12) return undefined;
  const time = Date.parse(moment);
  if (Number.isNaN(time)) return undefined;
  return { recordedAt: new Date(time).toISOString() };
}

/** Whether an event was in the archive as of the cut. */
export function includes(cut: AsOf, event: { readonly position: number; readonly recordedAt: string }): boolean {
  return 'position' in cut ? event.position <= cut.position : event.recordedAt <= cut.recordedAt;
}

/** The SQL condition "recorded as of the cut" on a table with `position` and `recorded_at` columns. */
export function cutCondition(cut: AsOf, placeholder: string): { sql: string; value: number | string } {
  return 'position' in cut
    ? { sql: `position <= ${placeholder}`, value: cut.position }
    : { sql: `recorded_at <= ${placeholder}`, value: cut.recordedAt };
}
