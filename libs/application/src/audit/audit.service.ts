import { briefingStream } from '@archive/domain';
import {
  CANONICAL_FORM,
  GENESIS_HASH,
  UnreadableEventError,
  UpcastingEventStore,
  verifyChains,
  type ChainVerification,
  type EventStore,
  type StoredEvent,
} from '@archive/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { NotFoundError } from '../queries/not-found.error.js';
import { RemarkHistoryQuery } from '../queries/remark-history.query.js';
import { EVENT_STORE } from '../tokens.js';

/** Events read from the log at a time while verifying it. */
const PAGE = 1000;

/** How far a verification has come: global positions, as the log's head is one. */
export interface VerifyProgress {
  readonly events: number;
  readonly position: number;
  readonly head: number;
}

export interface VerifyOptions {
  /** Only this briefing's stream; the whole log otherwise. */
  readonly briefingId?: string;
  /** Called after each page of the log is checked. */
  readonly onProgress?: (progress: VerifyProgress) => void;
}

/** What an outsider needs to check one remark's history against the log without our code. */
export interface RemarkProof {
  readonly remarkId: string;
  readonly briefingId: string;
  readonly streamId: string;
  readonly algorithm: 'sha256';
  /** The `prevHash` of revision 0. */
  readonly genesis: string;
  readonly canonicalForm: string;
  /** The briefing stream's last event when the proof was made. */
  readonly head: { readonly revision: number; readonly hash: string | null };
  /** The remark's own events, as stored: its StatementRecorded or AnswerGiven, corrections, retraction. */
  readonly events: StoredEvent[];
  /** Every event of the briefing stream from revision 0 to the head, as stored. */
  readonly chain: StoredEvent[];
}

/** The data field that names the remark, per event type of a remark's history. */
const REMARK_ID_FIELD: Readonly<Record<string, string>> = {
  StatementRecorded: 'statementId',
  AnswerGiven: 'answerId',
  RemarkCorrected: 'remarkId',
  RemarkRetracted: 'remarkId',
};

function isOfRemark(event: StoredEvent, remarkId: string): boolean {
  const field = REMARK_ID_FIELD[event.type];
  return field !== undefined && (event.data as Record<string, unknown> | null)?.[field] === remarkId;
}

/**
 * The log's tamper evidence: recomputes the hash chains of the raw log (never the upcast one:
 * the hashes cover the data as stored) and builds proofs an outsider can check.
 */
@Injectable()
export class AuditService {
  /** The log as stored. */
  private readonly log: EventStore;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    private readonly queries: QueryBus,
  ) {
    this.log = store instanceof UpcastingEventStore ? store.inner : store;
  }

  /**
   * Every stream's chain, or one briefing's, up to the head as it was when the check began.
   * Throws NotFoundError for a briefing with no events.
   */
  async verify(options: VerifyOptions = {}): Promise<ChainVerification> {
    if (options.briefingId !== undefined) return this.verifyBriefing(options.briefingId, options.onProgress);
    const head = await this.log.headPosition();
    const read: { unreadable?: UnreadableEventError } = {};
    const result = await verifyChains(this.readLog(head, options.onProgress, read));
    return withUnreadable(result, read.unreadable);
  }

  /**
   * The proof of a remark's history: its events and the whole chain of its briefing, as stored.
   * Throws NotFoundError for a remark the read models do not know.
   */
  async proof(remarkId: string): Promise<RemarkProof> {
    const { briefingId } = await this.queries.execute(new RemarkHistoryQuery(remarkId));
    const streamId = briefingStream(briefingId);
    const chain = await this.log.readStream(streamId);
    const head = chain.at(-1);
    if (!head) throw new NotFoundError('briefing', briefingId);
    return {
      remarkId,
      briefingId,
      streamId,
      algorithm: 'sha256',
      genesis: GENESIS_HASH,
      canonicalForm: CANONICAL_FORM,
      head: { revision: head.revision, hash: head.metadata.hash ?? null },
      events: chain.filter((event) => isOfRemark(event, remarkId)),
      chain,
    };
  }

  private async verifyBriefing(briefingId: string, onProgress: VerifyOptions['onProgress']): Promise<ChainVerification> {
    let stream: StoredEvent[];
    try {
      stream = await this.log.readStream(briefingStream(briefingId));
    } catch (error) {
      if (error instanceof UnreadableEventError) return withUnreadable({ ok: true, streams: 1, events: 0, firstMismatch: null }, error);
      throw error;
    }
    if (stream.length === 0) throw new NotFoundError('briefing', briefingId);
    // In log order, as the whole log is checked: a reordered stream is blamed on the same event either way.
    const inLogOrder = [...stream].sort((x, y) => x.position - y.position);
    const result = await verifyChains(inLogOrder);
    const position = inLogOrder[inLogOrder.length - 1].position;
    onProgress?.({ events: stream.length, position, head: position });
    return result;
  }

  /**
   * The log up to `head`, page by page. An event the store cannot read ends it: the events before
   * it are still given, one at a time, and the event is left in `read.unreadable`.
   */
  private async *readLog(head: number, onProgress: VerifyOptions['onProgress'], read: { unreadable?: UnreadableEventError }): AsyncGenerator<StoredEvent> {
    let after = 0;
    let events = 0;
    let limit = PAGE;
    while (after < head) {
      let page: StoredEvent[];
      try {
        page = (await this.log.readAll({ after, limit })).filter((event) => event.position <= head);
      } catch (error) {
        if (!(error instanceof UnreadableEventError)) throw error;
        if (limit === 1) {
          read.unreadable = error;
          return;
        }
        limit = 1;
        continue;
      }
      if (page.length === 0) return;
      yield* page;
      events += page.length;
      after = page[page.length - 1].position;
      onProgress?.({ events, position: after, head });
    }
  }
}

/** The verification, failed at the unreadable event unless an earlier one already broke a chain. */
function withUnreadable(result: ChainVerification, unreadable: UnreadableEventError | undefined): ChainVerification {
  if (!unreadable || result.firstMismatch) return result;
  const { streamId, revision, eventId, position, reason } = unreadable;
  return { ...result, ok: false, events: result.events + 1, firstMismatch: { streamId, revision, eventId, position, reason: `${reason}: it was edited or damaged` } };
}
