import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { briefingStream } from '@archive/domain';
import {
  briefingUpcasters,
  KurrentDbEventStore,
  SqliteEventStore,
  UpcasterRegistry,
  UpcastingEventStore,
  type EventStore,
  type NewEvent,
} from '@archive/event-store';
import { startKurrentDbTestServer, type KurrentDbTestServer } from '@archive/event-store/testing';
import type { QueryBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError } from '../queries/not-found.error.js';
import { AuditService, type VerifyProgress } from './audit.service.js';

/** Verifying needs no queries; proofs are covered over HTTP (test/audit.e2e-spec.ts). */
const noQueries = {} as QueryBus;

function statements(count: number, schemaVersion = 1): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    eventId: randomUUID(),
    type: 'StatementRecorded',
    // Version 0 had one `topic` and a `speaker`: the upcaster rewrites them on every read.
    data:
      schemaVersion === 0
        ? { statementId: randomUUID(), speaker: 'mumtaz-zahra-baloch', text: `Remark ${index}.`, topic: 'ttp' }
        : { statementId: randomUUID(), speakerId: 'mumtaz-zahra-baloch', text: `Remark ${index}.`, topics: ['ttp'] },
    metadata: { correlationId: 'test', causationId: 'test', actor: 'test', schemaVersion },
    recordedAt: '2024-01-11T10:00:00.000Z',
  }));
}

/** The store as the application builds it: read through the upcasters. */
const upcasting = (raw: EventStore) => new UpcastingEventStore(raw, new UpcasterRegistry(briefingUpcasters));

describe('AuditService', () => {
  let dir: string;
  const stores: EventStore[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-service-'));
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies the raw log page by page, up to the head as it was when it began, reporting progress', async () => {
    const raw = new SqliteEventStore({ filename: join(dir, `${randomUUID()}.db`) });
    stores.push(raw);
    const [a, b] = [briefingStream(randomUUID()), briefingStream(randomUUID())];
    // Version-0 events upcast on read: only the raw log still matches their hashes.
    await raw.appendToStream(a, statements(300, 0), 'no_stream');
    await raw.appendToStream(b, statements(1200), 'no_stream');
    await raw.appendToStream(a, statements(800), 299);

    const progress: VerifyProgress[] = [];
    let late: Promise<unknown> | undefined;
    const result = await new AuditService(upcasting(raw), noQueries).verify({
      onProgress: (step) => {
        // Written after the check began: beyond the head it verifies up to.
        late ??= raw.appendToStream(b, statements(5), 'any');
        progress.push(step);
      },
    });
    await late;
    expect(result).toEqual({ ok: true, streams: 2, events: 2300, firstMismatch: null });
    expect(progress).toEqual([
      { events: 1000, position: 1000, head: 2300 },
      { events: 2000, position: 2000, head: 2300 },
      { events: 2300, position: 2300, head: 2300 },
    ]);
    expect(await raw.headPosition()).toBe(2305);
  });

  describe('on KurrentDB, as the application configures it (briefing streams only)', () => {
    let server: KurrentDbTestServer;
    const [tampered, intact] = [randomUUID(), randomUUID()];

    beforeAll(async () => {
      server = await startKurrentDbTestServer({ statsIntervalMs: 0 });
      const raw = new KurrentDbEventStore({ connectionString: server.url, streamPrefixes: [briefingStream('')] });
      await raw.appendToStream(briefingStream(tampered), statements(3), 'no_stream');
      await raw.appendToStream(`other-${randomUUID()}`, statements(2), 'no_stream');
      await raw.appendToStream(briefingStream(intact), statements(2, 0), 'no_stream');
      await raw.appendToStream(briefingStream(tampered), statements(2), 2);
      await raw.close();
    });
    afterAll(async () => {
      await server.stop();
    });

    it('names the event changed in the server log, in the whole log and in its briefing, and not in another', async () => {
      const reopened = new KurrentDbEventStore({ connectionString: server.url, streamPrefixes: [briefingStream('')] });
      stores.push(reopened);
      const audit = new AuditService(upcasting(reopened), noQueries);
      expect(await audit.verify()).toEqual({ ok: true, streams: 2, events: 7, firstMismatch: null });

      const [, victim] = await reopened.readStream(briefingStream(tampered));
      expect(server.tamper(victim!.streamId, 1, { ...(victim!.data as object), text: 'Talks are under way.' })).toBe(true);
      const firstMismatch = {
        streamId: victim!.streamId,
        revision: 1,
        eventId: victim!.eventId,
        position: victim!.position,
        reason: 'its content does not match its hash',
      };
      expect(await audit.verify()).toEqual({ ok: false, streams: 2, events: 7, firstMismatch });
      expect(await audit.verify({ briefingId: tampered })).toEqual({ ok: false, streams: 1, events: 5, firstMismatch });
      expect(await audit.verify({ briefingId: intact })).toEqual({ ok: true, streams: 1, events: 2, firstMismatch: null });
      await expect(audit.verify({ briefingId: randomUUID() })).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
