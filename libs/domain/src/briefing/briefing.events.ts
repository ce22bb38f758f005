/** A domain event: a past-tense fact with a literal type we own and plain data. */
export interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly data: Readonly<Data>;
}

export interface Spokesperson {
  /** Slug, e.g. `mumtaz-zahra-baloch`. */
  readonly id: string;
  readonly name: string;
  readonly title?: string;
}

/** Where a briefing's record came from: the page it was taken from, when, and its digest. */
export interface Source {
  readonly url: string;
  readonly retrievedAt?: string;
  readonly sha256?: string;
}

/** A briefing was held and is now open for its remarks to be recorded. */
export type BriefingOpened = Event<
  'BriefingOpened',
  {
    briefingId: string;
    title?: string;
    /** The day it was held, `YYYY-MM-DD`. */
    heldOn: string;
    location: string;
    organization: string;
    spokesperson: Spokesperson;
    sourceUrl?: string;
    source?: Source;
  }
>;

/** A speaker made an opening statement. A statement is a remark. */
export type StatementRecorded = Event<
  'StatementRecorded',
  {
    briefingId: string;
    statementId: string;
    speakerId: string;
    text: string;
    topics: string[];
    /** True when `text` is the speaker's own words rather than a report of them. */
    verbatim: boolean;
  }
>;

/** A journalist asked a question. A question is not a remark of the office: it is never corrected. */
export type QuestionAsked = Event<
  'QuestionAsked',
  {
    briefingId: string;
    questionId: string;
    askedBy?: { name?: string; outlet?: string };
    text: string;
    topics: string[];
  }
>;

/** A speaker answered a question. An answer is a remark. */
export type AnswerGiven = Event<
  'AnswerGiven',
  {
    briefingId: string;
    questionId: string;
    answerId: string;
    speakerId: string;
    text: string;
    topics: string[];
  }
>;

/** A remark's text was replaced by a new version; the earlier versions stay in the log. */
export type RemarkCorrected = Event<
  'RemarkCorrected',
  {
    briefingId: string;
    remarkId: string;
    /** The command's own id, when it had one (always, through the API; not in events recorded before it had). */
    correctionId?: string;
    /** The new version: 2 for the first correction. */
    version: number;
    text: string;
    reason: string;
    topics: string[];
  }
>;

/** A remark was withdrawn. It stays in the record, marked retracted. */
export type RemarkRetracted = Event<
  'RemarkRetracted',
  {
    briefingId: string;
    remarkId: string;
    /** As a correction's `correctionId`. */
    retractionId?: string;
    reason: string;
  }
>;

/** The briefing is over: from now on it takes corrections and retractions only. */
export type BriefingClosed = Event<'BriefingClosed', { briefingId: string }>;

export type BriefingEvent =
  | BriefingOpened
  | StatementRecorded
  | QuestionAsked
  | AnswerGiven
  | RemarkCorrected
  | RemarkRetracted
  | BriefingClosed;

export type BriefingEventType = BriefingEvent['type'];

export const BRIEFING_EVENT_TYPES: readonly BriefingEventType[] = [
  'BriefingOpened',
  'StatementRecorded',
  'QuestionAsked',
  'AnswerGiven',
  'RemarkCorrected',
  'RemarkRetracted',
  'BriefingClosed',
];

export function isBriefingEventType(type: string): type is BriefingEventType {
  return (BRIEFING_EVENT_TYPES as readonly string[]).includes(type);
}

/** The version of the event schemas this code writes. */
export const SCHEMA_VERSION = 1;

/**
 * A key that names the fact an event records, for events whose command carries an id: the same
 * command sent again produces the same key, so the store can recognise the re-send. A correction
 * or retraction has one when its command was named (`correctionId`, `retractionId`).
 */
export function identityKeyOf(event: BriefingEvent): string | undefined {
  switch (event.type) {
    case 'BriefingOpened':
      return `${event.type}/${event.data.briefingId}`;
    case 'StatementRecorded':
      return `${event.type}/${event.data.briefingId}/${event.data.statementId}`;
    case 'QuestionAsked':
      return `${event.type}/${event.data.briefingId}/${event.data.questionId}`;
    case 'AnswerGiven':
      return `${event.type}/${event.data.briefingId}/${event.data.answerId}`;
    case 'BriefingClosed':
      return `${event.type}/${event.data.briefingId}`;
    case 'RemarkCorrected':
      return event.data.correctionId === undefined ? undefined : amendmentKey(event.type, event.data.briefingId, event.data.correctionId);
    case 'RemarkRetracted':
      return event.data.retractionId === undefined ? undefined : amendmentKey(event.type, event.data.briefingId, event.data.retractionId);
  }
}

/** The identity key of a correction or retraction named `id` (see identityKeyOf). */
export function amendmentKey(type: 'RemarkCorrected' | 'RemarkRetracted', briefingId: string, id: string): string {
  return `${type}/${briefingId}/${id}`;
}

/**
 * An event's data as text with every object's keys in sorted order, so that the same facts give
 * the same text whatever order their fields were sent or stored in: how a re-send is recognised.
 */
export function canonicalData(event: BriefingEvent): string {
  return JSON.stringify(event.data, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/**
 * Whether an event holds the facts of a recorded one (its `canonicalData`): the same data, its
 * topics, a set, in any order. How a re-send is told from a conflicting use of the same id.
 */
export function sameFacts(recorded: string, event: BriefingEvent): boolean {
  const data = canonicalData(event);
  return recorded === data || withTopicsSorted(recorded) === withTopicsSorted(data);
}

export function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

function withTopicsSorted(canonical: string): string {
  return JSON.stringify(JSON.parse(canonical), (key, value: unknown) => (key === 'topics' && Array.isArray(value) ? [...(value as string[])].sort() : value));
}
