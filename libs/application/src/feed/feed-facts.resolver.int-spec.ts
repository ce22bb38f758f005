import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { briefingStream } from '@archive/domain';
import { SqliteEventStore, type StoredEvent } from '@archive/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedFactsResolver } from './feed-facts.resolver.js';

let dir: string;
let store: SqliteEventStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feed-facts-'));
});
afterEach(async () => {
  await store?.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const speaker = 'mumtaz-zahra-baloch';

async function append(briefingId: string, events: { type: string; data: Record<string, unknown> }[]): Promise<void> {
  await store.appendToStream(
    briefingStream(briefingId),
    events.map((event) => ({
      eventId: randomUUID(),
      type: event.type,
      data: { briefingId, ...event.data },
      metadata: { correlationId: 'test', causationId: 'test', actor: 'test', schemaVersion: 1 },
      recordedAt: '2024-01-11T10:00:00.000Z',
    })),
    'any',
  );
}

/** A briefing whose statement is tagged `ttp`, corrected to `kabul`, then retracted. */
async function briefingWithHistory(): Promise<{ briefingId: string; statementId: string }> {
  const briefingId = randomUUID();
  const statementId = randomUUID();
  await append(briefingId, [
    { type: 'BriefingOpened', data: { heldOn: '2024-01-11', location: 'Islamabad', organization: 'MoFA', spokesperson: { id: speaker, name: 'M' } } },
    { type: 'StatementRecorded', data: { statementId, speakerId: speaker, text: 'On the TTP.', topics: ['ttp'], verbatim: true } },
  ]);
  await append(randomUUID(), [
    { type: 'BriefingOpened', data: { heldOn: '2024-01-12', location: 'Islamabad', organization: 'MoFA', spokesperson: { id: 'someone-else', name: 'S' } } },
  ]);
  await append(briefingId, [
    { type: 'RemarkCorrected', data: { remarkId: statementId, version: 2, text: 'On Kabul.', reason: 'typo', topics: ['kabul'] } },
    { type: 'RemarkRetracted', data: { remarkId: statementId, reason: 'withdrawn' } },
    { type: 'BriefingClosed', data: {} },
  ]);
  return { briefingId, statementId };
}

function open(): SqliteEventStore {
  store = new SqliteEventStore({ filename: join(dir, `${randomUUID()}.sqlite`) });
  return store;
}

describe('FeedFactsResolver', () => {
  it('describes each event from its stream as it stood then, reading the stream only after a gap', async () => {
    open();
    await briefingWithHistory();
    const log = await store.readAll();
    const reads = jest.spyOn(store, 'readStream');

    const fromTheStart = new FeedFactsResolver(store);
    const described = [];
    for (const event of log) described.push({ type: event.type, ...(await fromTheStart.describe(event)) });
    expect(described).toEqual([
      { type: 'BriefingOpened', topics: [], speakers: [speaker] },
      { type: 'StatementRecorded', topics: ['ttp'], speakers: [speaker] },
      { type: 'BriefingOpened', topics: [], speakers: ['someone-else'] },
      { type: 'RemarkCorrected', topics: ['ttp', 'kabul'], speakers: [speaker] },
      { type: 'RemarkRetracted', topics: ['kabul'], speakers: [speaker] },
      { type: 'BriefingClosed', topics: [], speakers: [speaker] },
    ]);
    expect(reads).not.toHaveBeenCalled();

    // Joining the log at the correction (a resume, a restart): the history before it is read once.
    const midway = new FeedFactsResolver(store);
    const [correction, retraction, closing] = log.slice(3) as [StoredEvent, StoredEvent, StoredEvent];
    expect(await midway.describe(correction)).toEqual({ topics: ['ttp', 'kabul'], speakers: [speaker] });
    expect(await midway.describe(retraction)).toEqual({ topics: ['kabul'], speakers: [speaker] });
    expect(await midway.describe(closing)).toEqual({ topics: [], speakers: [speaker] });
    expect(reads).toHaveBeenCalledTimes(1);

    // An event out of order is described from its own past, not from what came after it.
    expect(await midway.describe(correction)).toEqual({ topics: ['ttp', 'kabul'], speakers: [speaker] });
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('keeps a bounded number of streams folded', async () => {
    open();
    const briefings = [await briefingWithHistory(), await briefingWithHistory()];
    const log = await store.readAll();
    const resolver = new FeedFactsResolver(store, 1);
    const reads = jest.spyOn(store, 'readStream');
    for (const event of log) await resolver.describe(event);
    // With room for one stream, the two briefings' interleaved events evict each other.
    expect(reads.mock.calls.length).toBeGreaterThan(0);
    expect(new Set(reads.mock.calls.map(([streamId]) => streamId))).toEqual(new Set(briefings.map((b) => briefingStream(b.briefingId))));
  });
});
