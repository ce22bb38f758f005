import type { BriefingEvent } from '@archive/domain';
import { BriefingLog } from './briefing-log.js';

/** A small seeded generator (a linear congruential one): the same seed, the same numbers. */
export function randomNumbers(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const randomLogTopics = ['ttp', 'kabul', 'iran', 'india', 'trade', 'water'] as const;
const spokespersons = [
  { id: 'spokesperson-a', name: 'A' },
  { id: 'spokesperson-b', name: 'B', title: 'Spokesperson' },
];
const speakers = ['spokesperson-a', 'spokesperson-b', 'deputy-x', 'deputy-y'];

/**
 * A log of a few briefings whose events interleave, with statements, questions, answers, many
 * corrections that add and take away topics, retractions and closings: what a projection's
 * batching must not change, whatever the seed. Every id is derived from the seed.
 */
export function randomLog(seed: number): BriefingLog {
  const next = randomNumbers(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const topics = () => randomLogTopics.filter(() => next() < 0.35);
  const hex = (n: number) => n.toString(16).padStart(12, '0');
  let serial = 0;
  const id = (prefix: string) => `${prefix}${hex(seed).slice(-4)}-0000-4000-8000-${hex(++serial)}`;
  const streams: BriefingEvent[][] = [];
  for (let b = 3 + Math.floor(next() * 5); b > 0; b--) {
    const briefingId = id('b000');
    const events: BriefingEvent[] = [
      {
        type: 'BriefingOpened',
        data: { briefingId, heldOn: `2024-01-0${1 + Math.floor(next() * 5)}`, location: 'Islamabad', organization: 'MOFA', spokesperson: pick(spokespersons) },
      },
    ];
    const remarks: { id: string; version: number }[] = [];
    const questions: string[] = [];
    for (let n = 3 + Math.floor(next() * 15); n > 0; n--) {
      const roll = next();
      if (roll < 0.3) {
        const statementId = id('5000');
        remarks.push({ id: statementId, version: 1 });
        events.push({ type: 'StatementRecorded', data: { briefingId, statementId, speakerId: pick(speakers), text: `statement ${statementId} on talks`, topics: topics(), verbatim: false } });
      } else if (roll < 0.45) {
        const questionId = id('9000');
        questions.push(questionId);
        events.push({ type: 'QuestionAsked', data: { briefingId, questionId, text: `question ${questionId} on talks`, topics: topics() } });
      } else if (roll < 0.6 && questions.length > 0) {
        const answerId = id('a000');
        remarks.push({ id: answerId, version: 1 });
        events.push({ type: 'AnswerGiven', data: { briefingId, questionId: pick(questions), answerId, speakerId: pick(speakers), text: `answer ${answerId} talking`, topics: topics() } });
      } else if (roll < 0.9 && remarks.length > 0) {
        const remark = pick(remarks);
        remark.version += 1;
        events.push({
          type: 'RemarkCorrected',
          data: { briefingId, remarkId: remark.id, version: remark.version, text: `corrected ${remark.id} v${remark.version} talked`, reason: 'checked', topics: topics() },
        });
      } else if (remarks.length > 0) {
        events.push({ type: 'RemarkRetracted', data: { briefingId, remarkId: pick(remarks).id, reason: 'withdrawn' } });
      }
    }
    if (next() < 0.5) events.push({ type: 'BriefingClosed', data: { briefingId } });
    streams.push(events);
  }
  const log = new BriefingLog();
  for (let open = streams.filter((events) => events.length > 0); open.length > 0; open = open.filter((events) => events.length > 0)) {
    log.append(pick(open).shift()!);
  }
  return log;
}
