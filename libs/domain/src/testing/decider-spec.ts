import { decide } from '../briefing/briefing.decide.js';
import type { BriefingCommand } from '../briefing/briefing.commands.js';
import type { BriefingEvent } from '../briefing/briefing.events.js';
import { evolve, initialBriefingState, type BriefingState } from '../briefing/briefing.state.js';
import { DomainError, type DomainErrorCode } from '../domain-error.js';

/**
 * A given/when/then decider spec: `given` is the briefing's history, `when` the command, `then`
 * the events it records (or `thenThrows` the refusal). The history is folded with `evolve` from
 * the initial state, exactly as a command handler does with the events it reads.
 */
export function given(history: readonly BriefingEvent[]) {
  return {
    when(command: BriefingCommand) {
      const run = (): BriefingEvent[] => decide(command, history.reduce<BriefingState>(evolve, initialBriefingState));
      return {
        then(expected: readonly BriefingEvent[]): void {
          expect(run()).toStrictEqual(expected);
        },
        /** Asserts the command is refused with `code` (and, for INVALID_INPUT, the field named). */
        thenThrows(code: DomainErrorCode, field?: string): void {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          expect(thrown).toMatchObject(field === undefined ? { code } : { code, field });
        },
      };
    },
  };
}
