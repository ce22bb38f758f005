import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startKurrentDbTestServer, type KurrentDbTestServer } from '@archive/event-store/testing';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { freePort, startService, type ServiceProcess } from '../support/service-process.js';

/**
 * The production topology in one run: the log in KurrentDB over real gRPC (the in-test server,
 * or the real one named by KURRENTDB_URL), the
 * read models in the machine's PostgreSQL, one projector process and two API processes with
 * projections off. Writes go through one API; reads through the other, with X-Min-Position.
 */
describe('production topology: KurrentDB, PostgreSQL, a projector and two API replicas', () => {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `topology_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const realKurrentDb = process.env.KURRENTDB_URL;
  let kurrentdb: KurrentDbTestServer | undefined;
  const processes: ServiceProcess[] = [];
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    if (!realKurrentDb) kurrentdb = await startKurrentDbTestServer();
    const env = {
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: realKurrentDb ?? kurrentdb!.url,
      READ_STORE: 'postgres',
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      HOST: '127.0.0.1',
    };
    const [writerPort, readerPort] = [await freePort(), await freePort()];
    const started = await Promise.all([
      startService('projector', env, /projector running/),
      startService('api', { ...env, PROJECTIONS: 'off', PORT: String(writerPort) }, /listening on/),
      startService('api', { ...env, PROJECTIONS: 'off', PORT: String(readerPort) }, /listening on/),
    ]);
    processes.push(...started);
    writer = `http://127.0.0.1:${writerPort}`;
    reader = `http://127.0.0.1:${readerPort}`;
  });

  afterAll(async () => {
    const codes = await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    await kurrentdb?.stop();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    expect(codes).toEqual(processes.map(() => 0));
  });

  const importSample = async (file: string) => {
    const response = await fetch(`${writer}/api/briefings/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: await readFile(file, 'utf8'),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { briefingId: string; events: number; position: number };
  };

  it('imports through one API and reads the timelines through the other, once the projector has caught up', async () => {
    const december = await importSample('data/samples/2023-12-fo-briefing.json');
    const january = await importSample('data/samples/2024-01-fo-briefing.json');
    expect(january.position).toBeGreaterThan(december.position);

    const headers = { 'X-Min-Position': String(january.position) };
    const timeline = await fetch(`${reader}/api/topics/ttp`, { headers });
    expect(timeline.status).toBe(200);
    const ttp = (await timeline.json()) as { mentions: number; items: { briefingId: string; heldOn: string }[] };
    const days = ttp.items.map((item) => item.heldOn);
    expect(days).toEqual([...days].sort());
    expect(ttp.items[0]?.briefingId).toBe(december.briefingId);
    expect(ttp.items.at(-1)?.briefingId).toBe(january.briefingId);
    expect(new Set(ttp.items.map((item) => item.briefingId))).toEqual(new Set([december.briefingId, january.briefingId]));

    const profile = await fetch(`${reader}/api/spokespersons/mumtaz-zahra-baloch`, { headers });
    expect(profile.status).toBe(200);
    expect(((await profile.json()) as { briefings: number }).briefings).toBe(2);

    const found = await fetch(`${reader}/api/search?q=dialogue`, { headers });
    expect(((await found.json()) as { items: { briefingId: string }[] }).items[0]?.briefingId).toBe(december.briefingId);
  });

  it('keeps both replicas consistent: a re-sent import is one log entry, and the log reads alike on both', async () => {
    const again = await importSample('data/samples/2024-01-fo-briefing.json');
    const [fromWriter, fromReader] = await Promise.all(
      [writer, reader].map(async (base) => {
        const response = await fetch(`${base}/api/briefings/${again.briefingId}/events?limit=500`);
        return ((await response.json()) as { items: { eventId: string; position: number }[] }).items;
      }),
    );
    expect(fromReader).toEqual(fromWriter);
    expect(fromWriter).toHaveLength(again.events);
  });

  it('reports each store as up on both replicas', async () => {
    for (const base of [writer, reader]) {
      const health = (await (await fetch(`${base}/health`)).json()) as { status: string; details: Record<string, { status: string }> };
      expect(health.status).toBe('ok');
      expect(health.details.eventStore?.status).toBe('up');
      expect(health.details.readStore?.status).toBe('up');
    }
  });

  it('counts lag in events, though KurrentDB positions are log offsets', async () => {
    const projector = processes[0]!;
    expect(await projector.stop('SIGTERM')).toBe(0);
    const briefingId = randomUUID();
    const imported = await fetch(`${writer}/api/briefings/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        briefingId,
        heldOn: '2024-01-18',
        location: 'Islamabad',
        organization: 'Ministry of Foreign Affairs',
        spokesperson: { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch' },
        statements: [{ text: 'Pakistan has no plans to hold talks with the TTP.', topics: ['ttp'] }],
      }),
    });
    const { events, position } = (await imported.json()) as { events: number; position: number };
    expect(events).toBe(3);
    const { items: states } = (await (await fetch(`${reader}/api/projections`)).json()) as { items: { name: string; position: number; lag: number }[] };
    expect(states.length).toBeGreaterThan(0);
    for (const state of states) {
      expect(position - state.position).toBeGreaterThan(events);
      expect(state.lag).toBe(events);
    }
  });
});
