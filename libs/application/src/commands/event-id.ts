import { createHash, randomUUID } from 'node:crypto';

/** The namespace of this archive's name-based (v5) event ids. */
const NAMESPACE = Buffer.from('5f0c2a7e8d9b4c1fa3e6b2d4c8f1a9e0', 'hex');

/**
 * The id of an event that records a fact named by `key` (a statement's id, say): the same key
 * always gives the same id, which is how the store recognises a re-sent command. Without a key,
 * a random id.
 */
export function eventIdFor(key: string | undefined): string {
  if (key === undefined) return randomUUID();
  const hash = createHash('sha1').update(NAMESPACE).update(key).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
