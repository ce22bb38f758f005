import { SqliteEventStore } from '@archive/event-store';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startService, type ServiceProcess } from '../support/service-process.js';
import { runCli } from './run-cli.js';

/** The export's lines with one of them (0-based) changed, as a file's text. */
function withLine(lines: readonly string[], index: number, change: (event: Record<string, unknown>) => Record<string, unknown>): string {
  return `${lines.map((line, at) => (at === index ? JSON.stringify(change(JSON.parse(line) as Record<string, unknown>)) : line)).join('\n')}\n`;
}

const SAMPLES = 'data/samples';
/** The two sample briefings record 17 events. */
const SAMPLE_EVENTS = 17;

async function storedEvents(dataDir: string) {
  const store = new SqliteEventStore({ filename: join(dataDir, 'events.db') });
  try {
    return await store.readAll({ limit: 10_000 });
  } finally {
    await store.close();
  }
}

describe('the archive CLI', () => {
  let work: string;
  let source: string;
  const env = () => ({ ARCHIVE_DATA_DIR: source });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'briefing-archive-cli-'));
    source = join(work, 'source');
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('imports a directory of briefings, each in one append, with plain progress lines off a terminal', async () => {
    const run = await runCli(['import', SAMPLES], env());
    expect(run).toMatchObject({ code: 0 });
    expect(run.stderr).toMatch(/^import: 1\/2 files \(50%\), \d+ files\/s, ETA \S+$/m);
    expect(run.stderr).toMatch(/^import: 2\/2 files \(100%\)/m);
    expect(run.stderr).toContain(`2 of 2 files, ${SAMPLE_EVENTS} events appended, 0 already imported`);
    expect(run.stderr).not.toContain('\r');

    const events = await storedEvents(source);
    expect(events).toHaveLength(SAMPLE_EVENTS);
    const streams = [...new Set(events.map((event) => event.streamId))];
    expect(streams).toHaveLength(2);
    expect(events.filter((event) => event.type === 'BriefingOpened')).toHaveLength(2);
    expect(events.every((event) => event.metadata.actor === 'cli' && event.metadata.schemaVersion === 1)).toBe(true);
    // One atomic append per briefing: a stream's events share one command.
    for (const stream of streams) {
      expect(new Set(events.filter((event) => event.streamId === stream).map((event) => event.metadata.causationId)).size).toBe(1);
    }
  });

  it('recognises a second import as a re-send and appends nothing', async () => {
    const run = await runCli(['import', SAMPLES], env());
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('0 events appended, 2 already imported');
    expect(await storedEvents(source)).toHaveLength(SAMPLE_EVENTS);
  });

  it('refuses a file that is not a valid briefing with exit 1, naming the file and every bad field, and writes nothing', async () => {
    const bad = join(work, 'bad.json');
    await writeFile(bad, JSON.stringify({ heldOn: '2024-13-45', location: 'Islamabad', organization: 'MoFA', spokesperson: { id: 'Not A Slug', name: 'X' }, extra: 1 }));
    const run = await runCli(['import', bad], env());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: ${bad}: invalid briefing`);
    expect(run.stderr).toMatch(/heldOn: /);
    expect(run.stderr).toMatch(/spokesperson\.id: /);
    expect(run.stderr).toMatch(/extra: property extra should not exist/);

    const notJson = join(work, 'broken.json');
    await writeFile(notJson, '{ "heldOn": ');
    const broken = await runCli(['import', notJson], env());
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${notJson}: not a JSON document`);
    expect(await storedEvents(source)).toHaveLength(SAMPLE_EVENTS);
  });

  it('shows the log head and every projection with its position and lag', async () => {
    const run = await runCli(['status'], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`event store: sqlite, head position ${SAMPLE_EVENTS}`);
    expect(run.stdout).toMatch(/^projection\s+position\s+lag\s+status$/m);
    const json = await runCli(['status', '--json'], env());
    const status = JSON.parse(json.stdout) as { head: number; projections: { name: string; position: number; lag: number }[] };
    expect(status.head).toBe(SAMPLE_EVENTS);
    expect(status.projections.length).toBeGreaterThan(0);
    for (const projection of status.projections) expect(projection.lag).toBe(SAMPLE_EVENTS - projection.position);
    expect(status).toMatchObject({ aheadOfLog: [] });
    expect(run.stdout).not.toContain('warning');
  });

  it("warns of read models past the log's head, built from another log", async () => {
    const dir = join(work, 'ahead');
    expect((await runCli(['import', SAMPLES], { ARCHIVE_DATA_DIR: dir })).code).toBe(0);
    // As a read store kept beside a log that was replaced: its topics checkpoint is past the head.
    const reads = new Database(join(dir, 'read.db'));
    try {
      reads
        .prepare("INSERT INTO projection_checkpoints (name, version, position, status) VALUES ('topics', 2, 1000, 'live') ON CONFLICT (name) DO UPDATE SET position = 1000")
        .run();
    } finally {
      reads.close();
    }
    const run = await runCli(['status'], { ARCHIVE_DATA_DIR: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("warning: topics is past the log's head");
    const json = JSON.parse((await runCli(['status', '--json'], { ARCHIVE_DATA_DIR: dir })).stdout) as { aheadOfLog: string[] };
    expect(json.aheadOfLog).toEqual(['topics']);
  });

  describe('export and restore', () => {
    let exported: string;
    let restoredDir: string;

    beforeAll(async () => {
      exported = join(work, 'log.ndjson');
      restoredDir = join(work, 'restored');
    });

    it('exports the whole log as NDJSON envelopes in position order', async () => {
      const run = await runCli(['export', '--out', exported], env());
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(new RegExp(`^export: ${SAMPLE_EVENTS}/${SAMPLE_EVENTS} positions \\(100%\\)`, 'm'));
      const lines = (await readFile(exported, 'utf8')).trimEnd().split('\n');
      expect(lines.map((line) => JSON.parse(line))).toEqual(JSON.parse(JSON.stringify(await storedEvents(source))));
    });

    it('writes to stdout without --out', async () => {
      const run = await runCli(['export'], env());
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(await readFile(exported, 'utf8'));
    });

    it('restores into an empty store the same events, which export again identically', async () => {
      const run = await runCli(['restore', exported], { ARCHIVE_DATA_DIR: restoredDir });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`${SAMPLE_EVENTS} events restored`);
      const again = await runCli(['export'], { ARCHIVE_DATA_DIR: restoredDir });
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(await readFile(exported, 'utf8'));
    });

    it('refuses to restore into a store that is not empty, and changes nothing', async () => {
      const run = await runCli(['restore', exported], env());
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('is not empty (head position 17); restore writes only into an empty store');
      expect(await storedEvents(source)).toHaveLength(SAMPLE_EVENTS);
    });

    it('writes nothing when a line anywhere in the file is bad, so it can be run again once the file is fixed', async () => {
      const lines = (await readFile(exported, 'utf8')).trimEnd().split('\n');
      const dir = join(work, 'half');
      for (const [bad, message] of [
        [`${lines.slice(0, 9).join('\n')}\n{ not json\n${lines.slice(9).join('\n')}\n`, ':10: not a JSON line'],
        [`${[...lines.slice(0, 5), ...lines.slice(6)].join('\n')}\n`, 'the export has a gap'],
        [withLine(lines, 3, (event) => ({ ...event, type: 'Bogus' })), ':4: "Bogus" is not an event type of the archive'],
        [withLine(lines, 4, (event) => ({ ...event, eventId: JSON.parse(lines[3]!).eventId })), `:5: event id ${JSON.parse(lines[3]!).eventId} is already the id of line 4`],
      ] as const) {
        const file = join(work, 'bad.ndjson');
        await writeFile(file, bad);
        const run = await runCli(['restore', file], { ARCHIVE_DATA_DIR: dir });
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(message);
        const empty = await runCli(['export'], { ARCHIVE_DATA_DIR: dir });
        expect(empty.stdout).toBe('');
      }
      const fixed = await runCli(['restore', exported], { ARCHIVE_DATA_DIR: dir });
      expect(fixed.code).toBe(0);
    });

    it('refuses an export edited after it was written, naming the line, unless told --unverified', async () => {
      const lines = (await readFile(exported, 'utf8')).trimEnd().split('\n');
      const edited = join(work, 'edited.ndjson');
      await writeFile(edited, withLine(lines, 2, (event) => ({ ...event, data: { ...(event.data as object), text: 'Words never said.' } })));
      const dir = join(work, 'edited');
      const refused = await runCli(['restore', edited], { ARCHIVE_DATA_DIR: dir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${edited}:3: `);
      expect(refused.stderr).toContain('breaks its hash chain (its content does not match its hash)');
      expect(existsSync(join(dir, 'events.db'))).toBe(false);

      const forced = await runCli(['restore', edited, '--unverified'], { ARCHIVE_DATA_DIR: dir });
      expect(forced.code).toBe(0);
      expect(forced.stderr).toContain(`warning: ${edited}:3: `);
      expect((await runCli(['export'], { ARCHIVE_DATA_DIR: dir })).stdout).toContain('Words never said.');
    });

    it('says why an export cannot be written, without claiming it was', async () => {
      const target = join(work, 'no-such-dir', 'log.ndjson');
      const run = await runCli(['export', '--out', target], env());
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`error: cannot write ${target}.partial`);
      expect(run.stderr).not.toMatch(/events to|\n {4}at /);
    });

    it('refuses a file that is not an export, naming the line', async () => {
      const junk = join(work, 'junk.ndjson');
      await writeFile(junk, '{"eventId":"x"}\n');
      const run = await runCli(['restore', junk], { ARCHIVE_DATA_DIR: join(work, 'empty') });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${junk}:1: not an event envelope`);
    });

    it('gives read models with the same content once the projections have run over the restored log', async () => {
      const services: ServiceProcess[] = [];
      try {
        const answers: string[][] = [];
        for (const dataDir of [source, restoredDir]) {
          const port = await freePort();
          services.push(await startService('api', { ARCHIVE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' }, /listening on/));
          const get = async (path: string) => {
            const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-min-position': String(SAMPLE_EVENTS) } });
            expect(response.status).toBe(200);
            return JSON.stringify(await response.json());
          };
          answers.push([
            await get('/api/briefings'),
            await get('/api/briefings/7d1c6f0e-3b9a-4c51-9a0e-2f5b8c1d4e01'),
            await get('/api/topics'),
            await get('/api/topics/ttp'),
            await get('/api/spokespersons/mumtaz-zahra-baloch'),
            await get('/api/search?q=TTP'),
          ]);
        }
        expect(answers[1]).toEqual(answers[0]);
      } finally {
        await Promise.all(services.map((service) => service.stop()));
      }
    });
  });

  it('refuses to read an archive that is not there, creating nothing: verify, status and export in a mistyped directory', async () => {
    const missing = join(work, 'no-such-archive');
    for (const args of [['verify'], ['status'], ['export', '--out', join(work, 'nothing.ndjson')]]) {
      const run = await runCli(args, { ARCHIVE_DATA_DIR: missing });
      expect({ args, code: run.code }).toEqual({ args, code: 1 });
      expect(run.stderr).toContain(`no archive in ${missing}`);
    }
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(work, 'nothing.ndjson.partial'))).toBe(false);
  });

  it('says why a data directory cannot be used in one message, exit 2, without a stack trace', async () => {
    const notADirectory = join(work, 'a-file');
    await writeFile(notADirectory, 'not a directory');
    const run = await runCli(['import', SAMPLES], { ARCHIVE_DATA_DIR: notADirectory });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`ARCHIVE_DATA_DIR ${notADirectory} cannot be used as a directory`);
    expect(run.stderr).not.toMatch(/ExceptionHandler|\n\s+at /);
  });

  it('answers a wrong command line with exit 2 and the usage', async () => {
    const unknown = await runCli(['bogus'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'bogus'");
    expect(unknown.stderr).toContain('Usage: archive');
    expect((await runCli(['import'], env())).code).toBe(2);
    expect((await runCli(['status'], { ARCHIVE_DATA_DIR: source, EVENT_STORE: 'mongo' })).code).toBe(2);
  });
});
