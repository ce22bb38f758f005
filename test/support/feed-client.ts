import { EventSource } from 'eventsource';

/** The seven event types: an SSE client hears only the event names it listens for. */
export const EVENT_TYPES = [
  'BriefingOpened',
  'StatementRecorded',
  'QuestionAsked',
  'AnswerGiven',
  'RemarkCorrected',
  'RemarkRetracted',
  'BriefingClosed',
] as const;

export interface Envelope {
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  position: number;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** One message as the client library handed it over. */
export interface Received {
  /** `lastEventId`, as a number. */
  id: number;
  /** The SSE event name. */
  type: string;
  data: Envelope;
}

/** Resolves once `condition()` holds, checking every few milliseconds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A feed client on the `eventsource` library (the WHATWG EventSource for Node): it reconnects
 * by itself after the hinted delay, sending `Last-Event-ID`. `headers` go with the first request
 * only where the library sets none of its own.
 */
export class FeedClient {
  readonly received: Received[] = [];
  readonly source: EventSource;
  opens = 0;
  errors = 0;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.source = new EventSource(url, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...headers, ...(init?.headers as Record<string, string>) } }),
    });
    for (const type of EVENT_TYPES) {
      this.source.addEventListener(type, (message) => {
        this.received.push({ id: Number(message.lastEventId), type: message.type, data: JSON.parse(message.data as string) as Envelope });
      });
    }
    this.source.addEventListener('open', () => this.opens++);
    this.source.addEventListener('error', () => this.errors++);
  }

  ids(): number[] {
    return this.received.map((message) => message.id);
  }

  last(): number {
    return this.received.at(-1)?.id ?? 0;
  }

  /** Connected (once more, for `times` > 1). */
  opened(times = 1): Promise<void> {
    return waitUntil(() => this.opens >= times, `the client has opened ${times} time(s)`);
  }

  /** Has received the event at `position` (or one after it). */
  reached(position: number): Promise<void> {
    return waitUntil(() => this.last() >= position, `the client has received position ${position} (it has ${this.last()})`);
  }

  close(): void {
    this.source.close();
  }
}
