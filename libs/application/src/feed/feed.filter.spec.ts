import { describe, expect, it } from '@jest/globals';
import type { StoredEvent } from '@archive/event-store';
import { BriefingFacts, describeEvent, needsHistory } from './feed.facts.js';
import { FEED_EVENT_TYPES, matchesFeedFilter, type FeedFilter } from './feed.filter.js';

const briefingId = '0b7e4d2c-3f1a-4c55-9a6e-2d8f1b9c7e10';
const otherBriefingId = '9d3c2b1a-0f1e-4d2c-8b3a-4c5d6e7f8a90';
const statementId = '5c1d9e0a-7b2f-4e3c-8d4a-1f6b2c9e0d11';
const questionId = '8a2e6f1b-4c3d-4b5e-9f7a-3d1c5e2b8f12';
const answerId = 'e3f9a1c7-2d4b-4a6e-8c5f-7b1d3e9a2c13';
const spokesperson = 'mumtaz-zahra-baloch';

/** A briefing's stream as the log holds it: each event in order, with revision and position. */
function stream(id: string, events: { type: string; data: Record<string, unknown> }[], firstPosition = 1): StoredEvent[] {
  return events.map((event, revision) => ({
    eventId: `00000000-0000-4000-8000-${String(firstPosition + revision).padStart(12, '0')}`,
    type: event.type,
    streamId: `briefing-${id}`,
    revision,
    position: firstPosition + revision,
    recordedAt: '2024-01-11T10:00:00.000Z',
    data: { briefingId: id, ...event.data },
    metadata: { correlationId: 'c', causationId: 'c', actor: 'anonymous', schemaVersion: 1 },
  }));
}

const log = stream(briefingId, [
  { type: 'BriefingOpened', data: { heldOn: '2024-01-11', location: 'Islamabad', organization: 'MoFA', spokesperson: { id: spokesperson, name: 'M. Z. Baloch' } } },
  { type: 'StatementRecorded', data: { statementId, speakerId: spokesperson, text: 'On the TTP.', topics: ['ttp', 'afghanistan'], verbatim: true } },
  { type: 'QuestionAsked', data: { questionId, text: 'And Iran?', topics: ['iran'], askedBy: { name: 'A journalist' } } },
  { type: 'AnswerGiven', data: { questionId, answerId, speakerId: 'deputy-spokesperson', text: 'Iran is a neighbour.', topics: ['iran'] } },
  { type: 'RemarkCorrected', data: { remarkId: statementId, version: 2, text: 'On Kabul.', reason: 'typo', topics: ['kabul'] } },
  { type: 'RemarkRetracted', data: { remarkId: statementId, reason: 'withdrawn' } },
  { type: 'RemarkRetracted', data: { remarkId: answerId, reason: 'withdrawn' } },
  { type: 'BriefingClosed', data: {} },
]);
const [opened, statement, question, answer, corrected, retractedStatement, retractedAnswer, closed] = log as [
  StoredEvent, StoredEvent, StoredEvent, StoredEvent, StoredEvent, StoredEvent, StoredEvent, StoredEvent,
];

/** Each event described from the events before it in its stream, as the feed does. */
function described(events: StoredEvent[]) {
  return events.map((event, i) => ({ event, facts: describeEvent(event, new BriefingFacts().apply(events.slice(0, i))) }));
}

function followed(filter: FeedFilter, events = log): string[] {
  return described(events)
    .filter(({ event, facts }) => matchesFeedFilter(filter, event, facts))
    .map(({ event }) => `${event.type}@${event.position}`);
}

describe('describeEvent: the topics and speakers an event concerns', () => {
  it('takes them from the event itself for openings, statements, questions and answers', () => {
    expect(describeEvent(opened)).toEqual({ topics: [], speakers: [spokesperson] });
    expect(describeEvent(statement)).toEqual({ topics: ['ttp', 'afghanistan'], speakers: [spokesperson] });
    expect(describeEvent(question)).toEqual({ topics: ['iran'], speakers: [] });
    expect(describeEvent(answer)).toEqual({ topics: ['iran'], speakers: ['deputy-spokesperson'] });
    for (const event of [opened, statement, question, answer]) expect(needsHistory(event)).toBe(false);
  });

  it("gives a correction the remark's old and new topics and its speaker", () => {
    const before = new BriefingFacts().apply(log.slice(0, 4));
    expect(describeEvent(corrected, before)).toEqual({ topics: ['ttp', 'afghanistan', 'kabul'], speakers: [spokesperson] });
  });

  it("gives a retraction the remark's topics as of its latest version, and its speaker", () => {
    expect(describeEvent(retractedStatement, new BriefingFacts().apply(log.slice(0, 5)))).toEqual({ topics: ['kabul'], speakers: [spokesperson] });
    expect(describeEvent(retractedAnswer, new BriefingFacts().apply(log.slice(0, 6)))).toEqual({ topics: ['iran'], speakers: ['deputy-spokesperson'] });
  });

  it("gives the closing the briefing's spokesperson", () => {
    expect(describeEvent(closed, new BriefingFacts().apply(log.slice(0, 7)))).toEqual({ topics: [], speakers: [spokesperson] });
  });

  it('knows only what the event says when its history is missing, and names nothing twice', () => {
    for (const event of [corrected, retractedStatement, closed]) expect(needsHistory(event)).toBe(true);
    expect(describeEvent(corrected)).toEqual({ topics: ['kabul'], speakers: [] });
    expect(describeEvent(retractedStatement)).toEqual({ topics: [], speakers: [] });
    expect(describeEvent(closed)).toEqual({ topics: [], speakers: [] });
    const sameTopics = { ...corrected, data: { ...(corrected.data as object), topics: ['ttp'] } };
    expect(describeEvent(sameTopics, new BriefingFacts().apply(log.slice(0, 4))).topics).toEqual(['ttp', 'afghanistan']);
  });

  it('describes an event type it does not know as concerning nothing', () => {
    expect(describeEvent({ ...opened, type: 'SomethingElse', data: { topics: ['ttp'] } })).toEqual({ topics: [], speakers: [] });
  });
});

describe('matchesFeedFilter', () => {
  it('follows everything without a filter', () => {
    expect(followed({})).toHaveLength(log.length);
  });

  it('follows a topic through its remarks, their corrections and retractions', () => {
    expect(followed({ topic: 'ttp' })).toEqual(['StatementRecorded@2', 'RemarkCorrected@5']);
    expect(followed({ topic: 'kabul' })).toEqual(['RemarkCorrected@5', 'RemarkRetracted@6']);
    expect(followed({ topic: 'iran' })).toEqual(['QuestionAsked@3', 'AnswerGiven@4', 'RemarkRetracted@7']);
    expect(followed({ topic: 'china' })).toEqual([]);
  });

  it('follows a speaker through the briefings they hold and the remarks they make', () => {
    expect(followed({ speaker: spokesperson })).toEqual([
      'BriefingOpened@1',
      'StatementRecorded@2',
      'RemarkCorrected@5',
      'RemarkRetracted@6',
      'BriefingClosed@8',
    ]);
    expect(followed({ speaker: 'deputy-spokesperson' })).toEqual(['AnswerGiven@4', 'RemarkRetracted@7']);
  });

  it('follows any of the given types', () => {
    expect(followed({ types: ['RemarkRetracted'] })).toEqual(['RemarkRetracted@6', 'RemarkRetracted@7']);
    expect(followed({ types: ['BriefingOpened', 'BriefingClosed'] })).toEqual(['BriefingOpened@1', 'BriefingClosed@8']);
    expect(FEED_EVENT_TYPES).toHaveLength(7);
  });

  it("follows one briefing's stream", () => {
    const other = stream(otherBriefingId, [{ type: 'BriefingClosed', data: {} }], 9);
    expect(followed({ briefingId: otherBriefingId }, [...log, ...other])).toEqual(['BriefingClosed@9']);
    expect(followed({ briefingId }, [...log, ...other])).toHaveLength(log.length);
  });

  it('asks every given field to match', () => {
    expect(followed({ topic: 'iran', speaker: 'deputy-spokesperson' })).toEqual(['AnswerGiven@4', 'RemarkRetracted@7']);
    expect(followed({ topic: 'iran', types: ['QuestionAsked'] })).toEqual(['QuestionAsked@3']);
    expect(followed({ topic: 'ttp', briefingId: otherBriefingId })).toEqual([]);
  });
});
