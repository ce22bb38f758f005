import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { expectFieldErrors, expectProblem, openBody, openBriefing, recordStatement } from './support/http.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** What a client gets for bad input: a clear problem, and nothing half-written. */
describe('bad requests', () => {
  let t: TestApp;
  let briefingId: string;
  let statements: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ briefingId } = await openBriefing(t.http));
    statements = `/api/briefings/${briefingId}/statements`;
  });
  afterAll(async () => {
    await t?.close();
  });

  const logLength = async () => {
    const response = await t.http.get('/api/events?after=0&limit=500').expect(200);
    return (response.body.items as unknown[]).length;
  };

  describe('400 with every field error', () => {
    it('names every missing field of a new briefing', async () => {
      const response = await t.http.post('/api/briefings').send({});
      const errors = expectFieldErrors(response, 'heldOn', 'location', 'organization', 'spokesperson');
      expect(response.body.type).toEqual(expect.any(String));
      expect(errors.every((e) => e.message.length > 0)).toBe(true);
    });

    it('names missing fields of nested objects by their path', async () => {
      const response = await t.http.post('/api/briefings').send(openBody({ spokesperson: { title: 'Spokesperson' } }));
      expectFieldErrors(response, 'spokesperson.id', 'spokesperson.name');
    });

    it('refuses unknown fields, naming them', async () => {
      const response = await t.http.post(statements).send({ text: 'Hello.', topics: ['ttp'], colour: 'red', mood: 'calm' });
      const errors = expectFieldErrors(response, 'colour', 'mood');
      expect(errors.map((e) => e.field)).not.toContain('text');
    });

    it('refuses unknown fields nested in an import', async () => {
      const response = await t.http
        .post('/api/briefings/import')
        .send({ ...openBody(), statements: [{ text: 'Hello.', topics: ['ttp'], mood: 'calm' }] });
      expectFieldErrors(response, 'statements.0.mood');
    });

    it('names a missing text and topics of a statement together', async () => {
      expectFieldErrors(await t.http.post(statements).send({}), 'text', 'topics');
    });

    it.each([
      ['upper case', 'TTP'],
      ['a space', 'ttp talks'],
      ['a double hyphen', 'ttp--talks'],
      ['a leading hyphen', '-ttp'],
      ['an underscore', 'ttp_talks'],
      ['65 characters', 'a'.repeat(65)],
      ['nothing', ''],
    ])('refuses a topic slug with %s', async (_what, slug) => {
      expectFieldErrors(await t.http.post(statements).send({ text: 'Hello.', topics: [slug] }), 'topics');
    });

    it('takes a 64-character slug', async () => {
      await t.http.post(statements).send({ text: 'Hello.', topics: ['a'.repeat(64)] }).expect(201);
    });

    it('refuses bad speaker and spokesperson slugs', async () => {
      expectFieldErrors(await t.http.post(statements).send({ text: 'Hello.', topics: ['ttp'], speakerId: 'Ayesha Khan' }), 'speakerId');
      const response = await t.http.post('/api/briefings').send(openBody({ spokesperson: { id: 'Mumtaz_Zahra', name: 'Mumtaz Zahra Baloch' } }));
      expectFieldErrors(response, 'spokesperson.id');
    });

    it('refuses 21 topics and no topics, takes 20', async () => {
      const topics = Array.from({ length: 21 }, (_, i) => `topic-${i}`);
      expectFieldErrors(await t.http.post(statements).send({ text: 'Hello.', topics }), 'topics');
      expectFieldErrors(await t.http.post(statements).send({ text: 'Hello.', topics: [] }), 'topics');
      await t.http.post(statements).send({ text: 'Hello.', topics: topics.slice(0, 20) }).expect(201);
    });

    it('refuses a 20,001-character text and an empty one, takes 20,000', async () => {
      expectFieldErrors(await t.http.post(statements).send({ text: 'x'.repeat(20_001), topics: ['ttp'] }), 'text');
      expectFieldErrors(await t.http.post(statements).send({ text: '', topics: ['ttp'] }), 'text');
      await t.http.post(statements).send({ text: 'x'.repeat(20_000), topics: ['ttp'] }).expect(201);
    });

    it('refuses a text that is not a string', async () => {
      expectFieldErrors(await t.http.post(statements).send({ text: 42, topics: ['ttp'] }), 'text');
    });

    it.each(['2024-02-30', '2023-02-29', '2024-13-01', '11-01-2024', '2024-01-11T10:00:00Z', 'yesterday'])(
      'refuses the heldOn %s',
      async (heldOn) => {
        expectFieldErrors(await t.http.post('/api/briefings').send(openBody({ heldOn })), 'heldOn');
      },
    );

    it('takes a leap day', async () => {
      await t.http.post('/api/briefings').send(openBody({ heldOn: '2024-02-29' })).expect(201);
    });

    it('refuses a client id that is not a uuid', async () => {
      expectFieldErrors(await t.http.post(statements).send({ statementId: '42', text: 'Hello.', topics: ['ttp'] }), 'statementId');
      expectFieldErrors(await t.http.post('/api/briefings').send(openBody({ briefingId: 'my-briefing' })), 'briefingId');
    });

    it.each([
      ['post', '/api/briefings/not-a-uuid/statements', 'briefingId'],
      ['post', '/api/briefings/123/questions', 'briefingId'],
      ['post', `/api/briefings/${randomUUID()}/questions/not-a-uuid/answers`, 'questionId'],
      ['post', `/api/briefings/${randomUUID()}/remarks/nope/corrections`, 'remarkId'],
      ['post', `/api/briefings/${randomUUID()}/remarks/nope/retractions`, 'remarkId'],
      ['post', '/api/briefings/nope/close', 'briefingId'],
      ['get', '/api/briefings/not-a-uuid', 'briefingId'],
      ['get', '/api/briefings/not-a-uuid/events', 'briefingId'],
      ['get', '/api/remarks/not-a-uuid/history', 'remarkId'],
      ['get', '/api/topics/Not_A_Slug', 'slug'],
      ['get', '/api/spokespersons/Not%20A%20Slug', 'id'],
    ] as const)('refuses a bad path id: %s %s', async (method, path, field) => {
      const valid: Record<string, unknown> = path.endsWith('/close')
        ? {}
        : path.endsWith('/retractions')
          ? { reason: 'Because.' }
          : path.endsWith('/corrections')
            ? { text: 'Hello.', reason: 'Because.' }
            : { text: 'Hello.', topics: ['ttp'] };
      const response = method === 'get' ? await t.http.get(path) : await t.http.post(path).send(valid);
      const errors = expectFieldErrors(response, field);
      expect(errors.map((error) => error.field)).toEqual([field]);
    });

    it.each([
      ['post', '/api/briefings?dryRun=true'],
      ['post', `/api/briefings/${randomUUID()}/statements?dryRun=true`],
      ['post', `/api/briefings/${randomUUID()}/close?force=1`],
      ['get', `/api/remarks/${randomUUID()}/proof?asOf=174`],
      ['post', '/api/projections/topics/rebuild?from=0'],
      ['get', '/api/projections/topics/rebuild?x=1'],
      ['get', '/api/projections/topics/checksum?asOf=3'],
      ['post', '/api/subscriptions?x=1'],
      ['get', `/api/subscriptions/${randomUUID()}?x=1`],
      ['delete', `/api/subscriptions/${randomUUID()}?x=1`],
    ] as const)('refuses query parameters a route does not read: %s %s', async (method, path) => {
      const before = await logLength();
      const response = await t.http[method](path).send(method === 'post' && path.startsWith('/api/briefings?') ? openBody() : undefined);
      const field = new URL(path, 'http://x').searchParams.keys().next().value!;
      expect(expectFieldErrors(response, field).map((error) => error.field)).toContain(field);
      expect(await logLength()).toBe(before);
    });

    it('names a bad path id and every field error of the body in one answer, path first', async () => {
      const errors = expectFieldErrors(
        await t.http.post('/api/briefings/not-a-uuid/statements').send({ text: '', topics: 'ttp', colour: 'red' }),
        'briefingId',
        'text',
        'topics',
        'colour',
      );
      expect(errors[0]).toEqual({ field: 'briefingId', message: 'briefingId must be a UUID' });
    });

    it("names a bad If-Match beside the body's field errors", async () => {
      expectFieldErrors(await t.http.post(statements).set('If-Match', 'latest').send({ text: '', topics: 'ttp' }), 'If-Match', 'text', 'topics');
    });

    it('names every bad path id of a route', async () => {
      const errors = expectFieldErrors(await t.http.post('/api/briefings/nope/remarks/nope/corrections').send({ reason: 'Why.' }), 'briefingId', 'remarkId', 'text');
      expect(errors.slice(0, 2).map((error) => error.field)).toEqual(['briefingId', 'remarkId']);
    });

    it('names a bad path id and a bad query together', async () => {
      expectFieldErrors(await t.http.get('/api/topics/Not_A_Slug?limit=0&colour=red'), 'slug', 'limit', 'colour');
    });

    it('names an empty or missing field once, not once per rule it breaks', async () => {
      const errors = expectFieldErrors(await t.http.post(statements).send({ text: '', topics: ['ttp'] }), 'text');
      expect(errors).toEqual([{ field: 'text', message: 'text must not be empty' }]);
      const missing = expectFieldErrors(await t.http.post(`/api/briefings/${briefingId}/remarks/${randomUUID()}/retractions`).send({}), 'reason');
      expect(missing).toEqual([{ field: 'reason', message: 'reason must be a string' }]);
    });

    it('names a field refused alike in the body and the query once', async () => {
      const errors = expectFieldErrors(await t.http.post('/api/briefings/nope/close?foo=1').send({ foo: 1 }), 'briefingId', 'foo');
      expect(errors.filter((error) => error.field === 'foo')).toHaveLength(1);
    });

    it('still names a bad body alone when the path is good', async () => {
      const errors = expectFieldErrors(await t.http.post(`/api/briefings/${randomUUID()}/statements`).send({ topics: ['ttp'] }), 'text');
      expect(errors.map((error) => error.field)).not.toContain('briefingId');
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['from=2024-02-30', 'from'],
      ['to=tomorrow', 'to'],
      ['topic=Not%20A%20Slug', 'topic'],
      ['spokesperson=A_B', 'spokesperson'],
      ['colour=red', 'colour'],
      ['cursor=not-one-of-ours', 'cursor'],
    ])('refuses a bad query: /api/briefings?%s', async (query, field) => {
      expectFieldErrors(await t.http.get(`/api/briefings?${query}`), field);
    });

    it('refuses a search without words', async () => {
      expectFieldErrors(await t.http.get('/api/search'), 'q');
    });

    it('refuses a bad If-Match and a bad X-Min-Position', async () => {
      expectFieldErrors(await t.http.post(statements).set('If-Match', 'latest').send({ text: 'Hello.', topics: ['ttp'] }), 'If-Match');
      expectFieldErrors(await t.http.get('/api/briefings').set('X-Min-Position', 'soon'), 'X-Min-Position');
    });

    it('appends nothing for any of them', async () => {
      const before = await logLength();
      await t.http.post(statements).send({ text: 'Hello.', topics: ['TTP'] }).expect(400);
      await t.http
        .post('/api/briefings/import')
        .send({ ...openBody(), statements: [{ text: 'Fine.', topics: ['ttp'] }, { text: 'Not fine.', topics: ['Bad Slug'] }] })
        .expect(400);
      expect(await logLength()).toBe(before);
    });
  });

  describe('404 for what the archive does not hold', () => {
    it('a statement to an unknown briefing', async () => {
      const response = await t.http.post(`/api/briefings/${randomUUID()}/statements`).send({ text: 'Hello.', topics: ['ttp'] });
      expectProblem(response, 404);
    });

    it('an unknown briefing, its events, its closing', async () => {
      const id = randomUUID();
      expectProblem(await t.http.get(`/api/briefings/${id}`), 404);
      expectProblem(await t.http.get(`/api/briefings/${id}/events`), 404);
      expectProblem(await t.http.post(`/api/briefings/${id}/close`).send({}), 404);
    });

    it('the history of an unknown remark', async () => {
      expectProblem(await t.http.get(`/api/remarks/${randomUUID()}/history`), 404);
    });

    it('an unknown topic and an unknown spokesperson', async () => {
      expectProblem(await t.http.get('/api/topics/no-such-topic'), 404);
      expectProblem(await t.http.get('/api/spokespersons/no-such-person'), 404);
    });

    it('an answer to an unknown question', async () => {
      const response = await t.http.post(`/api/briefings/${briefingId}/questions/${randomUUID()}/answers`).send({ text: 'Hello.', topics: ['ttp'] });
      expectProblem(response, 404);
      expect(response.body.detail).toMatch(/question/);
    });

    it('a correction or retraction of an unknown remark', async () => {
      expectProblem(await t.http.post(`/api/briefings/${briefingId}/remarks/${randomUUID()}/corrections`).send({ text: 'New.', reason: 'Why.' }), 404);
      expectProblem(await t.http.post(`/api/briefings/${briefingId}/remarks/${randomUUID()}/retractions`).send({ reason: 'Why.' }), 404);
    });

    it('a correction of a question: only remarks can be corrected', async () => {
      const { body } = await t.http.post(`/api/briefings/${briefingId}/questions`).send({ text: 'Why?', topics: ['ttp'] }).expect(201);
      const response = await t.http.post(`/api/briefings/${briefingId}/remarks/${body.questionId}/corrections`).send({ text: 'New.', reason: 'Why.' });
      expectProblem(response, 404);
    });

    it('an unknown route, as a problem too', async () => {
      expectProblem(await t.http.get('/api/nothing-here'), 404);
      expectProblem(await t.http.delete(`/api/briefings/${briefingId}`), 404);
    });
  });

  describe('409 for what the briefing forbids', () => {
    it('a correction or a second retraction of a retracted remark', async () => {
      const { statementId } = await recordStatement(t.http, briefingId);
      await t.http.post(`/api/briefings/${briefingId}/remarks/${statementId}/retractions`).send({ reason: 'Withdrawn.' }).expect(201);
      const correction = await t.http.post(`/api/briefings/${briefingId}/remarks/${statementId}/corrections`).send({ text: 'New.', reason: 'Why.' });
      expectProblem(correction, 409);
      expect(correction.body.detail).toMatch(/retracted/);
      expectProblem(await t.http.post(`/api/briefings/${briefingId}/remarks/${statementId}/retractions`).send({ reason: 'Again.' }), 409);
    });

    it('a second import of another briefing under the same id', async () => {
      const body = { ...openBody(), statements: [{ text: 'One.', topics: ['ttp'] }] };
      await t.http.post('/api/briefings/import').send(body).expect(201);
      expectProblem(await t.http.post('/api/briefings/import').send({ ...body, statements: [{ text: 'Two.', topics: ['ttp'] }] }), 409);
    });
  });

  describe('412 for a stale If-Match', () => {
    it('fails a command made against an older revision, and takes it at the right one', async () => {
      const { briefingId: id, revision } = await openBriefing(t.http);
      const moved = await recordStatement(t.http, id);
      expect(moved.revision).toBe(revision + 1);

      const stale = await t.http.post(`/api/briefings/${id}/statements`).set('If-Match', String(revision)).send({ text: 'Stale.', topics: ['ttp'] });
      expectProblem(stale, 412);
      const events = await t.http.get(`/api/briefings/${id}/events`).expect(200);
      expect(events.body.items).toHaveLength(2);

      const fresh = await t.http.post(`/api/briefings/${id}/statements`).set('If-Match', String(moved.revision)).send({ text: 'Fresh.', topics: ['ttp'] });
      expect(fresh.status).toBe(201);
      expect(fresh.body.revision).toBe(moved.revision + 1);
      expect(fresh.headers.etag).toBe(`"${fresh.body.revision}"`);

      // The ETag form, quoted, works as well.
      const quoted = await t.http.post(`/api/briefings/${id}/close`).set('If-Match', `"${fresh.body.revision}"`).send({});
      expect(quoted.status).toBe(200);
      expectProblem(await t.http.post(`/api/briefings/${id}/remarks/${moved.statementId}/retractions`).set('If-Match', '0').send({ reason: 'Stale.' }), 412);
    });
  });

  it('says at GET /api/key that an archive without keys lets anyone do everything', async () => {
    expect((await t.http.get('/api/key').expect(200)).body).toEqual({ name: null, role: 'admin', keysRequired: false });
  });

  it('answers 409 NOTHING_TO_CORRECT for a correction that repeats the current version, and records nothing', async () => {
    const { briefingId } = await openBriefing(t.http);
    const { statementId } = await recordStatement(t.http, briefingId, { text: 'As said.', topics: ['ttp', 'kabul'] });
    const before = await logLength();
    const response = await t.http.post(`/api/briefings/${briefingId}/remarks/${statementId}/corrections`).send({ text: 'As said.', topics: ['kabul', 'ttp'], reason: 'Again.' });
    expect(expectProblem(response, 409).code).toBe('NOTHING_TO_CORRECT');
    expect(await logLength()).toBe(before);
  });

  describe('the revision a command names in If-Match', () => {
    it('is read from GET /api/briefings/:id, from its list, and as of a past position, at every step of a briefing', async () => {
      const { briefingId: id, revision: opened, position: openedAt } = await openBriefing(t.http);
      const steps: { revision: number; position: number }[] = [{ revision: opened, position: openedAt }];
      const read = async (asOf?: number) => {
        const last = steps[steps.length - 1]!;
        const query = asOf === undefined ? '' : `?asOf=${asOf}`;
        const response = await t.http.get(`/api/briefings/${id}${query}`).set('X-Min-Position', String(last.position)).expect(200);
        return response.body.revision as number;
      };
      // Each command names the revision the previous read gave.
      const command = async (path: string, body: Record<string, unknown>) => {
        const response = await t.http.post(`/api/briefings/${id}${path}`).set('If-Match', String(await read())).send(body);
        expect([200, 201]).toContain(response.status);
        steps.push({ revision: response.body.revision, position: response.body.position });
        return response.body as Record<string, string>;
      };
      const { statementId } = await command('/statements', { text: 'A statement.', topics: ['ttp'] });
      const { questionId } = await command('/questions', { text: 'A question?', topics: ['ttp'] });
      const { answerId } = await command(`/questions/${questionId}/answers`, { text: 'An answer.', topics: ['ttp'] });
      await command(`/remarks/${statementId}/corrections`, { text: 'A corrected statement.', reason: 'A slip.' });
      await command(`/remarks/${answerId}/retractions`, { reason: 'Withdrawn.' });
      await command('/close', {});

      const events = (await t.http.get(`/api/briefings/${id}/events`).expect(200)).body.items as { revision: number }[];
      expect(steps.map((step) => step.revision)).toEqual(events.map((event) => event.revision));
      expect(await read()).toBe(events.at(-1)!.revision);
      for (const step of steps) expect(await read(step.position)).toBe(step.revision);
      const listed = await t.http.get('/api/briefings?limit=500').expect(200);
      expect(listed.body.items.find((item: { briefingId: string }) => item.briefingId === id).revision).toBe(events.at(-1)!.revision);
    });

    it('answers 412 for a command with If-Match on a briefing that does not exist, as API.md says, saying so', async () => {
      const response = await t.http.post(`/api/briefings/${randomUUID()}/statements`).set('If-Match', '3').send({ text: 'Hello.', topics: ['ttp'] });
      expectProblem(response, 412);
      expect(response.body.detail).toBe('the briefing does not exist, so it is not at revision 3');
      // Without If-Match it is not found.
      expect(expectProblem(await t.http.post(`/api/briefings/${randomUUID()}/statements`).send({ text: 'Hello.', topics: ['ttp'] }), 404).code).toBe('BRIEFING_NOT_FOUND');
    });

    it('takes If-Match: -1 as "the briefing must not exist yet" for an open', async () => {
      const body = openBody();
      const opened = await t.http.post('/api/briefings').set('If-Match', '-1').send(body);
      expect(opened.status).toBe(201);
      const again = await t.http.post('/api/briefings').set('If-Match', '-1').send({ ...body, location: 'Elsewhere' });
      expectProblem(again, 412);
      expect(again.body.detail).toContain('exists already');
    });
  });

  describe('bodies the service will not read', () => {
    it('413 for a body over 1 MB on a command route, and nothing appended', async () => {
      const before = await logLength();
      const response = await t.http.post(statements).send({ text: 'x'.repeat(1024 * 1024 + 1), topics: ['ttp'] });
      expectProblem(response, 413);
      expect(await logLength()).toBe(before);
    });

    it('takes an import over 1 MB, and refuses one over 10 MB with 413', async () => {
      // 60 statements of 19,000 characters: about 1.1 MB.
      const text = 'The ministry reiterates its position. '.repeat(500).slice(0, 19_000);
      const statementsBody = Array.from({ length: 60 }, () => ({ text, topics: ['ttp'] }));
      const body = { ...openBody(), statements: statementsBody };
      expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(1024 * 1024);
      const response = await t.http.post('/api/briefings/import').send(body);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ briefingId: body.briefingId, events: 62 });

      const tooLarge = { ...openBody(), statements: Array.from({ length: 560 }, () => ({ text, topics: ['ttp'] })) };
      expect(Buffer.byteLength(JSON.stringify(tooLarge))).toBeGreaterThan(10 * 1024 * 1024);
      expectProblem(await t.http.post('/api/briefings/import').send(tooLarge), 413);
    });

    it('415 for a text/plain or form body', async () => {
      expectProblem(await t.http.post(statements).set('Content-Type', 'text/plain').send('Hello.'), 415);
      expectProblem(await t.http.post(statements).type('form').send({ text: 'Hello.', topics: 'ttp' }), 415);
    });

    it('400 for malformed JSON', async () => {
      const response = await t.http.post(statements).set('Content-Type', 'application/json').send('{"text": "Hello.", "topics": [');
      expectProblem(response, 400);
    });

    it('400 for JSON nested 10,000 deep, and the service still answers after', async () => {
      const deepArray = '['.repeat(10_000) + ']'.repeat(10_000);
      expectProblem(await t.http.post(statements).set('Content-Type', 'application/json').send(deepArray), 400);
      const deepObject = `{"text": "Hello.", "topics": ["ttp"], "extra": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
      expectProblem(await t.http.post(statements).set('Content-Type', 'application/json').send(deepObject), 400);
      expectProblem(await t.http.post('/api/briefings/import').set('Content-Type', 'application/json').send(deepArray), 400);

      await t.http.get('/health').expect(200);
      await recordStatement(t.http, briefingId);
    });

    it('400 for a prototype key in a body', async () => {
      const response = await t.http
        .post(statements)
        .set('Content-Type', 'application/json')
        .send('{"text": "Hello.", "topics": ["ttp"], "__proto__": {"admin": true}}');
      expectProblem(response, 400);
    });

    it('400 for a body that is not an object', async () => {
      for (const body of ['[]', '"Hello."', '42', 'null']) {
        const response = await t.http.post(statements).set('Content-Type', 'application/json').send(body);
        expectProblem(response, 400);
      }
    });

    it('closes with no body or {}, and refuses fields on close', async () => {
      const { briefingId: a } = await openBriefing(t.http);
      expectFieldErrors(await t.http.post(`/api/briefings/${a}/close`).send({ reason: 'Done.' }), 'reason');
      await t.http.post(`/api/briefings/${a}/close`).expect(200);
      const { briefingId: b } = await openBriefing(t.http);
      await t.http.post(`/api/briefings/${b}/close`).send({}).expect(200);
    });
  });
});

describe('reading your writes when the read models lag', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ MIN_POSITION_TIMEOUT_MS: '200' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('503 with Retry-After for a position beyond the head, after the configured wait', async () => {
    const { position } = await openBriefing(t.http);
    for (const path of ['/api/briefings', '/api/topics', '/api/spokespersons', '/api/search?q=ttp', `/api/remarks/${randomUUID()}/history`, '/api/events']) {
      const response = await t.http.get(path).set('X-Min-Position', String(position + 1000));
      expectProblem(response, 503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('answers once the position is reached', async () => {
    const { briefingId, position } = await openBriefing(t.http);
    const response = await t.http.get(`/api/briefings/${briefingId}`).set('X-Min-Position', String(position));
    expect(response.status).toBe(200);
    expect(response.body.briefingId).toBe(briefingId);
  });
});
