import { given } from '../testing/decider-spec.js';
import {
  answerGiven,
  answerId,
  askQuestion,
  briefingClosed,
  briefingOpened,
  closeBriefing,
  correctRemark,
  giveAnswer,
  openBriefing,
  questionAsked,
  questionId,
  recordStatement,
  remarkCorrected,
  remarkRetracted,
  retractRemark,
  spokesperson,
  statementId,
  statementRecorded,
} from '../testing/briefing.fixtures.js';

const topicsCounted = (count: number): string[] => Array.from({ length: count }, (_, i) => `topic-${i + 1}`);

const badSlugs: [string, string][] = [
  ['upper case', 'Afghanistan'],
  ['a space', 'human rights'],
  ['a path', '../etc'],
  ['a trailing hyphen', 'ttp-'],
  ['65 characters', 'a'.repeat(65)],
];

describe('opening a briefing', () => {
  it('records BriefingOpened with the briefing’s details', () => {
    given([])
      .when(openBriefing({ sourceUrl: 'https://mofa.gov.pk/press-briefings/2024-01-11' }))
      .then([briefingOpened({ sourceUrl: 'https://mofa.gov.pk/press-briefings/2024-01-11' })]);
  });

  it('leaves out the optional details that were not given', () => {
    given([])
      .when(openBriefing({ title: undefined, spokesperson: { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch' } }))
      .then([
        {
          type: 'BriefingOpened',
          data: {
            briefingId: briefingOpened().data.briefingId,
            heldOn: '2024-01-11',
            location: 'Islamabad',
            organization: 'Ministry of Foreign Affairs',
            spokesperson: { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch' },
          },
        },
      ]);
  });

  it('answers a re-send with identical details with the same event, for the store to recognise', () => {
    given([briefingOpened()]).when(openBriefing()).then([briefingOpened()]);
  });

  it('answers a re-send the same way after the briefing has moved on and closed', () => {
    given([briefingOpened(), statementRecorded(), briefingClosed()]).when(openBriefing()).then([briefingOpened()]);
  });

  it('recognises a re-send whose spokesperson fields come in another order', () => {
    given([briefingOpened()])
      .when(openBriefing({ spokesperson: { title: 'Spokesperson', name: 'Mumtaz Zahra Baloch', id: 'mumtaz-zahra-baloch' } }))
      .then([briefingOpened()]);
  });

  it.each([
    ['another day', { heldOn: '2024-01-18' }],
    ['another location', { location: 'Beijing' }],
    ['another spokesperson', { spokesperson: { id: 'shafqat-ali-khan', name: 'Shafqat Ali Khan' } }],
  ])('refuses the same briefing id with %s as BRIEFING_EXISTS', (_, details) => {
    given([briefingOpened()]).when(openBriefing(details)).thenThrows('BRIEFING_EXISTS');
  });

  it.each(['2024-02-30', 'yesterday', '11/01/2024', '2024-1-11'])('refuses heldOn "%s", naming the field', (heldOn) => {
    given([]).when(openBriefing({ heldOn })).thenThrows('INVALID_INPUT', 'heldOn');
  });

  it.each(badSlugs)('refuses a spokesperson id with %s', (_, id) => {
    given([])
      .when(openBriefing({ spokesperson: { ...spokesperson, id } }))
      .thenThrows('INVALID_INPUT', 'spokesperson.id');
  });

  it.each([
    ['location', { location: ' ' }],
    ['organization', { organization: '' }],
    ['spokesperson.name', { spokesperson: { id: 'mumtaz-zahra-baloch', name: '  ' } }],
  ])('refuses an empty %s', (field, details) => {
    given([]).when(openBriefing(details)).thenThrows('INVALID_INPUT', field);
  });
});

describe('recording a statement', () => {
  it('records it as spoken by the briefing’s spokesperson, not verbatim, unless told otherwise', () => {
    given([briefingOpened()])
      .when(recordStatement())
      .then([statementRecorded({ speakerId: 'mumtaz-zahra-baloch', verbatim: false })]);
  });

  it('records the speaker and verbatim flag it is given', () => {
    given([briefingOpened()])
      .when(recordStatement({ speakerId: 'shafqat-ali-khan', verbatim: true }))
      .then([statementRecorded({ speakerId: 'shafqat-ali-khan', verbatim: true })]);
  });

  it('refuses a statement on a closed briefing', () => {
    given([briefingOpened(), briefingClosed()]).when(recordStatement()).thenThrows('BRIEFING_CLOSED');
  });

  it('refuses a statement on a briefing that was never opened', () => {
    given([]).when(recordStatement()).thenThrows('BRIEFING_NOT_FOUND');
  });

  it('answers a re-send with the same content with the same event', () => {
    given([briefingOpened(), statementRecorded()]).when(recordStatement()).then([statementRecorded()]);
  });

  it('answers a re-send as before even after the briefing was closed', () => {
    given([briefingOpened(), statementRecorded(), briefingClosed()]).when(recordStatement()).then([statementRecorded()]);
  });

  it('recognises a re-send whose topics come in another order: they are a set', () => {
    given([briefingOpened(), statementRecorded({ topics: ['ttp', 'afghanistan'] })])
      .when(recordStatement({ topics: ['afghanistan', 'ttp'] }))
      .then([statementRecorded({ topics: ['afghanistan', 'ttp'] })]);
  });

  it('answers a re-send as before even after the statement was corrected', () => {
    given([briefingOpened(), statementRecorded(), remarkCorrected()]).when(recordStatement()).then([statementRecorded()]);
  });

  it.each([
    ['a statement with other text', [statementRecorded({ text: 'Something else entirely.' })]],
    ['a statement with other topics', [statementRecorded({ topics: ['ttp'] })]],
    ['a question', [questionAsked({ questionId: statementId })]],
    ['an answer', [questionAsked(), answerGiven({ answerId: statementId })]],
  ])('refuses an id already used by %s as ID_CONFLICT', (_, history) => {
    given([briefingOpened(), ...history]).when(recordStatement()).thenThrows('ID_CONFLICT');
  });

  it.each(['', '   ', '\n\t', '\u200b', ' \ufeff\u2060 ', 'Pakistan\u0000', 'flag \ud83c'])('refuses text %j as INVALID_INPUT', (text) => {
    given([briefingOpened()]).when(recordStatement({ text })).thenThrows('INVALID_INPUT', 'text');
  });

  it('takes a text of 20,000 characters', () => {
    const text = 'a'.repeat(20_000);
    given([briefingOpened()]).when(recordStatement({ text })).then([statementRecorded({ text })]);
  });

  it('refuses a text of 20,001 characters', () => {
    given([briefingOpened()]).when(recordStatement({ text: 'a'.repeat(20_001) })).thenThrows('INVALID_INPUT', 'text');
  });

  it('counts characters as a reader does: 20,000 emoji are 20,000 characters', () => {
    const text = '😀'.repeat(20_000);
    expect(text.length).toBe(40_000);
    given([briefingOpened()]).when(recordStatement({ text })).then([statementRecorded({ text })]);
    given([briefingOpened()]).when(recordStatement({ text: text + '😀' })).thenThrows('INVALID_INPUT', 'text');
  });

  it('takes 20 topics', () => {
    const topics = topicsCounted(20);
    given([briefingOpened()]).when(recordStatement({ topics })).then([statementRecorded({ topics })]);
  });

  it.each([0, 21])('refuses %i topics', (count) => {
    given([briefingOpened()]).when(recordStatement({ topics: topicsCounted(count) })).thenThrows('INVALID_INPUT', 'topics');
  });

  it.each(badSlugs)('refuses a topic with %s', (_, topic) => {
    given([briefingOpened()]).when(recordStatement({ topics: ['ttp', topic] })).thenThrows('INVALID_INPUT', 'topics');
  });

  it('refuses a topic named twice', () => {
    given([briefingOpened()]).when(recordStatement({ topics: ['ttp', 'afghanistan', 'ttp'] })).thenThrows('INVALID_INPUT', 'topics');
  });

  it.each(badSlugs)('refuses a speaker id with %s', (_, speakerId) => {
    given([briefingOpened()]).when(recordStatement({ speakerId })).thenThrows('INVALID_INPUT', 'speakerId');
  });
});

describe('asking a question', () => {
  it('records QuestionAsked with who asked it', () => {
    given([briefingOpened()])
      .when(askQuestion({ askedBy: { name: 'Anas Mallick', outlet: 'WION' } }))
      .then([questionAsked({ askedBy: { name: 'Anas Mallick', outlet: 'WION' } })]);
  });

  it('records a question whose asker is not known', () => {
    given([briefingOpened()]).when(askQuestion()).then([questionAsked()]);
  });

  it('leaves out an asker with neither name nor outlet', () => {
    given([briefingOpened()]).when(askQuestion({ askedBy: {} })).then([questionAsked()]);
  });

  it('records an asker known only by outlet', () => {
    given([briefingOpened()])
      .when(askQuestion({ askedBy: { outlet: 'Dawn' } }))
      .then([questionAsked({ askedBy: { outlet: 'Dawn' } })]);
  });

  it('refuses a question on a closed briefing', () => {
    given([briefingOpened(), briefingClosed()]).when(askQuestion()).thenThrows('BRIEFING_CLOSED');
  });

  it('refuses a question on a briefing that was never opened', () => {
    given([]).when(askQuestion()).thenThrows('BRIEFING_NOT_FOUND');
  });

  it('answers a re-send with the same event, even after the briefing was closed', () => {
    given([briefingOpened(), questionAsked(), briefingClosed()]).when(askQuestion()).then([questionAsked()]);
  });

  it.each([
    ['a question with other text', [questionAsked({ text: 'Another question?' })]],
    ['a statement', [statementRecorded({ statementId: questionId })]],
  ])('refuses an id already used by %s as ID_CONFLICT', (_, history) => {
    given([briefingOpened(), ...history]).when(askQuestion()).thenThrows('ID_CONFLICT');
  });

  it('refuses a question without text or topics', () => {
    given([briefingOpened()]).when(askQuestion({ text: ' ' })).thenThrows('INVALID_INPUT', 'text');
    given([briefingOpened()]).when(askQuestion({ topics: [] })).thenThrows('INVALID_INPUT', 'topics');
  });
});

describe('giving an answer', () => {
  it('records AnswerGiven by the spokesperson, on the question’s topics, unless told otherwise', () => {
    given([briefingOpened(), questionAsked({ topics: ['ttp', 'afghanistan'] })])
      .when(giveAnswer())
      .then([answerGiven({ speakerId: 'mumtaz-zahra-baloch', topics: ['ttp', 'afghanistan'] })]);
  });

  it('records the topics and speaker it is given', () => {
    given([briefingOpened(), questionAsked()])
      .when(giveAnswer({ speakerId: 'shafqat-ali-khan', topics: ['counter-terrorism'] }))
      .then([answerGiven({ speakerId: 'shafqat-ali-khan', topics: ['counter-terrorism'] })]);
  });

  it('refuses an answer to a question that was never asked', () => {
    given([briefingOpened()]).when(giveAnswer()).thenThrows('QUESTION_NOT_FOUND');
  });

  it('refuses an answer to a statement: only questions are answered', () => {
    given([briefingOpened(), statementRecorded()]).when(giveAnswer({ questionId: statementId })).thenThrows('QUESTION_NOT_FOUND');
  });

  it('refuses an answer on a closed briefing', () => {
    given([briefingOpened(), questionAsked(), briefingClosed()]).when(giveAnswer()).thenThrows('BRIEFING_CLOSED');
  });

  it('answers a re-send with the same event', () => {
    given([briefingOpened(), questionAsked(), answerGiven()]).when(giveAnswer()).then([answerGiven()]);
  });

  it('answers a re-send as before even after the briefing was closed', () => {
    given([briefingOpened(), questionAsked(), answerGiven(), briefingClosed()]).when(giveAnswer()).then([answerGiven()]);
  });

  it.each([
    ['an answer with other text', [answerGiven({ text: 'No comment.' })]],
    ['a statement', [statementRecorded({ statementId: answerId })]],
    ['a question', [questionAsked({ questionId: answerId })]],
  ])('refuses an id already used by %s as ID_CONFLICT', (_, history) => {
    given([briefingOpened(), questionAsked(), ...history]).when(giveAnswer()).thenThrows('ID_CONFLICT');
  });

  it('refuses explicit topics that are not valid', () => {
    given([briefingOpened(), questionAsked()]).when(giveAnswer({ topics: [] })).thenThrows('INVALID_INPUT', 'topics');
    given([briefingOpened(), questionAsked()]).when(giveAnswer({ topics: ['TTP'] })).thenThrows('INVALID_INPUT', 'topics');
  });
});

describe('correcting a remark', () => {
  it('records the corrected text as version 2, on the remark’s topics unless told otherwise', () => {
    given([briefingOpened(), statementRecorded({ topics: ['ttp', 'afghanistan'] })])
      .when(correctRemark())
      .then([remarkCorrected({ version: 2, topics: ['ttp', 'afghanistan'] })]);
  });

  it('numbers a second correction 3 and keeps the topics the first one set', () => {
    given([briefingOpened(), statementRecorded(), remarkCorrected({ version: 2, topics: ['afghanistan'] })])
      .when(correctRemark({ text: 'Third wording.', reason: 'Checked against the recording' }))
      .then([remarkCorrected({ version: 3, text: 'Third wording.', reason: 'Checked against the recording', topics: ['afghanistan'] })]);
  });

  it('records the topics it is given', () => {
    given([briefingOpened(), statementRecorded()])
      .when(correctRemark({ topics: ['ttp', 'counter-terrorism'] }))
      .then([remarkCorrected({ topics: ['ttp', 'counter-terrorism'] })]);
  });

  it('corrects an answer too', () => {
    given([briefingOpened(), questionAsked(), answerGiven()])
      .when(correctRemark({ remarkId: answerId }))
      .then([remarkCorrected({ remarkId: answerId, topics: ['ttp'] })]);
  });

  it('is allowed on a closed briefing', () => {
    given([briefingOpened(), statementRecorded(), briefingClosed()]).when(correctRemark()).then([remarkCorrected()]);
  });

  it('refuses a remark that is not in the briefing', () => {
    given([briefingOpened()]).when(correctRemark()).thenThrows('REMARK_NOT_FOUND');
  });

  it('refuses a question: a question is not a remark of the office', () => {
    given([briefingOpened(), questionAsked()]).when(correctRemark({ remarkId: questionId })).thenThrows('REMARK_NOT_FOUND');
  });

  it('refuses a remark on a briefing that was never opened', () => {
    given([]).when(correctRemark()).thenThrows('BRIEFING_NOT_FOUND');
  });

  it('refuses a retracted remark', () => {
    given([briefingOpened(), statementRecorded(), remarkRetracted()]).when(correctRemark()).thenThrows('REMARK_RETRACTED');
  });

  it.each(['', '  '])('requires a reason (refuses %j)', (reason) => {
    given([briefingOpened(), statementRecorded()]).when(correctRemark({ reason })).thenThrows('INVALID_INPUT', 'reason');
  });

  it('requires text', () => {
    given([briefingOpened(), statementRecorded()]).when(correctRemark({ text: '' })).thenThrows('INVALID_INPUT', 'text');
  });

  it('refuses invalid topics', () => {
    given([briefingOpened(), statementRecorded()])
      .when(correctRemark({ topics: topicsCounted(21) }))
      .thenThrows('INVALID_INPUT', 'topics');
  });

  it('records the id it is given, and answers a re-send under that id with the recorded event, even after later corrections and a retraction', () => {
    const correctionId = '9a1c0c52-6d1e-4c43-9b0e-0f3c1d2e4a51';
    given([briefingOpened(), statementRecorded()])
      .when(correctRemark({ correctionId }))
      .then([remarkCorrected({ correctionId })]);
    given([briefingOpened(), statementRecorded(), remarkCorrected({ correctionId }), remarkCorrected({ version: 3, text: 'Later.' }), remarkRetracted()])
      .when(correctRemark({ correctionId }))
      .then([remarkCorrected({ correctionId })]);
    given([briefingOpened(), statementRecorded(), remarkCorrected({ correctionId, topics: ['afghanistan'] })])
      .when(correctRemark({ correctionId, topics: ['afghanistan'] }))
      .then([remarkCorrected({ correctionId, topics: ['afghanistan'] })]);
    // Topics are a set: a re-send may name them in another order.
    given([briefingOpened(), statementRecorded(), remarkCorrected({ correctionId, topics: ['ttp', 'afghanistan'] })])
      .when(correctRemark({ correctionId, topics: ['afghanistan', 'ttp'] }))
      .then([remarkCorrected({ correctionId, topics: ['ttp', 'afghanistan'] })]);
  });

  it('refuses a correction that repeats the current version, text and topics (in any order), as NOTHING_TO_CORRECT', () => {
    const history = [briefingOpened(), statementRecorded({ topics: ['ttp', 'afghanistan'] })];
    const { text } = statementRecorded().data as { text: string };
    given(history).when(correctRemark({ text, topics: ['afghanistan', 'ttp'] })).thenThrows('NOTHING_TO_CORRECT');
    given(history).when(correctRemark({ text, topics: undefined })).thenThrows('NOTHING_TO_CORRECT');
    // The same text under other topics, or other text, is a correction.
    given(history).when(correctRemark({ text, topics: ['ttp'] })).then([remarkCorrected({ text, topics: ['ttp'] })]);
  });

  it('refuses other content under an id already recorded', () => {
    const correctionId = '9a1c0c52-6d1e-4c43-9b0e-0f3c1d2e4a51';
    const history = [briefingOpened(), statementRecorded(), remarkCorrected({ correctionId })];
    given(history).when(correctRemark({ correctionId, text: 'Another wording.' })).thenThrows('ID_CONFLICT');
    given(history).when(correctRemark({ correctionId, reason: 'Another reason' })).thenThrows('ID_CONFLICT');
    given(history).when(correctRemark({ correctionId, topics: ['ttp'] })).thenThrows('ID_CONFLICT');
    given(history).when(correctRemark({ correctionId, remarkId: answerId })).thenThrows('ID_CONFLICT');
  });

  it('numbers a correction without an id anew each time, and refuses one sent again that repeats the version it made', () => {
    given([briefingOpened(), statementRecorded(), remarkCorrected()]).when(correctRemark()).thenThrows('NOTHING_TO_CORRECT');
    given([briefingOpened(), statementRecorded(), remarkCorrected()])
      .when(correctRemark({ text: 'A third wording.' }))
      .then([remarkCorrected({ version: 3, text: 'A third wording.' })]);
  });
});

describe('retracting a remark', () => {
  it('records RemarkRetracted with the reason', () => {
    given([briefingOpened(), statementRecorded()]).when(retractRemark()).then([remarkRetracted()]);
  });

  it('retracts a corrected answer', () => {
    given([briefingOpened(), questionAsked(), answerGiven(), remarkCorrected({ remarkId: answerId })])
      .when(retractRemark({ remarkId: answerId }))
      .then([remarkRetracted({ remarkId: answerId })]);
  });

  it('is allowed on a closed briefing', () => {
    given([briefingOpened(), statementRecorded(), briefingClosed()]).when(retractRemark()).then([remarkRetracted()]);
  });

  it('refuses a remark already retracted', () => {
    given([briefingOpened(), statementRecorded(), remarkRetracted()]).when(retractRemark()).thenThrows('REMARK_RETRACTED');
  });

  it('refuses a remark that is not in the briefing', () => {
    given([briefingOpened()]).when(retractRemark()).thenThrows('REMARK_NOT_FOUND');
  });

  it('refuses a question', () => {
    given([briefingOpened(), questionAsked()]).when(retractRemark({ remarkId: questionId })).thenThrows('REMARK_NOT_FOUND');
  });

  it('refuses a remark on a briefing that was never opened', () => {
    given([]).when(retractRemark()).thenThrows('BRIEFING_NOT_FOUND');
  });

  it('requires a reason', () => {
    given([briefingOpened(), statementRecorded()]).when(retractRemark({ reason: ' ' })).thenThrows('INVALID_INPUT', 'reason');
  });

  it('answers a re-send under its id with the recorded event, though the remark is retracted now', () => {
    const retractionId = '4f0e2d7c-1b3a-4e5f-8a9b-0c1d2e3f4a5b';
    given([briefingOpened(), statementRecorded()])
      .when(retractRemark({ retractionId }))
      .then([remarkRetracted({ retractionId })]);
    given([briefingOpened(), statementRecorded(), remarkRetracted({ retractionId })])
      .when(retractRemark({ retractionId }))
      .then([remarkRetracted({ retractionId })]);
    given([briefingOpened(), statementRecorded(), remarkRetracted({ retractionId })])
      .when(retractRemark({ retractionId, reason: 'Another reason' }))
      .thenThrows('ID_CONFLICT');
    given([briefingOpened(), statementRecorded(), remarkRetracted({ retractionId })])
      .when(retractRemark({ retractionId: 'a0e1f2d3-c4b5-4a69-8788-99aabbccddee' }))
      .thenThrows('REMARK_RETRACTED');
  });
});

describe('closing a briefing', () => {
  it('records BriefingClosed', () => {
    given([briefingOpened(), statementRecorded()]).when(closeBriefing()).then([briefingClosed()]);
  });

  it('answers a second close as a re-send, with the same event', () => {
    given([briefingOpened(), briefingClosed()]).when(closeBriefing()).then([briefingClosed()]);
  });

  it('refuses a briefing that was never opened', () => {
    given([]).when(closeBriefing()).thenThrows('BRIEFING_NOT_FOUND');
  });
});
