import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { expectProblem, openBody, openBriefing, SPOKESPERSON } from './support/http.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Envelope {
  eventId: string;
  type: string;
  revision: number;
  position: number;
  data: Record<string, unknown>;
}

/** A briefing recorded command by command, as an editor would during the briefing. */
describe("a briefing's life, one command at a time", () => {
  let t: TestApp;
  const briefing = openBody({ heldOn: '2024-02-01' });
  const briefingId = briefing.briefingId as string;
  let statementId: string;
  let questionId: string;
  let answerId: string;
  let ownTopicsAnswerId: string;
  let lastPosition = 0;
  let lastRevision = -1;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Every command moves the stream on by one revision and the log forward. */
  function expectWritten(body: { revision: number; position: number }, events = 1) {
    expect(body.revision).toBe(lastRevision + events);
    expect(body.position).toBeGreaterThan(lastPosition);
    lastRevision = body.revision;
    lastPosition = body.position;
  }

  const transcript = async () => {
    const response = await t.http.get(`/api/briefings/${briefingId}`).set('X-Min-Position', String(lastPosition));
    expect(response.status).toBe(200);
    return response.body;
  };
  const history = async (remarkId: string) => {
    const response = await t.http.get(`/api/remarks/${remarkId}/history`).set('X-Min-Position', String(lastPosition));
    expect(response.status).toBe(200);
    return response.body;
  };
  const streamEvents = async (): Promise<Envelope[]> => {
    const response = await t.http.get(`/api/briefings/${briefingId}/events?limit=500`).expect(200);
    return response.body.items as Envelope[];
  };

  it('opens a briefing: 201 with its id, and it is listed as open', async () => {
    const response = await t.http.post('/api/briefings').send(briefing);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ briefingId, revision: 0, position: expect.any(Number) });
    expect(response.headers.location).toBe(`/api/briefings/${briefingId}`);
    expectWritten(response.body);

    const body = await transcript();
    expect(body).toMatchObject({
      briefingId,
      title: briefing.title,
      heldOn: '2024-02-01',
      location: 'Islamabad',
      organization: briefing.organization,
      spokesperson: SPOKESPERSON,
      status: 'open',
      counts: { statements: 0, questions: 0, answers: 0, corrections: 0, retractions: 0 },
      statements: [],
      questions: [],
    });
  });

  it('opens a briefing with its source, as an import takes it', async () => {
    const source = { url: 'https://mofa.gov.pk/press-briefings/2024-02-02', retrievedAt: '2024-02-02T12:00:00.000Z', sha256: 'a'.repeat(64) };
    const opened = await t.http.post('/api/briefings').send(openBody({ source }));
    expect(opened.status).toBe(201);
    const shown = await t.http.get(`/api/briefings/${opened.body.briefingId}`).set('X-Min-Position', String(opened.body.position)).expect(200);
    expect(shown.body.source).toEqual(source);
    expectProblem(await t.http.post('/api/briefings').send(openBody({ source: { url: 'not a url' } })), 400);
  });

  it('opens a briefing with a server-chosen id when none is given', async () => {
    const { briefingId: _ignored, ...withoutId } = openBody({ heldOn: '2024-02-02' });
    const response = await t.http.post('/api/briefings').send(withoutId);
    expect(response.status).toBe(201);
    expect(response.body.briefingId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body.revision).toBe(0);
    const shown = await t.http.get(`/api/briefings/${response.body.briefingId}`).set('X-Min-Position', String(response.body.position));
    expect(shown.status).toBe(200);
    expect(shown.body.heldOn).toBe('2024-02-02');
  });

  it("records a statement, spoken by the briefing's spokesperson when no speaker is named", async () => {
    const text = 'Pakistan wants peaceful relations with all its neighbours.';
    const response = await t.http.post(`/api/briefings/${briefingId}/statements`).send({ text, topics: ['afghanistan'] });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ statementId: expect.any(String), revision: 1, position: expect.any(Number) });
    expectWritten(response.body);
    statementId = response.body.statementId;

    const body = await transcript();
    expect(body.statements).toEqual([
      expect.objectContaining({
        kind: 'statement',
        id: statementId,
        speaker: { id: SPOKESPERSON.id, name: SPOKESPERSON.name },
        text,
        topics: ['afghanistan'],
        status: 'original',
        version: 1,
      }),
    ]);
    expect(body.counts.statements).toBe(1);
    const events = await streamEvents();
    expect(events.at(-1)).toMatchObject({ type: 'StatementRecorded', data: { statementId, speakerId: SPOKESPERSON.id, text } });
  });

  it('records a statement by another named speaker', async () => {
    const id = randomUUID();
    const response = await t.http
      .post(`/api/briefings/${briefingId}/statements`)
      .send({ statementId: id, speakerId: 'ayesha-khan', text: 'A word from the deputy.', topics: ['china'], verbatim: true });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ statementId: id, revision: 2, position: expect.any(Number) });
    expectWritten(response.body);
    const body = await transcript();
    expect(body.statements.map((s: { id: string }) => s.id)).toEqual([statementId, id]);
    expect(body.statements[1]).toMatchObject({ speaker: { id: 'ayesha-khan' }, verbatim: true });
  });

  it("records a journalist's question", async () => {
    questionId = randomUUID();
    const response = await t.http
      .post(`/api/briefings/${briefingId}/questions`)
      .send({ questionId, askedBy: { name: 'A journalist', outlet: 'Dawn' }, text: 'Are talks with the TTP planned?', topics: ['ttp'] });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ questionId, revision: 3, position: expect.any(Number) });
    expectWritten(response.body);
  });

  it("records an answer that takes its question's topics when it names none", async () => {
    const response = await t.http
      .post(`/api/briefings/${briefingId}/questions/${questionId}/answers`)
      .send({ text: 'There are no talks with the TTP.' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ answerId: expect.any(String), revision: 4, position: expect.any(Number) });
    expectWritten(response.body);
    answerId = response.body.answerId;

    const own = await t.http
      .post(`/api/briefings/${briefingId}/questions/${questionId}/answers`)
      .send({ text: 'And the border stays open for trade.', topics: ['trade', 'afghanistan'] });
    expect(own.status).toBe(201);
    expectWritten(own.body);
    ownTopicsAnswerId = own.body.answerId;

    const body = await transcript();
    expect(body.questions).toEqual([
      expect.objectContaining({
        kind: 'question',
        id: questionId,
        askedBy: { name: 'A journalist', outlet: 'Dawn' },
        text: 'Are talks with the TTP planned?',
        topics: ['ttp'],
        answers: [
          expect.objectContaining({
            kind: 'answer',
            id: answerId,
            speaker: { id: SPOKESPERSON.id, name: SPOKESPERSON.name },
            text: 'There are no talks with the TTP.',
            topics: ['ttp'],
            status: 'original',
            version: 1,
          }),
          expect.objectContaining({ id: ownTopicsAnswerId, topics: ['trade', 'afghanistan'] }),
        ],
      }),
    ]);
    expect(body.counts).toMatchObject({ statements: 2, questions: 1, answers: 2 });
  });

  it('corrects a remark: 201 with version 2; the transcript shows the new text, the history both versions', async () => {
    const response = await t.http
      .post(`/api/briefings/${briefingId}/remarks/${statementId}/corrections`)
      .send({ text: 'Pakistan wants peaceful and friendly relations with all its neighbours.', reason: 'Checked against the recording' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ remarkId: statementId, correctionId: expect.stringMatching(UUID), version: 2, revision: 6, position: expect.any(Number) });
    expectWritten(response.body);
    const correctedAt = response.body.position as number;

    const body = await transcript();
    expect(body.statements[0]).toMatchObject({
      id: statementId,
      text: 'Pakistan wants peaceful and friendly relations with all its neighbours.',
      status: 'corrected',
      version: 2,
    });
    expect(body.counts.corrections).toBe(1);

    const shown = await history(statementId);
    expect(shown).toMatchObject({ remarkId: statementId, briefingId, kind: 'statement', retracted: false });
    expect(shown.versions).toEqual([
      {
        version: 1,
        text: 'Pakistan wants peaceful relations with all its neighbours.',
        topics: ['afghanistan'],
        reason: null,
        recordedAt: expect.any(String),
        position: expect.any(Number),
        eventId: expect.any(String),
        diff: null,
      },
      {
        version: 2,
        text: 'Pakistan wants peaceful and friendly relations with all its neighbours.',
        topics: ['afghanistan'],
        reason: 'Checked against the recording',
        recordedAt: expect.any(String),
        position: correctedAt,
        eventId: expect.any(String),
        diff: [
          { op: 'equal', text: 'Pakistan wants peaceful ' },
          { op: 'insert', text: 'and friendly ' },
          { op: 'equal', text: 'relations with all its neighbours.' },
        ],
      },
    ]);
    expect(shown.versions[0].position).toBeLessThan(shown.versions[1].position);
    for (const version of shown.versions) expect(Number.isNaN(Date.parse(version.recordedAt))).toBe(false);

    // Each version names the stored event it came from.
    const events = await streamEvents();
    const byId = new Map(events.map((e) => [e.eventId, e]));
    expect(byId.get(shown.versions[0].eventId)).toMatchObject({ type: 'StatementRecorded', data: { statementId } });
    expect(byId.get(shown.versions[1].eventId)).toMatchObject({
      type: 'RemarkCorrected',
      position: correctedAt,
      data: { remarkId: statementId, version: 2 },
    });
  });

  it('retracts a remark: it stays in the transcript, marked retracted', async () => {
    const response = await t.http.post(`/api/briefings/${briefingId}/remarks/${answerId}/retractions`).send({ reason: 'Withdrawn by the ministry' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ remarkId: answerId, retractionId: expect.stringMatching(UUID), revision: 7, position: expect.any(Number) });
    expectWritten(response.body);

    const body = await transcript();
    expect(body.questions[0].answers[0]).toMatchObject({ id: answerId, status: 'retracted', text: 'There are no talks with the TTP.' });
    expect(body.counts.retractions).toBe(1);
    const shown = await history(answerId);
    expect(shown).toMatchObject({ remarkId: answerId, kind: 'answer', retracted: true });
    expect(shown.versions).toHaveLength(1);
    expect(shown.retraction).toMatchObject({ reason: 'Withdrawn by the ministry', position: response.body.position });
  });

  it('closes the briefing: 200', async () => {
    const response = await t.http.post(`/api/briefings/${briefingId}/close`).send({});
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ briefingId, revision: 8, position: expect.any(Number) });
    expectWritten(response.body);
    const body = await transcript();
    expect(body.status).toBe('closed');
  });

  it('refuses statements, questions and answers to a closed briefing with 409, and appends nothing', async () => {
    const before = await streamEvents();
    const statement = await t.http.post(`/api/briefings/${briefingId}/statements`).send({ text: 'Too late.', topics: ['ttp'] });
    expectProblem(statement, 409);
    expect(statement.body.detail).toMatch(/closed/);
    expectProblem(await t.http.post(`/api/briefings/${briefingId}/questions`).send({ text: 'Too late?', topics: ['ttp'] }), 409);
    expectProblem(await t.http.post(`/api/briefings/${briefingId}/questions/${questionId}/answers`).send({ text: 'Too late.' }), 409);
    expect(await streamEvents()).toEqual(before);
  });

  it('still takes corrections and retractions once closed', async () => {
    const correction = await t.http
      .post(`/api/briefings/${briefingId}/remarks/${statementId}/corrections`)
      .send({ text: 'Pakistan wants peaceful, friendly relations with all of its neighbours.', reason: 'Second check', topics: ['afghanistan', 'trade'] });
    expect(correction.status).toBe(201);
    expect(correction.body).toEqual({ remarkId: statementId, correctionId: expect.stringMatching(UUID), version: 3, revision: 9, position: expect.any(Number) });
    expectWritten(correction.body);

    const retraction = await t.http.post(`/api/briefings/${briefingId}/remarks/${ownTopicsAnswerId}/retractions`).send({ reason: 'Off the record' });
    expect(retraction.status).toBe(201);
    expect(retraction.body).toEqual({ remarkId: ownTopicsAnswerId, retractionId: expect.stringMatching(UUID), revision: 10, position: expect.any(Number) });
    expectWritten(retraction.body);

    const body = await transcript();
    expect(body.statements[0]).toMatchObject({ status: 'corrected', version: 3, topics: ['afghanistan', 'trade'] });
    expect(body.questions[0].answers[1]).toMatchObject({ id: ownTopicsAnswerId, status: 'retracted' });
    const shown = await history(statementId);
    expect(shown.versions.map((v: { version: number; reason: string | null }) => [v.version, v.reason])).toEqual([
      [1, null],
      [2, 'Checked against the recording'],
      [3, 'Second check'],
    ]);
  });

  it('records one event per command, in order, in the briefing stream', async () => {
    const events = await streamEvents();
    expect(events.map((e) => e.type)).toEqual([
      'BriefingOpened',
      'StatementRecorded',
      'StatementRecorded',
      'QuestionAsked',
      'AnswerGiven',
      'AnswerGiven',
      'RemarkCorrected',
      'RemarkRetracted',
      'BriefingClosed',
      'RemarkCorrected',
      'RemarkRetracted',
    ]);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
  });
});

/** A client that is not sure its command arrived sends it again, with the same id. */
describe('sending a command again', () => {
  let t: TestApp;
  let briefingId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ briefingId } = await openBriefing(t.http));
  });
  afterAll(async () => {
    await t?.close();
  });

  const statementEvents = async (statementId: string) => {
    const response = await t.http.get(`/api/briefings/${briefingId}/events?limit=500`).expect(200);
    return (response.body.items as Envelope[]).filter((e) => e.type === 'StatementRecorded' && e.data.statementId === statementId);
  };

  it('answers the same statement with the same id twice alike, and stores it once', async () => {
    const statement = { statementId: randomUUID(), text: 'We reject the allegations.', topics: ['india'] };
    const first = await t.http.post(`/api/briefings/${briefingId}/statements`).send(statement);
    const second = await t.http.post(`/api/briefings/${briefingId}/statements`).send(statement);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(first.body).toEqual({ statementId: statement.statementId, revision: expect.any(Number), position: expect.any(Number) });
    expect(await statementEvents(statement.statementId)).toHaveLength(1);
  });

  it('answers a re-send as the first time even after other commands moved the stream on', async () => {
    const statement = { statementId: randomUUID(), text: 'We welcome the talks.', topics: ['china'] };
    const first = await t.http.post(`/api/briefings/${briefingId}/statements`).send(statement).expect(201);
    await t.http.post(`/api/briefings/${briefingId}/statements`).send({ text: 'Another matter.', topics: ['trade'] }).expect(201);
    const again = await t.http.post(`/api/briefings/${briefingId}/statements`).send(statement);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await statementEvents(statement.statementId)).toHaveLength(1);
  });

  it('answers a re-send that carries its first If-Match alike, though the stream has moved on', async () => {
    const { briefingId: id, revision } = await openBriefing(t.http);
    const statement = { statementId: randomUUID(), text: 'Sent with If-Match.', topics: ['india'] };
    const send = () => t.http.post(`/api/briefings/${id}/statements`).set('If-Match', String(revision)).send(statement);
    const first = await send().expect(201);
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await t.http
      .post(`/api/briefings/${id}/statements`)
      .set('If-Match', String(revision))
      .send({ text: 'A new statement on a stale view.', topics: ['india'] });
    expectProblem(other, 412);
  });

  it('refuses the same id with other text: 409, and keeps the first', async () => {
    const statementId = randomUUID();
    await t.http.post(`/api/briefings/${briefingId}/statements`).send({ statementId, text: 'First words.', topics: ['india'] }).expect(201);
    const other = await t.http.post(`/api/briefings/${briefingId}/statements`).send({ statementId, text: 'Other words.', topics: ['india'] });
    expectProblem(other, 409);
    const stored = await statementEvents(statementId);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.data.text).toBe('First words.');
  });

  it('refuses an id already used by another remark of the briefing: 409', async () => {
    const id = randomUUID();
    await t.http.post(`/api/briefings/${briefingId}/statements`).send({ statementId: id, text: 'Mine.', topics: ['india'] }).expect(201);
    const question = await t.http.post(`/api/briefings/${briefingId}/questions`).send({ questionId: id, text: 'Yours?', topics: ['india'] });
    expectProblem(question, 409);
  });

  it('refuses a remark id already used in another briefing: 409, and the first remark keeps its history', async () => {
    const id = randomUUID();
    const first = await t.http.post(`/api/briefings/${briefingId}/statements`).send({ statementId: id, text: 'Mine.', topics: ['india'] }).expect(201);
    await t.http.get(`/api/remarks/${id}/history`).set('X-Min-Position', String(first.body.position)).expect(200);

    const { briefingId: other } = await openBriefing(t.http);
    const statement = await t.http.post(`/api/briefings/${other}/statements`).send({ statementId: id, text: 'Also mine?', topics: ['india'] });
    expect(expectProblem(statement, 409)).toMatchObject({ code: 'ID_CONFLICT', detail: expect.stringContaining(briefingId) });
    const questionId = randomUUID();
    await t.http.post(`/api/briefings/${other}/questions`).send({ questionId, text: 'Whose?', topics: ['india'] }).expect(201);
    const answer = await t.http.post(`/api/briefings/${other}/questions/${questionId}/answers`).send({ answerId: id, text: 'Mine.' });
    expect(expectProblem(answer, 409)).toMatchObject({ code: 'ID_CONFLICT' });
    const imported = await t.http.post('/api/briefings/import').send({
      ...openBody(),
      statements: [{ statementId: randomUUID(), text: 'New.', topics: ['india'] }, { statementId: id, text: 'Imported.', topics: ['india'] }],
    });
    expect(expectProblem(imported, 409)).toMatchObject({ code: 'ID_CONFLICT', detail: expect.stringContaining(id) });

    const history = await t.http.get(`/api/remarks/${id}/history`).expect(200);
    expect(history.body).toMatchObject({ briefingId, versions: [{ version: 1, text: 'Mine.' }], retracted: false });
  });

  it('answers re-sent questions, answers and openings alike', async () => {
    const question = { questionId: randomUUID(), text: 'What about trade?', topics: ['trade'] };
    const q1 = await t.http.post(`/api/briefings/${briefingId}/questions`).send(question).expect(201);
    const q2 = await t.http.post(`/api/briefings/${briefingId}/questions`).send(question).expect(201);
    expect(q2.body).toEqual(q1.body);

    const answer = { answerId: randomUUID(), text: 'Trade is growing.' };
    const a1 = await t.http.post(`/api/briefings/${briefingId}/questions/${question.questionId}/answers`).send(answer).expect(201);
    const a2 = await t.http.post(`/api/briefings/${briefingId}/questions/${question.questionId}/answers`).send(answer).expect(201);
    expect(a2.body).toEqual(a1.body);

    const opening = openBody();
    const o1 = await t.http.post('/api/briefings').send(opening).expect(201);
    const o2 = await t.http.post('/api/briefings').send(opening).expect(201);
    expect(o2.body).toEqual(o1.body);
    const other = await t.http.post('/api/briefings').send({ ...opening, location: 'Lahore' });
    expectProblem(other, 409);
  });

  it('answers a correction sent again with its correctionId alike, even after a later correction, and records it once', async () => {
    const { briefingId: id } = await openBriefing(t.http);
    const statementId = randomUUID();
    await t.http.post(`/api/briefings/${id}/statements`).send({ statementId, text: 'First wording.', topics: ['india'] }).expect(201);
    const correction = { correctionId: randomUUID(), text: 'Second wording.', reason: 'Checked against the recording' };
    const first = await t.http.post(`/api/briefings/${id}/remarks/${statementId}/corrections`).send(correction);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ remarkId: statementId, correctionId: correction.correctionId, version: 2, revision: 2, position: expect.any(Number) });
    const again = await t.http.post(`/api/briefings/${id}/remarks/${statementId}/corrections`).send(correction);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);

    await t.http.post(`/api/briefings/${id}/remarks/${statementId}/corrections`).send({ text: 'Third wording.', reason: 'Another check' }).expect(201);
    const late = await t.http.post(`/api/briefings/${id}/remarks/${statementId}/corrections`).send(correction);
    expect(late.status).toBe(201);
    expect(late.body).toEqual(first.body);
    expectProblem(await t.http.post(`/api/briefings/${id}/remarks/${statementId}/corrections`).send({ ...correction, text: 'Other words.' }), 409);

    const events = (await t.http.get(`/api/briefings/${id}/events?limit=500`).expect(200)).body.items as Envelope[];
    expect(events.filter((e) => e.type === 'RemarkCorrected').map((e) => [e.data.version, e.data.correctionId ?? null])).toEqual([
      [2, correction.correctionId],
      [3, expect.stringMatching(UUID)],
    ]);
  });

  it('answers a retraction sent again with its retractionId alike, though the remark is retracted now', async () => {
    const { briefingId: id } = await openBriefing(t.http);
    const statementId = randomUUID();
    await t.http.post(`/api/briefings/${id}/statements`).send({ statementId, text: 'Said in error.', topics: ['india'] }).expect(201);
    const retraction = { retractionId: randomUUID(), reason: 'Withdrawn by the ministry' };
    const first = await t.http.post(`/api/briefings/${id}/remarks/${statementId}/retractions`).send(retraction);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ remarkId: statementId, retractionId: retraction.retractionId, revision: 2, position: expect.any(Number) });
    const again = await t.http.post(`/api/briefings/${id}/remarks/${statementId}/retractions`).send(retraction);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    // Without its id it is another retraction of a retracted remark.
    expectProblem(await t.http.post(`/api/briefings/${id}/remarks/${statementId}/retractions`).send({ reason: retraction.reason }), 409);
    const events = (await t.http.get(`/api/briefings/${id}/events?limit=500`).expect(200)).body.items as Envelope[];
    expect(events.filter((e) => e.type === 'RemarkRetracted')).toHaveLength(1);
  });

  it('answers a re-sent statement alike even after the briefing was closed', async () => {
    const { briefingId: id } = await openBriefing(t.http);
    const statement = { statementId: randomUUID(), text: 'Said before closing.', topics: ['india'] };
    const first = await t.http.post(`/api/briefings/${id}/statements`).send(statement).expect(201);
    await t.http.post(`/api/briefings/${id}/close`).send({}).expect(200);
    const again = await t.http.post(`/api/briefings/${id}/statements`).send(statement);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });
});

describe("a spokesperson's title", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is the latest one their briefings named: a briefing that names none leaves it, whatever order they come in', async () => {
    const id = `title-${randomUUID().slice(0, 8)}`;
    const open = async (heldOn: string, title?: string) => {
      const spokesperson = title === undefined ? { id, name: 'Asim Iftikhar' } : { id, name: 'Asim Iftikhar', title };
      return (await t.http.post('/api/briefings').send(openBody({ heldOn, spokesperson })).expect(201)).body as { position: number };
    };
    const title = async (position: number) =>
      (await t.http.get(`/api/spokespersons/${id}`).set('X-Min-Position', String(position)).expect(200)).body.title as string | null;

    // The latest briefing names no title, and came first: the title of an earlier one is taken.
    expect(await title((await open('2024-03-07')).position)).toBeNull();
    expect(await title((await open('2024-02-29', 'Spokesperson')).position)).toBe('Spokesperson');
    // A later briefing without a title leaves it.
    expect(await title((await open('2024-03-14')).position)).toBe('Spokesperson');
    // A later one with a new title gives it; an older one with another does not.
    expect(await title((await open('2024-03-21', 'Additional Secretary')).position)).toBe('Additional Secretary');
    expect(await title((await open('2024-01-04', 'Director General')).position)).toBe('Additional Secretary');
    expect(await title((await open('2024-03-17', 'Press Secretary')).position)).toBe('Additional Secretary');
  });

  it('is the same whatever order the briefings are recorded in', async () => {
    const briefings = [
      { heldOn: '2024-01-10', title: 'Spokesperson' },
      { heldOn: '2024-06-10', title: undefined },
      { heldOn: '2024-03-10', title: 'Director General' },
    ];
    for (const order of [[0, 1, 2], [0, 2, 1], [1, 2, 0], [2, 1, 0]]) {
      const id = `order-${randomUUID().slice(0, 8)}`;
      let position = 0;
      for (const { heldOn, title } of order.map((index) => briefings[index]!)) {
        const spokesperson = title === undefined ? { id, name: 'Zahra Baloch' } : { id, name: 'Zahra Baloch', title };
        position = (await t.http.post('/api/briefings').send(openBody({ heldOn, spokesperson })).expect(201)).body.position;
      }
      const live = await t.http.get(`/api/spokespersons/${id}`).set('X-Min-Position', String(position)).expect(200);
      const asOf = await t.http.get(`/api/spokespersons/${id}?asOf=${position}`).expect(200);
      expect({ order, live: live.body.title, asOf: asOf.body.title }).toEqual({ order, live: 'Director General', asOf: 'Director General' });
    }
  });
});
