import {
  SCHEMA_VERSION,
  briefingStream,
  decide,
  evolve,
  identityKeyOf,
  initialBriefingState,
  type BriefingEvent,
  type BriefingState,
} from '@archive/domain';
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from '@archive/event-store';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE } from '../tokens.js';
import { ConcurrentWriteError, ExecuteBriefingCommand, StaleRevisionError, type CommandResult } from './briefing-command.js';
import { eventIdFor } from './event-id.js';

function briefingIdOf(message: ExecuteBriefingCommand): string {
  const { command } = message;
  return command.type === 'ImportBriefing' ? command.briefing.briefingId : command.briefingId;
}

/**
 * The write side's one shell: read the briefing's stream, fold it, decide, and append with the
 * revision read. Another writer getting in between is retried once against fresh state.
 */
@CommandHandler(ExecuteBriefingCommand)
export class BriefingCommandHandler implements ICommandHandler<ExecuteBriefingCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: ExecuteBriefingCommand): Promise<CommandResult> {
    const streamId = briefingStream(briefingIdOf(message));
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

  private async attempt(streamId: string, message: ExecuteBriefingCommand, commandId: string): Promise<CommandResult> {
    const stored = await this.store.readStream(streamId);
    const revision = stored.length - 1;
    let state: BriefingState = initialBriefingState;
    for (const event of stored) state = evolve(state, event as unknown as BriefingEvent);
    const { expectedRevision } = message.context;
    const stale = expectedRevision !== undefined && expectedRevision !== revision;
    let events: BriefingEvent[];
    try {
      events = decide(message.command, state);
    } catch (error) {
      if (stale) throw new StaleRevisionError(expectedRevision, revision);
      throw error;
    }
    // A re-send answers as its first sending did, even with the If-Match that sending carried.
    if (stale && !isResend(events, state)) throw new StaleRevisionError(expectedRevision, revision);
    const result = await this.store.appendToStream(
      streamId,
      events.map((event) => toNewEvent(event, message, commandId)),
      revision < 0 ? 'no_stream' : revision,
    );
    return { ...result, events };
  }
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