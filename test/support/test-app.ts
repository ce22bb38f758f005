import { loadConfig } from '@archive/application';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory.js';

export type Agent = ReturnType<typeof request>;

export interface TestApp {
  readonly app: NestFastifyApplication;
  /** A supertest client bound to the in-process server. */
  readonly http: Agent;
  readonly dataDir: string;
  close(): Promise<void>;
}

/**
 * Builds the real HTTP app over a fresh data directory (its own event and read stores), ready
 * for requests. `env` adds to or overrides the configuration (e.g. MIN_POSITION_TIMEOUT_MS).
 * With `ARCHIVE_DATA_DIR` in `env` the app opens that directory instead, and leaves it in place
 * when it closes (a restart on the same data); the caller removes it.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const given = env.ARCHIVE_DATA_DIR;
  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'briefing-archive-e2e-')));
  const removeDataDir = () => (given ? Promise.resolve() : rm(dataDir, { recursive: true, force: true }));
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env, ARCHIVE_DATA_DIR: dataDir });
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await app?.close().catch(() => undefined);
    await removeDataDir();
    throw error;
  }
  const started = app;
  let closed = false;
  return {
    app: started,
    http: request(started.getHttpServer()),
    dataDir,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await started.close();
      } finally {
        await removeDataDir();
      }
    },
  };
}

const here = dirname(fileURLToPath(import.meta.url));
export const SAMPLES_DIR = resolve(here, '../../data/samples');
export const DECEMBER_SAMPLE = join(SAMPLES_DIR, '2023-12-fo-briefing.json');
export const JANUARY_SAMPLE = join(SAMPLES_DIR, '2024-01-fo-briefing.json');

/** A sample briefing file as the import route takes it. */
export async function readSample(path: string): Promise<SampleBriefing> {
  return JSON.parse(await readFile(path, 'utf8')) as SampleBriefing;
}

export interface SampleBriefing {
  briefingId: string;
  title: string;
  heldOn: string;
  location: string;
  organization: string;
  spokesperson: { id: string; name: string; title?: string };
  statements: { statementId: string; text: string; topics: string[]; verbatim?: boolean }[];
  questions: {
    questionId: string;
    text: string;
    topics: string[];
    askedBy?: { name?: string; outlet?: string };
    answers: { answerId: string; text: string; topics?: string[] }[];
  }[];
}

/** The same briefing under new ids, its own and every remark's and question's: a second copy the archive takes. */
export function withFreshIds(sample: SampleBriefing): SampleBriefing {
  return {
    ...sample,
    briefingId: randomUUID(),
    statements: sample.statements.map((statement) => ({ ...statement, statementId: randomUUID() })),
    questions: sample.questions.map((question) => ({
      ...question,
      questionId: randomUUID(),
      answers: question.answers.map((answer) => ({ ...answer, answerId: randomUUID() })),
    })),
  };
}
