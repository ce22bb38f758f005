import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { JANUARY_SAMPLE, readSample, type SampleBriefing } from '../support/test-app.js';
import { describeInBrowser, openBrowser, screenshot, serveApp, type Browser, type ServedApp } from './support/browser.js';

/** Editor mode and the live panel, in Chromium, against an archive that requires keys to write. */

const EDITOR = 'editor-secret-0123456789';
const editor = { Authorization: `Bearer ${EDITOR}` };

describeInBrowser('editing and following the archive in a browser', () => {
  let t: ServedApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let january: SampleBriefing;

  beforeAll(async () => {
    // A short reconnection delay, so the dropped-connection case does not wait the default 3 s.
    t = await serveApp({ ARCHIVE_API_KEYS: `newsroom:editor:${EDITOR}`, FEED_RETRY_MS: '300' });
    january = await readSample(JANUARY_SAMPLE);
    await t.http.post('/api/briefings/import').set(editor).send(january).expect(201);
    browser = await openBrowser();
    ({ page, errors } = await browser.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const open = async (path: string) => {
    await page.goto(t.baseUrl + path);
    await page.locator('main h1').waitFor();
  };
  const liveConnected = () => page.locator('#live-status', { hasText: /^Connected/ }).waitFor();

  it('takes an editor key into session storage only, and offers the forms once it has one', async () => {
    await open(`/briefings/${january.briefingId}`);
    await expect(page.getByRole('button', { name: /^Correct this statement/ }).count()).resolves.toBe(0);
    await page.getByLabel('Editor key').fill(EDITOR);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByText('Editor mode on').waitFor();
    await page.locator('details.editor > summary', { hasText: 'Correct this statement' }).first().waitFor();
    expect(await page.evaluate("[sessionStorage.getItem('briefing-archive:key'), localStorage.length]")).toEqual([EDITOR, 0]);
  });

  it('corrects a remark through the page, showing the API field errors beside the fields, then the diff in its history', async () => {
    const statement = january.statements[0]!;
    await open(`/briefings/${january.briefingId}`);
    const remark = page.locator(`#r-${statement.statementId}`);
    await remark.locator('summary', { hasText: 'Correct this statement' }).click();
    const form = remark.locator(`#correct-${statement.statementId}`);

    // Sent empty: the API's 400 names both fields, and each message sits beside its field.
    await form.getByLabel('Corrected text').fill('');
    await form.getByRole('button', { name: 'Record the correction' }).click();
    const textError = form.locator(`#correct-${statement.statementId}-text-error`);
    const reasonError = form.locator(`#correct-${statement.statementId}-reason-error`);
    await textError.filter({ hasText: /\S/ }).waitFor();
    await expect(textError.innerText()).resolves.toMatch(/text/);
    await expect(reasonError.innerText()).resolves.toMatch(/reason/);
    await expect(form.getByLabel('Corrected text').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator(':focus').getAttribute('name')).resolves.toBe('text');

    await form.getByLabel('Corrected text').fill('Pakistan has no plans to enter into talks with the banned TTP.');
    await form.getByLabel('Reason for the correction').fill('Checked against the recording');
    await form.getByRole('button', { name: 'Record the correction' }).click();
    await page.locator('.flash', { hasText: 'Correction recorded: the statement is now at version 2.' }).waitFor();
    await expect(page.locator(`#r-${statement.statementId} .status`).innerText()).resolves.toBe('Corrected, version 2');
    await screenshot(page, 'briefing-editor');

    await page.locator('.flash').getByRole('link', { name: 'See its history and what changed' }).click();
    await page.waitForURL(`${t.baseUrl}/remarks/${statement.statementId}`);
    const second = page.locator('.version[data-version="2"]');
    await second.waitFor();
    await expect(second.locator('h2').innerText()).resolves.toBe('Version 2 (a correction)');
    await expect(second.innerText()).resolves.toContain('Reason: Checked against the recording');
    const changes = second.locator('.diff');
    // The struck-through words, without the words that name them for screen readers.
    const removed = await changes.locator('del').evaluateAll((parts) =>
      parts.map((part) => [...part.childNodes].filter((node) => node.nodeType === 3 /* text */).map((node) => node.textContent).join('')),
    );
    expect(removed).toEqual(['any ', 'Tehreek-e-Taliban Pakistan (', ')', ' The terrorist entity is involved in the killing of Pakistani and foreign citizens inside the country.']);
    await expect(changes.locator('del .visually-hidden').first().textContent()).resolves.toBe('[removed: ');
    await expect(page.locator('[data-status]').innerText()).resolves.toBe('Corrected, version 2');
    // The hash-chain checks need rights this key does not have here; the page says so instead of failing.
    for (const check of ['server', 'browser']) {
      const slot = page.locator(`[data-check="${check}"]`);
      await slot.filter({ hasNotText: /^(Asking|Checking)/ }).waitFor();
      await expect(slot.innerText()).resolves.toMatch(/needs a key with more rights|Intact|Verified in this browser/);
    }
    await screenshot(page, 'remark-history-corrected');
  });

  it('opens a briefing and records a statement, a question, an answer and the closing through the page', async () => {
    await open('/');
    await page.locator('summary', { hasText: 'Open a new briefing' }).click();
    const opening = page.locator('#open-briefing');
    await opening.getByLabel('Held on').fill('2024-01-18');
    await opening.getByLabel('Location').fill('Islamabad');
    await opening.getByLabel('Organization').fill('Ministry of Foreign Affairs');
    await opening.getByLabel('Spokesperson id').fill('Not A Slug');
    await opening.getByLabel('Spokesperson name').fill('Mumtaz Zahra Baloch');
    await opening.getByRole('button', { name: 'Open the briefing' }).click();
    await opening.locator('#open-briefing-spokesperson-id-error').filter({ hasText: /slug/ }).waitFor();
    await opening.getByLabel('Spokesperson id').fill('mumtaz-zahra-baloch');
    await opening.getByRole('button', { name: 'Open the briefing' }).click();
    await page.waitForURL(/\/briefings\/[0-9a-f-]{36}$/);
    await page.locator('.flash', { hasText: 'The briefing is open' }).waitFor();

    await page.locator('summary', { hasText: 'Add a statement' }).click();
    const statement = page.locator('#add-statement');
    await statement.getByLabel('Statement').fill('Pakistan will continue to engage with the interim Afghan government.');
    await statement.getByLabel('Topics').fill('Afghanistan!');
    await statement.getByRole('button', { name: 'Record the statement' }).click();
    await statement.locator('#add-statement-topics-error').filter({ hasText: /slug/ }).waitFor();
    await statement.getByLabel('Topics').fill('afghanistan, ttp');
    await statement.getByRole('button', { name: 'Record the statement' }).click();
    await page.locator('.flash', { hasText: 'Statement recorded.' }).waitFor();

    await page.locator('summary', { hasText: 'Add a question' }).click();
    const question = page.locator('#add-question');
    await question.getByLabel('Question').fill('Will the talks resume?');
    await question.getByLabel('Topics').fill('afghanistan');
    await question.getByLabel('Outlet').fill('Dawn');
    await question.getByRole('button', { name: 'Record the question' }).click();
    await page.locator('.flash', { hasText: 'Question recorded.' }).waitFor();

    await page.locator('.question summary', { hasText: 'Answer this question' }).click();
    const answer = page.locator('.question form[id^="answer-"]');
    await answer.getByLabel('Answer').fill('We remain in contact with the Afghan authorities.');
    await answer.getByRole('button', { name: 'Record the answer' }).click();
    await page.locator('.flash', { hasText: 'Answer recorded.' }).waitFor();

    expect(await page.locator('.transcript > li').evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')))).toEqual(['statement', 'question']);
    await expect(page.locator('.transcript .answers .text').innerText()).resolves.toBe('We remain in contact with the Afghan authorities.');
    await expect(page.locator('.transcript .question .meta').first().innerText()).resolves.toContain('Dawn');

    await page.locator('summary', { hasText: 'Close the briefing' }).click();
    await page.getByRole('button', { name: 'Close it' }).click();
    await page.locator('.flash', { hasText: 'The briefing is closed' }).waitFor();
    await expect(page.locator('summary', { hasText: 'Add a statement' }).count()).resolves.toBe(0);
    await expect(page.locator('main dl.meta').innerText()).resolves.toContain('Closed: corrections and retractions only');
  });

  it('shows an event appended through the API in the live panel within 2 s', async () => {
    await open('/topics');
    await liveConnected();
    const statement = january.statements[1]!;
    const response = await t.http
      .post(`/api/briefings/${january.briefingId}/remarks/${statement.statementId}/retractions`)
      .set(editor)
      .send({ reason: 'Withdrawn by the ministry' })
      .expect(201);
    const appended = Date.now();
    const item = page.locator(`#live-events li[data-position="${response.body.position}"]`);
    await item.waitFor({ timeout: 2000 });
    expect(Date.now() - appended).toBeLessThan(2000);
    await expect(item.innerText()).resolves.toContain('Remark retracted');
    await expect(item.innerText()).resolves.toContain('Reason: Withdrawn by the ministry');
    await expect(item.getByRole('link').getAttribute('href')).resolves.toBe(`/remarks/${statement.statementId}`);
    await screenshot(page, 'live-panel');
  });

  it('resumes the live panel after a dropped connection, missing nothing and repeating nothing', async () => {
    await open('/spokespersons');
    await liveConnected();
    const before = await t.http
      .post(`/api/briefings/${january.briefingId}/remarks/${january.questions[0]!.answers[0]!.answerId}/corrections`)
      .set(editor)
      .send({ text: 'Pakistan is committed to implementing the plan.', reason: 'Grammar' })
      .expect(201);
    await page.locator(`#live-events li[data-position="${before.body.position}"]`).waitFor({ timeout: 2000 });

    const resumedFrom: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/feed') {
        void request.allHeaders().then((headers) => resumedFrom.push(headers['last-event-id'] ?? new URL(request.url()).searchParams.get('after') ?? ''));
      }
    });
    // Drop every connection to the server, the feed's too; the server itself keeps listening.
    t.app.getHttpServer().closeAllConnections();
    const missed = await t.http
      .post(`/api/briefings/${january.briefingId}/remarks/${january.questions[1]!.answers[0]!.answerId}/retractions`)
      .set(editor)
      .send({ reason: 'Sent while the feed was down' })
      .expect(201);
    await page.locator(`#live-events li[data-position="${missed.body.position}"]`).waitFor({ timeout: 5000 });
    await liveConnected();
    // The browser came back asking for what followed the last event it had.
    expect(resumedFrom).toContain(String(before.body.position));
    const positions = await page.locator('#live-events li').evaluateAll((items) => items.map((item) => item.getAttribute('data-position')));
    expect(new Set(positions).size).toBe(positions.length);
    expect(positions.slice(0, 2)).toEqual([String(missed.body.position), String(before.body.position)]);
  });

  it('ran without a script error', () => {
    expect(errors).toEqual([]);
  });
});
