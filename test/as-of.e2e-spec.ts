import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectFieldErrors, expectProblem, openBriefing, recordStatement } from './support/http.js';
import { createTestApp, DECEMBER_SAMPLE, JANUARY_SAMPLE, readSample, withFreshIds, type SampleBriefing, type TestApp } from './support/test-app.js';

interface Entry {
  id: string;
  text: string;
  status: string;
  version: number;
  heldOn: string;
}

/**
 * The archive as it stood: the two sample briefings are imported, a December answer is then
 * corrected, and a briefing held in between is recorded after both. `asOf` answers from before
 * and after those writes must differ exactly by them.
 */
describe('asOf: the archive as it stood on a date or at a position', () => {
  let t: TestApp;
  let december: SampleBriefing;
  let january: SampleBriefing;
  /** The last position and the time of the imports: the archive before any later write. */
  let imported: { position: number; recordedAt: string };
  let correctedAt: { position: number; recordedAt: string };
  let late: { briefingId: string; statementId: string; position: number };
  const answerId = '7d1c6f0e-3b9a-4c51-9a0e-2f5b8c1d4e31';
  const ORIGINAL = 'There is absolutely no dialogue taking place with TTP.';
  const CORRECTED = 'There is no dialogue taking place with the TTP, and none is planned.';

  const get = (path: string) => t.http.get(path).set('X-Min-Position', String(late.position));

  beforeAll(async () => {
    t = await createTestApp();
    [december, january] = await Promise.all([readSample(DECEMBER_SAMPLE), readSample(JANUARY_SAMPLE)]);
    await t.http.post('/api/briefings/import').send(december).expect(201);
    const second = await t.http.post('/api/briefings/import').send(january).expect(201);
    const events = await t.http.get(`/api/events?after=${second.body.position - 1}&limit=1`).expect(200);
    imported = { position: second.body.position, recordedAt: events.body.items[0].recordedAt };

    // The clock must move on, so that a cut at the imports' time leaves the later writes out.
    while (Date.now() <= Date.parse(imported.recordedAt)) await new Promise((resolve) => setImmediate(resolve));
    const correction = await t.http
      .post(`/api/briefings/${december.briefingId}/remarks/${answerId}/corrections`)
      .send({ text: CORRECTED, reason: 'The transcript was checked against the recording.' })
      .expect(201);
    const correctionEvent = await t.http.get(`/api/events?after=${correction.body.position - 1}&limit=1`).expect(200);
    correctedAt = { position: correction.body.position, recordedAt: correctionEvent.body.items[0].recordedAt };

    // Held between the two samples, recorded after everything else.
    const opened = await openBriefing(t.http, { heldOn: '2023-12-21' });
    const statement = await recordStatement(t.http, opened.briefingId, { text: 'Pakistan will not talk to the TTP.', topics: ['ttp'] });
    late = { briefingId: opened.briefingId, statementId: statement.statementId, position: statement.position };
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('the topic timeline', () => {
    it('shows every later write without asOf', async () => {
      const now = await get('/api/topics/ttp').expect(200);
      const items = now.body.items as Entry[];
      expect(items.map((item) => item.heldOn)).toEqual(['2023-12-14', '2023-12-14', '2023-12-14', '2023-12-14', '2023-12-21', '2024-01-11']);
      expect(items.find((item) => item.id === answerId)).toMatchObject({ text: CORRECTED, status: 'corrected', version: 2 });
      expect(items.some((item) => item.id === late.statementId)).toBe(true);
    });

    it.each([
      ['a position', () => String(imported.position)],
      ['a timestamp', () => imported.recordedAt],
    ])('as of %s before the correction: the earlier text, and no briefing recorded later', async (_, asOf) => {
      const then = await get(`/api/topics/ttp?asOf=${encodeURIComponent(asOf())}`).expect(200);
      const items = then.body.items as Entry[];
      expect(items.map((item) => item.heldOn)).toEqual(['2023-12-14', '2023-12-14', '2023-12-14', '2023-12-14', '2024-01-11']);
      expect(items.find((item) => item.id === answerId)).toMatchObject({ text: ORIGINAL, status: 'original', version: 1 });
      expect(items.some((item) => item.id === late.statementId)).toBe(false);
      expect(then.body).toMatchObject({ slug: 'ttp', nextCursor: null });
    });

    it('as of the correction: the corrected text, still without the later briefing', async () => {
      const then = await get(`/api/topics/ttp?asOf=${correctedAt.position}`).expect(200);
      const items = then.body.items as Entry[];
      expect(items.find((item) => item.id === answerId)).toMatchObject({ text: CORRECTED, status: 'corrected', version: 2 });
      expect(items).toHaveLength(5);
    });

    it('pages a past timeline with the same entries, in the same order, as one page', async () => {
      const whole = (await get(`/api/topics/ttp?asOf=${late.position}`).expect(200)).body.items as Entry[];
      const paged: Entry[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await get(`/api/topics/ttp?asOf=${late.position}&limit=2${query}`).expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        paged.push(...(page.body.items as Entry[]));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(paged).toEqual(whole);
      expect(whole).toEqual((await get('/api/topics/ttp').expect(200)).body.items);
    });

    it('is 404 for a topic nobody had mentioned yet', async () => {
      expectProblem(await get('/api/topics/ttp?asOf=1'), 404);
    });

    describe('across many days and briefings', () => {
      // Nine briefings on four days, each with two statements on the topic and one beside it; then
      // one statement is taken off the topic and one put on it by corrections.
      const slug = 'water-sharing';
      const spokesperson = { id: 'indus-spokesperson', name: 'Indus Spokesperson' };
      const days: [string, number][] = [
        ['2022-03-01', 3],
        ['2022-03-02', 2],
        ['2022-03-08', 3],
        ['2022-03-15', 1],
      ];
      let takenOff: string;
      let putOn: string;
      let beforeCorrections: number;
      let last: number;
      const at = (path: string) => t.http.get(path).set('X-Min-Position', String(last));
      const allPages = async (path: string, limit: number): Promise<Entry[]> => {
        const items: Entry[] = [];
        let cursor: string | null = null;
        do {
          const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
          const page = await at(`${path}&limit=${limit}${query}`).expect(200);
          expect(page.body.items.length).toBeLessThanOrEqual(limit);
          items.push(...(page.body.items as Entry[]));
          cursor = page.body.nextCursor as string | null;
        } while (cursor);
        return items;
      };

      beforeAll(async () => {
        const onTopic: { briefingId: string; statementId: string }[] = [];
        const beside: { briefingId: string; statementId: string }[] = [];
        for (const [heldOn, briefings] of days) {
          for (let b = 0; b < briefings; b++) {
            const { briefingId } = await openBriefing(t.http, { heldOn, spokesperson });
            for (const n of [1, 2]) {
              const text = `On ${heldOn}, briefing ${b + 1}: the Indus Waters Treaty, point ${n}.`;
              onTopic.push({ briefingId, ...(await recordStatement(t.http, briefingId, { text, topics: [slug] })) });
            }
            const other = await recordStatement(t.http, briefingId, { text: `On ${heldOn}: the cricket series.`, topics: ['cricket'] });
            beside.push({ briefingId, ...other });
            beforeCorrections = other.position;
          }
        }
        const correct = async ({ briefingId, statementId }: { briefingId: string; statementId: string }, topics: string[]) => {
          const response = await t.http
            .post(`/api/briefings/${briefingId}/remarks/${statementId}/corrections`)
            .send({ text: 'The text as checked against the recording.', reason: 'Checked.', topics })
            .expect(201);
          return response.body.position as number;
        };
        [takenOff, putOn] = [onTopic[3]!.statementId, beside[5]!.statementId];
        await correct(onTopic[3]!, ['cricket']);
        last = await correct(beside[5]!, ['cricket', slug]);
      });

      it('as of now, in pages of any size, is the live timeline', async () => {
        const live = (await at(`/api/topics/${slug}`).expect(200)).body.items as Entry[];
        expect(live).toHaveLength(18);
        expect(live.map((item) => item.id)).not.toContain(takenOff);
        expect(live.map((item) => item.id)).toContain(putOn);
        for (const limit of [1, 2, 3, 5, 7, 17, 18, 50]) {
          expect(await allPages(`/api/topics/${slug}?asOf=${last}`, limit)).toEqual(live);
        }
      });

      it('as of before the corrections, in pages of any size, is the timeline as it stood', async () => {
        const whole = (await at(`/api/topics/${slug}?asOf=${beforeCorrections}`).expect(200)).body.items as Entry[];
        expect(whole).toHaveLength(18);
        expect(whole.map((item) => item.heldOn)).toEqual(days.flatMap(([heldOn, briefings]) => Array(2 * briefings).fill(heldOn)));
        expect(whole.map((item) => item.id)).toContain(takenOff);
        expect(whole.map((item) => item.id)).not.toContain(putOn);
        for (const limit of [1, 2, 4, 6, 17]) {
          expect(await allPages(`/api/topics/${slug}?asOf=${beforeCorrections}`, limit)).toEqual(whole);
        }
      });
    });
  });

  describe('the transcript', () => {
    it('as of a position inside the import: only what had been recorded, and still open', async () => {
      // December's events: opened, statement, question, answer, question, answer, closed.
      const then = await get(`/api/briefings/${december.briefingId}?asOf=3`).expect(200);
      expect(then.body.status).toBe('open');
      expect(then.body.statements).toHaveLength(1);
      expect(then.body.questions).toHaveLength(1);
      expect(then.body.questions[0].answers).toEqual([]);
    });

    it('before and after the correction', async () => {
      const before = await get(`/api/briefings/${december.briefingId}?asOf=${encodeURIComponent(imported.recordedAt)}`).expect(200);
      expect(before.body.questions[0].answers[0]).toMatchObject({ id: answerId, text: ORIGINAL, status: 'original', version: 1 });
      expect(before.body.status).toBe('closed');
      const after = await get(`/api/briefings/${december.briefingId}?asOf=${correctedAt.position}`).expect(200);
      expect(after.body.questions[0].answers[0]).toMatchObject({ id: answerId, text: CORRECTED, status: 'corrected', version: 2 });
      const now = await get(`/api/briefings/${december.briefingId}`).expect(200);
      expect(after.body).toEqual(now.body);
    });

    it('is 404 for a briefing recorded after the cut', async () => {
      expectProblem(await get(`/api/briefings/${late.briefingId}?asOf=${imported.position}`), 404);
    });
  });

  describe('the remark history', () => {
    it('has one version before the correction and two after, the second with its word diff', async () => {
      const before = await get(`/api/remarks/${answerId}/history?asOf=${imported.position}`).expect(200);
      expect(before.body.versions).toHaveLength(1);
      expect(before.body.versions[0]).toMatchObject({ version: 1, text: ORIGINAL, diff: null });

      const now = await get(`/api/remarks/${answerId}/history`).expect(200);
      expect(now.body.versions.map((v: { text: string }) => v.text)).toEqual([ORIGINAL, CORRECTED]);
      const diff = now.body.versions[1].diff as { op: string; text: string }[];
      expect(diff.filter((part) => part.op === 'delete').map((part) => part.text.trim())).toContain('absolutely');
      expect(diff.filter((part) => part.op === 'insert').map((part) => part.text).join('')).toContain('none is planned');
      expect(diff.filter((part) => part.op !== 'insert').map((part) => part.text).join('')).toBe(ORIGINAL);
      expect(diff.filter((part) => part.op !== 'delete').map((part) => part.text).join('')).toBe(CORRECTED);

      const asOfNow = await get(`/api/remarks/${answerId}/history?asOf=${late.position}`).expect(200);
      expect(asOfNow.body).toEqual(now.body);
    });

    it('is 404 for a remark recorded after the cut', async () => {
      expectProblem(await get(`/api/remarks/${late.statementId}/history?asOf=${correctedAt.position}`), 404);
      await get(`/api/remarks/${late.statementId}/history`).expect(200);
    });
  });

  describe('the spokesperson profile', () => {
    it('counts only the briefings and remarks of its time', async () => {
      const path = '/api/spokespersons/mumtaz-zahra-baloch';
      const december7 = await get(`${path}?asOf=7`).expect(200);
      expect(december7.body).toMatchObject({ briefings: 1, firstOn: '2023-12-14', lastOn: '2023-12-14' });
      expect(december7.body.timeline.items.map((item: Entry) => item.heldOn)).toEqual(['2023-12-14', '2023-12-14', '2023-12-14']);

      const before = await get(`${path}?asOf=${imported.position}`).expect(200);
      expect(before.body).toMatchObject({ briefings: 2, lastOn: '2024-01-11' });
      const now = await get(path).expect(200);
      expect(now.body.briefings).toBe(3);
      const asOfNow = await get(`${path}?asOf=${late.position}`).expect(200);
      expect(asOfNow.body).toEqual(now.body);
    });
  });

  it.each(['yesterday', '2024-02-30', '-1', '2024-01-11 10:00'])('refuses asOf=%j by field', async (asOf) => {
    const path = `?asOf=${encodeURIComponent(asOf)}`;
    expectFieldErrors(await t.http.get(`/api/topics/ttp${path}`), 'asOf');
    expectFieldErrors(await t.http.get(`/api/briefings/${december.briefingId}${path}`), 'asOf');
    expectFieldErrors(await t.http.get(`/api/remarks/${answerId}/history${path}`), 'asOf');
    expectFieldErrors(await t.http.get(`/api/spokespersons/mumtaz-zahra-baloch${path}`), 'asOf');
  });

  describe("a speaker's line on a topic", () => {
    const path = '/api/spokespersons/mumtaz-zahra-baloch/topics/ttp/history';

    it('lists their remarks on the topic across briefings, oldest first, each beside the one before', async () => {
      const response = await get(path).expect(200);
      expect(response.body).toMatchObject({ speaker: { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch' }, topic: 'ttp' });
      const items = response.body.items as (Entry & { kind: string; previous: { id: string } | null; diff: unknown })[];
      expect(items.map((item) => item.kind)).toEqual(['statement', 'answer', 'answer', 'statement', 'statement']);
      expect(items.map((item) => item.heldOn)).toEqual(['2023-12-14', '2023-12-14', '2023-12-14', '2023-12-21', '2024-01-11']);
      expect(items[0]).toMatchObject({ previous: null, diff: null });
      items.slice(1).forEach((item, index) => expect(item.previous?.id).toBe(items[index]!.id));

      // December's "no dialogue" beside January's "no plans to enter into any talks".
      const last = items[4]!;
      expect(last.text).toMatch(/^Pakistan has no plans to enter into any talks/);
      const diff = last.diff as { op: string; text: string }[];
      expect(diff.filter((part) => part.op === 'insert').map((part) => part.text).join('')).toContain('plans');
      expect(diff.filter((part) => part.op !== 'delete').map((part) => part.text).join('')).toBe(last.text);
    });

    it('pages, the first remark of a page still beside the last of the page before', async () => {
      const first = await get(`${path}?limit=2`).expect(200);
      const second = await get(`${path}?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`).expect(200);
      expect(second.body.items[0].previous.id).toBe(first.body.items[1].id);
      expect(second.body.items[0].previous.text).toBe(first.body.items[1].text);
    });

    it('is empty for a topic they never spoke on, and 404 for an unknown speaker', async () => {
      expect((await get('/api/spokespersons/mumtaz-zahra-baloch/topics/cricket/history').expect(200)).body).toMatchObject({
        items: [],
        nextCursor: null,
      });
      expectProblem(await get('/api/spokespersons/nobody-known/topics/ttp/history'), 404);
      expectFieldErrors(await get('/api/spokespersons/mumtaz-zahra-baloch/topics/Bad Slug/history'), 'slug');
    });
  });

  it('keeps the provenance of an imported briefing in its event and shows it in the transcript', async () => {
    const source = {
      url: 'https://mofa.gov.pk/press-briefings/2024-01-11',
      retrievedAt: '2024-01-12T08:30:00.000Z',
      sha256: 'a'.repeat(64),
    };
    const body = { ...withFreshIds(january), sourceUrl: source.url, source };
    const response = await t.http.post('/api/briefings/import').send(body).expect(201);
    const transcript = await t.http.get(`/api/briefings/${body.briefingId}`).set('X-Min-Position', String(response.body.position)).expect(200);
    expect(transcript.body).toMatchObject({ sourceUrl: source.url, source });
    const events = await t.http.get(`/api/briefings/${body.briefingId}/events`).expect(200);
    expect(events.body.items[0]).toMatchObject({ type: 'BriefingOpened', data: { sourceUrl: source.url, source } });
  });
});
