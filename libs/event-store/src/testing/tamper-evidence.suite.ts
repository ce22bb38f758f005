import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventStore, StoredEvent } from '../event-store.port.js';
import { verifyChains } from '../hash-chain.js';
import { newTestEvent } from './event-store.contract.js';

/** A store over a log of its own, and ways to change that log behind the store's back. */
export interface TamperableStore {
  readonly store: EventStore;
  /** Rewrites the stored data of one event. */
  editData(streamId: string, revision: number, data: unknown): Promise<void>;
  /** Rewrites the stored metadata of one event, its `prevHash` and `hash` included. */
  editMetadata(streamId: string, revision: number, metadata: unknown): Promise<void>;
  /** Removes one event. */
  deleteEvent(streamId: string, revision: number): Promise<void>;
  /** Swaps the revisions of two events of a stream; each keeps its place in the log. */
  swapRevisions(streamId: string, revisionA: number, revisionB: number): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * What an attacker with access to the storage can do, and `verifyChains` over the store's raw
 * log naming exactly the event that gives it away. Runs against adapters whose storage a test
 * can reach (an SQLite file, the in-test KurrentDB server).
 */
export function tamperEvidenceSuite(name: string, create: () => Promise<TamperableStore>): void {
  describe(`${name}: tamper evidence`, () => {
    let target: TamperableStore;
    const a = `briefing-${randomUUID()}`;
    const b = `briefing-${randomUUID()}`;
    const said = (n: number) => ({ text: `Remark ${n}: there is no dialogue with the TTP.`, topics: ['ttp'] });

    /** Two streams, interleaved: a0 a1 b0 a2 a3 b1 a4 in log order. */
    beforeEach(async () => {
      target = await create();
      const { store } = target;
      await store.appendToStream(a, [newTestEvent({ data: said(0) }), newTestEvent({ data: said(1) })], 'no_stream');
      await store.appendToStream(b, [newTestEvent({ data: said(10) })], 'no_stream');
      await store.appendToStream(a, [newTestEvent({ data: said(2) }), newTestEvent({ data: said(3) })], 1);
      await store.appendToStream(b, [newTestEvent({ data: said(11) })], 0);
      await store.appendToStream(a, [newTestEvent({ data: said(4) })], 3);
    });

    afterEach(async () => {
      await target.dispose();
    });

    const log = (): Promise<StoredEvent[]> => target.store.readAll({ limit: 10_000 });
    const eventOf = async (revision: number): Promise<StoredEvent> =>
      (await target.store.readStream(a)).find((event) => event.revision === revision) as StoredEvent;

    it('finds an untouched log intact', async () => {
      expect(await verifyChains(await log())).toEqual({ ok: true, streams: 2, events: 7, firstMismatch: null });
    });

    it('names the event whose data was edited in place, by one character', async () => {
      const edited = await eventOf(2);
      await target.editData(a, 2, { ...said(2), text: said(2).text.replace('.', '!') });
      expect((await eventOf(2)).data).not.toEqual(edited.data);
      expect(await verifyChains(await log())).toEqual({
        ok: false,
        streams: 2,
        events: 7,
        firstMismatch: { streamId: a, revision: 2, eventId: edited.eventId, position: edited.position, reason: 'its content does not match its hash' },
      });
    });

    it('names the event whose metadata was edited in place: who recorded it, its schema version', async () => {
      const edited = await eventOf(2);
      for (const change of [{ actor: 'someone-else' }, { schemaVersion: 0 }]) {
        // The chain's own fields are kept: only what the event says about itself changes.
        await target.editMetadata(a, 2, { ...edited.metadata, ...change });
        expect(await eventOf(2)).toMatchObject({ metadata: change, recordedAt: edited.recordedAt, data: edited.data });
        expect((await verifyChains(await log())).firstMismatch).toEqual({
          streamId: a,
          revision: 2,
          eventId: edited.eventId,
          position: edited.position,
          reason: 'its content does not match its hash',
        });
      }
    });

    it('names the event that follows a deleted one', async () => {
      const next = await eventOf(3);
      await target.deleteEvent(a, 2);
      const result = await verifyChains(await log());
      expect(result).toMatchObject({ ok: false, streams: 2, events: 6 });
      expect(result.firstMismatch).toEqual({
        streamId: a,
        revision: 3,
        eventId: next.eventId,
        position: next.position,
        reason: 'expected revision 2 here, found revision 3: an event is missing or out of order',
      });
    });

    it('names the earlier of two events whose order was swapped, under the revision it now has', async () => {
      const [moved, other] = [await eventOf(1), await eventOf(3)];
      await target.swapRevisions(a, 1, 3);
      expect((await eventOf(1)).eventId).toBe(other.eventId);
      const result = await verifyChains(await log());
      expect(result).toMatchObject({ ok: false, events: 7 });
      expect(result.firstMismatch).toMatchObject({ streamId: a, revision: 3, eventId: moved.eventId, position: moved.position });
    });
  });
}
