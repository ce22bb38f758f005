import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventHash, GENESIS_HASH } from '@archive/event-store';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Envelope as StoredEnvelope } from './support/feed-client.js';
import { expectFieldErrors, expectProblem } from './support/http.js';
import { createTestApp, DECEMBER_SAMPLE, JANUARY_SAMPLE, readSample, type SampleBriefing, type TestApp } from './support/test-app.js';

/** A stored envelope, whose metadata carries its place in the stream's hash chain. */
type Envelope = StoredEnvelope & { metadata: { prevHash: string; hash: string } };

interface Proof {
  remarkId: string;
  briefingId: string;
  streamId: string;
  algorithm: string;
  genesis: string;
  canonicalForm: string;
  head: { revision: number; hash: string };
  events: Envelope[];
  chain: Envelope[];
}

/** The auditor script exactly as the README shows it. */
async function readmeScript(): Promise<string> {
  const readme = await readFile('README.md', 'utf8');
  const block = /<!-- auditor-script:start -->\s*```js\n([\s\S]*?)```\s*<!-- auditor-script:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no auditor script between the auditor-script markers');
  return block[1]!;
}

const execFileAsync = promisify(execFile);

/** Runs `node <args>` with `input` on stdin, as an auditor would; a non-zero exit is an answer, not a failure. */
async function node(args: readonly string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = execFileAsync(process.execPath, args);
  run.child.stdin?.end(input);
  try {
    return { code: 0, ...(await run) };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number | null; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('auditing the log: hash chains, verify and proofs', () => {
  let t: TestApp;
  let work: string;
  let script: string;
  let december: SampleBriefing;
  let january: SampleBriefing;
  /** The December statement, corrected once. */
  let statementId: string;
  /** A December answer, retracted. */
  let answerId: string;
  /** The global position of the last command: what the read models must reach. */
  let head: number;

  beforeAll(async () => {
    t = await createTestApp();
    work = await mkdtemp(join(tmpdir(), 'briefing-archive-audit-'));
    script = join(work, 'check-proof.mjs');
    await writeFile(script, await readmeScript());
    [december, january] = await Promise.all([readSample(DECEMBER_SAMPLE), readSample(JANUARY_SAMPLE)]);
    await t.http.post('/api/briefings/import').send(december).expect(201);
    await t.http.post('/api/briefings/import').send(january).expect(201);
    statementId = december.statements[0]!.statementId;
    answerId = december.questions[1]!.answers[0]!.answerId;
    await t.http
      .post(`/api/briefings/${december.briefingId}/remarks/${statementId}/corrections`)
      .send({ text: 'Pakistan has made it clear that there is no dialogue with the TTP.', reason: 'Checked against the recording' })
      .expect(201);
    const retracted = await t.http
      .post(`/api/briefings/${december.briefingId}/remarks/${answerId}/retractions`)
      .send({ reason: 'Withdrawn by the ministry' })
      .expect(201);
    head = retracted.body.position as number;
  });

  afterAll(async () => {
    await t?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const proofOf = async (remarkId: string): Promise<Proof> => {
    const response = await t.http.get(`/api/remarks/${remarkId}/proof`).set('X-Min-Position', String(head));
    expect(response.status).toBe(200);
    return response.body as Proof;
  };

  const check = async (proof: unknown) => {
    const file = join(work, `${randomUUID()}.json`);
    await writeFile(file, JSON.stringify(proof));
    return node([script, file]);
  };

  it('answers a remark proof with its own events and the whole chain of its briefing, as stored', async () => {
    const proof = await proofOf(statementId);
    const streamId = `briefing-${december.briefingId}`;
    expect(proof).toMatchObject({
      remarkId: statementId,
      briefingId: december.briefingId,
      streamId,
      algorithm: 'sha256',
      genesis: '0'.repeat(64),
      canonicalForm: expect.stringContaining('SHA-256'),
    });
    // Seven imported events, a correction and a retraction.
    expect(proof.chain.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(proof.head).toEqual({ revision: 8, hash: proof.chain[8]!.metadata.hash });
    expect(proof.chain[0]!.metadata.prevHash).toBe(proof.genesis);
    for (let i = 1; i < proof.chain.length; i++) expect(proof.chain[i]!.metadata.prevHash).toBe(proof.chain[i - 1]!.metadata.hash);
    expect(proof.events.map((event) => event.type)).toEqual(['StatementRecorded', 'RemarkCorrected']);
    // Opened, the statement (1), two questions and answers, closed, the correction (7), the retraction (8).
    expect(proof.events).toEqual([proof.chain[1], proof.chain[7]]);

    // The chain is the stream as the log holds it.
    const stream = await t.http.get(`/api/briefings/${december.briefingId}/events?limit=500`).expect(200);
    expect(stream.body.items).toEqual(proof.chain);

    const retracted = await proofOf(answerId);
    expect(retracted.events).toEqual([proof.chain[5], proof.chain[8]]);
    expect(retracted.events.map((event) => event.type)).toEqual(['AnswerGiven', 'RemarkRetracted']);
    expect(retracted.chain).toEqual(proof.chain);
  });

  it("passes the README's standalone auditor script, from a file and from stdin", async () => {
    const proof = await proofOf(statementId);
    const run = await check(proof);
    expect(run).toEqual({ code: 0, stdout: `OK 9 events of ${proof.streamId}, head ${proof.head.hash}\n`, stderr: '' });
    const piped = await node([script], JSON.stringify(await proofOf(answerId)));
    expect(piped).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK 9 events/) });
  });

  it('fails the auditor script when one character of the data is changed, naming the event', async () => {
    const proof = await proofOf(statementId);
    const correction = proof.chain.find((event) => event.type === 'RemarkCorrected')!;
    const text = String(correction.data.text);
    correction.data.text = text.replace('TTP', 'TTQ');
    expect(correction.data.text).not.toBe(text);
    const forged = await check(proof);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toBe(`BAD ${proof.streamId} revision ${correction.revision} event ${correction.eventId}: content does not match its hash\n`);

    // The remark's own events must be the chain's, unchanged: a doctored copy there fails too.
    const other = await proofOf(statementId);
    const listed = other.events.find((event) => event.type === 'RemarkCorrected')!;
    listed.data.text = String(listed.data.text).replace('TTP', 'TTQ');
    const doctored = await check(other);
    expect(doctored.code).toBe(1);
    expect(doctored.stdout).toBe(`BAD ${other.streamId} revision ${listed.revision} event ${listed.eventId}: not in the chain as given\n`);
  });

  it('answers 404 for an unknown remark and 400 for one that is not a UUID', async () => {
    const unknown = await t.http.get(`/api/remarks/${randomUUID()}/proof`);
    expect(expectProblem(unknown, 404).code).toBe('REMARK_NOT_FOUND');
    expectFieldErrors(await t.http.get('/api/remarks/not-a-uuid/proof'), 'remarkId');
  });

  it('verifies a clean log, and one briefing alone', async () => {
    const all = await t.http.get('/api/audit/verify').expect(200);
    expect(all.body).toEqual({ ok: true, streams: 2, events: 19, firstMismatch: null });
    const one = await t.http.get(`/api/audit/verify?briefingId=${december.briefingId}`).expect(200);
    expect(one.body).toEqual({ ok: true, streams: 1, events: 9, firstMismatch: null });
  });

  it('refuses a briefingId that is not a UUID with 400, and an unknown briefing with 404', async () => {
    expectFieldErrors(await t.http.get('/api/audit/verify?briefingId=december'), 'briefingId');
    expectFieldErrors(await t.http.get('/api/audit/verify?briefingId=1&extra=2'), 'briefingId', 'extra');
    const unknown = await t.http.get(`/api/audit/verify?briefingId=${randomUUID()}`);
    expect(expectProblem(unknown, 404).code).toBe('BRIEFING_NOT_FOUND');
  });

  it('names exactly the event edited in the SQLite file, in the whole log and in its briefing only', async () => {
    const answer = (await t.http.get(`/api/briefings/${december.briefingId}/events?limit=500`).expect(200)).body.items.find(
      (event: Envelope) => event.type === 'AnswerGiven' && event.data.answerId === december.questions[0]!.answers[0]!.answerId,
    ) as Envelope;
    const file = new Database(join(t.dataDir, 'events.db'));
    try {
      const changed = file
        .prepare("UPDATE events SET data = json_set(data, '$.text', ?) WHERE event_id = ?")
        .run('There is dialogue taking place with TTP.', answer.eventId);
      expect(changed.changes).toBe(1);
    } finally {
      file.close();
    }

    const firstMismatch = {
      streamId: `briefing-${december.briefingId}`,
      revision: answer.revision,
      eventId: answer.eventId,
      position: answer.position,
      reason: 'its content does not match its hash',
    };
    const all = await t.http.get('/api/audit/verify').expect(200);
    expect(all.body).toEqual({ ok: false, streams: 2, events: 19, firstMismatch });
    const one = await t.http.get(`/api/audit/verify?briefingId=${december.briefingId}`).expect(200);
    expect(one.body).toEqual({ ok: false, streams: 1, events: 9, firstMismatch });
    const other = await t.http.get(`/api/audit/verify?briefingId=${january.briefingId}`).expect(200);
    expect(other.body).toEqual({ ok: true, streams: 1, events: 10, firstMismatch: null });

    // A proof served from the tampered log gives it away to an outsider too.
    const proof = await check(await proofOf(statementId));
    expect(proof.code).toBe(1);
    expect(proof.stdout).toContain(`revision ${answer.revision} event ${answer.eventId}: content does not match its hash`);
  });
});

describe('auditing an archive begun before 0.2, whose hashes do not cover metadata', () => {
  let dataDir: string;
  let work: string;
  let t: TestApp | undefined;

  afterAll(async () => {
    await t?.close();
    for (const dir of [dataDir, work]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('verifies its old events, the new ones chained after them, and their proof in the README script', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'briefing-archive-legacy-'));
    work = await mkdtemp(join(tmpdir(), 'briefing-archive-audit-'));
    const january = await readSample(JANUARY_SAMPLE);
    const first = await createTestApp({ ARCHIVE_DATA_DIR: dataDir });
    await first.http.post('/api/briefings/import').send(january).expect(201);
    await first.close();

    // Hashed again as 0.1 hashed them: the seven members, without metadata.
    const file = new Database(join(dataDir, 'events.db'));
    try {
      const rows = file.prepare('SELECT * FROM events ORDER BY position').all() as Record<string, string & number>[];
      let prevHash = GENESIS_HASH;
      for (const row of rows) {
        const { prevHash: _prev, hash: _hash, ...metadata } = JSON.parse(row.metadata) as Record<string, unknown>;
        const fields = { streamId: row.stream_id, revision: row.revision, eventId: row.event_id, type: row.type, recordedAt: row.recorded_at, data: JSON.parse(row.data) };
        const hash = eventHash({ ...fields, metadata: undefined, prevHash });
        file.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify({ ...metadata, prevHash, hash }), row.position);
        prevHash = hash;
      }
    } finally {
      file.close();
    }

    t = await createTestApp({ ARCHIVE_DATA_DIR: dataDir });
    const remarkId = january.statements[0]!.statementId;
    const corrected = await t.http
      .post(`/api/briefings/${january.briefingId}/remarks/${remarkId}/corrections`)
      .send({ text: 'Pakistan will not hold talks with the TTP.', reason: 'Checked against the recording' })
      .expect(201);
    expect((await t.http.get('/api/audit/verify').expect(200)).body).toEqual({ ok: true, streams: 1, events: 11, firstMismatch: null });

    const proof = await t.http.get(`/api/remarks/${remarkId}/proof`).set('X-Min-Position', String(corrected.body.position)).expect(200);
    const script = join(work, 'check-proof.mjs');
    await writeFile(script, await readmeScript());
    expect(await node([script], JSON.stringify(proof.body))).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK 11 events/) });
  });
});
