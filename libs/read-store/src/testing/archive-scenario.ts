import type { BriefingOpened } from '@archive/domain';
import { BriefingLog } from './briefing-log.js';

/**
 * Four weekly briefings of the Foreign Office, recorded the way an archive fills up: one
 * briefing imported after a later one, corrections and a retraction arriving after other
 * briefings were recorded, a correction that moves a remark to other topics, a statement made
 * by someone who is not the briefing's spokesperson. The read-store contract checks every read
 * model against what this log must give.
 */
export const ids = {
  /** 2024-01-11, Mumtaz Zahra Baloch, closed. */
  b1: 'a1000000-0000-4000-8000-000000000001',
  /** 2024-01-18, Mumtaz Zahra Baloch, recorded last of the four. */
  b2: 'a2000000-0000-4000-8000-000000000002',
  /** 2024-01-25, Shafqat Ali Khan. */
  b3: 'a3000000-0000-4000-8000-000000000003',
  /** 2024-01-25 as well, Mumtaz Zahra Baloch with a new title, closed. */
  b4: 'a4000000-0000-4000-8000-000000000004',
  s1: '51000000-0000-4000-8000-000000000001',
  q1: '91000000-0000-4000-8000-000000000001',
  a1: 'a1a00000-0000-4000-8000-000000000001',
  q2: '92000000-0000-4000-8000-000000000002',
  a2: 'a2a00000-0000-4000-8000-000000000002',
  s3: '53000000-0000-4000-8000-000000000003',
  q3: '93000000-0000-4000-8000-000000000003',
  a3: 'a3a00000-0000-4000-8000-000000000003',
  s5: '55000000-0000-4000-8000-000000000005',
  s2: '52000000-0000-4000-8000-000000000002',
  s4: '54000000-0000-4000-8000-000000000004',
  q4: '94000000-0000-4000-8000-000000000004',
  a4: 'a4a00000-0000-4000-8000-000000000004',
} as const;

export const mumtaz = { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch', title: 'Spokesperson' };
export const mumtazLaterTitle = 'Additional Secretary and Spokesperson';
export const shafqat = { id: 'shafqat-ali-khan', name: 'Shafqat Ali Khan', title: 'Spokesperson' };
/** Speaks in b2 without being its spokesperson: known by slug only. */
export const ayeshaKhan = 'ayesha-khan';

export const texts = {
  s1: 'Pakistan has repeatedly urged the Afghan interim authorities to act against the TTP.',
  s1Corrected: 'Pakistan has urged the Afghan interim authorities to take action against terrorist sanctuaries.',
  q1: 'Has Pakistan shared evidence of TTP sanctuaries with Kabul?',
  a1: 'We have shared the details with the Afghan side on several occasions.',
  a1Corrected: 'We have shared the evidence with the Afghan side on several occasions.',
  q2: 'What is the status of the repatriation plan?',
  a2: 'The plan is on track: the first phase of the repatriation plan is near completion, and the plan will go on.',
  s3: 'Pakistan and the United States have a multifaceted and robust partnership.',
  q3: 'Will there be talks with the TTP?',
  a3: 'There is absolutely no dialogue taking place with the TTP.',
  s5: 'The Foreign Office condemns the terror attack in Dera Ismail Khan by the TTP.',
  s2: 'Proof of Registration cards of Afghan refugees are extended for one year.',
  s4: "Pakistan respects Afghanistan's sovereignty and territorial integrity.",
  q4: 'Did Pakistan give any understanding to the UNHCR?',
  a4: 'Pakistan has not given any understanding to the UNHCR for the suspension of the plan.',
  a4Corrected: 'Pakistan has given no understanding to the UNHCR on the suspension of the plan.',
} as const;

export const reasons = {
  s1: 'Transcription error',
  a1: 'Wording',
  a4: 'Clarified at the next briefing',
  a3: 'Attributed to the wrong briefing',
} as const;

export const askers = {
  q1: { name: 'Anwar Abbas', outlet: 'Dawn' },
  q2: { outlet: 'APP' },
  q3: { name: 'Mateen Haider', outlet: 'Geo News' },
} as const;

function opened(data: BriefingOpened['data']): BriefingOpened {
  return { type: 'BriefingOpened', data };
}

const office = { location: 'Islamabad', organization: 'Ministry of Foreign Affairs' };

/** The whole log, in the order it was recorded. */
export function archiveScenario(): BriefingLog {
  const log = new BriefingLog();
  const { b1, b2, b3, b4 } = ids;
  log.append(
    opened({
      briefingId: b1,
      title: 'Weekly press briefing',
      heldOn: '2024-01-11',
      ...office,
      spokesperson: mumtaz,
      sourceUrl: 'https://mofa.gov.pk/press-briefings/2024-01-11',
      source: { url: 'https://mofa.gov.pk/press-briefings/2024-01-11', retrievedAt: '2024-01-12T08:00:00.000Z' },
    }),
    {
      type: 'StatementRecorded',
      data: { briefingId: b1, statementId: ids.s1, speakerId: mumtaz.id, text: texts.s1, topics: ['ttp', 'afghanistan', 'sanctuaries'], verbatim: false },
    },
    { type: 'QuestionAsked', data: { briefingId: b1, questionId: ids.q1, askedBy: askers.q1, text: texts.q1, topics: ['ttp'] } },
    { type: 'AnswerGiven', data: { briefingId: b1, questionId: ids.q1, answerId: ids.a1, speakerId: mumtaz.id, text: texts.a1, topics: ['ttp'] } },
    { type: 'QuestionAsked', data: { briefingId: b1, questionId: ids.q2, askedBy: askers.q2, text: texts.q2, topics: ['repatriation'] } },
    {
      type: 'AnswerGiven',
      data: { briefingId: b1, questionId: ids.q2, answerId: ids.a2, speakerId: mumtaz.id, text: texts.a2, topics: ['repatriation', 'afghanistan'] },
    },
    { type: 'BriefingClosed', data: { briefingId: b1 } },

    opened({ briefingId: b3, heldOn: '2024-01-25', ...office, spokesperson: shafqat }),
    {
      type: 'StatementRecorded',
      data: { briefingId: b3, statementId: ids.s3, speakerId: shafqat.id, text: texts.s3, topics: ['united-states'], verbatim: true },
    },
    { type: 'QuestionAsked', data: { briefingId: b3, questionId: ids.q3, askedBy: askers.q3, text: texts.q3, topics: ['ttp'] } },
    { type: 'AnswerGiven', data: { briefingId: b3, questionId: ids.q3, answerId: ids.a3, speakerId: shafqat.id, text: texts.a3, topics: ['ttp'] } },

    opened({ briefingId: b4, title: 'Special briefing', heldOn: '2024-01-25', ...office, spokesperson: { ...mumtaz, title: mumtazLaterTitle } }),
    {
      type: 'StatementRecorded',
      data: { briefingId: b4, statementId: ids.s5, speakerId: mumtaz.id, text: texts.s5, topics: ['ttp', 'terrorism'], verbatim: false },
    },
    { type: 'BriefingClosed', data: { briefingId: b4 } },

    {
      type: 'RemarkCorrected',
      data: { briefingId: b1, remarkId: ids.s1, version: 2, text: texts.s1Corrected, reason: reasons.s1, topics: ['afghanistan', 'terrorism'] },
    },

    opened({ briefingId: b2, title: 'Weekly press briefing', heldOn: '2024-01-18', ...office, spokesperson: mumtaz }),
    {
      type: 'StatementRecorded',
      data: { briefingId: b2, statementId: ids.s2, speakerId: ayeshaKhan, text: texts.s2, topics: ['afghanistan', 'refugees'], verbatim: true },
    },
    {
      type: 'StatementRecorded',
      data: { briefingId: b2, statementId: ids.s4, speakerId: mumtaz.id, text: texts.s4, topics: ['afghanistan'], verbatim: false },
    },
    { type: 'QuestionAsked', data: { briefingId: b2, questionId: ids.q4, text: texts.q4, topics: ['refugees'] } },
    {
      type: 'AnswerGiven',
      data: { briefingId: b2, questionId: ids.q4, answerId: ids.a4, speakerId: mumtaz.id, text: texts.a4, topics: ['refugees', 'repatriation'] },
    },

    { type: 'RemarkRetracted', data: { briefingId: b3, remarkId: ids.a3, reason: reasons.a3 } },
    {
      type: 'RemarkCorrected',
      data: { briefingId: b1, remarkId: ids.a1, version: 2, text: texts.a1Corrected, reason: reasons.a1, topics: ['ttp'] },
    },
    {
      type: 'RemarkCorrected',
      data: { briefingId: b2, remarkId: ids.a4, version: 2, text: texts.a4Corrected, reason: reasons.a4, topics: ['refugees'] },
    },
  );
  return log;
}
