import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, DECEMBER_SAMPLE, JANUARY_SAMPLE, readSample, type SampleBriefing, type TestApp } from './support/test-app.js';

/** The two sample briefings, imported as a newsroom would, then read back through every query. */
describe('importing the sample briefings and reading them back', () => {
  let t: TestApp;
  let december: SampleBriefing;
  let january: SampleBriefing;
  /** The global position of the last import: what the queries wait for. */
  let head: string;

  const SPOKESPERSON = { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch', title: 'Spokesperson, Ministry of Foreign Affairs' };

  beforeAll(async () => {
    t = await createTestApp();
    [december, january] = await Promise.all([readSample(DECEMBER_SAMPLE), readSample(JANUARY_SAMPLE)]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (path: string) => t.http.get(path).set('X-Min-Position', head);

  it('imports each sample whole: 201 with the briefing id, the events written, and where they went', async () => {
    const first = await t.http.post('/api/briefings/import').send(december);
    expect(first.status).toBe(201);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    // Opened, 1 statement, 2 questions, 2 answers, closed.
    expect(first.body).toEqual({ briefingId: december.briefingId, events: 7, revision: 6, position: 7 });
    expect(first.headers.location).toBe(`/api/briefings/${december.briefingId}`);

    const second = await t.http.post('/api/briefings/import').send(january);
    expect(second.status).toBe(201);
    // Opened, 2 statements, 3 questions, 3 answers, closed.
    expect(second.body).toEqual({ briefingId: january.briefingId, events: 10, revision: 9, position: 17 });
    head = String(second.body.position);
  });

  it('answers a re-import of the same file as the first time, and appends nothing', async () => {
    const before = await t.http.get('/api/events?after=0&limit=500').expect(200);
    expect(before.body.items).toHaveLength(17);

    const again = await t.http.post('/api/briefings/import').send(december);
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ briefingId: december.briefingId, events: 7, revision: 6, position: 7 });
    const againJanuary = await t.http.post('/api/briefings/import').send(january);
    expect(againJanuary.status).toBe(201);
    expect(againJanuary.body).toEqual({ briefingId: january.briefingId, events: 10, revision: 9, position: 17 });

    const after = await t.http.get('/api/events?after=0&limit=500').expect(200);
    expect(after.body.items).toEqual(before.body.items);
  });

  it("shows the TTP topic's timeline across both briefings, oldest first", async () => {
    const response = await get('/api/topics/ttp');
    expect(response.status).toBe(200);
    const { items, nextCursor } = response.body as { items: Record<string, unknown>[]; nextCursor: string | null };
    expect(response.body).toMatchObject({ slug: 'ttp', mentions: 5, firstOn: '2023-12-14', lastOn: '2024-01-11' });
    expect(nextCursor).toBeNull();

    const [decStatement] = december.statements;
    const [decQ1, decQ2] = december.questions;
    expect(items.map((item) => [item.heldOn, item.kind, item.id])).toEqual([
      ['2023-12-14', 'statement', decStatement!.statementId],
      ['2023-12-14', 'question', decQ1!.questionId],
      ['2023-12-14', 'answer', decQ1!.answers[0]!.answerId],
      ['2023-12-14', 'answer', decQ2!.answers[0]!.answerId],
      ['2024-01-11', 'statement', january.statements[0]!.statementId],
    ]);
    expect(items[0]).toMatchObject({
      briefingId: december.briefingId,
      speaker: { id: SPOKESPERSON.id, name: SPOKESPERSON.name },
      text: decStatement!.text,
      status: 'original',
      version: 1,
    });
    expect(items[2]).toMatchObject({ text: 'There is absolutely no dialogue taking place with TTP.', speaker: { id: SPOKESPERSON.id } });
    expect(items[4]).toMatchObject({ briefingId: january.briefingId, heldOn: '2024-01-11', status: 'original', version: 1 });
  });

  it('pages a topic timeline without losing or repeating an entry', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await get(`/api/topics/ttp?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor as string | null;
      pages++;
    } while (cursor !== null && pages < 10);
    const whole = await get('/api/topics/ttp').expect(200);
    expect(seen).toEqual(whole.body.items.map((item: { id: string }) => item.id));
    expect(pages).toBe(3);
  });

  it('lists the topics with their mentions and first and last days, most mentioned first', async () => {
    const response = await get('/api/topics');
    expect(response.status).toBe(200);
    const items = response.body.items as { slug: string; mentions: number; firstOn: string; lastOn: string }[];
    expect(response.body.nextCursor).toBeNull();
    expect(items).toContainEqual({ slug: 'ttp', mentions: 5, firstOn: '2023-12-14', lastOn: '2024-01-11' });
    expect(items).toContainEqual({ slug: 'unhcr', mentions: 2, firstOn: '2024-01-11', lastOn: '2024-01-11' });
    expect(items.map((t) => t.slug).sort()).toEqual(
      ['afghan-refugees', 'afghanistan', 'counter-terrorism', 'repatriation', 'ttp', 'unhcr', 'united-states'].sort(),
    );
    const mentions = items.map((t) => t.mentions);
    expect(mentions).toEqual([...mentions].sort((a, b) => b - a));
  });

  it('lists the briefings newest first, with their counts', async () => {
    const response = await get('/api/briefings');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        {
          briefingId: january.briefingId,
          title: january.title,
          heldOn: '2024-01-11',
          location: 'Islamabad',
          organization: january.organization,
          spokesperson: SPOKESPERSON,
          status: 'closed',
          counts: { statements: 2, questions: 3, answers: 3, corrections: 0, retractions: 0 },
          // Opened, eight remarks, closed.
          revision: 9,
        },
        {
          briefingId: december.briefingId,
          title: december.title,
          heldOn: '2023-12-14',
          location: 'Islamabad',
          organization: december.organization,
          spokesperson: SPOKESPERSON,
          status: 'closed',
          counts: { statements: 1, questions: 2, answers: 2, corrections: 0, retractions: 0 },
          revision: 6,
        },
      ],
      nextCursor: null,
    });
  });

  it.each([
    ['spokesperson=mumtaz-zahra-baloch', ['2024-01-11', '2023-12-14']],
    ['spokesperson=someone-else', []],
    ['topic=ttp', ['2024-01-11', '2023-12-14']],
    ['topic=unhcr', ['2024-01-11']],
    ['topic=no-such-topic', []],
    ['from=2024-01-01', ['2024-01-11']],
    ['to=2023-12-31', ['2023-12-14']],
    ['from=2023-12-14&to=2023-12-14', ['2023-12-14']],
    ['from=2024-01-11&to=2024-01-11', ['2024-01-11']],
    ['from=2023-12-15&to=2024-01-10', []],
    ['spokesperson=mumtaz-zahra-baloch&topic=afghanistan&from=2023-01-01&to=2023-12-31', ['2023-12-14']],
  ])('filters the briefings: %s', async (query, days) => {
    const response = await get(`/api/briefings?${query}`);
    expect(response.status).toBe(200);
    expect(response.body.items.map((b: { heldOn: string }) => b.heldOn)).toEqual(days);
    expect(response.body.nextCursor).toBeNull();
  });

  it('pages the briefings one at a time with nextCursor', async () => {
    const first = await get('/api/briefings?limit=1').expect(200);
    expect(first.body.items.map((b: { briefingId: string }) => b.briefingId)).toEqual([january.briefingId]);
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await get(`/api/briefings?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`).expect(200);
    expect(second.body.items.map((b: { briefingId: string }) => b.briefingId)).toEqual([december.briefingId]);
    // Whether the last full page says so or not, following the cursor ends with an empty, final page.
    if (second.body.nextCursor !== null) {
      const third = await get(`/api/briefings?limit=1&cursor=${encodeURIComponent(second.body.nextCursor)}`).expect(200);
      expect(third.body).toEqual({ items: [], nextCursor: null });
    }
  });

  it('shows a briefing with its transcript in spoken order, answers under their questions', async () => {
    const response = await get(`/api/briefings/${january.briefingId}`);
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({
      briefingId: january.briefingId,
      title: january.title,
      heldOn: '2024-01-11',
      location: 'Islamabad',
      organization: january.organization,
      spokesperson: SPOKESPERSON,
      status: 'closed',
      counts: { statements: 2, questions: 3, answers: 3, corrections: 0, retractions: 0 },
    });
    expect(body.statements).toHaveLength(2);
    january.statements.forEach((statement, i) => {
      expect(body.statements[i]).toMatchObject({
        kind: 'statement',
        id: statement.statementId,
        speaker: { id: SPOKESPERSON.id, name: SPOKESPERSON.name },
        text: statement.text,
        topics: statement.topics,
        status: 'original',
        version: 1,
      });
    });
    expect(body.statements[1].verbatim).toBe(true);
    expect(body.questions).toHaveLength(3);
    january.questions.forEach((question, i) => {
      expect(body.questions[i]).toMatchObject({
        kind: 'question',
        id: question.questionId,
        askedBy: { name: 'A journalist' },
        text: question.text,
        topics: question.topics,
      });
      expect(body.questions[i].answers).toHaveLength(1);
      // The sample's answers carry no topics: each takes its question's.
      expect(body.questions[i].answers[0]).toMatchObject({
        kind: 'answer',
        id: question.answers[0]!.answerId,
        speaker: { id: SPOKESPERSON.id, name: SPOKESPERSON.name },
        text: question.answers[0]!.text,
        topics: question.topics,
        status: 'original',
        version: 1,
      });
    });
    // Spoken order: every item after the one before it.
    const order = [...body.statements, ...body.questions.flatMap((q: { answers: unknown[] }) => [q, ...q.answers])].map(
      (item: { position: number }) => item.position,
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('lists the spokespersons with their briefings and first and last days', async () => {
    const response = await get('/api/spokespersons');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [{ ...SPOKESPERSON, briefings: 2, firstOn: '2023-12-14', lastOn: '2024-01-11' }],
      nextCursor: null,
    });
  });

  it("shows the spokesperson's profile: topics most mentioned first, and her remarks oldest first", async () => {
    const response = await get('/api/spokespersons/mumtaz-zahra-baloch');
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({ ...SPOKESPERSON, briefings: 2, firstOn: '2023-12-14', lastOn: '2024-01-11' });

    const topics = body.topics as { slug: string; mentions: number }[];
    const mentions = topics.map((t) => t.mentions);
    expect(mentions).toEqual([...mentions].sort((a, b) => b - a));
    expect(topics.slice(0, 2).map((t) => t.slug).sort()).toEqual(['counter-terrorism', 'ttp']);
    expect(topics).toContainEqual({ slug: 'ttp', mentions: 4 });
    expect(topics).toContainEqual({ slug: 'united-states', mentions: 1 });

    // Her remarks are the statements and answers, not the journalists' questions.
    const remarks = [
      ...december.statements.map((s) => s.statementId),
      ...december.questions.flatMap((q) => q.answers.map((a) => a.answerId)),
      ...january.statements.map((s) => s.statementId),
      ...january.questions.flatMap((q) => q.answers.map((a) => a.answerId)),
    ];
    const timeline = body.timeline as { items: { id: string; heldOn: string; kind: string }[]; nextCursor: string | null };
    expect(timeline.items.map((r) => r.id)).toEqual(remarks);
    expect(timeline.items.every((r) => r.kind === 'statement' || r.kind === 'answer')).toBe(true);
    expect(timeline.nextCursor).toBeNull();
  });

  it('finds the December answer when searching for "dialogue", best first', async () => {
    const response = await get('/api/search?q=dialogue');
    expect(response.status).toBe(200);
    const answer = december.questions[0]!.answers[0]!;
    expect(response.body.items[0]).toMatchObject({
      kind: 'answer',
      id: answer.answerId,
      briefingId: december.briefingId,
      heldOn: '2023-12-14',
      speaker: { id: SPOKESPERSON.id, name: SPOKESPERSON.name },
      text: answer.text,
      status: 'original',
      version: 1,
    });
    expect(response.body.items).toHaveLength(1);
    expect(response.body.nextCursor).toBeNull();
  });

  it('ranks the closer match first and needs every word', async () => {
    const both = await get('/api/search?q=dialogue%20TTP').expect(200);
    expect(both.body.items.map((hit: { id: string }) => hit.id)).toEqual([december.questions[0]!.answers[0]!.answerId]);

    // "TTP" occurs in several remarks; the short December answer, where it is one word in nine,
    // ranks above the long December answer that mentions it once among fifty.
    const ttp = await get('/api/search?q=ttp').expect(200);
    const ids = ttp.body.items.map((hit: { id: string }) => hit.id);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(ids.indexOf(december.questions[0]!.answers[0]!.answerId)).toBeLessThan(ids.indexOf(december.questions[1]!.answers[0]!.answerId));

    const none = await get('/api/search?q=zzzyzzx').expect(200);
    expect(none.body.items).toEqual([]);
  });
});
