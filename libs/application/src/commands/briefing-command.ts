import type { BriefingCommand, BriefingEvent } from '@archive/domain';
import { Command } from '@nestjs/cqrs';

/** Who sent a command and under what conditions. */
export interface CommandContext {
  /** The API key's name, or `anonymous`. */
  readonly actor: string;
  /** The request's id: every event a request causes carries it. */
  readonly correlationId: string;
  /** When the command was received; it becomes each event's recorded-at time. */
  readonly now: string;
  /** From `If-Match`: the revision the client last saw; a newer stream fails the command. */
  readonly expectedRevision?: number;
}

export interface CommandResult {
  /** Revision of the stream's last event written (or already written, for a re-send). */
  readonly revision: number;
  /** Global position of that event: what `X-Min-Position` waits for. */
  readonly position: number;
  /** The events the command recorded, or would have on its first sending. */
  readonly events: readonly BriefingEvent[];
}

/** The one message the command bus carries for a briefing: a domain command and its context. */
export class ExecuteBriefingCommand extends Command<CommandResult> {
  constructor(
    readonly command: BriefingCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The client's `If-Match` revision is not the stream's: it acted on a stale view. */
export class StaleRevisionError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      actual < 0
        ? `the briefing does not exist, so it is not at revision ${expected}`
        : expected < 0
          ? `the briefing exists already (at revision ${actual}); If-Match: -1 asks that it not`
          : `the briefing is at revision ${actual}, not ${expected}`,
    );
    this.name = 'StaleRevisionError';
  }
}

/** Another writer changed the briefing twice while this command was being decided. */
export class ConcurrentWriteError extends Error {
  constructor(readonly streamId: string) {
    super(`briefing stream ${streamId} kept changing while the command was decided; try again`);
    this.name = 'ConcurrentWriteError';
  }
}
