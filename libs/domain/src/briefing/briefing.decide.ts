import { DomainError } from '../domain-error.js';
import type {
  AskQuestion,
  BriefingCommand,
  CorrectRemark,
  GiveAnswer,
  ImportBriefing,
  OpenBriefing,
  RecordStatement,
  RetractRemark,
} from './briefing.commands.js';
import { amendmentKey, identityKeyOf, sameFacts, sameTopics, type BriefingEvent, type RemarkCorrected, type RemarkRetracted } from './briefing.events.js';
import { requireDate, requireSlug, requireText, requireTopics } from './briefing.rules.js';
import { evolve, initialBriefingState, type BriefingState } from './briefing.state.js';

type Existing = Exclude<BriefingState, { status: 'none' }>;

/**
 * Decides what a command records, given the briefing's history folded into `state`. Returns the
 * new events, or throws a DomainError. A command whose id is already recorded with the same
 * content returns that same event again: the store recognises it by its id and appends nothing.
 */
export function decide(command: BriefingCommand, state: BriefingState): BriefingEvent[] {
  switch (command.type) {
    case 'OpenBriefing': {
      const opened = openBriefing(command);
      // The same details again are a re-send; other details under the same id are another briefing.
      if (state.status === 'none' || isRecorded(state, opened)) return [opened];
      return refuseExisting(command.briefingId);
    }
    case 'ImportBriefing':
      return importBriefing(command, state);
    case 'RecordStatement': {
      const briefing = existing(state, command.briefingId);
      return once(briefing, recordStatement(command, briefing), () => requireNew(briefing, command.statementId));
    }
    case 'AskQuestion': {
      const briefing = existing(state, command.briefingId);
      return once(briefing, askQuestion(command, briefing), () => requireNew(briefing, command.questionId));
    }
    case 'GiveAnswer': {
      const briefing = existing(state, command.briefingId);
      return once(briefing, giveAnswer(command, briefing), () => requireNew(briefing, command.answerId));
    }
    case 'CloseBriefing': {
      const briefing = existing(state, command.briefingId);
      return once(briefing, { type: 'BriefingClosed', data: { briefingId: briefing.briefingId } }, () => requireOpen(briefing));
    }
    case 'CorrectRemark': {
      const briefing = existing(state, command.briefingId);
      const again = recordedAmendment<RemarkCorrected>(briefing, 'RemarkCorrected', command.correctionId, (data) => {
        const topics = command.topics === undefined || sameTopics(command.topics, data.topics);
        return data.remarkId === command.remarkId && data.text === command.text && data.reason === command.reason && topics;
      });
      return again ?? [correctRemark(command, briefing)];
    }
    case 'RetractRemark': {
      const briefing = existing(state, command.briefingId);
      const again = recordedAmendment<RemarkRetracted>(briefing, 'RemarkRetracted', command.retractionId, (data) => {
        return data.remarkId === command.remarkId && data.reason === command.reason;
      });
      return again ?? [retractRemark(command, briefing)];
    }
  }
}

function existing(state: BriefingState, briefingId: string): Existing {
  if (state.status === 'none') throw new DomainError('BRIEFING_NOT_FOUND', `briefing ${briefingId} does not exist`);
  return state;
}

function refuseExisting(briefingId: string): never {
  throw new DomainError('BRIEFING_EXISTS', `briefing ${briefingId} already exists with other details`);
}

/**
 * When the event a command would record is already in the history with the same content, the
 * command is a re-send: answer with that event. Same id, other content: a conflict.
 */
function resent(briefing: Existing, event: BriefingEvent): BriefingEvent[] | undefined {
  const key = identityKeyOf(event);
  const recorded = key === undefined ? undefined : briefing.recorded.get(key);
  if (recorded === undefined) return undefined;
  if (!sameFacts(recorded, event)) {
    throw new DomainError('ID_CONFLICT', `${event.type} with this id was already recorded with other content`);
  }
  return [event];
}

/**
 * A correction or retraction sent again under its id: the event it recorded, whatever the remark
 * went through since (a later correction, its retraction), so the answer is the first one's.
 * The same id with other content is a conflict. A correction that left its topics out took the
 * remark's, so its topics are not compared.
 */
function recordedAmendment<E extends RemarkCorrected | RemarkRetracted>(
  briefing: Existing,
  type: E['type'],
  id: string | undefined,
  same: (data: E['data']) => boolean,
): BriefingEvent[] | undefined {
  if (id === undefined) return undefined;
  const recorded = briefing.recorded.get(amendmentKey(type, briefing.briefingId, id));
  if (recorded === undefined) return undefined;
  const data = JSON.parse(recorded) as E['data'];
  if (!same(data)) throw new DomainError('ID_CONFLICT', `${type} with id ${id} was already recorded with other content`);
  return [{ type, data } as BriefingEvent];
}

function isRecorded(briefing: Existing, event: BriefingEvent): boolean {
  const key = identityKeyOf(event);
  const recorded = key === undefined ? undefined : briefing.recorded.get(key);
  return recorded !== undefined && sameFacts(recorded, event);
}

/** A re-send answers as the first sending did; a new command must pass the briefing's rules. */
function once(briefing: Existing, event: BriefingEvent, rules: () => void): BriefingEvent[] {
  const again = resent(briefing, event);
  if (again) return again;
  rules();
  return [event];
}

function requireOpen(briefing: Existing): void {
  if (briefing.status === 'closed') {
    throw new DomainError('BRIEFING_CLOSED', `briefing ${briefing.briefingId} is closed: it takes corrections and retractions only`);
  }
}

/** Ids are unique within a briefing, across statements, questions and answers. */
function requireNew(briefing: Existing, id: string): void {
  requireOpen(briefing);
  if (briefing.remarks.has(id) || briefing.questions.has(id)) {
    throw new DomainError('ID_CONFLICT', `id ${id} is already used in briefing ${briefing.briefingId}`);
  }
}

function openBriefing(command: OpenBriefing): BriefingEvent {
  requireDate('heldOn', command.heldOn);
  requireSlug('spokesperson.id', command.spokesperson.id);
  for (const field of ['location', 'organization'] as const) requireText(field, command[field]);
  requireText('spokesperson.name', command.spokesperson.name);
  const { briefingId, title, heldOn, location, organization, spokesperson, sourceUrl, source } = command;
  return {
    type: 'BriefingOpened',
    data: omitAbsent({
      briefingId,
      title,
      heldOn,
      location,
      organization,
      spokesperson: omitAbsent(spokesperson),
      sourceUrl,
      source: source && omitAbsent(source),
    }),
  };
}


function recordStatement(command: RecordStatement, briefing: Existing): BriefingEvent {
  const speakerId = command.speakerId ?? briefing.spokesperson.id;
  requireSlug('speakerId', speakerId);
  requireText('text', command.text);
  requireTopics('topics', command.topics);
  return {
    type: 'StatementRecorded',
    data: {
      briefingId: briefing.briefingId,
      statementId: command.statementId,
      speakerId,
      text: command.text,
      topics: [...command.topics],
      verbatim: command.verbatim ?? false,
    },
  };
}

function askQuestion(command: AskQuestion, briefing: Existing): BriefingEvent {
  requireText('text', command.text);
  requireTopics('topics', command.topics);
  const askedBy = command.askedBy && omitAbsent({ name: command.askedBy.name, outlet: command.askedBy.outlet });
  return {
    type: 'QuestionAsked',
    data: omitAbsent({
      briefingId: briefing.briefingId,
      questionId: command.questionId,
      askedBy: askedBy && Object.keys(askedBy).length > 0 ? askedBy : undefined,
      text: command.text,
      topics: [...command.topics],
    }),
  };
}

function giveAnswer(command: GiveAnswer, briefing: Existing): BriefingEvent {
  const question = briefing.questions.get(command.questionId);
  if (!question) throw new DomainError('QUESTION_NOT_FOUND', `question ${command.questionId} is not in briefing ${briefing.briefingId}`);
  const speakerId = command.speakerId ?? briefing.spokesperson.id;
  requireSlug('speakerId', speakerId);
  requireText('text', command.text);
  const topics = command.topics ?? question.topics;
  requireTopics('topics', topics);
  return {
    type: 'AnswerGiven',
    data: {
      briefingId: briefing.briefingId,
      questionId: command.questionId,
      answerId: command.answerId,
      speakerId,
      text: command.text,
      topics: [...topics],
    },
  };
}

function amendable(briefing: Existing, remarkId: string) {
  const remark = briefing.remarks.get(remarkId);
  if (!remark) throw new DomainError('REMARK_NOT_FOUND', `remark ${remarkId} is not in briefing ${briefing.briefingId}`);
  if (remark.retracted) throw new DomainError('REMARK_RETRACTED', `remark ${remarkId} was retracted`);
  return remark;
}

function correctRemark(command: CorrectRemark, briefing: Existing): BriefingEvent {
  const remark = amendable(briefing, command.remarkId);
  requireText('text', command.text);
  requireText('reason', command.reason);
  const topics = command.topics ?? remark.topics;
  requireTopics('topics', topics);
  if (command.text === remark.text && sameTopics(topics, remark.topics)) {
    throw new DomainError('NOTHING_TO_CORRECT', `the correction repeats version ${remark.version} of remark ${command.remarkId}: the same text and topics`);
  }
  return {
    type: 'RemarkCorrected',
    data: omitAbsent({
      briefingId: briefing.briefingId,
      remarkId: command.remarkId,
      correctionId: command.correctionId,
      version: remark.version + 1,
      text: command.text,
      reason: command.reason,
      topics: [...topics],
    }),
  };
}

function retractRemark(command: RetractRemark, briefing: Existing): BriefingEvent {
  amendable(briefing, command.remarkId);
  requireText('reason', command.reason);
  return {
    type: 'RemarkRetracted',
    data: omitAbsent({ briefingId: briefing.briefingId, remarkId: command.remarkId, retractionId: command.retractionId, reason: command.reason }),
  };
}

function importBriefing(command: ImportBriefing, state: BriefingState): BriefingEvent[] {
  const commands: BriefingCommand[] = [command.briefing, ...command.remarks];
  if (command.close) commands.push({ type: 'CloseBriefing', briefingId: command.briefing.briefingId });
  const events: BriefingEvent[] = [];
  let folded: BriefingState = initialBriefingState;
  for (const each of commands) {
    for (const event of decide(each, folded)) {
      // Within one import a repeated id is a mistake in the transcript, not a re-send.
      if (folded.status !== 'none' && isRecorded(folded, event)) {
        throw new DomainError('ID_CONFLICT', `${identityKeyOf(event)} appears twice in the import`);
      }
      events.push(event);
      folded = evolve(folded, event);
    }
  }
  // An import is a whole briefing: it may repeat one exactly, in the same order, never add to one.
  if (state.status !== 'none') {
    const recorded = [...state.recorded];
    const sameBriefing =
      events.length === recorded.length &&
      events.every((event, i) => recorded[i][0] === identityKeyOf(event) && sameFacts(recorded[i][1], event));
    if (!sameBriefing) {
      throw new DomainError('BRIEFING_EXISTS', `briefing ${command.briefing.briefingId} already exists`);
    }
  }
  return events;
}

/** Leaves out the optional details not given; a client's `null` is not given either, never a fact to record. */
function omitAbsent<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}
