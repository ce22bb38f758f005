import { hash as digest } from 'node:crypto';
import type { EventMetadata, NewEvent, StoredEvent } from './event-store.port.js';

/** The `prevHash` of a stream's first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hash chain's canonical form in one sentence, for proofs and the README. */
export const CANONICAL_FORM =
  'hash = lowercase hex SHA-256 of the UTF-8 bytes of the JSON object {data, eventId, metadata, prevHash, recordedAt, ' +
  'revision, streamId, type} (data exactly as stored, null when absent; metadata as stored without its prevHash and ' +
  'hash members) written with the keys of every object sorted by UTF-16 code units, no whitespace, arrays in order, and ' +
  'strings and numbers written as JSON.stringify writes them; prevHash is the hash of the stream\'s previous event, or ' +
  `${GENESIS_HASH.length} zeros for revision 0. Events appended before metadata was hashed (before version 0.2 of the ` +
  'archive) were hashed without the metadata member.';

/**
 * JSON with the keys of every object sorted by UTF-16 code unit order, no whitespace, arrays in
 * order, and strings and numbers exactly as `JSON.stringify` writes them. Whatever JSON cannot
 * hold is treated as `JSON.stringify` treats it (`toJSON` is called; `undefined`, functions and
 * symbols are left out of objects and become `null` in arrays and at the top), so a value and
 * its JSON round trip have the same canonical form: the hash of an event survives being stored.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '', []) ?? 'null';
}

/**
 * Strings `JSON.stringify` writes as they are between quotes: without `"`, `\`, controls below
 * U+0020 and surrogates (it escapes only lone ones; a string with a pair goes through it, which
 * writes the pair as is).
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** A string as `JSON.stringify` writes it, without the call when there is nothing to escape (most strings). */
function quoted(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** Member names already written, as most events use the same few; bounded, whatever names come in. */
const quotedNames = new Map<string, string>();
const QUOTED_NAMES = 1_000;

function quotedName(name: string): string {
  let text = quotedNames.get(name);
  if (text === undefined) {
    text = quoted(name);
    if (quotedNames.size < QUOTED_NAMES) quotedNames.set(name, text);
  }
  return text;
}

/**
 * The canonical text of `value`, or undefined where JSON has no value (a member to leave out).
 * `key` is what `toJSON` is called with: the member's name, or the index in an array.
 * `ancestors` are the objects being written around it, to refuse a cycle as `JSON.stringify` does.
 */
function write(value: unknown, key: string | number, ancestors: object[]): string | undefined {
  // The common cases first; each writes what JSON.stringify would.
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(String(key));
  }
  // Everything else that is not an object, and boxed primitives: JSON.stringify's own writing
  // (and its TypeError for a BigInt).
  if (typeof value !== 'object' || value === null || value instanceof Number || value instanceof String || value instanceof Boolean) {
    return JSON.stringify(value);
  }
  if (ancestors.includes(value)) throw new TypeError('canonicalJson: a cyclic structure has no JSON form');
  ancestors.push(value);
  let text: string;
  if (Array.isArray(value)) {
    text = '[';
    // Indexed, not mapped: a hole is written as null, as JSON.stringify writes it.
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ',';
      text += write(value[index], index, ancestors) ?? 'null';
    }
    text += ']';
  } else {
    const names = Object.keys(value);
    // `>` compares UTF-16 code units, as the default sort() does; most objects need no sorting.
    for (let index = 1; index < names.length; index++) {
      if (names[index - 1]! > names[index]!) {
        names.sort();
        break;
      }
    }
    text = '{';
    for (const name of names) {
      const member = write((value as Record<string, unknown>)[name], name, ancestors);
      if (member === undefined) continue;
      if (text.length > 1) text += ',';
      text += `${quotedName(name)}:${member}`;
    }
    text += '}';
  }
  ancestors.pop();
  return text;
}

/** What an event's hash covers. */
export interface HashedFields {
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly recordedAt: string;
  /** As stored, before any upcasting. */
  readonly data: unknown;
  /**
   * As stored, without `prevHash` and `hash` (see `hashedMetadata`): who did it, why, under which
   * schema version. Undefined only to recompute the hash of an event appended before metadata was
   * hashed.
   */
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  readonly prevHash: string;
}

/** An event's metadata as its hash covers it: without the chain's own `prevHash` and `hash`. */
export function hashedMetadata(metadata: EventMetadata): Readonly<Record<string, unknown>> {
  if (!Object.hasOwn(metadata, 'prevHash') && !Object.hasOwn(metadata, 'hash')) return metadata;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- taken out, not used
  const { prevHash, hash, ...rest } = metadata;
  return rest;
}

/**
 * The canonical JSON of the hashed fields: the very text `canonicalJson` writes for the object
 * `{ streamId, revision, eventId, type, recordedAt, data, metadata, prevHash }`, written member by
 * member in the sorted order of their names instead of building and sorting that object.
 */
export function canonicalEvent(fields: HashedFields): string {
  const { streamId, revision, eventId, type, recordedAt, data, metadata, prevHash } = fields;
  let text = '{';
  const add = (name: string, value: unknown): void => {
    const member = write(value, name, []);
    if (member === undefined) return;
    if (text.length > 1) text += ',';
    text += `"${name}":${member}`;
  };
  // Both adapters store an absent data as null.
  add('data', data === undefined ? null : data);
  add('eventId', eventId);
  add('metadata', metadata);
  add('prevHash', prevHash);
  add('recordedAt', recordedAt);
  add('revision', revision);
  add('streamId', streamId);
  add('type', type);
  return `${text}}`;
}

/** SHA-256 (lowercase hex) of the canonical JSON of the hashed fields; see CANONICAL_FORM. */
export function eventHash(fields: HashedFields): string {
  // One call: no Hash object to create, feed and finish for a text of a few hundred bytes.
  return digest('sha256', canonicalEvent(fields), 'hex');
}

/** A stream's last event, as an adapter reads it just before an append. */
export interface ChainHead {
  /** -1 for a stream with no events. */
  readonly revision: number;
  /** Its `metadata.hash`; absent for no stream, or for an event written before hash chains existed. */
  readonly hash?: string;
}

/**
 * The metadata the events must be stored with when appended after `head`: each event's own
 * metadata plus `prevHash` and `hash`, replacing any the caller supplied. The first event links
 * to the head's hash (genesis for a new stream, or after a head written before hash chains, which
 * `verifyChains` reports).
 */
export function chainMetadata(streamId: string, events: readonly NewEvent[], head: ChainHead): EventMetadata[] {
  let prevHash = head.hash ?? GENESIS_HASH;
  return events.map((event, index) => {
    const hash = eventHash({
      streamId,
      revision: head.revision + 1 + index,
      eventId: event.eventId,
      type: event.type,
      recordedAt: event.recordedAt,
      data: event.data,
      metadata: hashedMetadata(event.metadata),
      prevHash,
    });
    const metadata: EventMetadata = { ...event.metadata, prevHash, hash };
    prevHash = hash;
    return metadata;
  });
}

/** The first event that breaks its stream's chain. */
export interface ChainMismatch {
  readonly streamId: string;
  /** The revision the event is stored with. */
  readonly revision: number;
  readonly eventId: string;
  readonly position: number;
  /** What is wrong with it, in words. */
  readonly reason: string;
}

export interface ChainVerification {
  /** True when every stream's chain holds. */
  readonly ok: boolean;
  /** Streams seen. */
  readonly streams: number;
  /** Events checked. */
  readonly events: number;
  /** The first bad event in log (position) order; null when `ok`. */
  readonly firstMismatch: ChainMismatch | null;
}

/** What is wrong with `event` given the stream's previous event, or undefined when it links and hashes correctly. */
function fault(event: StoredEvent, previous: { revision: number; hash: unknown } | undefined): string | undefined {
  const expectedRevision = previous ? previous.revision + 1 : 0;
  if (event.revision !== expectedRevision) {
    return `expected revision ${expectedRevision} here, found revision ${event.revision}: an event is missing or out of order`;
  }
  const { prevHash, hash } = event.metadata;
  if (typeof hash !== 'string' || typeof prevHash !== 'string') return 'it carries no hash chain (prevHash and hash)';
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (prevHash !== expectedPrev) {
    return previous ? `its prevHash is not the hash of revision ${previous.revision}` : 'its prevHash is not the genesis hash';
  }
  if (!hashMatches(event, prevHash, hash)) return 'its content does not match its hash';
  return undefined;
}

/**
 * Whether `hash` is the hash of the stored event linked to `prevHash`: with its metadata, or, for
 * an event appended before metadata was hashed, without. (Either way an edit shows: an edited
 * event's stored hash matches neither form, and a hash written afresh breaks the next link.)
 */
function hashMatches(event: StoredEvent, prevHash: string, hash: string): boolean {
  const { streamId, revision, eventId, type, recordedAt, data, metadata } = event;
  const fields = { streamId, revision, eventId, type, recordedAt, data, prevHash };
  return eventHash({ ...fields, metadata: hashedMetadata(metadata) }) === hash || eventHash({ ...fields, metadata: undefined }) === hash;
}

/**
 * Recomputes the hash chains of the given stored events (as stored, not upcast), met in log
 * order: per stream, revisions must run 0, 1, 2, … without a gap, each `prevHash` must be the
 * previous event's `hash` (GENESIS_HASH at revision 0), and each `hash` must match the event's
 * content. Every event is counted; the first bad one is reported. Deleting a stream's last events
 * leaves a shorter chain that still holds: compare the head with one published earlier.
 */
export async function verifyChains(events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>): Promise<ChainVerification> {
  const heads = new Map<string, { revision: number; hash: unknown }>();
  let count = 0;
  let firstMismatch: ChainMismatch | null = null;
  for await (const event of events) {
    count += 1;
    if (!firstMismatch) {
      const reason = fault(event, heads.get(event.streamId));
      if (reason) {
        const { streamId, revision, eventId, position } = event;
        firstMismatch = { streamId, revision, eventId, position, reason };
      }
    }
    heads.set(event.streamId, { revision: event.revision, hash: event.metadata.hash });
  }
  return { ok: firstMismatch === null, streams: heads.size, events: count, firstMismatch };
}
