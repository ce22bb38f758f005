import type { BriefingEvent } from './briefing.events.js';
import { evolve, initialBriefingState, type BriefingState } from './briefing.state.js';
import { given } from '../testing/decider-spec.js';
import {
  answerGiven,
  answerId,
  briefingClosed,
  briefingOpened,
  correctRemark,
  questionAsked,
  recordStatement,
  remarkCorrected,
  remarkRetracted,
  statementRecorded,
} from '../testing/briefing.fixtures.js';

const fold = (events: readonly BriefingEvent[]): BriefingState => events.reduce<BriefingState>(evolve, initialBriefingState);

describe('folding a briefing’s history', () => {
  it('never throws on events of a briefing it has not seen opened', () => {
    const orphans: BriefingEvent[] = [
      statementRecorded(),
      questionAsked(),
      answerGiven(),
      remarkCorrected(),
      remarkRetracted(),
      briefingClosed(),
    ];
    expect(fold(orphans)).toEqual(initialBriefingState);
  });

  it('still treats such a briefing as unknown to commands', () => {
    given([statementRecorded(), briefingClosed()]).when(recordStatement()).thenThrows('BRIEFING_NOT_FOUND');
  });

  it('never throws on a correction or retraction of a remark it has not seen', () => {
    const history = [briefingOpened(), remarkCorrected({ remarkId: answerId }), remarkRetracted({ remarkId: answerId })];
    expect(() => fold(history)).not.toThrow();
    given(history).when(correctRemark({ remarkId: answerId })).thenThrows('REMARK_NOT_FOUND');
  });

  it('keeps a remark’s current text, topics and version after corrections', () => {
    const state = fold([
      briefingOpened(),
      statementRecorded(),
      remarkCorrected({ version: 2, text: 'Second wording.', topics: ['ttp'] }),
      remarkCorrected({ version: 3, text: 'Third wording.', topics: ['afghanistan'] }),
    ]);
    expect(state.status).toBe('open');
    if (state.status === 'none') return;
    expect(state.remarks.get(statementRecorded().data.statementId)).toMatchObject({
      kind: 'statement',
      text: 'Third wording.',
      topics: ['afghanistan'],
      version: 3,
      retracted: false,
    });
  });

  it('marks a briefing closed and a retracted remark retracted', () => {
    const state = fold([briefingOpened(), statementRecorded(), remarkRetracted(), briefingClosed()]);
    expect(state.status).toBe('closed');
    if (state.status === 'none') return;
    expect(state.remarks.get(statementRecorded().data.statementId)?.retracted).toBe(true);
  });

  it('leaves an earlier state as it was, so a handler can retry from it', () => {
    const before = fold([briefingOpened()]);
    evolve(before, statementRecorded());
    evolve(before, briefingClosed());
    expect(before.status).toBe('open');
    if (before.status === 'none') return;
    expect(before.remarks.size).toBe(0);
    expect(before.recorded.size).toBe(1);
  });
});
