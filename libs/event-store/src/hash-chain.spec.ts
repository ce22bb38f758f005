import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { NewEvent, StoredEvent } from './event-store.port.js';
import { canonicalEvent, canonicalJson, chainMetadata, eventHash, GENESIS_HASH, hashedMetadata, verifyChains } from './hash-chain.js';

const metadata = { correlationId: 'c', causationId: 'c', actor: 'test', schemaVersion: 1 };

function newEvent(eventId: string, data: unknown): NewEvent {
  return { eventId, type: 'StatementRecorded', data, metadata, recordedAt: '2024-01-11T10:00:00.000Z' };
}

/**
 * The canonical form as the README's auditor script writes it, for values JSON can hold: the
 * reference the fast writer must match byte for byte, so that every hash already stored holds.
 */
const auditorCanonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(auditorCanonical).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${auditorCanonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : (JSON.stringify(v) as string);

/** JSON values with awkward strings and keys: controls, quotes, lone surrogates, pairs, digits. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00', '😀', 'é', 'a', 'B', '9', '10') }),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    awkwardString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value')),
    fc.dictionary(awkwardString, tie('value')),
  ),
})).value;

/** Appends as an adapter does: chained to the stream's head, positions in the order given. */
function appendAll(appends: readonly { streamId: string; events: NewEvent[] }[]): StoredEvent[] {
  const log: StoredEvent[] = [];
  for (const { streamId, events } of appends) {
    const stream = log.filter((event) => event.streamId === streamId);
    const last = stream.at(-1);
    const chained = chainMetadata(streamId, events, { revision: last?.revision ?? -1, hash: last?.metadata.hash });
    events.forEach((event, index) => {
      log.push({
        ...event,
        streamId,
        revision: (last?.revision ?? -1) + 1 + index,
        position: log.length + 1,
        metadata: chained[index],
      });
    });
  }
  return log;
}

describe('canonicalJson', () => {
  it('sorts the keys of every object by UTF-16 code units, at every depth, and keeps array order', () => {
    const value = { b: 1, a: { z: [3, { y: 1, x: 2 }, 1], m: null }, B: true, '9': 'nine', '10': 'ten', é: 'e', z: 'z' };
    expect(canonicalJson(value)).toBe(
      '{"10":"ten","9":"nine","B":true,"a":{"m":null,"z":[3,{"x":2,"y":1},1]},"b":1,"z":"z","é":"e"}',
    );
  });

  it('orders by code units, not code points: a surrogate pair sorts before U+FB01', () => {
    // U+1F600 is \uD83D\uDE00 in UTF-16, below \uFB01; by code point it would come after.
    expect(canonicalJson({ '\uFB01': 1, '😀': 2 })).toBe('{"😀":2,"ﬁ":1}');
  });

  it("writes strings exactly as JSON.stringify does: unicode as is, quotes, controls and lone surrogates escaped", () => {
    const strings = ['ہفتہ وار پریس بریفنگ — “quoted”', 'back\\slash "q" \n\t\u0001\u001f', '\uD800 lone', '\u2028\u2029', '🕊️'];
    for (const text of strings) {
      expect(canonicalJson(text)).toBe(JSON.stringify(text));
      expect(canonicalJson({ [text]: text })).toBe(`{${JSON.stringify(text)}:${JSON.stringify(text)}}`);
    }
    expect(canonicalJson('ہفتہ')).toBe('"ہفتہ"');
  });

  it('writes numbers as JSON.stringify does, with no whitespace anywhere', () => {
    expect(canonicalJson([1e21, -0, 0.1, 1 / 3, -5, NaN, Infinity])).toBe('[1e+21,0,0.1,0.3333333333333333,-5,null,null]');
    expect(canonicalJson({ a: [1, { b: [] }], c: {} })).toBe('{"a":[1,{"b":[]}],"c":{}}');
  });

  it('gives a value and its JSON round trip the same form, as storing an event does', () => {
    const value = {
      when: new Date('2024-01-11T10:00:00.000Z'),
      gone: undefined,
      fn: () => 1,
      list: [undefined, 1, () => 2],
      boxed: Object('text') as unknown,
      nested: { deep: { deeper: ['a', { k: undefined, l: 'x' }] } },
    };
    const roundTrip: unknown = JSON.parse(JSON.stringify(value));
    expect(canonicalJson(value)).toBe(canonicalJson(roundTrip));
    expect(canonicalJson(value)).toBe(
      '{"boxed":"text","list":[null,1,null],"nested":{"deep":{"deeper":["a",{"l":"x"}]}},"when":"2024-01-11T10:00:00.000Z"}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('writes what the auditor script writes for any JSON value, byte for byte', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(canonicalJson(value)).toBe(auditorCanonical(value));
        // Storing is JSON.stringify then JSON.parse: the form survives it.
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('writes a hole in an array as null, as JSON.stringify and so the stored data have it', () => {
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    const sparse = [1, , 3];
    expect(canonicalJson(sparse)).toBe('[1,null,3]');
    expect(canonicalJson(sparse)).toBe(canonicalJson(JSON.parse(JSON.stringify(sparse))));
  });

  it('refuses what has no JSON form', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
    // A shared, acyclic object is fine.
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});

describe('eventHash', () => {
  const known = {
    type: 'StatementRecorded',
    streamId: 'briefing-7d1c6f0e-2b4a-4c8e-9f10-3a5b7c9d1e2f',
    revision: 0,
    eventId: '5b0e7c4a-3f1d-4e2a-9c7b-1a2b3c4d5e6f',
    recordedAt: '2024-01-11T10:00:00.000Z',
    data: { topics: ['ttp'], text: 'No dialogue with the TTP — “none”.' },
    prevHash: GENESIS_HASH,
  };

  it('matches a known answer computed outside this code', () => {
    /*
     * printf '%s' '{"data":{"text":"No dialogue with the TTP — “none”.","topics":["ttp"]},"eventId":"5b0e7c4a-3f1d-4e2a-9c7b-1a2b3c4d5e6f","metadata":{"actor":"editor","causationId":"9f1c0000-0000-4000-8000-000000000002","correlationId":"9f1c0000-0000-4000-8000-000000000001","schemaVersion":1},"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","recordedAt":"2024-01-11T10:00:00.000Z","revision":0,"streamId":"briefing-7d1c6f0e-2b4a-4c8e-9f10-3a5b7c9d1e2f","type":"StatementRecorded"}' | sha256sum
     * b96c762610652af8f612e9828937ed0823d6572c6eb70e178c2d49d73457d604  -
     */
    const metadata = {
      correlationId: '9f1c0000-0000-4000-8000-000000000001',
      causationId: '9f1c0000-0000-4000-8000-000000000002',
      actor: 'editor',
      schemaVersion: 1,
    };
    expect(eventHash({ ...known, metadata })).toBe('b96c762610652af8f612e9828937ed0823d6572c6eb70e178c2d49d73457d604');
  });

  it('matches a known answer for an event appended before metadata was hashed', () => {
    /*
     * printf '%s' '{"data":{"text":"No dialogue with the TTP — “none”.","topics":["ttp"]},"eventId":"5b0e7c4a-3f1d-4e2a-9c7b-1a2b3c4d5e6f","prevHash":"0000000000000000000000000000000000000000000000000000000000000000","recordedAt":"2024-01-11T10:00:00.000Z","revision":0,"streamId":"briefing-7d1c6f0e-2b4a-4c8e-9f10-3a5b7c9d1e2f","type":"StatementRecorded"}' | sha256sum
     * eaebe634aa4a5e99304c3bf10a076461584826c1f7e73dc69d88a6917fc65ed0  -
     */
    expect(eventHash({ ...known, metadata: undefined })).toBe('eaebe634aa4a5e99304c3bf10a076461584826c1f7e73dc69d88a6917fc65ed0');
  });

  it('hashes the canonical form of the eight fields (seven before metadata was hashed), whatever the data and the strings', () => {
    const fields = fc.record({
      streamId: awkwardString,
      revision: fc.integer({ min: 0 }),
      eventId: awkwardString,
      type: awkwardString,
      recordedAt: awkwardString,
      data: jsonValue,
      metadata: fc.option(fc.dictionary(awkwardString, jsonValue), { nil: undefined }),
      prevHash: fc.oneof(fc.constant(GENESIS_HASH), fc.stringMatching(/^[0-9a-f]{64}$/)),
    });
    fc.assert(
      fc.property(fields, (hashed) => {
        const { metadata, ...seven } = hashed;
        const text = auditorCanonical(metadata === undefined ? seven : hashed);
        expect(canonicalEvent(hashed)).toBe(text);
        expect(eventHash(hashed)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('hashes an absent data as null, as the stores keep it', () => {
    const fields = { streamId: 's', revision: 0, eventId: 'e', type: 't', recordedAt: 'r', metadata: { actor: 'a' }, prevHash: GENESIS_HASH };
    expect(eventHash({ ...fields, data: undefined })).toBe(eventHash({ ...fields, data: null }));
    expect(eventHash({ ...fields, data: null })).not.toBe(eventHash({ ...fields, data: {} }));
  });
});

describe('chainMetadata', () => {
  it('links each event to the one before, from genesis, and replaces caller-supplied hashes', () => {
    const supplied = { ...newEvent('e1', { n: 1 }), metadata: { ...metadata, prevHash: 'f'.repeat(64), hash: 'e'.repeat(64), note: 'kept' } };
    const [first, second] = chainMetadata('s-1', [supplied, newEvent('e2', { n: 2 })], { revision: -1 });
    expect(first).toEqual({ ...metadata, note: 'kept', prevHash: GENESIS_HASH, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(first!.hash).toBe(
      eventHash({
        streamId: 's-1',
        revision: 0,
        eventId: 'e1',
        type: 'StatementRecorded',
        recordedAt: supplied.recordedAt,
        data: { n: 1 },
        metadata: { ...metadata, note: 'kept' },
        prevHash: GENESIS_HASH,
      }),
    );
    expect(second!.prevHash).toBe(first!.hash);
  });

  it("continues from the stream's head revision and hash", () => {
    const whole = chainMetadata('s-1', [newEvent('e1', 1), newEvent('e2', 2)], { revision: -1 });
    const [continued] = chainMetadata('s-1', [newEvent('e2', 2)], { revision: 0, hash: whole[0]!.hash });
    expect(continued).toEqual(whole[1]);
  });
});

describe('verifyChains', () => {
  const log = (): StoredEvent[] =>
    appendAll([
      { streamId: 'a', events: [newEvent('a0', { n: 0 }), newEvent('a1', { n: 1 })] },
      { streamId: 'b', events: [newEvent('b0', { n: 0 })] },
      { streamId: 'a', events: [newEvent('a2', { n: 2 }), newEvent('a3', { n: 3 })] },
      { streamId: 'b', events: [newEvent('b1', { n: 1 })] },
    ]);

  it('holds over interleaved streams, from an array or an async iterable', async () => {
    const events = log();
    const expected = { ok: true, streams: 2, events: 6, firstMismatch: null };
    expect(await verifyChains(events)).toEqual(expected);
    async function* pages() {
      yield* events.slice(0, 3);
      yield* events.slice(3);
    }
    expect(await verifyChains(pages())).toEqual(expected);
    expect(await verifyChains([])).toEqual({ ok: true, streams: 0, events: 0, firstMismatch: null });
  });

  it('names an event whose data was changed, and counts every event', async () => {
    const events = log();
    const index = events.findIndex((event) => event.eventId === 'a2');
    events[index] = { ...events[index]!, data: { n: 20 } };
    expect(await verifyChains(events)).toEqual({
      ok: false,
      streams: 2,
      events: 6,
      firstMismatch: { streamId: 'a', revision: 2, eventId: 'a2', position: events[index]!.position, reason: 'its content does not match its hash' },
    });
  });

  it('names an event whose metadata was changed: who recorded it, under which schema version', async () => {
    for (const edit of [{ actor: 'someone-else' }, { schemaVersion: 0 }, { note: 'added' }]) {
      const events = log();
      const index = events.findIndex((event) => event.eventId === 'a1');
      events[index] = { ...events[index]!, metadata: { ...events[index]!.metadata, ...edit } };
      expect((await verifyChains(events)).firstMismatch).toMatchObject({ eventId: 'a1', reason: 'its content does not match its hash' });
    }
  });

  it('holds for events appended before metadata was hashed, and still names their edited data', async () => {
    // Stream `a` as an earlier version wrote it: each hash over the seven fields, without metadata.
    let prevHash = GENESIS_HASH;
    const legacy = log()
      .filter((event) => event.streamId === 'a')
      .map((event) => {
        const { streamId, revision, eventId, type, recordedAt, data } = event;
        const hash = eventHash({ streamId, revision, eventId, type, recordedAt, data, metadata: undefined, prevHash });
        const stored = { ...event, metadata: { ...event.metadata, prevHash, hash } };
        prevHash = hash;
        return stored;
      });
    expect(await verifyChains(legacy)).toEqual({ ok: true, streams: 1, events: 4, firstMismatch: null });
    legacy[1] = { ...legacy[1]!, data: { n: 10 } };
    expect((await verifyChains(legacy)).firstMismatch).toMatchObject({ eventId: 'a1', reason: 'its content does not match its hash' });
  });

  it('names the event after a deleted one', async () => {
    const events = log().filter((event) => event.eventId !== 'a1');
    const result = await verifyChains(events);
    expect(result.firstMismatch).toMatchObject({ streamId: 'a', revision: 2, eventId: 'a2' });
    expect(result.firstMismatch?.reason).toBe('expected revision 1 here, found revision 2: an event is missing or out of order');
  });

  it('names the first of two events whose revisions were swapped', async () => {
    const events = log().map((event) =>
      event.eventId === 'a1' ? { ...event, revision: 2 } : event.eventId === 'a2' ? { ...event, revision: 1 } : event,
    );
    expect((await verifyChains(events)).firstMismatch).toMatchObject({ streamId: 'a', revision: 2, eventId: 'a1' });
  });

  it('names an event re-hashed after a change: its successor no longer links to it', async () => {
    const events = log();
    const index = events.findIndex((event) => event.eventId === 'b0');
    const forged = { ...events[index]!, data: { n: 99 } };
    const { streamId, revision, eventId, type, recordedAt, data } = forged;
    const hash = eventHash({ streamId, revision, eventId, type, recordedAt, data, metadata: hashedMetadata(forged.metadata), prevHash: GENESIS_HASH });
    events[index] = { ...forged, metadata: { ...forged.metadata, hash } };
    const result = await verifyChains(events);
    expect(result.firstMismatch).toMatchObject({ streamId: 'b', revision: 1, eventId: 'b1' });
    expect(result.firstMismatch?.reason).toBe('its prevHash is not the hash of revision 0');
  });

  it('names an event without a chain, and a first event that does not start from genesis', async () => {
    const events = log();
    const { prevHash: _prevHash, hash: _hash, ...bare } = events[0]!.metadata;
    expect((await verifyChains([{ ...events[0]!, metadata: bare }])).firstMismatch).toMatchObject({
      eventId: 'a0',
      reason: 'it carries no hash chain (prevHash and hash)',
    });
    const relinked = { ...events[0]!, metadata: { ...events[0]!.metadata, prevHash: 'f'.repeat(64) } };
    expect((await verifyChains([relinked])).firstMismatch).toMatchObject({ eventId: 'a0', reason: 'its prevHash is not the genesis hash' });
  });
});
