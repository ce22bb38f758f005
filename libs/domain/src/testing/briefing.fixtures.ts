import type {
  AskQuestion,
  CorrectRemark,
  GiveAnswer,
  ImportBriefing,
  OpenBriefing,
  RecordStatement,
  RetractRemark,
} from '../briefing/briefing.commands.js';
import type {
  AnswerGiven,
  BriefingClosed,
  BriefingOpened,
  QuestionAsked,
  RemarkCorrected,
  RemarkRetracted,
  StatementRecorded,
} from '../briefing/briefing.events.js';

/** A weekly briefing of the Foreign Office spokesperson, as the specs' shared background. */
export const briefingId = '0b7e4d2c-3f1a-4c55-9a6e-2d8f1b9c7e10';
export const statementId = '5c1d9e0a-7b2f-4e3c-8d4a-1f6b2c9e0d11';
export const questionId = '8a2e6f1b-4c3d-4b5e-9f7a-3d1c5e2b8f12';
export const answerId = 'e3f9a1c7-2d4b-4a6e-8c5f-7b1d3e9a2c13';

export const spokesperson = { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch', title: 'Spokesperson' };

const briefingDetails = {
  briefingId,
  title: 'Weekly press briefing',
  heldOn: '2024-01-11',
  location: 'Islamabad',
  organization: 'Ministry of Foreign Affairs',
  spokesperson,
};

const statementText = 'Pakistan has repeatedly urged the Afghan interim authorities to act against the TTP.';
const questionText = 'Has Pakistan shared evidence of TTP sanctuaries with Kabul?';
const answerText = 'We have shared the details with the Afghan side on several occasions.';

export const openBriefing = (overrides: Partial<OpenBriefing> = {}): OpenBriefing => ({
  type: 'OpenBriefing',
  ...briefingDetails,
  ...overrides,
});

export const briefingOpened = (overrides: Partial<BriefingOpened['data']> = {}): BriefingOpened => ({
  type: 'BriefingOpened',
  data: { ...briefingDetails, ...overrides },
});

export const recordStatement = (overrides: Partial<RecordStatement> = {}): RecordStatement => ({
  type: 'RecordStatement',
  briefingId,
  statementId,
  text: statementText,
  topics: ['ttp', 'afghanistan'],
  ...overrides,
});

export const statementRecorded = (overrides: Partial<StatementRecorded['data']> = {}): StatementRecorded => ({
  type: 'StatementRecorded',
  data: {
    briefingId,
    statementId,
    speakerId: spokesperson.id,
    text: statementText,
    topics: ['ttp', 'afghanistan'],
    verbatim: false,
    ...overrides,
  },
});

export const askQuestion = (overrides: Partial<AskQuestion> = {}): AskQuestion => ({
  type: 'AskQuestion',
  briefingId,
  questionId,
  text: questionText,
  topics: ['ttp'],
  ...overrides,
});

export const questionAsked = (overrides: Partial<QuestionAsked['data']> = {}): QuestionAsked => ({
  type: 'QuestionAsked',
  data: { briefingId, questionId, text: questionText, topics: ['ttp'], ...overrides },
});

export const giveAnswer = (overrides: Partial<GiveAnswer> = {}): GiveAnswer => ({
  type: 'GiveAnswer',
  briefingId,
  questionId,
  answerId,
  text: answerText,
  ...overrides,
});

export const answerGiven = (overrides: Partial<AnswerGiven['data']> = {}): AnswerGiven => ({
  type: 'AnswerGiven',
  data: { briefingId, questionId, answerId, speakerId: spokesperson.id, text: answerText, topics: ['ttp'], ...overrides },
});

export const correctRemark = (overrides: Partial<CorrectRemark> = {}): CorrectRemark => ({
  type: 'CorrectRemark',
  briefingId,
  remarkId: statementId,
  text: 'Pakistan has urged the Afghan interim authorities to act against the TTP.',
  reason: 'Transcription error',
  ...overrides,
});

export const remarkCorrected = (overrides: Partial<RemarkCorrected['data']> = {}): RemarkCorrected => ({
  type: 'RemarkCorrected',
  data: {
    briefingId,
    remarkId: statementId,
    version: 2,
    text: 'Pakistan has urged the Afghan interim authorities to act against the TTP.',
    reason: 'Transcription error',
    topics: ['ttp', 'afghanistan'],
    ...overrides,
  },
});

export const retractRemark = (overrides: Partial<RetractRemark> = {}): RetractRemark => ({
  type: 'RetractRemark',
  briefingId,
  remarkId: statementId,
  reason: 'Attributed to the wrong briefing',
  ...overrides,
});

export const remarkRetracted = (overrides: Partial<RemarkRetracted['data']> = {}): RemarkRetracted => ({
  type: 'RemarkRetracted',
  data: { briefingId, remarkId: statementId, reason: 'Attributed to the wrong briefing', ...overrides },
});

export const closeBriefing = (): { type: 'CloseBriefing'; briefingId: string } => ({ type: 'CloseBriefing', briefingId });

export const briefingClosed = (): BriefingClosed => ({ type: 'BriefingClosed', data: { briefingId } });

export const importBriefing = (overrides: Partial<ImportBriefing> = {}): ImportBriefing => ({
  type: 'ImportBriefing',
  briefing: openBriefing(),
  remarks: [recordStatement(), askQuestion(), giveAnswer()],
  close: true,
  ...overrides,
});
