/* global URL, Blob, setTimeout */
// `/remarks/:id`: every version of a remark with the words that changed, whether it was
// retracted, and whether the hash chain that holds its events is intact.
import { ApiError, get } from '../api.js';
import { canCheck, checkProof } from '../chain.js';
import { day, h, kindLabel, moment, statusLabel, topicList } from '../dom.js';
import { asOfNotice, DIFF_LEGEND, diffView, heading } from './common.js';

const short = (hash) => (typeof hash === 'string' ? `${hash.slice(0, 16)}…` : '');

function refusal(error, what) {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return `${what} needs a key with more rights than this page has.`;
  if (error instanceof ApiError && error.status === 404) return `${what} is not available from this archive.`;
  return `${what} could not be run: ${error.message}`;
}

/** The archive's own check of the briefing's chain (GET /api/audit/verify). */
async function serverCheck(slot, briefingId) {
  try {
    const result = await get('/api/audit/verify', { briefingId });
    if (result.ok) {
      slot.classList.add('ok');
      slot.replaceChildren(h('strong', null, 'Intact. '), `The archive recomputed the briefing's hash chain: all ${result.events} events hold.`);
    } else {
      const mismatch = result.firstMismatch ?? {};
      slot.classList.add('bad');
      slot.replaceChildren(
        h('strong', null, 'Broken. '),
        `The archive's check failed at revision ${mismatch.revision} (event ${mismatch.eventId})${mismatch.reason ? `: ${mismatch.reason}` : ''}.`,
      );
    }
  } catch (error) {
    slot.replaceChildren(refusal(error, "The archive's own check"));
  }
}

/** The same check done here, from the proof, with nothing but the browser's SHA-256. */
async function browserCheck(slot, proofAsked) {
  if (!canCheck()) {
    slot.replaceChildren('This browser cannot compute SHA-256 on this address (Web Crypto needs https or localhost): download the proof and check it with the script in the README.');
    return;
  }
  try {
    const proof = await proofAsked;
    const result = await checkProof(proof);
    if (result.ok) {
      slot.classList.add('ok');
      slot.replaceChildren(
        h('strong', null, 'Verified in this browser. '),
        `The ${result.events} events of the briefing's chain link up from the genesis to the head, and this remark's ${proof.events.length === 1 ? 'event is' : `${proof.events.length} events are`} among them as stored. Head: revision ${result.head.revision}, hash `,
        h('span', { class: 'hash', title: result.head.hash }, short(result.head.hash)),
        '.',
      );
    } else {
      slot.classList.add('bad');
      slot.replaceChildren(h('strong', null, 'Not verified. '), `Event ${result.event?.eventId ?? '?'} (revision ${result.event?.revision ?? '?'}) fails: ${result.reason}.`);
    }
  } catch (error) {
    slot.replaceChildren(refusal(error, 'The proof'));
  }
}

function chainSection(remarkId, briefingId) {
  const server = h('p', { class: 'chain-status', 'data-check': 'server' }, "Asking the archive to check the briefing's chain…");
  const browser = h('p', { class: 'chain-status', 'data-check': 'browser' }, 'Checking the proof in this browser…');
  // Asked once, with the page's key, for the check here and for the download (a plain link
  // would go without the key, which a private archive asks for).
  const proofAsked = get(`/api/remarks/${remarkId}/proof`);
  proofAsked.catch(() => undefined);
  let proof = null;
  void proofAsked.then(
    (answer) => (proof = answer),
    () => undefined,
  );
  const download = h(
    'a',
    {
      href: `/api/remarks/${remarkId}/proof`,
      download: `proof-${remarkId}.json`,
      // The proof as the key read it, made a file for this one click and let go of after.
      onclick: () => {
        if (!proof) return;
        const file = URL.createObjectURL(new Blob([JSON.stringify(proof, null, 2)], { type: 'application/json' }));
        download.setAttribute('href', file);
        setTimeout(() => {
          URL.revokeObjectURL(file);
          download.setAttribute('href', `/api/remarks/${remarkId}/proof`);
        }, 60_000);
      },
    },
    'Download the proof (JSON)',
  );
  void serverCheck(server, briefingId);
  void browserCheck(browser, proofAsked);
  return h(
    'section',
    { 'aria-labelledby': 'chain-title', 'aria-live': 'polite' },
    h('h2', { id: 'chain-title' }, 'Hash chain'),
    h('p', null, "Every event of a briefing carries the hash of the one before it, so an edit in place breaks the chain from there on."),
    server,
    browser,
    h('p', null, download, ' to check it yourself.'),
  );
}

function versionItem(version, previous, briefingId) {
  return h(
    'li',
    { class: 'version', 'data-version': version.version },
    h('h2', null, `Version ${version.version}`, version.version === 1 ? ' (as first recorded)' : ' (a correction)'),
    h(
      'p',
      { class: 'meta' },
      moment(version.recordedAt),
      h('span', null, `position ${version.position}`),
      h('a', { href: `/briefings/${briefingId}?asOf=${version.position}` }, 'The briefing as it stood then'),
    ),
    version.reason ? h('p', null, h('strong', null, 'Reason: '), version.reason) : null,
    h('blockquote', { class: 'text' }, version.text),
    topicList(version.topics),
    version.diff && previous
      ? h('section', { class: 'changes', 'aria-label': `Changes from version ${previous.version}` }, h('h3', null, `Changes from version ${previous.version}`), diffView(version.diff))
      : null,
  );
}

export async function remarkView(ctx) {
  const [remarkId] = ctx.params;
  const asOf = ctx.query.get('asOf') || undefined;
  const history = await get(`/api/remarks/${encodeURIComponent(remarkId)}/history`, { asOf });
  const briefing = await get(`/api/briefings/${history.briefingId}`, { asOf }).catch(() => null);
  const versions = history.versions ?? [];
  const latest = versions.at(-1);
  const status = history.retracted ? 'retracted' : versions.length > 1 ? 'corrected' : 'original';
  const what = kindLabel(history.kind ?? 'remark').toLowerCase();
  const retraction = history.retraction;
  const content = [
    heading(`History of ${what === 'answer' ? 'an' : 'a'} ${what}`),
    asOfNotice(asOf, `/remarks/${remarkId}`),
    h(
      'p',
      { class: 'meta' },
      h('a', { href: `/briefings/${history.briefingId}#r-${remarkId}` }, briefing ? ['From the briefing of ', day(briefing.heldOn)] : 'The briefing'),
      h('span', { class: ['status', `status-${status}`], 'data-status': status }, statusLabel(status, latest?.version)),
      h('span', null, `${versions.length} ${versions.length === 1 ? 'version' : 'versions'}`),
    ),
    history.retracted
      ? h(
          'p',
          { class: 'problem' },
          h('strong', null, 'Retracted. '),
          retraction?.reason ? `Reason: ${retraction.reason}. ` : '',
          retraction?.recordedAt ? ['Recorded ', moment(retraction.recordedAt), '.'] : '',
          ' The text stays in the record.',
        )
      : null,
    versions.length > 1 ? h('p', null, DIFF_LEGEND) : null,
    h('ol', { class: 'versions' }, versions.map((version, index) => versionItem(version, versions[index - 1], history.briefingId))),
    chainSection(remarkId, history.briefingId),
  ];
  return { title: `History of ${what} ${remarkId.slice(0, 8)}`, content };
}
