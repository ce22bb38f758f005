import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { JANUARY_SAMPLE, readSample, type SampleBriefing } from '../support/test-app.js';
import { describeInBrowser, openBrowser, serveApp, type Browser, type ServedApp } from './support/browser.js';

/** The page on an archive whose reads need a key too (ARCHIVE_PUBLIC_READS=false), in Chromium. */

const READER = 'reader-secret-0123456789';
const EDITOR = 'editor-secret-0123456789';
const editor = { Authorization: `Bearer ${EDITOR}` };

describeInBrowser('the page on a private archive', () => {
  let t: ServedApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let january: SampleBriefing;

  beforeAll(async () => {
    t = await serveApp({ ARCHIVE_API_KEYS: `desk:reader:${READER},newsroom:editor:${EDITOR}`, ARCHIVE_PUBLIC_READS: 'false' });
    january = await readSample(JANUARY_SAMPLE);
    await t.http.post('/api/briefings/import').set(editor).send(january).expect(201);
    browser = await openBrowser();
    ({ page, errors } = await browser.newPage());
    // The reader's key, as the page keeps it once typed in.
    await page.goto(`${t.baseUrl}/topics`);
    await page.evaluate(`sessionStorage.setItem('briefing-archive:key', ${JSON.stringify(READER)})`);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('follows the live feed with the key, which EventSource could not send', async () => {
    await page.goto(`${t.baseUrl}/topics`);
    await page.locator('#live-status', { hasText: /^Connected/ }).waitFor();
    const statement = january.statements[0]!;
    const response = await t.http
      .post(`/api/briefings/${january.briefingId}/remarks/${statement.statementId}/retractions`)
      .set(editor)
      .send({ reason: 'Withdrawn' })
      .expect(201);
    const item = page.locator(`#live-events li[data-position="${response.body.position}"]`);
    await item.waitFor({ timeout: 5000 });
    await expect(item.innerText()).resolves.toContain('Remark retracted');
  });

  it("offers a remark's proof for download as the key reads it, not by a link that would go without it", async () => {
    const statement = january.statements[1]!;
    await page.goto(`${t.baseUrl}/remarks/${statement.statementId}`);
    const link = page.getByRole('link', { name: 'Download the proof (JSON)' });
    // The page has read the proof with its key once it has checked it.
    await page.locator('[data-check="browser"]', { hasText: 'Verified in this browser' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`proof-${statement.statementId}.json`);
    const proof = JSON.parse(await readFile((await download.path())!, 'utf8')) as { remarkId: string; chain: unknown[] };
    expect(proof.remarkId).toBe(statement.statementId);
    expect(proof.chain.length).toBeGreaterThan(0);
  });

  it('says the feed needs a key when the page has none, and follows it at once when a key is entered', async () => {
    const { page: keyless, errors: keylessErrors } = await browser.newPage();
    await keyless.goto(`${t.baseUrl}/topics`);
    // Refused twice: its next try is 4 s away, so a connection within 1.5 s of the key is the key's doing.
    await keyless.locator('#live-status', { hasText: 'needs a key that may read the archive. Trying again in 4 s' }).waitFor({ timeout: 5000 });
    await keyless.getByLabel('Editor key').fill(READER);
    await keyless.getByRole('button', { name: 'Use key' }).click();
    // Not after the refusal's growing wait: the key's arrival reconnects.
    await keyless.locator('#live-status', { hasText: /^Connected/ }).waitFor({ timeout: 1500 });
    expect(keylessErrors).toEqual([]);
  });

  it('offers no forms for a reader key, offers them for an editor key, and refuses a key the archive does not know', async () => {
    const { page: tab, errors: tabErrors } = await browser.newPage();
    await tab.goto(`${t.baseUrl}/briefings/${january.briefingId}`);
    const useKey = async (key: string) => {
      await tab.getByLabel('Editor key').fill(key);
      await tab.getByRole('button', { name: 'Use key' }).click();
    };
    await useKey('not-a-key-of-this-archive');
    await tab.getByText('This archive does not know that key.').waitFor();
    expect(await tab.evaluate(`sessionStorage.getItem('briefing-archive:key')`)).toBeNull();

    await useKey(READER);
    await tab.getByText('Reading with a reader key').waitFor();
    await tab.locator('main h1').waitFor();
    await expect(tab.locator('summary', { hasText: /^Correct this statement/ }).count()).resolves.toBe(0);

    await tab.getByRole('button', { name: 'Forget key' }).click();
    await useKey(EDITOR);
    await tab.getByText('Editor mode on').waitFor();
    await tab.locator('details.editor > summary', { hasText: 'Correct this statement' }).first().waitFor();
    expect(tabErrors).toEqual([]);
  });

  it('ran without a script error', () => {
    expect(errors).toEqual([]);
  });
});
