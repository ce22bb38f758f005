import {
  SCHEMA_VERSION,
  briefingStream,
  DomainError,
  decide,
  evolve,
  identityKeyOf,
  initialBriefingState,
  type BriefingEvent,
  type BriefingState,
} from '@archive/domain';
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from '@archive/event-store';
import { remarkOwners } from '@archive/projections';
import type { ReadStore } from '@archive/read-store';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, READ_STORE } from '../tokens.js';
import { ConcurrentWriteError, ExecuteBriefingCommand, StaleRevisionError, type CommandResult } from './briefing-command.js';
import { eventIdFor } from './event-id.js';
import { FoldedStates } from './folded-states.js';
import { OneAtATime } from './one-at-a-time.js';
import { ArchiveMetrics } from '../metrics/archive-metrics.js';

/** How long a command waits for the read store to say whether its remark ids are free, before it goes ahead. */
const REMARK_CHECK_TIMEOUT_MS = 500;
/** How often, at most, a read store that does not answer that check is logged. */
const REMARK_CHECK_WARN_EVERY_MS = 60_000;

function briefingIdOf(message: ExecuteBriefingCommand): string {
  const { command } = message;
  return command.type === 'ImportBriefing' ? command.briefing.briefingId : command.briefingId;
}

/**
 * The write side's one shell: read the briefing's stream, fold it, decide, and append with the
 * revision read. Commands for one briefing take turns in this process, so they never refuse each
 * other; a writer in another process getting in between is retried once against fresh state.
 * Folded states are kept per stream, so a command reads and folds only the events since the last
 * one. Commands for different briefings still share the event store's group commits.
 */
@CommandHandler(ExecuteBriefingCommand)
export class BriefingCommandHandler implements ICommandHandler<ExecuteBriefingCommand, CommandResult> {
  private readonly logger = new Logger('Commands');
  private readonly folded = new FoldedStates();
  private readonly turns = new OneAtATime();
  private lastRemarkCheckWarning = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly metrics: ArchiveMetrics,
  ) {}

  async execute(message: ExecuteBriefingCommand): Promise<CommandResult> {
    try {
      const result = await this.handle(message);
      this.metrics.commands.inc({ type: message.command.type, outcome: 'ok' });
      return result;
    } catch (error) {
      this.metrics.commands.inc({ type: message.command.type, outcome: outcomeOf(error) });
      throw error;
    }
  }

  private handle(message: ExecuteBriefingCommand): Promise<CommandResult> {
    const streamId = briefingStream(briefingIdOf(message));
    return this.turns.run(streamId, () => this.decideAndAppend(streamId, message));
  }

  private async decideAndAppend(streamId: string, message: ExecuteBriefingCommand): Promise<CommandResult> {
    const commandId = randomUUID();
    try {
      return await this.attempt(streamId, message, commandId);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (message.context.expectedRevision !== undefined) throw new StaleRevisionError(message.context.expectedRevision, error.actual);
    }
    try {
      return await this.attempt(streamId, message, commandId);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new ConcurrentWriteError(streamId);
      throw error;
    }
  }

  private async attempt(streamId: string, message: ExecuteBriefingCommand, commandId: string, decidedAgain = false): Promise<CommandResult> {
    const { revision, state } = await this.currentState(streamId);
    const { expectedRevision } = message.context;
    const stale = expectedRevision !== undefined && expectedRevision !== revision;
    let events: BriefingEvent[];
    try {
      events = decide(message.command, state);
    } catch (error) {
      // API.md: with If-Match, 412 unless the stream is at that revision, a briefing that does
      // not exist included (its message says so).
      if (stale) throw new StaleRevisionError(expectedRevision, revision);
      throw error;
    }
    // A re-send answers as its first sending did, even with the If-Match that sending carried.
    const resend = isResend(events, state);
    if (stale && !resend) throw new StaleRevisionError(expectedRevision, revision);
    if (!resend) await this.requireRemarkIdsFree(events);
    const appending = this.metrics.appendSeconds.startTimer();
    const result = await this.store.appendToStream(
      streamId,
      events.map((event) => toNewEvent(event, message, commandId)),
      revision < 0 ? 'no_stream' : revision,
    );
    appending();
    if (result.resent && !resend) {
      // Another process stored these very ids after this command read the stream, perhaps with
      // other content: decided again on what it stored, this command is a re-send or refused.
      if (decidedAgain) throw new ConcurrentWriteError(streamId);
      return this.attempt(streamId, message, commandId, true);
    }
    // Written right after the revision read (not a re-send): the state after it is known.
    if (events.length > 0 && result.revision === revision + events.length) {
      this.folded.set(streamId, result.revision, events.reduce(evolve, state));
    }
    return { ...result, events };
  }

  /**
   * A remark id names one remark in the whole archive (`GET /api/remarks/:remarkId/history`), but
   * the briefing's own state knows only its own ids: the read model tells which briefing holds one
   * already. It can lag a moment behind the log, so two briefings taking one id at the same moment
   * both get it; the remark history then keeps the first (see remarkHistoryProjection). Should the
   * read store not answer within REMARK_CHECK_TIMEOUT_MS, the command goes ahead: recording does
   * not depend on the read models.
   */
  private async requireRemarkIdsFree(events: readonly BriefingEvent[]): Promise<void> {
    const remarks = new Map<string, string>();
    for (const event of events) {
      if (event.type === 'StatementRecorded') remarks.set(event.data.statementId, event.data.briefingId);
      else if (event.type === 'AnswerGiven') remarks.set(event.data.answerId, event.data.briefingId);
    }
    if (remarks.size === 0) return;
    const owners = await this.remarkOwnersIfAnswered([...remarks.keys()]);
    for (const [remarkId, briefingId] of remarks) {
      const owner = owners?.get(remarkId);
      if (owner !== undefined && owner !== briefingId) throw new DomainError('ID_CONFLICT', `id ${remarkId} is already used in briefing ${owner}`);
    }
  }

  /** `remarkOwners`, or undefined when the read store fails or does not answer in time. */
  private async remarkOwnersIfAnswered(remarkIds: string[]): Promise<Map<string, string> | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), REMARK_CHECK_TIMEOUT_MS)));
    try {
      const owners = await Promise.race([remarkOwners(this.readStore, remarkIds), late]);
      if (owners !== 'late') return owners;
      this.warnRemarkCheck(`no answer within ${REMARK_CHECK_TIMEOUT_MS} ms`);
    } catch (error) {
      this.warnRemarkCheck(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
    return undefined;
  }

  private warnRemarkCheck(reason: string): void {
    const now = performance.now();
    if (now - this.lastRemarkCheckWarning < REMARK_CHECK_WARN_EVERY_MS) return;
    this.lastRemarkCheckWarning = now;
    this.logger.warn({ msg: "the read store did not say whether new remarks' ids are free in other briefings; recording them", reason });
  }

  /** The stream's state and last revision: the kept fold, brought up to date from the log. */
  private async currentState(streamId: string): Promise<{ revision: number; state: BriefingState }> {
    const kept = this.folded.get(streamId);
    let revision = kept?.revision ?? -1;
    let state = kept?.state ?? initialBriefingState;
    for (const event of await this.store.readStream(streamId, { fromRevision: revision + 1 })) {
      state = evolve(state, event as unknown as BriefingEvent);
      revision = event.revision;
    }
    this.folded.set(streamId, revision, state);
    return { revision, state };
  }
}

function outcomeOf(error: unknown): string {
  if (error instanceof DomainError) return 'rejected';
  if (error instanceof ConcurrentWriteError) return 'conflict';
  if (error instanceof StaleRevisionError) return 'stale';
  return 'failed';
}

/** True when every event decided is already in the briefing's history: the command was sent before. */
function isResend(events: readonly BriefingEvent[], state: BriefingState): boolean {
  if (state.status === 'none') return false;
  return events.every((event) => {
    const key = identityKeyOf(event);
    return key !== undefined && state.recorded.has(key);
  });
}

function toNewEvent(event: BriefingEvent, { context }: ExecuteBriefingCommand, commandId: string): NewEvent {
  return {
    eventId: eventIdFor(identityKeyOf(event)),
    type: event.type,
    data: event.data,
    recordedAt: context.now,
    metadata: {
      correlationId: context.correlationId,
      causationId: commandId,
      actor: context.actor,
      schemaVersion: SCHEMA_VERSION,
    },
  };
}