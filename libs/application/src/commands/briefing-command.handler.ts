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
    const { expectedRevision } = message.context;
    if (expectedRevision !== undefined && expectedRevision !== revision) throw new StaleRevisionError(expectedRevision, revision);

    let state: BriefingState = initialBriefingState;
    for (const event of stored) state = evolve(state, event as unknown as BriefingEvent);
    const events = decide(message.command, state);
    const result = await this.store.appendToStream(
      streamId,
      events.map((event) => toNewEvent(event, message, commandId)),
      revision < 0 ? 'no_stream' : revision,
    );
    return { ...result, events };
  }
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