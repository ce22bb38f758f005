import { FeedClosedError, matchesFeedFilter, type FeedFilter, type FeedHub, type FeedItem, type FeedListener, type FeedMembership } from '@archive/application';
import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { eventFrame, KEEP_ALIVE_FRAME, retryFrame } from './sse.js';

export interface FeedStreamOptions {
  readonly heartbeatMs: number;
  /** Events queued for a client whose socket does not take them; past this it is dropped. */
  readonly clientBuffer: number;
  /** The reconnection delay hinted to the client. */
  readonly retryMs: number;
  /** Sent as `X-Request-Id`, as on every other answer. */
  readonly requestId: string;
}

/** How long an ended stream's client has to read what was already written (its last events, the retry hint) before its connection is cut. */
const DROP_GRACE_MS = 5000;

const HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  Connection: 'keep-alive',
  // Nginx and the proxies that follow it would otherwise buffer the stream.
  'X-Accel-Buffering': 'no',
};

/**
 * One client's Server-Sent Events stream. It joins the hub first, then replays the log after
 * its resume point, then goes live:
 *
 * - While it replays, the hub's events are kept aside; before each page is read they are
 *   dropped (that read, or a later one, returns them), so what is kept when a read comes back
 *   empty is exactly what was committed after it. Handing over then drops what the replay
 *   already sent (position at most the last replayed one): no gap, no duplicate.
 * - Replay writes wait for the socket to drain. Live writes never wait: frames the socket does
 *   not take are queued, and past `clientBuffer` of them the client is sent a `retry:` hint and
 *   disconnected; it resumes from its last id. The others are not held up, and memory is bounded.
 */
export class FeedStream implements FeedListener {
  private static readonly logger = new Logger('Feed');

  private phase: 'replay' | 'live' | 'closed' = 'replay';
  /** Hub events that came in during the replay. */
  private aside: FeedItem[] = [];
  /** Events were dropped from `aside` since the last read began: the replay must read again. */
  private readAgain = false;
  /** The last position handled (sent or filtered out). */
  private last = 0;
  /** Live frames waiting for the socket to drain. */
  private queue: string[] = [];
  private draining = false;
  private membership: FeedMembership | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly response: ServerResponse,
    private readonly hub: FeedHub,
    private readonly filter: FeedFilter,
    private readonly options: FeedStreamOptions,
  ) {}

  private get closed(): boolean {
    return this.phase === 'closed';
  }

  /** Streams until the client leaves, is dropped, or the hub stops. `after` undefined: live only. */
  async run(after: number | undefined): Promise<void> {
    const { response } = this;
    if (response.destroyed) return;
    response.once('close', () => this.close());
    response.on('error', () => this.close());
    response.socket?.setNoDelay(true);
    response.writeHead(200, { ...HEADERS, 'X-Request-Id': this.options.requestId });
    // Also sends the headers now: the client knows it is connected before the first event.
    response.write(retryFrame(this.options.retryMs));
    this.heartbeat = setInterval(() => {
      if (!this.draining) response.write(KEEP_ALIVE_FRAME);
    }, this.options.heartbeatMs);

    try {
      this.membership = this.hub.join(this);
      this.last = after ?? this.membership.position;
      if (after !== undefined) await this.replay(after);
      if (this.closed) return;
      this.phase = 'live';
      const aside = this.aside;
      this.aside = [];
      for (const item of aside) this.deliver(item);
    } catch (error) {
      if (!this.closed && !(error instanceof FeedClosedError)) {
        FeedStream.logger.warn({ msg: 'a feed stream failed; the client will resume', reqId: this.options.requestId, err: String(error) });
      }
      this.close();
    }
  }

  deliver(item: FeedItem): void {
    if (this.closed) return;
    if (this.phase === 'replay') {
      this.aside.push(item);
      if (this.aside.length > this.options.clientBuffer) {
        this.aside = [];
        this.readAgain = true;
      }
      return;
    }
    if (item.event.position <= this.last) return;
    this.last = item.event.position;
    if (matchesFeedFilter(this.filter, item.event, item.facts)) this.send(eventFrame(item.event));
  }

  /**
   * The hub stopped (the service shuts down, or the store subscription failed): the client is
   * sent the `retry:` hint after what it was sent, and the stream ends; it reconnects after that
   * delay with its last id, to this service once it is back or to another replica.
   */
  end(): void {
    if (this.closed) return;
    // A socket that does not drain would hold the server's close up: cut it, without a hint it could not read.
    if (this.draining) return this.close(0);
    if (!this.response.destroyed) this.response.write(retryFrame(this.options.retryMs));
    this.close(DROP_GRACE_MS);
  }

  private async replay(after: number): Promise<void> {
    const nextPage = this.hub.history(after);
    for (;;) {
      this.aside = [];
      this.readAgain = false;
      const page = await nextPage();
      if (this.closed) return;
      if (page.length === 0) {
        if (this.readAgain) continue;
        return;
      }
      for (const { event, facts } of page) {
        if (matchesFeedFilter(this.filter, event, facts) && !this.response.write(eventFrame(event))) {
          await this.drained();
          if (this.closed) return;
        }
        this.last = event.position;
      }
    }
  }

  private send(frame: string): void {
    if (this.draining) {
      this.queue.push(frame);
      if (this.queue.length > this.options.clientBuffer) this.drop();
      return;
    }
    if (!this.response.write(frame)) this.awaitDrain();
  }

  private awaitDrain(): void {
    this.draining = true;
    this.response.once('drain', this.flush);
  }

  private readonly flush = (): void => {
    this.draining = false;
    let sent = 0;
    while (sent < this.queue.length && !this.closed) {
      const frame = this.queue[sent++]!;
      if (!this.response.write(frame)) {
        this.queue = this.queue.slice(sent);
        this.awaitDrain();
        return;
      }
    }
    this.queue = [];
  };

  private drained(): Promise<void> {
    this.draining = true;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.response.off('drain', done);
        this.response.off('close', done);
        this.draining = false;
        resolve();
      };
      this.response.once('drain', done);
      this.response.once('close', done);
    });
  }

  /** The client does not read fast enough: it gets the retry hint after what it was sent, and is disconnected. */
  private drop(): void {
    FeedStream.logger.warn({
      msg: 'a feed client does not keep up; it is disconnected and will resume from its last id',
      reqId: this.options.requestId,
      queued: this.queue.length,
    });
    this.queue = [];
    this.response.write(retryFrame(this.options.retryMs));
    this.close(DROP_GRACE_MS);
  }

  private close(graceMs = DROP_GRACE_MS): void {
    if (this.closed) return;
    this.phase = 'closed';
    clearInterval(this.heartbeat);
    this.membership?.leave();
    this.aside = [];
    this.queue = [];
    const { response } = this;
    const socket = response.socket;
    if (response.destroyed || !socket || socket.destroyed) return;
    response.end();
    if (graceMs === 0) {
      socket.destroy();
      return;
    }
    // The connection was the stream's: once the last bytes are out it is closed too, so the
    // client's reconnection opens a new one (an SSE client gives up on the 503 that a closing
    // server would answer on a kept-alive connection).
    response.once('finish', () => socket.end());
    const cut = setTimeout(() => socket.destroy(), graceMs).unref();
    socket.once('close', () => clearTimeout(cut));
  }
}
