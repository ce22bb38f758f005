const PREFIX = 'briefing-';

/** The one place that names a briefing's stream. */
export function briefingStream(briefingId: string): string {
  return `${PREFIX}${briefingId}`;
}

export function briefingIdOf(streamId: string): string {
  return streamId.slice(PREFIX.length);
}
