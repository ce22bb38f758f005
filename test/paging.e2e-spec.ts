import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBody } from './support/http.js';
import type { Agent } from './support/test-app.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Follows nextCursor from the first page to the last; returns every item in the order served. */
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

async function walk<T>(http: Agent, path: string, limit: number, head: number, pick: (body: Record<string, unknown>) => Page<T> = (b) => b as unknown as Page<T>) {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const url = `${path}${separator}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const response = await http.get(url).set('X-Min-Position', String(head));
    expect(response.status).toBe(200);
    const body = pick(response.body);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    items.push(...body.items);
    cursor = body.nextCursor;
    if (cursor === null) return items;
    expect(typeof cursor).toBe('string');
  }
  throw new Error(`${path} did not end within 100 pages`);
}

const SPEAKERS = [
  { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch' },
  { id: 'asim-iftikhar', name: 'Asim Iftikhar Ahmad' },
  { id: 'zahid-hafeez', name: 'Zahid Hafeez Chaudhri' },
];
/** Eleven briefings over eight days, some on the same day, by three spokespersons. */
const DAYS = ['2023-10-05', '2023-11-02', '2023-11-02', '2023-11-02', '2023-12-14', '2024-01-04', '2024-01-11', '2024-01-11', '2024-02-01', '2024-02-08', '2024-03-07'];

describe('paging every list', () => {
  let t: TestApp;
  let head = 0;
  const briefings: { briefingId: string; heldOn: string; spokesperson: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    for (const [i, heldOn] of DAYS.entries()) {
      const speaker = SPEAKERS[i % SPEAKERS.length]!;
      const body = {
        ...openBody({ heldOn, spokesperson: speaker }),
        statements: [
          { text: `Statement on the border, day ${i}.`, topics: ['border', `topic-${i % 4}`] },
          { text: `Statement on trade and the border, day ${i}.`, topics: ['trade', 'border'] },
        ],
        questions: [{ text: `A question about the border, day ${i}?`, topics: ['border'], answers: [{ text: `An answer about the border, day ${i}.` }] }],
      };
      const response = await t.http.post('/api/briefings/import').send(body).expect(201);
      briefings.push({ briefingId: body.briefingId, heldOn, spokesperson: speaker.id });
      head = response.body.position;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('walks the briefings newest first, each once, at any page size', async () => {
    const whole = await t.http.get('/api/briefings?limit=500').set('X-Min-Position', String(head)).expect(200);
    const all = whole.body.items as { briefingId: string; heldOn: string }[];
    expect(all).toHaveLength(DAYS.length);
    expect(whole.body.nextCursor).toBeNull();
    const days = all.map((b) => b.heldOn);
    expect(days).toEqual([...DAYS].sort().reverse());

    for (const limit of [1, 2, 3, 5, 10, 11, 50]) {
      const walked = await walk<{ briefingId: string }>(t.http, '/api/briefings', limit, head);
      expect(walked.map((b) => b.briefingId)).toEqual(all.map((b) => b.briefingId));
    }
  });

  it('walks filtered briefings', async () => {
    for (const speaker of SPEAKERS) {
      const walked = await walk<{ briefingId: string; spokesperson: { id: string } }>(t.http, `/api/briefings?spokesperson=${speaker.id}`, 2, head);
      const expected = briefings.filter((b) => b.spokesperson === speaker.id);
      expect(new Set(walked.map((b) => b.briefingId))).toEqual(new Set(expected.map((b) => b.briefingId)));
      expect(walked).toHaveLength(expected.length);
    }
    const winter = await walk<{ heldOn: string }>(t.http, '/api/briefings?from=2023-11-02&to=2024-01-11&topic=topic-1', 1, head);
    const expected = DAYS.filter((d, i) => d >= '2023-11-02' && d <= '2024-01-11' && i % 4 === 1);
    expect(winter.map((b) => b.heldOn)).toEqual(expected.sort().reverse());
  });

  it("walks a topic's timeline oldest first, each entry once", async () => {
    const walked = await walk<{ id: string; heldOn: string }>(t.http, '/api/topics/border', 4, head);
    // Per briefing: two statements, a question, an answer.
    expect(walked).toHaveLength(DAYS.length * 4);
    expect(new Set(walked.map((e) => e.id)).size).toBe(walked.length);
    const days = walked.map((e) => e.heldOn);
    expect(days).toEqual([...days].sort());
    const whole = await t.http.get('/api/topics/border?limit=500').set('X-Min-Position', String(head)).expect(200);
    expect(walked.map((e) => e.id)).toEqual(whole.body.items.map((e: { id: string }) => e.id));
  });

  it('walks the topics and the spokespersons', async () => {
    const topics = await walk<{ slug: string; mentions: number }>(t.http, '/api/topics', 2, head);
    expect(topics.map((tp) => tp.slug).sort()).toEqual(['border', 'topic-0', 'topic-1', 'topic-2', 'topic-3', 'trade']);
    const mentions = topics.map((tp) => tp.mentions);
    expect(mentions).toEqual([...mentions].sort((a, b) => b - a));

    const speakers = await walk<{ id: string; briefings: number }>(t.http, '/api/spokespersons', 1, head);
    expect(speakers.map((s) => s.id).sort()).toEqual(SPEAKERS.map((s) => s.id).sort());
    expect(speakers.map((s) => s.briefings)).toEqual([4, 4, 3]);
  });

  it("walks a spokesperson's timeline", async () => {
    const walked = await walk<{ id: string; heldOn: string; briefingId: string }>(t.http, '/api/spokespersons/mumtaz-zahra-baloch', 2, head, (body) => body.timeline as Page<{ id: string; heldOn: string; briefingId: string }>);
    const hers = briefings.filter((b) => b.spokesperson === 'mumtaz-zahra-baloch');
    // Her remarks: two statements and one answer per briefing.
    expect(walked).toHaveLength(hers.length * 3);
    expect(new Set(walked.map((r) => r.id)).size).toBe(walked.length);
    expect(new Set(walked.map((r) => r.briefingId))).toEqual(new Set(hers.map((b) => b.briefingId)));
    const days = walked.map((r) => r.heldOn);
    expect(days).toEqual([...days].sort());
  });

  it('walks search results, each hit once', async () => {
    const walked = await walk<{ id: string }>(t.http, '/api/search?q=border', 5, head);
    expect(walked).toHaveLength(DAYS.length * 4);
    expect(new Set(walked.map((h) => h.id)).size).toBe(walked.length);
    const both = await walk<{ id: string; text: string }>(t.http, '/api/search?q=trade%20border', 3, head);
    expect(both).toHaveLength(DAYS.length);
    expect(both.every((h) => h.text.includes('trade'))).toBe(true);
  });
});
