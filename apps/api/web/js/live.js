/* global EventSource, setTimeout, clearTimeout */
// The live panel: GET /api/feed as Server-Sent Events. EventSource reconnects by itself after a
// dropped connection and sends Last-Event-ID, so the feed replays what was missed; if the
// browser gives up (an error status), the panel reconnects itself with ?after= the last id.
import { excerpt, h, moment } from './dom.js';

export const EVENT_TYPES = {
  BriefingOpened: 'Briefing opened',
  StatementRecorded: 'Statement recorded',
  QuestionAsked: 'Question asked',
  AnswerGiven: 'Answer given',
  RemarkCorrected: 'Remark corrected',
  RemarkRetracted: 'Remark retracted',
  BriefingClosed: 'Briefing closed',
};

const KEEP = 50;

/** Where an event leads: the remark it is about, else its briefing. */
function linkOf(envelope) {
  const data = envelope.data ?? {};
  const remarkId = data.remarkId ?? data.statementId ?? data.answerId;
  if (remarkId) return { href: `/remarks/${remarkId}`, label: 'History of the remark' };
  if (data.briefingId) return { href: `/briefings/${data.briefingId}`, label: 'The briefing' };
  return null;
}

function summaryOf(envelope) {
  const data = envelope.data ?? {};
  if (envelope.type === 'BriefingOpened') return [data.title, data.heldOn].filter(Boolean).join(', ');
  if (envelope.type === 'RemarkRetracted') return data.reason ? `Reason: ${data.reason}` : '';
  return excerpt(data.text ?? '');
}

/** Starts the panel; `onEvent(envelope)` also hears each new event (the open view may care). */
export function startLive({ list, status, onEvent }) {
  const seen = new Set();
  let source = null;
  let lastId = null;
  let attempts = 0;
  let timer = null;

  const say = (text) => {
    status.textContent = text;
  };

  function show(envelope) {
    const link = linkOf(envelope);
    const label = EVENT_TYPES[envelope.type] ?? envelope.type;
    list.prepend(
      h(
        'li',
        { 'data-position': envelope.position, 'data-type': envelope.type },
        h('span', { class: 'type' }, label),
        ' ',
        h('span', { class: 'muted' }, `#${envelope.position}`),
        h('p', { class: 'summary' }, summaryOf(envelope)),
        h('p', { class: 'meta' }, moment(envelope.recordedAt), link ? h('a', { href: link.href }, link.label) : null),
      ),
    );
    while (list.children.length > KEEP) list.lastElementChild.remove();
  }

  function receive(message) {
    let envelope;
    try {
      envelope = JSON.parse(message.data);
    } catch {
      return;
    }
    lastId = message.lastEventId || String(envelope.position);
    if (seen.has(envelope.position)) return;
    seen.add(envelope.position);
    show(envelope);
    onEvent?.(envelope);
  }

  function connect() {
    clearTimeout(timer);
    source = new EventSource(lastId === null ? '/api/feed' : `/api/feed?after=${encodeURIComponent(lastId)}`);
    source.addEventListener('open', () => {
      attempts = 0;
      say(list.children.length === 0 ? 'Connected. New events appear here as they are recorded.' : 'Connected.');
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CONNECTING) {
        say('Connection lost. Reconnecting; nothing recorded meanwhile will be missed.');
        return;
      }
      source.close();
      attempts++;
      const seconds = Math.min(60, 2 ** attempts);
      say(`The live feed is unavailable. Trying again in ${seconds} s.`);
      timer = setTimeout(connect, seconds * 1000);
    });
    for (const type of Object.keys(EVENT_TYPES)) source.addEventListener(type, receive);
  }

  connect();
}
