import fc from 'fast-check';
import { DomainError, type DomainErrorCode } from '../domain-error.js';
import type {
  AskQuestion,
  BriefingCommand,
  CloseBriefing,
  CorrectRemark,
  GiveAnswer,
  ImportBriefing,
  OpenBriefing,
  RecordStatement,
  RetractRemark,
} from './briefing.commands.js';
import { decide } from './briefing.decide.js';
import { BRIEFING_EVENT_TYPES, canonicalData, identityKeyOf, type BriefingEvent, type BriefingEventType } from './briefing.events.js';
import { evolve, initialBriefingState, type BriefingState } from './briefing.state.js';

/*
 * Property-based tests of the decider: fast-check generates sequences of commands whose ids are
 * drawn from small pools, so that they collide (re-sends, answers to unknown questions,
 * corrections of retracted remarks, commands after close, an id used by a statement and then by
 * a question...). Each command is decided against the state folded so far and its events
 * "appended" the way the store does, and the invariants of the archive are checked at every step.
 * On failure fast-check prints the seed and the shrunk sequence of commands.
 */

const RUNS = 300;

const BRIEFING_IDS = ['0b7e4d2c-3f1a-4c55-9a6e-2d8f1b9c7e10', '6d2f8a4e-9c1b-4e7d-a5f3-8b6c2e4a1d20'] as const;
/** Statements, questions, answers and the remarks amended all draw from this one pool. */
const IDS = [
  '5c1d9e0a-7b2f-4e3c-8d4a-1f6b2c9e0d11',
  '8a2e6f1b-4c3d-4b5e-9f7a-3d1c5e2b8f12',
  'e3f9a1c7-2d4b-4a6e-8c5f-7b1d3e9a2c13',
  '9d4b2a6c-1e3f-4d7a-8b5c-6f2e1a3d9c14',
] as const;
const SPOKESPERSONS = [
  { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch', title: 'Spokesperson' },
  { id: 'shafqat-ali-khan', name: 'Shafqat Ali Khan' },
] as const;

/** Mostly valid values, sometimes one the rules refuse. */
function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

/** Most commands go to the first briefing, so that its history grows long; the second is mostly unknown. */
const briefingIdArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant(BRIEFING_IDS[0]) },
  { weight: 1, arbitrary: fc.constant(BRIEFING_IDS[1]) },
);
const idArb = fc.constantFrom(...IDS);
const textArb = mostly(
  fc.constantFrom('Pakistan has urged the Afghan interim authorities to act against the TTP.', 'We remain in contact with Kabul.'),
  fc.constantFrom('', '  \n'),
);
const reasonArb = mostly(fc.constantFrom('Transcription error', 'Withdrawn by the ministry'), fc.constant(' '));
const topicsArb = mostly(
  fc.subarray(['ttp', 'afghanistan', 'counter-terrorism'], { minLength: 1 }),
  fc.constantFrom<string[]>([], ['TTP'], ['ttp', 'ttp']),
);
const speakerArb = fc.option(mostly(fc.constantFrom('mumtaz-zahra-baloch', 'shafqat-ali-khan'), fc.constant('Shafqat Ali')), {
  nil: undefined,
});

const openArb: fc.Arbitrary<OpenBriefing> = fc.record({
  type: fc.constant('OpenBriefing' as const),
  briefingId: briefingIdArb,
  title: fc.option(fc.constant('Weekly press briefing'), { nil: undefined }),
  heldOn: mostly(fc.constantFrom('2024-01-11', '2024-01-18'), fc.constant('2024-02-30')),
  location: fc.constantFrom('Islamabad', 'Beijing'),
  organization: fc.constant('Ministry of Foreign Affairs'),
  spokesperson: fc.constantFrom(...SPOKESPERSONS),
});

const statementArb = (briefingId: fc.Arbitrary<string>): fc.Arbitrary<RecordStatement> =>
  fc.record({
    type: fc.constant('RecordStatement' as const),
    briefingId,
    statementId: idArb,
    speakerId: speakerArb,
    text: textArb,
    topics: topicsArb,
    verbatim: fc.option(fc.boolean(), { nil: undefined }),
  });

const questionArb = (briefingId: fc.Arbitrary<string>): fc.Arbitrary<AskQuestion> =>
  fc.record({
    type: fc.constant('AskQuestion' as const),
    briefingId,
    questionId: idArb,
    askedBy: fc.option(fc.constantFrom({ outlet: 'Dawn' }, { name: 'Anas Mallick', outlet: 'WION' }, {}), { nil: undefined }),
    text: textArb,
    topics: topicsArb,
  });

const answerArb = (briefingId: fc.Arbitrary<string>): fc.Arbitrary<GiveAnswer> =>
  fc.record({
    type: fc.constant('GiveAnswer' as const),
    briefingId,
    questionId: idArb,
    answerId: idArb,
    speakerId: speakerArb,
    text: textArb,
    topics: fc.option(topicsArb, { nil: undefined }),
  });

const correctArb: fc.Arbitrary<CorrectRemark> = fc.record({
  type: fc.constant('CorrectRemark' as const),
  briefingId: briefingIdArb,
  remarkId: idArb,
  text: textArb,
  reason: reasonArb,
  topics: fc.option(topicsArb, { nil: undefined }),
});

const retractArb: fc.Arbitrary<RetractRemark> = fc.record({
  type: fc.constant('RetractRemark' as const),
  briefingId: briefingIdArb,
  remarkId: idArb,
  reason: reasonArb,
});

const closeArb: fc.Arbitrary<CloseBriefing> = fc.record({ type: fc.constant('CloseBriefing' as const), briefingId: briefingIdArb });

const importArb: fc.Arbitrary<ImportBriefing> = openArb.chain((briefing) => {
  const sameBriefing = fc.constant(briefing.briefingId);
  return fc.record({
    type: fc.constant('ImportBriefing' as const),
    briefing: fc.constant(briefing),
    remarks: fc.array(fc.oneof(statementArb(sameBriefing), questionArb(sameBriefing), answerArb(sameBriefing)), { maxLength: 5 }),
    close: fc.boolean(),
  });
});

const commandArb: fc.Arbitrary<BriefingCommand> = fc.oneof(
  { weight: 3, arbitrary: openArb },
  { weight: 6, arbitrary: statementArb(briefingIdArb) },
  { weight: 6, arbitrary: questionArb(briefingIdArb) },
  { weight: 8, arbitrary: answerArb(briefingIdArb) },
  { weight: 6, arbitrary: correctArb },
  { weight: 3, arbitrary: retractArb },
  { weight: 1, arbitrary: closeArb },
  { weight: 2, arbitrary: importArb },
);

/** A new command, or the n-th command sent so far (modulo their number) sent once more. */
type Step = { readonly command: BriefingCommand } | { readonly resend: number };

/** Most runs start with a briefing opened, so that the commands after it have something to act on. */
const stepsArb: fc.Arbitrary<Step[]> = fc
  .tuple(
    fc.option(
      openArb.map((command) => ({ command: { ...command, briefingId: BRIEFING_IDS[0], heldOn: '2024-01-11' } })),
      { freq: 5 },
    ),
    fc.array(
      fc.oneof(
        { weight: 4, arbitrary: commandArb.map((command) => ({ command })) },
        { weight: 1, arbitrary: fc.nat().map((resend) => ({ resend })) },
      ),
      { minLength: 1, maxLength: 40, size: 'medium' },
    ),
  )
  .map(([open, steps]) => (open ? [open, ...steps] : steps));

const briefingIdOf = (command: BriefingCommand): string =>
  command.type === 'ImportBriefing' ? command.briefing.briefingId : command.briefingId;

/** What the store appends of the events decided: nothing when every one is already stored (a re-send), else all. */
function appended(state: BriefingState, events: readonly BriefingEvent[]): readonly BriefingEvent[] {
  const keys = events.map(identityKeyOf);
  const defined = keys.filter((key): key is string => key !== undefined);
  expect(new Set(defined).size).toBe(defined.length);
  const recorded = state.status === 'none' ? new Map<string, string>() : state.recorded;
  const stored = events.filter((event, i) => keys[i] !== undefined && recorded.has(keys[i]));
  // The store takes a batch whole or recognises it whole; a batch only partly stored is refused.
  expect(stored.length === 0 || stored.length === events.length).toBe(true);
  if (stored.length === 0) return events;
  // A re-send: it answers with the very events first recorded, and appends nothing.
  for (const [i, event] of events.entries()) expect(recorded.get(keys[i] as string)).toBe(canonicalData(event));
  return [];
}

interface RemarkModel {
  version: number;
  retracted: boolean;
}

/**
 * Walks a briefing's log with the archive's rules written out plainly (no evolve), failing at the
 * first event that breaks one, and checks that the state evolve folded agrees with the walk.
 */
function checkLog(briefingId: string, log: readonly BriefingEvent[], state: BriefingState): void {
  if (log.length === 0) {
    expect(state).toStrictEqual(initialBriefingState);
    return;
  }
  const [first, ...rest] = log;
  expect(first?.type).toBe('BriefingOpened');
  let closed = false;
  const questions = new Set<string>();
  const remarks = new Map<string, RemarkModel>();
  const ids = new Set<string>();
  const newId = (id: string) => {
    expect(ids.has(id)).toBe(false);
    ids.add(id);
  };
  for (const event of rest) {
    expect(event.data.briefingId).toBe(briefingId);
    // Nothing after close but corrections and retractions.
    if (closed) expect(['RemarkCorrected', 'RemarkRetracted']).toContain(event.type);
    switch (event.type) {
      case 'BriefingOpened':
        throw new Error(`a second BriefingOpened in ${briefingId}`);
      case 'StatementRecorded':
        newId(event.data.statementId);
        remarks.set(event.data.statementId, { version: 1, retracted: false });
        break;
      case 'QuestionAsked':
        newId(event.data.questionId);
        questions.add(event.data.questionId);
        break;
      case 'AnswerGiven':
        // No answer without its question, asked before it in the same briefing.
        expect(questions.has(event.data.questionId)).toBe(true);
        newId(event.data.answerId);
        remarks.set(event.data.answerId, { version: 1, retracted: false });
        break;
      case 'RemarkCorrected': {
        const remark = remarks.get(event.data.remarkId);
        expect(remark).toMatchObject({ retracted: false });
        // Versions of a remark go up by exactly one.
        expect(event.data.version).toBe((remark as RemarkModel).version + 1);
        (remark as RemarkModel).version = event.data.version;
        break;
      }
      case 'RemarkRetracted': {
        const remark = remarks.get(event.data.remarkId);
        expect(remark).toMatchObject({ retracted: false });
        (remark as RemarkModel).retracted = true;
        break;
      }
      case 'BriefingClosed':
        closed = true;
        break;
    }
  }
  expect(state.status).toBe(closed ? 'closed' : 'open');
  if (state.status === 'none') return;
  expect(new Set(state.questions.keys())).toEqual(questions);
  expect(new Map([...state.remarks].map(([id, { version, retracted }]) => [id, { version, retracted }]))).toEqual(remarks);
}

/** What the runs covered, to show the generators reach every event and every refusal. */
interface Coverage {
  readonly events: Set<BriefingEventType>;
  readonly refusals: Set<DomainErrorCode>;
  resends: number;
  refusedAfterClose: number;
}

/** Runs one sequence of commands against a store of briefing streams, checking every step. */
/** The state with each of its maps as a plain Map: what it holds, in order, whatever way it was built. */
function plain(state: BriefingState): unknown {
  if (state.status === 'none') return state;
  return { ...state, questions: new Map(state.questions), remarks: new Map(state.remarks), recorded: new Map(state.recorded) };
}

function run(steps: readonly Step[], seen: Coverage): void {
  const logs = new Map<string, BriefingEvent[]>();
  const states = new Map<string, BriefingState>();
  const sent: BriefingCommand[] = [];
  /** Commands that recorded events and carry an id, as JSON: the ones a re-send must not repeat. */
  const recordedOnce = new Set<string>();

  for (const step of steps) {
    const command = 'command' in step ? step.command : sent[step.resend % Math.max(sent.length, 1)];
    if (command === undefined) continue;
    sent.push(command);
    const briefingId = briefingIdOf(command);
    const log = logs.get(briefingId) ?? [];
    const state = states.get(briefingId) ?? initialBriefingState;

    // The state the decider sees is the stream read back from the store and folded from scratch.
    const readBack = JSON.parse(JSON.stringify(log)) as BriefingEvent[];
    expect(plain(readBack.reduce(evolve, initialBriefingState))).toStrictEqual(plain(state));

    let events: BriefingEvent[];
    try {
      events = decide(command, state);
    } catch (error) {
      // Refusals are domain errors with a stable code, never a crash of the decider.
      expect(error).toBeInstanceOf(DomainError);
      const { code } = error as DomainError;
      seen.refusals.add(code);
      if (state.status === 'closed') seen.refusedAfterClose++;
      // A command that recorded its events once is recognised when sent again, whatever came since;
      // only an import that the briefing has outgrown is refused, as "another briefing".
      if (recordedOnce.has(JSON.stringify(command))) expect([command.type, code]).toEqual(['ImportBriefing', 'BRIEFING_EXISTS']);
      continue;
    }
    // decide is a pure function of the command and the state.
    expect(decide(command, state)).toStrictEqual(events);
    expect(events.length).toBeGreaterThan(0);

    const written = appended(state, events);
    const key = JSON.stringify(command);
    if (recordedOnce.has(key)) {
      seen.resends++;
      // A command sent again appends nothing.
      expect(written).toEqual([]);
    }
    if (written.length > 0 && identityKeyOf(written[0] as BriefingEvent) !== undefined) recordedOnce.add(key);

    if (state.status === 'closed') {
      // A closed briefing takes corrections and retractions only.
      for (const event of written) expect(['RemarkCorrected', 'RemarkRetracted']).toContain(event.type);
    }
    if (command.type === 'CorrectRemark' && state.status !== 'none') {
      const before = state.remarks.get(command.remarkId);
      expect(written).toMatchObject([{ type: 'RemarkCorrected', data: { version: (before?.version ?? Number.NaN) + 1 } }]);
    }

    const next = written.reduce(evolve, state);
    logs.set(briefingId, [...log, ...written]);
    states.set(briefingId, next);
    for (const event of written) seen.events.add(event.type);
  }

  for (const briefingId of BRIEFING_IDS) {
    const log = logs.get(briefingId) ?? [];
    const state = states.get(briefingId) ?? initialBriefingState;
    expect(plain(log.reduce(evolve, initialBriefingState))).toStrictEqual(plain(state));
    checkLog(briefingId, log, state);
  }
}

describe('the briefing decider, under arbitrary sequences of commands', () => {
  it(`keeps the archive's invariants over ${RUNS} generated runs, through every event and every refusal`, () => {
    const seen: Coverage = { events: new Set(), refusals: new Set(), resends: 0, refusedAfterClose: 0 };
    fc.assert(fc.property(stepsArb, (steps) => run(steps, seen)), { numRuns: RUNS });

    // Guards the generators: a change that made them miss a case would leave the property vacuous.
    expect([...seen.events].sort()).toEqual([...BRIEFING_EVENT_TYPES].sort());
    expect([...seen.refusals].sort()).toEqual(
      (
        [
          'BRIEFING_CLOSED',
          'BRIEFING_EXISTS',
          'BRIEFING_NOT_FOUND',
          'ID_CONFLICT',
          'INVALID_INPUT',
          'NOTHING_TO_CORRECT',
          'QUESTION_NOT_FOUND',
          'REMARK_NOT_FOUND',
          'REMARK_RETRACTED',
        ] satisfies DomainErrorCode[]
      ).sort(),
    );
    expect(seen.resends).toBeGreaterThan(RUNS / 2);
    expect(seen.refusedAfterClose).toBeGreaterThan(RUNS / 10);
  });
});
