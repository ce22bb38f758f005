import { SqliteEventStore } from '@archive/event-store';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

/** The two sample briefings: December (7 events) and January (10). */
const DECEMBER = '7d1c6f0e-3b9a-4c51-9a0e-2f5b8c1d4e01';
const SAMPLE_EVENTS = 17;

describe('archive verify', () => {
  let work: string;
  const env = () => ({ ARCHIVE_DATA_DIR: work });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'briefing-archive-verify-'));
    expect((await runCli(['import', 'data/samples'], env())).code).toBe(0);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('recomputes every chain of an untouched log with progress, and exits 0', async () => {
    const run = await runCli(['verify'], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`ok: ${SAMPLE_EVENTS} events in 2 streams of the sqlite event store; every hash chain holds\n`);
    expect(run.stderr).toMatch(new RegExp(`^verify: ${SAMPLE_EVENTS}/${SAMPLE_EVENTS} positions \\(100%\\)`, 'm'));
    expect(run.stderr).toContain(`verify: ${SAMPLE_EVENTS} events in 2 streams`);

    const one = await runCli(['verify', '--briefing', DECEMBER, '--json'], env());
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual({ ok: true, streams: 1, events: 7, firstMismatch: null });
  });

  it('refuses a briefing id that is not a UUID with exit 2, and an unknown briefing with exit 1', async () => {
    const bad = await runCli(['verify', '--briefing', 'december'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--briefing must be a briefing id (a UUID)');
    const unknown = randomUUID();
    const missing = await runCli(['verify', '--briefing', unknown], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`briefing ${unknown} was not found`);
  });

  it('names the event edited in the SQLite file and exits 1', async () => {
    const store = new SqliteEventStore({ filename: join(work, 'events.db') });
    const [, statement] = await store.readStream(`briefing-${DECEMBER}`);
    await store.close();
    const file = new Database(join(work, 'events.db'));
    try {
      file.prepare("UPDATE events SET data = json_set(data, '$.text', ?) WHERE event_id = ?").run('Talks are under way.', statement!.eventId);
    } finally {
      file.close();
    }

    const run = await runCli(['verify'], env());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `first bad event: briefing-${DECEMBER} revision 1, event ${statement!.eventId} at position ${statement!.position}\n` +
        'reason: its content does not match its hash',
    );
    expect(run.stderr).toContain('error: the log does not verify');

    const json = await runCli(['verify', '--briefing', DECEMBER, '--json'], env());
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      streams: 1,
      events: 7,
      firstMismatch: {
        streamId: `briefing-${DECEMBER}`,
        revision: 1,
        eventId: statement!.eventId,
        position: statement!.position,
        reason: 'its content does not match its hash',
      },
    });
  });

  it('names an event whose data is no longer JSON, rather than fail on it', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'briefing-archive-damaged-'));
    expect((await runCli(['import', 'data/samples'], { ARCHIVE_DATA_DIR: copy })).code).toBe(0);
    const store = new SqliteEventStore({ filename: join(copy, 'events.db') });
    const january = (await store.readAll({ limit: 100 })).filter((event) => !event.streamId.endsWith(DECEMBER));
    await store.close();
    const damaged = january[2]!;
    const file = new Database(join(copy, 'events.db'));
    try {
      file.prepare('UPDATE events SET data = ? WHERE event_id = ?').run('{not json', damaged.eventId);
    } finally {
      file.close();
    }

    const whole = await runCli(['verify', '--json'], { ARCHIVE_DATA_DIR: copy });
    const one = await runCli(['verify', '--json', '--briefing', damaged.streamId.replace(/^briefing-/, '')], { ARCHIVE_DATA_DIR: copy });
    for (const run of [whole, one]) {
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).firstMismatch).toEqual({
        streamId: damaged.streamId,
        revision: damaged.revision,
        eventId: damaged.eventId,
        position: damaged.position,
        reason: 'its data is not JSON: it was edited or damaged',
      });
    }
    expect(whole.stderr).not.toContain('SyntaxError');
    await rm(copy, { recursive: true, force: true });
  });
});
