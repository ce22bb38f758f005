import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { WEB_ROOT } from '../../apps/api/src/web/web-page.js';
import { DECEMBER_SAMPLE, JANUARY_SAMPLE, readSample, type SampleBriefing } from '../support/test-app.js';
import { describeInBrowser, openBrowser, screenshot, serveApp, type Browser, type ServedApp } from './support/browser.js';

/** The reading side of the web page, in Chromium, over the two sample briefings. */

let t: ServedApp;
let december: SampleBriefing;
let january: SampleBriefing;

beforeAll(async () => {
  t = await serveApp();
  december = await readSample(DECEMBER_SAMPLE);
  january = await readSample(JANUARY_SAMPLE);
  for (const sample of [december, january]) await t.http.post('/api/briefings/import').send(sample).expect(201);
});

afterAll(async () => {
  await t?.close();
});

describe('serving the page', () => {
  it('answers / and every view URL with the page, under the CSP, and leaves the API and operations routes alone', async () => {
    for (const path of ['/', '/topics/ttp', `/briefings/${january.briefingId}`, '/spokespersons/mumtaz-zahra-baloch/topics/ttp', '/search?q=talks']) {
      const response = await t.http.get(path).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('<script type="module" src="/js/main.js"></script>');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    }
    const script = await t.http.get('/js/main.js').expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);

    const unknownApi = await t.http.get('/api/no-such-route').expect(404);
    expect(unknownApi.headers['content-type']).toMatch(/^application\/problem\+json/);
    await t.http.get('/no-such-page').expect(404);
    expect((await t.http.get('/health').expect(200)).headers['content-type']).toMatch(/json/);
    expect((await t.http.get('/api/docs-json').expect(200)).body.openapi).toBeDefined();
    expect((await t.http.get('/api/topics').expect(200)).body.items.length).toBeGreaterThan(0);
  });

  it("keeps the page's JavaScript under 100 KB gzipped", async () => {
    const files = (await readdir(join(WEB_ROOT, 'js'), { recursive: true })).filter((file) => file.endsWith('.js'));
    expect(files).toContain('main.js');
    let gzipped = 0;
    for (const file of files) gzipped += gzipSync(await readFile(join(WEB_ROOT, 'js', file))).length;
    expect(gzipped).toBeLessThan(100 * 1024);
  });
});

describeInBrowser('the archive in a browser', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await openBrowser();
    ({ page, errors } = await browser.newPage());
  });

  afterAll(async () => {
    await browser?.close();
  });

  const open = async (path: string) => {
    await page.goto(t.baseUrl + path);
    await page.locator('main h1').waitFor();
  };
  const texts = (selector: string) => page.locator(selector).allInnerTexts();

  it('shows the topic ttp as a timeline: both briefings, oldest first, each with its remarks', async () => {
    await open('/topics/ttp');
    await expect(page.locator('main h1').innerText()).resolves.toBe('Topic: ttp');
    expect(await texts('.timeline-group > h2')).toEqual(['Briefing of 14 December 2023', 'Briefing of 11 January 2024']);
    const groups = page.locator('.timeline-group');
    await expect(groups.nth(0).locator('[data-item]').first().innerText()).resolves.toContain('vehemently rejects reports');
    await expect(groups.nth(1).locator('[data-item]').first().innerText()).resolves.toContain('no plans to enter into any talks');
    // Status in words, not colour alone.
    await expect(groups.nth(0).locator('.status').first().innerText()).resolves.toBe('Original');
    expect(await page.title()).toBe('Topic ttp · Briefing Archive');
    await screenshot(page, 'topic-timeline', 'topic-timeline');
  });

  it('lists the briefings newest first and filters them by date', async () => {
    await open('/');
    expect(await texts('main .cards > li h2')).toEqual([
      'Weekly press briefing by the Foreign Office Spokesperson, 11 January 2024',
      'Weekly press briefing by the Foreign Office Spokesperson, 14 December 2023',
    ]);
    await screenshot(page, 'briefings');
    await page.getByLabel('From').fill('2024-01-01');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('from') === '2024-01-01');
    await page.locator('main .cards > li').nth(1).waitFor({ state: 'detached' });
    expect(await texts('main .cards > li h2')).toEqual(['Weekly press briefing by the Foreign Office Spokesperson, 11 January 2024']);
    await expect(page.getByLabel('From').inputValue()).resolves.toBe('2024-01-01');
  });

  it("shows a briefing's transcript in spoken order, answers under their questions, each remark's status", async () => {
    await open(`/briefings/${january.briefingId}`);
    expect(await page.locator('.transcript > li').evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')))).toEqual([
      'statement',
      'statement',
      'question',
      'question',
      'question',
    ]);
    const firstQuestion = page.locator('.transcript > li.question').first();
    await expect(firstQuestion.locator('.answers > li .text').innerText()).resolves.toContain('committed to implement');
    expect(await page.locator('.transcript .remark .status').allInnerTexts()).toEqual(Array(5).fill('Original'));
    await screenshot(page, 'briefing-transcript');
  });

  it("charts a spokesperson's topics and briefings over time on the profile", async () => {
    await open('/spokespersons/mumtaz-zahra-baloch');
    await expect(page.locator('main h1').innerText()).resolves.toBe('Mumtaz Zahra Baloch');
    const bars = page.locator('.bars > li');
    await expect(bars.count()).resolves.toBe(7);
    await expect(bars.first().innerText()).resolves.toMatch(/counter-terrorism|ttp/);
    await expect(bars.first().locator('.value').innerText()).resolves.toBe('4 mentions');
    await expect(page.locator('svg.columns rect.column').count()).resolves.toBe(2);
    await expect(page.locator('svg.columns').getAttribute('aria-label')).resolves.toContain('Briefings held by Mumtaz Zahra Baloch');
    await screenshot(page, 'spokesperson-profile');
  });

  it('marks the searched words in the results', async () => {
    await open('/');
    await page.getByRole('searchbox', { name: 'Search remarks' }).fill('dialogue');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === 'dialogue');
    await page.locator('main mark').first().waitFor();
    expect(await texts('main mark')).toEqual(['dialogue']);
    await expect(page.locator('main .cards > li').first().innerText()).resolves.toContain('There is absolutely no dialogue taking place with TTP.');
    await screenshot(page, 'search');
  });

  it('marks the words a prefix search found, by the prefix without its star', async () => {
    await open('/search?q=dialog*');
    await page.locator('main mark').first().waitFor();
    expect(await texts('main mark')).toEqual(['dialogue']);
  });

  it("shows a remark's history and checks its hash chain, on the server and in the browser", async () => {
    const remarkId = december.statements[0]!.statementId;
    await open(`/remarks/${remarkId}`);
    await expect(page.locator('main h1').innerText()).resolves.toBe('History of a statement');
    await expect(page.locator('.version').count()).resolves.toBe(1);
    await page.locator('[data-check="server"].ok').waitFor();
    await page.locator('[data-check="browser"].ok').waitFor();
    await expect(page.locator('[data-check="server"]').innerText()).resolves.toBe("Intact. The archive recomputed the briefing's hash chain: all 7 events hold.");
    await expect(page.locator('[data-check="browser"]').innerText()).resolves.toContain('Verified in this browser. The 7 events');
    await screenshot(page, 'remark-history');
  });

  it('gives every view its own URL: clicked links, reloads and the back button land on the same view', async () => {
    await open('/');
    await page.getByRole('navigation', { name: 'Archive' }).getByRole('link', { name: 'Topics' }).click();
    await page.waitForURL(`${t.baseUrl}/topics`);
    // The URL changes as the link is followed; the view renders once its data has come.
    await page.locator('main h1', { hasText: /^Topics$/ }).waitFor();
    await page.locator('.bars').getByRole('link', { name: 'ttp', exact: true }).click();
    await page.waitForURL(`${t.baseUrl}/topics/ttp`);
    await page.locator('.timeline-group').first().waitFor();
    await page.reload();
    await page.locator('main h1', { hasText: /^Topic: ttp$/ }).waitFor();
    await page.locator('.timeline-group').first().waitFor();
    await page.goBack();
    await page.waitForURL(`${t.baseUrl}/topics`);
    await page.locator('main h1', { hasText: /^Topics$/ }).waitFor();
    await screenshot(page, 'topics');
  });

  it('can be used with the keyboard alone, with landmarks and labelled fields', async () => {
    await open('/');
    for (const role of ['banner', 'navigation', 'main', 'complementary', 'contentinfo', 'search'] as const) {
      await expect(page.getByRole(role).first().isVisible()).resolves.toBe(true);
    }
    const unlabelled = await page.evaluate(
      "[...document.querySelectorAll('input, select, textarea')].filter((field) => field.labels.length === 0 && !field.getAttribute('aria-label')).map((field) => field.id)",
    );
    expect(unlabelled).toEqual([]);

    await page.keyboard.press('Tab');
    await expect(page.locator(':focus').innerText()).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    await page.locator('main:focus').waitFor();

    // From the top of the page, Tab reaches the navigation; Enter follows the link, and the focus
    // lands on the new view's heading.
    await page.locator('.brand-link').focus();
    let focused = '';
    for (let presses = 0; presses < 5 && focused !== 'Spokespersons'; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.locator(':focus').innerText();
    }
    expect(focused).toBe('Spokespersons');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${t.baseUrl}/spokespersons`);
    await page.locator('main h1:focus', { hasText: /^Spokespersons$/ }).waitFor();
    await expect(page.getByRole('link', { name: 'Spokespersons' }).first().getAttribute('aria-current')).resolves.toBe('page');
  });

  it('fits a phone-width screen: no sideways scrolling, the live panel below the content', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      for (const path of ['/topics/ttp', `/briefings/${january.briefingId}`, '/spokespersons/mumtaz-zahra-baloch']) {
        await open(path);
        const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        expect(overflow).toBeLessThanOrEqual(0);
      }
      const main = await page.locator('main').boundingBox();
      const live = await page.locator('aside.live').boundingBox();
      expect(live!.y).toBeGreaterThanOrEqual(main!.y + main!.height);
      expect(live!.width).toBeGreaterThan(300);
      await open('/topics/ttp');
      await screenshot(page, 'topic-timeline-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('ran without a script error', () => {
    expect(errors).toEqual([]);
  });
});
