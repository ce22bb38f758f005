import { afterAll, beforeAll, it } from '@jest/globals';
import { createTestApp, DECEMBER_SAMPLE, JANUARY_SAMPLE, readSample, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

it('explores', async () => {
  const dec = await readSample(DECEMBER_SAMPLE);
  const jan = await readSample(JANUARY_SAMPLE);
  const r1 = await t.http.post('/api/briefings/import').send(dec);
  console.log(r1.status, r1.body);
  const r2 = await t.http.post('/api/briefings/import').send(jan);
  console.log(r2.status, r2.body);
  const r3 = await t.http.post('/api/briefings/import').send(jan);
  console.log(r3.status, r3.body);
  const pos = String(r2.body.position);
  for (const path of ['/api/topics/ttp', '/api/topics', '/api/briefings', `/api/briefings/${dec.briefingId}`, '/api/spokespersons', '/api/spokespersons/mumtaz-zahra-baloch', '/api/search?q=dialogue', '/api/events?limit=2', `/api/remarks/${dec.questions[0]!.answers[0]!.answerId}/history`, '/health', '/nope']) {
    const r = await t.http.get(path).set('X-Min-Position', pos);
    console.log(path, r.status, r.headers['content-type'], JSON.stringify(r.body, null, 1).slice(0, 3000));
  }
});
