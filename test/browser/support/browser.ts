import { describe } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../support/test-app.js';

/** Debian's Chromium, which .ci/run installs with apt when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
const SKIP = process.env.ARCHIVE_SKIP_BROWSER_TESTS === '1';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOTS_DIR = join(root, 'test-artifacts/screenshots');
/** The README's screenshots, rewritten only when a run asks for it (UPDATE_SCREENSHOTS=1). */
const DOCS_SCREENSHOTS_DIR = join(root, 'docs/screenshots');

/**
 * `describe` for tests that drive Chromium. Without Chromium they fail, saying how to get it;
 * only ARCHIVE_SKIP_BROWSER_TESTS=1 turns them off, and Jest then reports them as skipped.
 */
export const describeInBrowser = SKIP ? describe.skip : describe;

export interface Browser {
  readonly context: BrowserContext;
  /** A new tab that records the page's uncaught script errors in `errors`. */
  newPage(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Starts headless Chromium on a fresh profile. */
export async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does), ` +
        'or set ARCHIVE_SKIP_BROWSER_TESTS=1 to skip them knowingly.',
    );
  }
  const profile = await mkdtemp(join(tmpdir(), 'briefing-archive-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      return { page, errors };
    },
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}

export interface ServedApp extends TestApp {
  /** `http://127.0.0.1:<port>`, where the browser finds the page. */
  readonly baseUrl: string;
}

/** The real app over a fresh data directory, listening on a free local port. */
export async function serveApp(env: Record<string, string> = {}): Promise<ServedApp> {
  const t = await createTestApp(env);
  try {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await t.close();
    throw error;
  }
  const { port } = (t.app as NestFastifyApplication).getHttpServer().address() as AddressInfo;
  return Object.assign(t, { baseUrl: `http://127.0.0.1:${port}` });
}

/** Saves a full-page screenshot as a test artefact; `docsName` also refreshes a README image when asked. */
export async function screenshot(page: Page, name: string, docsName?: string): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  if (docsName && process.env.UPDATE_SCREENSHOTS === '1') {
    await mkdir(DOCS_SCREENSHOTS_DIR, { recursive: true });
    await copyFile(path, join(DOCS_SCREENSHOTS_DIR, `${docsName}.png`));
  }
  return path;
}
