import { canonicalData, identityKeyOf, type BriefingEvent, type Spokesperson } from './briefing.events.js';
import { ChainedMap } from './chained-map.js';

/** What the write side must remember of a remark to judge later commands about it. */
export interface RemarkState {
  readonly kind: 'statement' | 'answer';
  readonly speakerId: string;
  /** The text and topics of the current version. */
  readonly text: string;
  readonly topics: readonly string[];
  readonly version: number;
  readonly retracted: boolean;
  /** For answers: the question answered. */
  readonly questionId?: string;
  readonly verbatim?: boolean;
}

export interface QuestionState {
  readonly text: string;
  readonly topics: readonly string[];
  readonly askedBy?: { readonly name?: string; readonly outlet?: string };
}

/** A briefing as the write side knows it: enough to decide, nothing more. */
export type BriefingState =
  | { readonly status: 'none' }
  | {
      readonly status: 'open' | 'closed';
      readonly briefingId: string;
      readonly title?: string;
      readonly heldOn: string;
      readonly location: string;
      readonly organization: string;
      readonly spokesperson: Spokesperson;
      readonly sourceUrl?: string;
      readonly questions: ReadonlyMap<string, QuestionState>;
      readonly remarks: ReadonlyMap<string, RemarkState>;
      /** The data of every event that has an identity key, by key: how re-sent commands are recognised. */
      readonly recorded: ReadonlyMap<string, string>;
    };

export const initialBriefingState: BriefingState = { status: 'none' };

/** The map with one entry set, sharing the rest with `map` (a command folds one event per step). */
function withEntry<V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> {
  return ChainedMap.from(map).with(key, value);
}

/** Folds one event into the state. Never throws: the log is the truth. */
export function evolve(state: BriefingState, event: BriefingEvent): BriefingState {
  const next = apply(state, event);
  const key = identityKeyOf(event);
  if (next.status === 'none' || key === undefined) return next;
  return { ...next, recorded: withEntry(next.recorded, key, canonicalData(event)) };
}

function apply(state: BriefingState, event: BriefingEvent): BriefingState {
  if (event.type === 'BriefingOpened') {
    const { briefingId, title, heldOn, location, organization, spokesperson, sourceUrl } = event.data;
    return {
      status: 'open',
      briefingId,
      title,
      heldOn,
      location,
      organization,
      spokesperson,
      sourceUrl,
      questions: ChainedMap.empty(),
      remarks: ChainedMap.empty(),
      recorded: ChainedMap.empty(),
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'StatementRecorded': {
      const { statementId, speakerId, text, topics, verbatim } = event.data;
      const remark: RemarkState = { kind: 'statement', speakerId, text, topics, version: 1, retracted: false, verbatim };
      return { ...state, remarks: withEntry(state.remarks, statementId, remark) };
    }
    case 'QuestionAsked': {
      const { questionId, text, topics, askedBy } = event.data;
      return { ...state, questions: withEntry(state.questions, questionId, { text, topics, askedBy }) };
    }
    case 'AnswerGiven': {
      const { answerId, questionId, speakerId, text, topics } = event.data;
      const remark: RemarkState = { kind: 'answer', questionId, speakerId, text, topics, version: 1, retracted: false };
      return { ...state, remarks: withEntry(state.remarks, answerId, remark) };
    }
    case 'RemarkCorrected': {
      const remark = state.remarks.get(event.data.remarkId);
      if (!remark) return state;
      const { text, topics, version } = event.data;
      return { ...state, remarks: withEntry(state.remarks, event.data.remarkId, { ...remark, text, topics, version }) };
    }
    case 'RemarkRetracted': {
      const remark = state.remarks.get(event.data.remarkId);
      if (!remark) return state;
      return { ...state, remarks: withEntry(state.remarks, event.data.remarkId, { ...remark, retracted: true }) };
    }
    case 'BriefingClosed':
      return { ...state, status: 'closed' };
  }
}
