import { given } from '../testing/decider-spec.js';
import {
  answerGiven,
  askQuestion,
  briefingClosed,
  briefingOpened,
  giveAnswer,
  importBriefing,
  openBriefing,
  questionAsked,
  recordStatement,
  remarkCorrected,
  statementRecorded,
} from '../testing/briefing.fixtures.js';

const secondStatementId = '9d4b2a6c-1e3f-4d7a-8b5c-6f2e1a3d9c14';
const secondQuestionId = '2f7c1e9a-6b4d-4c8e-a3f5-9e1b7d2c4a15';
const secondAnswerId = '7a3e5c1f-8d2b-4f6a-b9c4-1d5e3a7f2b16';

/** The whole briefing in the order it was spoken: a statement, two questions each answered, a closing statement. */
const transcript = importBriefing({
  remarks: [
    recordStatement(),
    askQuestion(),
    giveAnswer(),
    askQuestion({ questionId: secondQuestionId, text: 'Any update on the Kartarpur corridor?', topics: ['india', 'kartarpur'] }),
    giveAnswer({ questionId: secondQuestionId, answerId: secondAnswerId, text: 'The corridor remains open.' }),
    recordStatement({ statementId: secondStatementId, text: 'That concludes the briefing.', topics: ['briefing'], verbatim: true }),
  ],
  close: true,
});

const transcriptEvents = [
  briefingOpened(),
  statementRecorded(),
  questionAsked(),
  answerGiven(),
  questionAsked({ questionId: secondQuestionId, text: 'Any update on the Kartarpur corridor?', topics: ['india', 'kartarpur'] }),
  answerGiven({
    questionId: secondQuestionId,
    answerId: secondAnswerId,
    text: 'The corridor remains open.',
    topics: ['india', 'kartarpur'],
  }),
  statementRecorded({ statementId: secondStatementId, text: 'That concludes the briefing.', topics: ['briefing'], verbatim: true }),
  briefingClosed(),
];

describe('importing a whole briefing', () => {
  it('records every event in the order it was spoken, ending with the close', () => {
    given([]).when(transcript).then(transcriptEvents);
  });

  it('leaves the briefing open when it is not asked to close it', () => {
    given([])
      .when(importBriefing({ close: false }))
      .then([briefingOpened(), statementRecorded(), questionAsked(), answerGiven()]);
  });

  it('records a briefing with no remarks', () => {
    given([]).when(importBriefing({ remarks: [], close: true })).then([briefingOpened(), briefingClosed()]);
  });

  it('refuses an answer that comes before its question', () => {
    given([])
      .when(importBriefing({ remarks: [giveAnswer(), askQuestion()] }))
      .thenThrows('QUESTION_NOT_FOUND');
  });

  it('refuses the whole import when one remark is invalid, naming the field', () => {
    given([])
      .when(importBriefing({ remarks: [recordStatement(), askQuestion({ topics: ['Kartarpur Corridor'] })] }))
      .thenThrows('INVALID_INPUT', 'topics');
  });

  it('refuses an invalid briefing date', () => {
    given([])
      .when(importBriefing({ briefing: openBriefing({ heldOn: '2024-02-30' }) }))
      .thenThrows('INVALID_INPUT', 'heldOn');
  });

  it('refuses an id used twice in the same transcript, even with the same text', () => {
    given([])
      .when(importBriefing({ remarks: [recordStatement(), askQuestion(), recordStatement()] }))
      .thenThrows('ID_CONFLICT');
  });

  it('refuses an id used for two different remarks in the same transcript', () => {
    given([])
      .when(importBriefing({ remarks: [recordStatement(), recordStatement({ text: 'Another statement.' })] }))
      .thenThrows('ID_CONFLICT');
  });

  it('answers an exact re-import with the same events', () => {
    given(transcriptEvents).when(transcript).then(transcriptEvents);
  });

  it('answers an exact re-import the same way after a remark was corrected', () => {
    given([...transcriptEvents, remarkCorrected()]).when(transcript).then(transcriptEvents);
  });

  it('refuses an import onto a briefing opened with other details', () => {
    given([briefingOpened({ location: 'Beijing' })])
      .when(importBriefing({ remarks: [], close: false }))
      .thenThrows('BRIEFING_EXISTS');
  });

  it('refuses an import that would add remarks to an existing briefing', () => {
    given([briefingOpened()]).when(transcript).thenThrows('BRIEFING_EXISTS');
  });

  it('refuses an import that holds fewer remarks than the existing briefing', () => {
    given(transcriptEvents)
      .when(importBriefing({ remarks: [recordStatement()], close: true }))
      .thenThrows('BRIEFING_EXISTS');
  });

  it('refuses an import whose remark differs from the one recorded', () => {
    given([briefingOpened(), statementRecorded(), briefingClosed()])
      .when(importBriefing({ remarks: [recordStatement({ text: 'A different wording.' })], close: true }))
      .thenThrows('BRIEFING_EXISTS');
  });

  it('refuses an import that would close a briefing still open', () => {
    given([briefingOpened(), statementRecorded()])
      .when(importBriefing({ remarks: [recordStatement()], close: true }))
      .thenThrows('BRIEFING_EXISTS');
  });

  it('refuses an import that tells the same remarks in another order', () => {
    const statements = [recordStatement(), recordStatement({ statementId: secondStatementId, text: 'Second.' })];
    given([
      briefingOpened(),
      statementRecorded({ statementId: secondStatementId, text: 'Second.' }),
      statementRecorded(),
    ])
      .when(importBriefing({ remarks: statements, close: false }))
      .thenThrows('BRIEFING_EXISTS');
  });
});
