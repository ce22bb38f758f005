import type { BriefingEvent } from '@archive/domain';
import type { StoredEvent } from '@archive/event-store';

/** What a feed filter can ask of an event: the topics it concerns and the speakers it is about. */
export interface EventFacts {
  readonly topics: readonly string[];
  readonly speakers: readonly string[];
}

/** A remark as the feed needs to know it: who made it, and its topics as of its latest version. */
export interface RemarkFacts {
  readonly speakerId: string;
  readonly topics: readonly string[];
}

const NO_FACTS: EventFacts = { topics: [], speakers: [] };

/**
 * What one briefing stream has said so far about its spokesperson and its remarks: the part of
 * its history that corrections, retractions and the closing event do not repeat. Fed the
 * stream's events in order, it never throws on an event it does not know.
 */
export class BriefingFacts {
  private spokespersonId: string | undefined;
  private readonly remarks = new Map<string, RemarkFacts>();

  /** Folds the events in, in stream order; returns this. */
  apply(events: readonly StoredEvent[]): this {
    for (const stored of events) {
      const event = stored as unknown as BriefingEvent;
      switch (event.type) {
        case 'BriefingOpened':
          this.spokespersonId = event.data.spokesperson?.id;
          break;
        case 'StatementRecorded':
          this.remarks.set(event.data.statementId, { speakerId: event.data.speakerId, topics: event.data.topics ?? [] });
          break;
        case 'AnswerGiven':
          this.remarks.set(event.data.answerId, { speakerId: event.data.speakerId, topics: event.data.topics ?? [] });
          break;
        case 'RemarkCorrected': {
          const remark = this.remarks.get(event.data.remarkId);
          if (remark) this.remarks.set(event.data.remarkId, { ...remark, topics: event.data.topics ?? remark.topics });
          break;
        }
        default:
          break;
      }
    }
    return this;
  }

  remark(remarkId: string): RemarkFacts | undefined {
    return this.remarks.get(remarkId);
  }

  spokesperson(): string | undefined {
    return this.spokespersonId;
  }
}

/** Whether describing the event needs what came before it in its stream. */
export function needsHistory(event: StoredEvent): boolean {
  return event.type === 'RemarkCorrected' || event.type === 'RemarkRetracted' || event.type === 'BriefingClosed';
}

/**
 * The topics and speakers an event concerns, for the feed's `topic` and `speaker` filters.
 * `before` is its stream's facts from the events before it; only the events `needsHistory`
 * names look at it.
 *
 * - Opening a briefing concerns its spokesperson; closing it too (the spokesperson of the opening).
 * - Statements and answers concern their topics and their speaker; questions their topics only
 *   (a journalist is not a speaker of the office).
 * - A correction concerns the topics of the new version and those of the version it replaces
 *   (a follower of a topic learns that a remark left it), and the remark's speaker.
 * - A retraction concerns the retracted remark's topics (as of its latest version) and speaker.
 */
export function describeEvent(stored: StoredEvent, before?: BriefingFacts): EventFacts {
  const event = stored as unknown as BriefingEvent;
  switch (event.type) {
    case 'BriefingOpened':
      return facts([], [event.data.spokesperson?.id]);
    case 'StatementRecorded':
    case 'AnswerGiven':
      return facts(event.data.topics, [event.data.speakerId]);
    case 'QuestionAsked':
      return facts(event.data.topics, []);
    case 'RemarkCorrected': {
      const remark = before?.remark(event.data.remarkId);
      return facts([...(remark?.topics ?? []), ...(event.data.topics ?? [])], [remark?.speakerId]);
    }
    case 'RemarkRetracted': {
      const remark = before?.remark(event.data.remarkId);
      return facts(remark?.topics, [remark?.speakerId]);
    }
    case 'BriefingClosed':
      return facts([], [before?.spokesperson()]);
    default:
      return NO_FACTS;
  }
}

function facts(topics: readonly string[] | undefined, speakers: readonly (string | undefined)[]): EventFacts {
  return {
    topics: [...new Set(topics ?? [])],
    speakers: [...new Set(speakers.filter((speaker): speaker is string => typeof speaker === 'string'))],
  };
}
