import type { StoredEvent } from '@archive/event-store';

const frames = new WeakMap<StoredEvent, string>();

/**
 * An event as a Server-Sent Events message: `id` its global position, `event` its type, `data`
 * its envelope on one line (JSON escapes every line break). Built once per event, however many
 * clients it goes to.
 */
export function eventFrame(event: StoredEvent): string {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = `id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    frames.set(event, frame);
  }
  return frame;
}

/** A comment line: clients ignore it; proxies and load balancers see the connection in use. */
export const KEEP_ALIVE_FRAME = ': keep-alive\n\n';

/** Tells the client how long to wait before it reconnects. */
export function retryFrame(ms: number): string {
  return `retry: ${ms}\n\n`;
}
