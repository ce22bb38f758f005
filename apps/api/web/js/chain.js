/* global crypto, TextEncoder */
// Checks a remark's proof (GET /api/remarks/:id/proof) in the browser, the way the README's
// auditor script does: every event of the briefing's chain is hashed again over its canonical
// form (with its metadata, or without for an event appended before version 0.2) and linked to the
// one before; the remark's own events must be in that chain as given.

/** Keys sorted at every depth, no whitespace, strings and numbers as JSON.stringify writes them. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

async function sha256(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Whether this browser can hash (Web Crypto is only there on https and on localhost). */
export const canCheck = () => typeof crypto !== 'undefined' && Boolean(crypto.subtle);

/**
 * `{ ok: true, events, head }` when the chain holds from the genesis to the head, else
 * `{ ok: false, event, reason }` naming the first event that does not.
 */
export async function checkProof(proof) {
  let previous = proof.genesis;
  const chain = proof.chain ?? [];
  for (const [index, event] of chain.entries()) {
    const { streamId, revision, eventId, type, recordedAt, data } = event;
    const { prevHash, hash, ...metadata } = event.metadata ?? {};
    if (streamId !== proof.streamId || revision !== index) return { ok: false, event, reason: `expected revision ${index} of ${proof.streamId}` };
    if (prevHash !== previous) return { ok: false, event, reason: 'its previous hash is not the hash of the event before it' };
    const seven = { streamId, revision, eventId, type, recordedAt, data: data ?? null, prevHash };
    // With its metadata; an event appended before version 0.2 was hashed without.
    const matches = (await sha256(canonical({ ...seven, metadata }))) === hash || (await sha256(canonical(seven))) === hash;
    if (!matches) return { ok: false, event, reason: 'its content does not match its hash' };
    previous = hash;
  }
  const last = chain.at(-1);
  if (!last || proof.head?.revision !== last.revision || proof.head?.hash !== previous) {
    return { ok: false, event: last ?? null, reason: 'the head is not the end of the chain' };
  }
  const inChain = new Map(chain.map((event) => [event.eventId, canonical(event)]));
  for (const event of proof.events ?? []) {
    if (inChain.get(event.eventId) !== canonical(event)) return { ok: false, event, reason: 'it is not in the chain as given' };
  }
  return { ok: true, events: chain.length, head: proof.head };
}
