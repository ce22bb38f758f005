import { EVENT_STORE } from '@archive/application';
import type { EventStore } from '@archive/event-store';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger, type LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Response } from 'supertest';
import { expectFieldErrors, expectProblem } from './support/http.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/*
 * A table of hostile requests to every command route. Each must be answered with its exact 4xx
 * status as an RFC 9457 problem, and append nothing to the log; and the service must log no
 * failure (the problem filter logs every 5xx) while answering them all.
 */

// Client-chosen ids, so that the table can name the briefings and remarks beforeAll records.
const OPEN = randomUUID();
const STATEMENT = randomUUID();
const QUESTION = randomUUID();
const RETRACTED = randomUUID();
const CLOSED = randomUUID();
const CLOSED_STATEMENT = randomUUID();
const CLOSED_QUESTION = randomUUID();

const SPOKESPERSON = { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch' };
const OPEN_BODY = { heldOn: '2024-01-11', location: 'Islamabad', organization: 'Ministry of Foreign Affairs', spokesperson: SPOKESPERSON };
const STATEMENT_BODY = { text: 'Pakistan has repeatedly urged the Afghan interim authorities to act against the TTP.', topics: ['ttp'] };
const QUESTION_BODY = { text: 'Has Pakistan shared evidence with Kabul?', topics: ['afghanistan'] };
const ANSWER_BODY = { text: 'We have shared the details on several occasions.' };
const CORRECTION_BODY = { text: 'Pakistan has urged the Afghan interim authorities to act.', reason: 'Checked against the recording' };
const RETRACTION_BODY = { reason: 'Withdrawn by the ministry' };
const IMPORT_BODY = { ...OPEN_BODY, statements: [STATEMENT_BODY], questions: [{ ...QUESTION_BODY, answers: [ANSWER_BODY] }] };

const route = {
  open: '/api/briefings',
  import: '/api/briefings/import',
  statements: (briefingId: string = OPEN) => `/api/briefings/${briefingId}/statements`,
  questions: (briefingId: string = OPEN) => `/api/briefings/${briefingId}/questions`,
  answers: (briefingId: string = OPEN, questionId: string = QUESTION) => `/api/briefings/${briefingId}/questions/${questionId}/answers`,
  corrections: (briefingId: string = OPEN, remarkId: string = STATEMENT) => `/api/briefings/${briefingId}/remarks/${remarkId}/corrections`,
  retractions: (briefingId: string = OPEN, remarkId: string = STATEMENT) => `/api/briefings/${briefingId}/remarks/${remarkId}/retractions`,
  close: (briefingId: string = OPEN) => `/api/briefings/${briefingId}/close`,
};

const NUL = 'Pakistan\u0000 rejects the statement.';
const LONE_HIGH_SURROGATE = 'Pakistan \ud83c rejects the statement.';
const LONE_LOW_SURROGATE = '\udc00 Pakistan rejects the statement.';
const TOO_LONG = 'x'.repeat(20_001);
const topicsCounted = (count: number) => Array.from({ length: count }, (_, i) => `topic-${i + 1}`);
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

interface Case {
  /** POST to this path. */
  readonly path: string;
  /** Sent as JSON; or `raw`, sent as it is with `type`. */
  readonly body?: unknown;
  readonly raw?: string | Buffer;
  readonly type?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly status: 400 | 404 | 409 | 412 | 413 | 414 | 415 | 431;
  /** For a 400: the fields the problem must name. */
  readonly fields?: readonly string[];
  /** The problem's `code`, where the kind of refusal matters. */
  readonly code?: string;
}

const cases: [string, Case][] = [
  // POST /api/briefings
  ['open: an empty body', { path: route.open, body: {}, status: 400, fields: ['heldOn', 'location', 'organization', 'spokesperson'] }],
  ['open: heldOn missing', { path: route.open, body: { ...OPEN_BODY, heldOn: undefined }, status: 400, fields: ['heldOn'] }],
  ['open: heldOn null', { path: route.open, body: { ...OPEN_BODY, heldOn: null }, status: 400, fields: ['heldOn'] }],
  ['open: heldOn a number', { path: route.open, body: { ...OPEN_BODY, heldOn: 20240111 }, status: 400, fields: ['heldOn'] }],
  ['open: heldOn 2024-02-30', { path: route.open, body: { ...OPEN_BODY, heldOn: '2024-02-30' }, status: 400, fields: ['heldOn'] }],
  ['open: heldOn 2024-13-01', { path: route.open, body: { ...OPEN_BODY, heldOn: '2024-13-01' }, status: 400, fields: ['heldOn'] }],
  ['open: heldOn not a date', { path: route.open, body: { ...OPEN_BODY, heldOn: 'last Thursday' }, status: 400, fields: ['heldOn'] }],
  ['open: location empty', { path: route.open, body: { ...OPEN_BODY, location: '' }, status: 400, fields: ['location'] }],
  ['open: organization an array', { path: route.open, body: { ...OPEN_BODY, organization: ['MoFA'] }, status: 400, fields: ['organization'] }],
  ['open: spokesperson null', { path: route.open, body: { ...OPEN_BODY, spokesperson: null }, status: 400, fields: ['spokesperson'] }],
  ['open: spokesperson a string', { path: route.open, body: { ...OPEN_BODY, spokesperson: 'Mumtaz Zahra Baloch' }, status: 400, fields: ['spokesperson'] }],
  ['open: spokesperson an array', { path: route.open, body: { ...OPEN_BODY, spokesperson: [SPOKESPERSON] }, status: 400, fields: ['spokesperson'] }],
  [
    'open: spokesperson id in upper case with spaces',
    { path: route.open, body: { ...OPEN_BODY, spokesperson: { ...SPOKESPERSON, id: 'Mumtaz Zahra Baloch' } }, status: 400, fields: ['spokesperson.id'] },
  ],
  [
    'open: spokesperson id ../../etc/passwd',
    { path: route.open, body: { ...OPEN_BODY, spokesperson: { ...SPOKESPERSON, id: '../../etc/passwd' } }, status: 400, fields: ['spokesperson.id'] },
  ],
  [
    'open: spokesperson id an SQL fragment',
    { path: route.open, body: { ...OPEN_BODY, spokesperson: { ...SPOKESPERSON, id: "x'; DROP TABLE events; --" } }, status: 400, fields: ['spokesperson.id'] },
  ],
  ['open: spokesperson name empty', { path: route.open, body: { ...OPEN_BODY, spokesperson: { ...SPOKESPERSON, name: '' } }, status: 400, fields: ['spokesperson.name'] }],
  [
    'open: an unknown spokesperson field',
    { path: route.open, body: { ...OPEN_BODY, spokesperson: { ...SPOKESPERSON, role: 'admin' } }, status: 400, fields: ['spokesperson.role'] },
  ],
  ['open: an unknown field', { path: route.open, body: { ...OPEN_BODY, status: 'closed' }, status: 400, fields: ['status'] }],
  ['open: a briefingId that is not a uuid', { path: route.open, body: { ...OPEN_BODY, briefingId: '../briefing-1' }, status: 400, fields: ['briefingId'] }],
  ['open: a briefingId that is a number', { path: route.open, body: { ...OPEN_BODY, briefingId: 42 }, status: 400, fields: ['briefingId'] }],
  ['open: a javascript: sourceUrl', { path: route.open, body: { ...OPEN_BODY, sourceUrl: 'javascript:alert(1)' }, status: 400, fields: ['sourceUrl'] }],
  ['open: a NUL in the title', { path: route.open, body: { ...OPEN_BODY, title: NUL }, status: 400, fields: ['title'] }],
  ['open: a lone surrogate in the location', { path: route.open, body: { ...OPEN_BODY, location: LONE_HIGH_SURROGATE }, status: 400, fields: ['location'] }],
  [
    'open: the id of a briefing held elsewhere',
    { path: route.open, body: { ...OPEN_BODY, briefingId: OPEN, location: 'Beijing' }, status: 409, code: 'BRIEFING_EXISTS' },
  ],

  // POST /api/briefings/:briefingId/statements
  ['statement: text missing', { path: route.statements(), body: { topics: ['ttp'] }, status: 400, fields: ['text'] }],
  ['statement: text null', { path: route.statements(), body: { ...STATEMENT_BODY, text: null }, status: 400, fields: ['text'] }],
  ['statement: text a number', { path: route.statements(), body: { ...STATEMENT_BODY, text: 42 }, status: 400, fields: ['text'] }],
  ['statement: text an object', { path: route.statements(), body: { ...STATEMENT_BODY, text: { en: 'Hello.' } }, status: 400, fields: ['text'] }],
  ['statement: text empty', { path: route.statements(), body: { ...STATEMENT_BODY, text: '' }, status: 400, fields: ['text'] }],
  ['statement: text only whitespace', { path: route.statements(), body: { ...STATEMENT_BODY, text: ' \n\t ' }, status: 400, fields: ['text'] }],
  ['statement: text only invisible characters', { path: route.statements(), body: { ...STATEMENT_BODY, text: '\u200b\ufeff\u200b' }, status: 400, fields: ['text'] }],
  [
    'statement: text only whitespace, a topic twice and an unknown field, all named in one 400',
    { path: route.statements(), body: { text: '   ', topics: ['ttp', 'ttp'], extra: 1 }, status: 400, fields: ['text', 'topics', 'extra'] },
  ],
  ['statement: a topic twice', { path: route.statements(), body: { ...STATEMENT_BODY, topics: ['ttp', 'ttp'] }, status: 400, fields: ['topics'] }],
  ['correction: a reason only whitespace', { path: route.corrections(), body: { text: 'Corrected.', reason: ' \n ' }, status: 400, fields: ['reason'] }],
  ['open: location and organization only whitespace', { path: route.open, body: { ...OPEN_BODY, location: ' ', organization: '\t' }, status: 400, fields: ['location', 'organization'] }],
  ['statement: text of 20,001 characters', { path: route.statements(), body: { ...STATEMENT_BODY, text: TOO_LONG }, status: 400, fields: ['text'] }],
  ['statement: text of 20,001 emoji', { path: route.statements(), body: { ...STATEMENT_BODY, text: '😀'.repeat(20_001) }, status: 400, fields: ['text'] }],
  ['statement: a NUL in the text', { path: route.statements(), body: { ...STATEMENT_BODY, text: NUL }, status: 400, fields: ['text'] }],
  ['statement: a lone high surrogate in the text', { path: route.statements(), body: { ...STATEMENT_BODY, text: LONE_HIGH_SURROGATE }, status: 400, fields: ['text'] }],
  ['statement: a lone low surrogate in the text', { path: route.statements(), body: { ...STATEMENT_BODY, text: LONE_LOW_SURROGATE }, status: 400, fields: ['text'] }],
  ['statement: an escape sequence in the text', { path: route.statements(), body: { ...STATEMENT_BODY, text: 'Pakistan \u001b[2J rejects it.' }, status: 400, fields: ['text'] }],
  ['statement: topics missing', { path: route.statements(), body: { text: STATEMENT_BODY.text }, status: 400, fields: ['topics'] }],
  ['statement: topics null', { path: route.statements(), body: { ...STATEMENT_BODY, topics: null }, status: 400, fields: ['topics'] }],
  ['statement: no topics', { path: route.statements(), body: { ...STATEMENT_BODY, topics: [] }, status: 400, fields: ['topics'] }],
  ['statement: 21 topics', { path: route.statements(), body: { ...STATEMENT_BODY, topics: topicsCounted(21) }, status: 400, fields: ['topics'] }],
  ['statement: topics a string', { path: route.statements(), body: { ...STATEMENT_BODY, topics: 'ttp' }, status: 400, fields: ['topics'] }],
  ['statement: a topic that is a number', { path: route.statements(), body: { ...STATEMENT_BODY, topics: [42] }, status: 400, fields: ['topics'] }],
  ['statement: a topic that is null', { path: route.statements(), body: { ...STATEMENT_BODY, topics: [null] }, status: 400, fields: ['topics'] }],
  ['statement: a topic in upper case', { path: route.statements(), body: { ...STATEMENT_BODY, topics: ['TTP'] }, status: 400, fields: ['topics'] }],
  ['statement: a topic with a space', { path: route.statements(), body: { ...STATEMENT_BODY, topics: ['human rights'] }, status: 400, fields: ['topics'] }],
  ['statement: a topic ../etc', { path: route.statements(), body: { ...STATEMENT_BODY, topics: ['../etc'] }, status: 400, fields: ['topics'] }],
  ['statement: a topic with SQL', { path: route.statements(), body: { ...STATEMENT_BODY, topics: ["ttp' OR '1'='1"] }, status: 400, fields: ['topics'] }],
  [
    'statement: a topic with a script',
    { path: route.statements(), body: { ...STATEMENT_BODY, topics: ['<script>alert(1)</script>'] }, status: 400, fields: ['topics'] },
  ],
  ['statement: a topic in Urdu', { path: route.statements(), body: { ...STATEMENT_BODY, topics: ['افغانستان'] }, status: 400, fields: ['topics'] }],
  ['statement: a topic of 65 characters', { path: route.statements(), body: { ...STATEMENT_BODY, topics: ['a'.repeat(65)] }, status: 400, fields: ['topics'] }],
  ['statement: a topic named twice', { path: route.statements(), body: { ...STATEMENT_BODY, topics: ['ttp', 'ttp'] }, status: 400, fields: ['topics'] }],
  [
    'statement: 100,000 topics',
    { path: route.statements(), body: { ...STATEMENT_BODY, topics: Array.from({ length: 100_000 }, () => 'ttp') }, status: 400, fields: ['topics'] },
  ],
  ['statement: a speakerId with spaces', { path: route.statements(), body: { ...STATEMENT_BODY, speakerId: 'Ayesha Khan' }, status: 400, fields: ['speakerId'] }],
  ['statement: verbatim a string', { path: route.statements(), body: { ...STATEMENT_BODY, verbatim: 'yes' }, status: 400, fields: ['verbatim'] }],
  ['statement: a statementId that is not a uuid', { path: route.statements(), body: { ...STATEMENT_BODY, statementId: '1 OR 1=1' }, status: 400, fields: ['statementId'] }],
  ['statement: unknown fields', { path: route.statements(), body: { ...STATEMENT_BODY, status: 'retracted', version: 7 }, status: 400, fields: ['status', 'version'] }],
  [
    'statement: a huge array in an unknown field',
    { path: route.statements(), body: { ...STATEMENT_BODY, extra: Array.from({ length: 100_000 }, (_, i) => i) }, status: 400, fields: ['extra'] },
  ],
  ['statement: a briefingId in the path that is not a uuid', { path: route.statements('not-a-uuid'), body: STATEMENT_BODY, status: 400, fields: ['briefingId'] }],
  ['statement: ../ in the path', { path: route.statements('..%2F..%2Fevents'), body: STATEMENT_BODY, status: 400, fields: ['briefingId'] }],
  ['statement: an SQL fragment in the path', { path: route.statements("1'%20OR%20'1'%3D'1"), body: STATEMENT_BODY, status: 400, fields: ['briefingId'] }],
  ['statement: a path that is not valid percent-encoding', { path: '/api/briefings/%E0%A4%A/statements', body: STATEMENT_BODY, status: 400, code: 'BAD_URL' }],
  [
    'statement: a briefingId of 10,000 characters in the path',
    { path: route.statements('a'.repeat(10_000)), body: STATEMENT_BODY, status: 414, code: 'MAX_PARAM_LENGTH' },
  ],
  [
    'statement: a path of 100,000 characters, past what the HTTP parser reads',
    { path: `/api/briefings/${'a'.repeat(100_000)}/statements`, body: STATEMENT_BODY, status: 431, code: 'HEADERS_TOO_LARGE' },
  ],
  ['statement: an unknown briefing', { path: route.statements(randomUUID()), body: STATEMENT_BODY, status: 404, code: 'BRIEFING_NOT_FOUND' }],
  ['statement: on a closed briefing', { path: route.statements(CLOSED), body: STATEMENT_BODY, status: 409, code: 'BRIEFING_CLOSED' }],
  ['statement: the id of a question', { path: route.statements(), body: { ...STATEMENT_BODY, statementId: QUESTION }, status: 409, code: 'ID_CONFLICT' }],
  ['statement: its id again with other text', { path: route.statements(), body: { ...STATEMENT_BODY, statementId: STATEMENT, text: 'Other words.' }, status: 409, code: 'ID_CONFLICT' }],
  ['statement: the body an array', { path: route.statements(), raw: JSON.stringify([STATEMENT_BODY]), type: 'application/json', status: 400 }],
  ['statement: the body null', { path: route.statements(), raw: 'null', type: 'application/json', status: 400 }],
  ['statement: the body a string', { path: route.statements(), raw: '"Pakistan rejects it."', type: 'application/json', status: 400 }],
  ['statement: malformed JSON', { path: route.statements(), raw: "{text: 'Hello.', topics: ['ttp']}", type: 'application/json', status: 400 }],
  ['statement: truncated JSON', { path: route.statements(), raw: '{"text": "Hello.", "topics": ["ttp"', type: 'application/json', status: 400 }],
  [
    'statement: bytes that are not UTF-8',
    {
      path: route.statements(),
      raw: Buffer.concat([Buffer.from('{"text": "Pakistan '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('", "topics": ["ttp"]}')]),
      type: 'application/json',
      status: 400,
    },
  ],
  [
    'statement: a surrogate encoded in the bytes',
    {
      path: route.statements(),
      raw: Buffer.concat([Buffer.from('{"text": "Pakistan '), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('", "topics": ["ttp"]}')]),
      type: 'application/json',
      status: 400,
    },
  ],
  ['statement: nested 33 deep', { path: route.statements(), raw: `{"text": "Hello.", "topics": ["ttp"], "x": ${nested(32)}}`, type: 'application/json', status: 400 }],
  ['statement: nested 100,000 deep', { path: route.statements(), raw: '['.repeat(100_000) + ']'.repeat(100_000), type: 'application/json', status: 400 }],
  ['statement: a __proto__ key', { path: route.statements(), raw: '{"text": "Hello.", "topics": ["ttp"], "__proto__": {"isAdmin": true}}', type: 'application/json', status: 400 }],
  [
    'statement: a __proto__ key written with an escape',
    { path: route.statements(), raw: '{"text": "Hello.", "topics": ["ttp"], "\\u005f_proto__": {"verbatim": "yes"}}', type: 'application/json', status: 400 },
  ],
  [
    'statement: a constructor key written with an escape',
    { path: route.statements(), raw: '{"text": "Hello.", "topics": ["ttp"], "\\u0063onstructor": {"prototype": {}}}', type: 'application/json', status: 400 },
  ],
  ['statement: text/plain', { path: route.statements(), raw: 'Pakistan rejects it.', type: 'text/plain', status: 415 }],
  ['statement: a form', { path: route.statements(), raw: 'text=Hello.&topics=ttp', type: 'application/x-www-form-urlencoded', status: 415 }],
  ['statement: XML', { path: route.statements(), raw: '<statement><text>Hello.</text></statement>', type: 'application/xml', status: 415 }],
  ['statement: a body over 1 MB', { path: route.statements(), body: { ...STATEMENT_BODY, text: 'x'.repeat(1024 * 1024) }, status: 413 }],
  ['statement: If-Match not a number', { path: route.statements(), body: STATEMENT_BODY, headers: { 'If-Match': 'latest' }, status: 400, fields: ['If-Match'] }],
  ['statement: a stale If-Match', { path: route.statements(), body: STATEMENT_BODY, headers: { 'If-Match': '0' }, status: 412, code: 'STALE_REVISION' }],

  // POST /api/briefings/:briefingId/questions
  ['question: text and topics missing', { path: route.questions(), body: {}, status: 400, fields: ['text', 'topics'] }],
  ['question: text of 20,001 characters', { path: route.questions(), body: { ...QUESTION_BODY, text: TOO_LONG }, status: 400, fields: ['text'] }],
  ['question: askedBy a string', { path: route.questions(), body: { ...QUESTION_BODY, askedBy: 'Dawn' }, status: 400, fields: ['askedBy'] }],
  ['question: askedBy.outlet empty', { path: route.questions(), body: { ...QUESTION_BODY, askedBy: { outlet: '' } }, status: 400, fields: ['askedBy.outlet'] }],
  ['question: an unknown askedBy field', { path: route.questions(), body: { ...QUESTION_BODY, askedBy: { email: 'a@b.c' } }, status: 400, fields: ['askedBy.email'] }],
  ['question: a NUL in askedBy.name', { path: route.questions(), body: { ...QUESTION_BODY, askedBy: { name: NUL } }, status: 400, fields: ['askedBy.name'] }],
  ['question: a questionId that is not a uuid', { path: route.questions(), body: { ...QUESTION_BODY, questionId: 'q-1' }, status: 400, fields: ['questionId'] }],
  [
    'question: a questionId in braces',
    { path: route.questions(), body: { ...QUESTION_BODY, questionId: `{${randomUUID()}}` }, status: 400, fields: ['questionId'] },
  ],
  ['question: a topic with a script', { path: route.questions(), body: { ...QUESTION_BODY, topics: ['<img src=x onerror=alert(1)>'] }, status: 400, fields: ['topics'] }],
  ['question: on a closed briefing', { path: route.questions(CLOSED), body: QUESTION_BODY, status: 409, code: 'BRIEFING_CLOSED' }],

  // POST /api/briefings/:briefingId/questions/:questionId/answers
  ['answer: text missing', { path: route.answers(), body: {}, status: 400, fields: ['text'] }],
  ['answer: text a boolean', { path: route.answers(), body: { text: true }, status: 400, fields: ['text'] }],
  ['answer: a lone surrogate in the text', { path: route.answers(), body: { text: LONE_LOW_SURROGATE }, status: 400, fields: ['text'] }],
  ['answer: no topics', { path: route.answers(), body: { ...ANSWER_BODY, topics: [] }, status: 400, fields: ['topics'] }],
  ['answer: a speakerId with SQL', { path: route.answers(), body: { ...ANSWER_BODY, speakerId: "'; DELETE FROM events; --" }, status: 400, fields: ['speakerId'] }],
  ['answer: an answerId that is not a uuid', { path: route.answers(), body: { ...ANSWER_BODY, answerId: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz' }, status: 400, fields: ['answerId'] }],
  ['answer: a questionId in the path that is not a uuid', { path: route.answers(OPEN, 'not-a-question'), body: ANSWER_BODY, status: 400, fields: ['questionId'] }],
  ['answer: an unknown question', { path: route.answers(OPEN, randomUUID()), body: ANSWER_BODY, status: 404, code: 'QUESTION_NOT_FOUND' }],
  ['answer: to a statement', { path: route.answers(OPEN, STATEMENT), body: ANSWER_BODY, status: 404, code: 'QUESTION_NOT_FOUND' }],
  ['answer: to a question of another briefing', { path: route.answers(OPEN, CLOSED_QUESTION), body: ANSWER_BODY, status: 404, code: 'QUESTION_NOT_FOUND' }],
  ['answer: on a closed briefing', { path: route.answers(CLOSED, CLOSED_QUESTION), body: ANSWER_BODY, status: 409, code: 'BRIEFING_CLOSED' }],
  ['answer: the id of a statement', { path: route.answers(), body: { ...ANSWER_BODY, answerId: STATEMENT }, status: 409, code: 'ID_CONFLICT' }],

  // POST /api/briefings/:briefingId/remarks/:remarkId/corrections
  ['correction: reason missing', { path: route.corrections(), body: { text: CORRECTION_BODY.text }, status: 400, fields: ['reason'] }],
  ['correction: text and reason empty', { path: route.corrections(), body: { text: '', reason: '' }, status: 400, fields: ['text', 'reason'] }],
  ['correction: text of 20,001 characters', { path: route.corrections(), body: { ...CORRECTION_BODY, text: TOO_LONG }, status: 400, fields: ['text'] }],
  ['correction: a NUL in the reason', { path: route.corrections(), body: { ...CORRECTION_BODY, reason: NUL }, status: 400, fields: ['reason'] }],
  ['correction: 21 topics', { path: route.corrections(), body: { ...CORRECTION_BODY, topics: topicsCounted(21) }, status: 400, fields: ['topics'] }],
  ['correction: a version field', { path: route.corrections(), body: { ...CORRECTION_BODY, version: 1 }, status: 400, fields: ['version'] }],
  ['correction: a remarkId that is not a uuid', { path: route.corrections(OPEN, '..%2F..'), body: CORRECTION_BODY, status: 400, fields: ['remarkId'] }],
  ['correction: an unknown remark', { path: route.corrections(OPEN, randomUUID()), body: CORRECTION_BODY, status: 404, code: 'REMARK_NOT_FOUND' }],
  ['correction: a question', { path: route.corrections(OPEN, QUESTION), body: CORRECTION_BODY, status: 404, code: 'REMARK_NOT_FOUND' }],
  ['correction: a remark of another briefing', { path: route.corrections(OPEN, CLOSED_STATEMENT), body: CORRECTION_BODY, status: 404, code: 'REMARK_NOT_FOUND' }],
  ['correction: a retracted remark', { path: route.corrections(OPEN, RETRACTED), body: CORRECTION_BODY, status: 409, code: 'REMARK_RETRACTED' }],

  // POST /api/briefings/:briefingId/remarks/:remarkId/retractions
  ['retraction: reason missing', { path: route.retractions(), body: {}, status: 400, fields: ['reason'] }],
  ['retraction: reason null', { path: route.retractions(), body: { reason: null }, status: 400, fields: ['reason'] }],
  ['retraction: reason a number', { path: route.retractions(), body: { reason: 404 }, status: 400, fields: ['reason'] }],
  ['retraction: reason only whitespace', { path: route.retractions(), body: { reason: '   ' }, status: 400, fields: ['reason'] }],
  ['retraction: a lone surrogate in the reason', { path: route.retractions(), body: { reason: LONE_HIGH_SURROGATE }, status: 400, fields: ['reason'] }],
  ['retraction: a text field', { path: route.retractions(), body: { ...RETRACTION_BODY, text: 'New words.' }, status: 400, fields: ['text'] }],
  ['retraction: an unknown briefing', { path: route.retractions(randomUUID()), body: RETRACTION_BODY, status: 404, code: 'BRIEFING_NOT_FOUND' }],
  ['retraction: an unknown remark', { path: route.retractions(OPEN, randomUUID()), body: RETRACTION_BODY, status: 404, code: 'REMARK_NOT_FOUND' }],
  ['retraction: a question', { path: route.retractions(OPEN, QUESTION), body: RETRACTION_BODY, status: 404, code: 'REMARK_NOT_FOUND' }],
  ['retraction: a remark already retracted', { path: route.retractions(OPEN, RETRACTED), body: RETRACTION_BODY, status: 409, code: 'REMARK_RETRACTED' }],

  // POST /api/briefings/:briefingId/close
  ['close: a field', { path: route.close(), body: { reason: 'Done.' }, status: 400, fields: ['reason'] }],
  ['close: a status field', { path: route.close(), body: { status: 'open' }, status: 400, fields: ['status'] }],
  ['close: the body an array', { path: route.close(), raw: '[]', type: 'application/json', status: 400 }],
  ['close: the body a string', { path: route.close(), raw: '"close"', type: 'application/json', status: 400 }],
  ['close: malformed JSON', { path: route.close(), raw: '{', type: 'application/json', status: 400 }],
  ['close: text/plain', { path: route.close(), raw: 'close', type: 'text/plain', status: 415 }],
  ['close: a briefingId that is not a uuid', { path: route.close('00000000-0000-0000-0000-00000000000g'), body: {}, status: 400, fields: ['briefingId'] }],
  ['close: an unknown briefing', { path: route.close(randomUUID()), body: {}, status: 404, code: 'BRIEFING_NOT_FOUND' }],

  // POST /api/briefings/import
  ['import: an empty body', { path: route.import, body: {}, status: 400, fields: ['heldOn', 'location', 'organization', 'spokesperson'] }],
  ['import: heldOn 2024-02-30', { path: route.import, body: { ...IMPORT_BODY, heldOn: '2024-02-30' }, status: 400, fields: ['heldOn'] }],
  ['import: statements an object', { path: route.import, body: { ...IMPORT_BODY, statements: { text: 'Hello.' } }, status: 400, fields: ['statements'] }],
  [
    'import: a statement of 20,001 characters',
    { path: route.import, body: { ...IMPORT_BODY, statements: [STATEMENT_BODY, { ...STATEMENT_BODY, text: TOO_LONG }] }, status: 400, fields: ['statements.1.text'] },
  ],
  [
    'import: a NUL in a statement',
    { path: route.import, body: { ...IMPORT_BODY, statements: [{ ...STATEMENT_BODY, text: NUL }] }, status: 400, fields: ['statements.0.text'] },
  ],
  [
    'import: an unknown field in a statement',
    { path: route.import, body: { ...IMPORT_BODY, statements: [{ ...STATEMENT_BODY, status: 'retracted' }] }, status: 400, fields: ['statements.0.status'] },
  ],
  [
    'import: a bad topic in an answer',
    {
      path: route.import,
      body: { ...IMPORT_BODY, questions: [{ ...QUESTION_BODY, answers: [{ ...ANSWER_BODY, topics: ['Bad Topic'] }] }] },
      status: 400,
      fields: ['questions.0.answers.0.topics'],
    },
  ],
  [
    'import: 51 answers to one question',
    { path: route.import, body: { ...IMPORT_BODY, questions: [{ ...QUESTION_BODY, answers: Array.from({ length: 51 }, () => ANSWER_BODY) }] }, status: 400, fields: ['questions.0.answers'] },
  ],
  [
    'import: 5,001 statements',
    { path: route.import, body: { ...IMPORT_BODY, statements: Array.from({ length: 5001 }, () => STATEMENT_BODY) }, status: 400, fields: ['statements'] },
  ],
  ['import: a statement that is an array', { path: route.import, body: { ...IMPORT_BODY, statements: [[]] }, status: 400, fields: ['statements'] }],
  ['import: a question that is an array', { path: route.import, body: { ...IMPORT_BODY, questions: [[QUESTION_BODY]] }, status: 400, fields: ['questions'] }],
  [
    'import: an answer that is an array',
    { path: route.import, body: { ...IMPORT_BODY, questions: [{ ...QUESTION_BODY, answers: [[]] }] }, status: 400, fields: ['questions.0.answers'] },
  ],
  ['import: closed a string', { path: route.import, body: { ...IMPORT_BODY, closed: 'yes' }, status: 400, fields: ['closed'] }],
  ['import: a javascript: source url', { path: route.import, body: { ...IMPORT_BODY, source: { url: 'javascript:alert(1)' } }, status: 400, fields: ['source.url'] }],
  ['import: a source sha256 that is not hex', { path: route.import, body: { ...IMPORT_BODY, source: { url: 'https://mofa.gov.pk/', sha256: 'z'.repeat(64) } }, status: 400, fields: ['source.sha256'] }],
  ['import: a source retrievedAt that is not a time', { path: route.import, body: { ...IMPORT_BODY, source: { url: 'https://mofa.gov.pk/', retrievedAt: '2024-02-30T25:00:00Z' } }, status: 400, fields: ['source.retrievedAt'] }],
  [
    'import: one statement id twice',
    { path: route.import, body: { ...IMPORT_BODY, statements: [{ ...STATEMENT_BODY, statementId: STATEMENT }, { ...STATEMENT_BODY, statementId: STATEMENT }] }, status: 409, code: 'ID_CONFLICT' },
  ],
  ['import: over an open briefing', { path: route.import, body: { ...IMPORT_BODY, briefingId: OPEN }, status: 409, code: 'BRIEFING_EXISTS' }],
  ['import: nested 10,000 deep', { path: route.import, raw: '['.repeat(10_000) + ']'.repeat(10_000), type: 'application/json', status: 400 }],
  ['import: text/plain', { path: route.import, raw: JSON.stringify(IMPORT_BODY), type: 'text/plain', status: 415 }],
];

/** Text a transcript legitimately holds: each is recorded exactly as sent. */
const validTexts: [string, string][] = [
  ['emoji, with a flag and a family joined by ZWJ', 'Pakistan 🇵🇰 welcomes the talks 🤝 and thanks everyone 👩‍👩‍👧‍👦.'],
  ['combining marks', 'Zarb-e-Azb: re\u0301sume\u0301, na\u0308ive, क्षत्रिय, Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǒ̢̟.'],
  ['right-to-left text with direction marks', '\u200fپاکستان افغان عبوری حکام سے رابطے میں ہے\u200f (\u200eTTP\u200e).'],
  ['20,000 emoji, each one character', '😀'.repeat(20_000)],
];

/** A Nest logger that keeps what is logged as an error. */
class CapturingLogger implements LoggerService {
  readonly entries: { level: string; message: unknown; context: unknown[] }[] = [];
  log(): void {}
  warn(): void {}
  error(message: unknown, ...context: unknown[]): void {
    this.entries.push({ level: 'error', message, context });
  }
  fatal(message: unknown, ...context: unknown[]): void {
    this.entries.push({ level: 'fatal', message, context });
  }
}

describe('hostile input to every command route', () => {
  let t: TestApp;
  let store: EventStore;
  const logged = new CapturingLogger();

  beforeAll(async () => {
    t = await createTestApp();
    store = t.app.get<EventStore>(EVENT_STORE);
    await t.http.post(route.open).send({ ...OPEN_BODY, briefingId: OPEN }).expect(201);
    await t.http.post(route.statements()).send({ ...STATEMENT_BODY, statementId: STATEMENT }).expect(201);
    await t.http.post(route.questions()).send({ ...QUESTION_BODY, questionId: QUESTION }).expect(201);
    await t.http.post(route.statements()).send({ ...STATEMENT_BODY, statementId: RETRACTED }).expect(201);
    await t.http.post(route.retractions(OPEN, RETRACTED)).send(RETRACTION_BODY).expect(201);
    await t.http.post(route.open).send({ ...OPEN_BODY, briefingId: CLOSED }).expect(201);
    await t.http.post(route.statements(CLOSED)).send({ ...STATEMENT_BODY, statementId: CLOSED_STATEMENT }).expect(201);
    await t.http.post(route.questions(CLOSED)).send({ ...QUESTION_BODY, questionId: CLOSED_QUESTION }).expect(201);
    await t.http.post(route.close(CLOSED)).expect(200);

    // From here on, whatever the service logs through Nest (the problem filter logs each 5xx) is kept.
    t.app.useLogger(logged);
    new Logger('HTTP').error('capture check');
    expect(logged.entries).toEqual([expect.objectContaining({ level: 'error', message: 'capture check' })]);
    logged.entries.length = 0;
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = (c: Case): Promise<Response> => {
    const request = t.http.post(c.path).set(c.headers ?? {});
    if (c.raw === undefined) return request.send(c.body as object);
    // As it is: superagent would send a Buffer as the JSON of its bytes.
    return request
      .type(c.type ?? 'application/json')
      .serialize((raw: unknown) => raw as string)
      .send(c.raw);
  };

  it.each(cases)('%s', async (_name, c) => {
    const head = await store.headPosition();
    const response = await send(c);
    const problem = expectProblem(response, c.status);
    if (c.fields) expectFieldErrors(response, ...c.fields);
    if (c.code) expect(problem).toMatchObject({ code: c.code });
    expect(await store.headPosition()).toBe(head);
  });

  describe('what looks hostile but is legitimate', () => {
    /** The events appended to the log after `head`. */
    const appendedSince = async (head: number) => {
      const response = await t.http.get(`/api/events?after=${head}`).expect(200);
      return response.body.items as { type: string; data: Record<string, unknown> }[];
    };

    it.each(validTexts)('takes %s as text, and records it exactly', async (_what, text) => {
      const head = await store.headPosition();
      const response = await t.http.post(route.statements()).send({ text, topics: ['ttp'] });
      expect(response.status).toBe(201);
      expect(await appendedSince(head)).toEqual([
        expect.objectContaining({ type: 'StatementRecorded', data: expect.objectContaining({ statementId: response.body.statementId, text }) }),
      ]);
    });

    it('takes null in an optional field for the field left out, and records no null', async () => {
      const head = await store.headPosition();
      const briefingId = randomUUID();
      const spokesperson = { ...SPOKESPERSON, title: null };
      await t.http.post(route.open).send({ ...OPEN_BODY, briefingId, title: null, sourceUrl: null, spokesperson }).expect(201);
      await t.http.post(route.statements(briefingId)).send({ ...STATEMENT_BODY, statementId: null, speakerId: null, verbatim: null }).expect(201);
      const asked = await t.http
        .post(route.questions(briefingId))
        .send({ ...QUESTION_BODY, questionId: null, askedBy: { name: null, outlet: 'Dawn' } })
        .expect(201);
      await t.http.post(route.answers(briefingId, asked.body.questionId)).send({ ...ANSWER_BODY, answerId: null, topics: null }).expect(201);
      const questions = [{ ...QUESTION_BODY, askedBy: null, answers: null }];
      await t.http.post(route.import).send({ ...IMPORT_BODY, briefingId: null, title: null, source: null, closed: null, questions }).expect(201);

      const events = await appendedSince(head);
      expect(events.map((event) => event.type)).toEqual([
        'BriefingOpened',
        'StatementRecorded',
        'QuestionAsked',
        'AnswerGiven',
        'BriefingOpened',
        'StatementRecorded',
        'QuestionAsked',
        'BriefingClosed',
      ]);
      const nulls = (value: unknown, path: string): string[] => {
        if (value === null) return [path];
        if (typeof value !== 'object') return [];
        return Object.entries(value).flatMap(([key, member]) => nulls(member, `${path}.${key}`));
      };
      expect(events.flatMap((event) => nulls(event.data, event.type))).toEqual([]);
      expect(events[2]?.data).toMatchObject({ askedBy: { outlet: 'Dawn' } });
      expect(events[3]?.data).toMatchObject({ topics: QUESTION_BODY.topics });
    });

    it('takes a uuid in capitals as the same id in lower case', async () => {
      // The statement recorded in beforeAll, sent again with its id in capitals: recognised, nothing appended.
      const head = await store.headPosition();
      const again = await t.http.post(route.statements()).send({ ...STATEMENT_BODY, statementId: STATEMENT.toUpperCase() });
      expect(again.status).toBe(201);
      expect(again.body.statementId).toBe(STATEMENT);
      expect(await store.headPosition()).toBe(head);

      // A briefing opened under an id in capitals is found under that id, in either case.
      const briefingId = randomUUID();
      const opened = await t.http.post(route.open).send({ ...OPEN_BODY, briefingId: briefingId.toUpperCase() }).expect(201);
      expect(opened.body.briefingId).toBe(briefingId);
      await t.http.post(route.statements(briefingId)).send(STATEMENT_BODY).expect(201);
      await t.http.post(route.statements(briefingId.toUpperCase())).send(STATEMENT_BODY).expect(201);
    });
  });

  it('logged no 500 and no unhandled error while answering them', () => {
    expect(logged.entries).toEqual([]);
  });
});

describe('a connection whose request the HTTP parser refuses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is answered a problem and closed by the service, even while the client keeps its side open', async () => {
    const server: Server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const closedByService = new Promise<void>((resolve) => server.once('connection', (socket: Socket) => socket.once('close', () => resolve())));
    const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let answer = '';
    client.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const answered = new Promise<void>((resolve) => client.once('end', () => resolve()));
    client.write(`GET /api/briefings/${'a'.repeat(100_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    await Promise.all([answered, closedByService]);
    client.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });
});
