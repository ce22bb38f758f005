import type { Source, Spokesperson } from './briefing.events.js';

/** Commands are plain data: what a client asked for, with every id already chosen. */
export interface OpenBriefing {
  readonly type: 'OpenBriefing';
  readonly briefingId: string;
  readonly title?: string;
  readonly heldOn: string;
  readonly location: string;
  readonly organization: string;
  readonly spokesperson: Spokesperson;
  readonly sourceUrl?: string;
  readonly source?: Source;
}

export interface RecordStatement {
  readonly type: 'RecordStatement';
  readonly briefingId: string;
  readonly statementId: string;
  /** Defaults to the briefing's spokesperson. */
  readonly speakerId?: string;
  readonly text: string;
  readonly topics: readonly string[];
  readonly verbatim?: boolean;
}

export interface AskQuestion {
  readonly type: 'AskQuestion';
  readonly briefingId: string;
  readonly questionId: string;
  readonly askedBy?: { readonly name?: string; readonly outlet?: string };
  readonly text: string;
  readonly topics: readonly string[];
}

export interface GiveAnswer {
  readonly type: 'GiveAnswer';
  readonly briefingId: string;
  readonly questionId: string;
  readonly answerId: string;
  readonly speakerId?: string;
  readonly text: string;
  /** Defaults to the question's topics. */
  readonly topics?: readonly string[];
}

export interface CorrectRemark {
  readonly type: 'CorrectRemark';
  readonly briefingId: string;
  readonly remarkId: string;
  /** Names this correction, so that sending it again records nothing more. */
  readonly correctionId?: string;
  readonly text: string;
  readonly reason: string;
  /** Defaults to the remark's current topics. */
  readonly topics?: readonly string[];
}

export interface RetractRemark {
  readonly type: 'RetractRemark';
  readonly briefingId: string;
  readonly remarkId: string;
  /** Names this retraction, so that sending it again records nothing more. */
  readonly retractionId?: string;
  readonly reason: string;
}

export interface CloseBriefing {
  readonly type: 'CloseBriefing';
  readonly briefingId: string;
}

/** A whole briefing in spoken order, recorded in one atomic append. */
export interface ImportBriefing {
  readonly type: 'ImportBriefing';
  readonly briefing: OpenBriefing;
  /** Statements, questions and answers in the order they were spoken. */
  readonly remarks: readonly (RecordStatement | AskQuestion | GiveAnswer)[];
  readonly close: boolean;
}

export type BriefingCommand =
  | OpenBriefing
  | RecordStatement
  | AskQuestion
  | GiveAnswer
  | CorrectRemark
  | RetractRemark
  | CloseBriefing
  | ImportBriefing;
