/* global fetch, setTimeout, clearTimeout, TextDecoder, AbortController */
// The live panel: GET /api/feed as Server-Sent Events, read with fetch rather than EventSource,
// which cannot send the key a private archive asks for (Authorization). After a dropped
// connection it reconnects with Last-Event-ID, so the feed replays what was missed.
import { apiKey } from './api.js';
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

/**
 * Reads a text/event-stream body, calling `onMessage({ type, data, lastEventId })` for each
 * message and `onRetry(ms)` for a `retry:` line; resolves when the stream ends.
 */
async function readEvents(body, { onMessage, onRetry }) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let message = { type: 'message', data: [], lastEventId: '' };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        // A message with an id and no data moves the last event id only, as in EventSource.
        onMessage({ type: message.type, data: message.data.join('\n'), lastEventId: message.lastEventId });
        message = { type: 'message', data: [], lastEventId: message.lastEventId };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') message.type = text;
      else if (field === 'data') message.data.push(text);
      else if (field === 'id') message.lastEventId = text;
      else if (field === 'retry' && /^\d+$/.test(text)) onRetry(Number(text));
    }
  }
}

/**
 * Starts the panel; `onEvent(envelope)` also hears each new event (the open view may care).
 * Answers `{ reconnect }`, for when the page's key changes.
 */
export function startLive({ list, status, onEvent }) {
  // The feed gives events in log order: one at or before the last shown is a replay's repeat.
  let lastShown = 0;
  let lastId = null;
  let connection = null;
  let attempts = 0;
  let retryMs = 3000;
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
    if (message.lastEventId) lastId = message.lastEventId;
    if (!(message.type in EVENT_TYPES)) return;
    let envelope;
    try {
      envelope = JSON.parse(message.data);
    } catch {
      return;
    }
    lastId = message.lastEventId || String(envelope.position);
    if (envelope.position <= lastShown) return;
    lastShown = envelope.position;
    show(envelope);
    onEvent?.(envelope);
  }

  /** Tries again: at the feed's `retry:` after a stream that ended, later and later after refusals. */
  function again(refused) {
    if (refused) attempts++;
    const ms = refused ? Math.min(60, 2 ** attempts) * 1000 : retryMs;
    timer = setTimeout(connect, ms);
    return ms;
  }

  async function connect() {
    clearTimeout(timer);
    const current = new AbortController();
    connection = current;
    const headers = { Accept: 'text/event-stream' };
    const key = apiKey.get();
    if (key) headers.Authorization = `Bearer ${key}`;
    if (lastId !== null) headers['Last-Event-ID'] = lastId;
    let response;
    try {
      response = await fetch('/api/feed', { headers, cache: 'no-store', signal: current.signal });
    } catch {
      if (current.signal.aborted) return;
      say(`The live feed is unavailable. Trying again in ${again(true) / 1000} s.`);
      return;
    }
    if (!response.ok || !response.body) {
      void response.body?.cancel();
      const seconds = again(true) / 1000;
      say(
        response.status === 401 || response.status === 403
          ? `The live feed needs a key that may read the archive. Trying again in ${seconds} s.`
          : `The live feed is unavailable. Trying again in ${seconds} s.`,
      );
      return;
    }
    attempts = 0;
    say(list.children.length === 0 ? 'Connected. New events appear here as they are recorded.' : 'Connected.');
    try {
      await readEvents(response.body, { onMessage: receive, onRetry: (ms) => (retryMs = ms) });
    } catch {
      // The connection dropped mid-stream: reconnect as after its end.
    }
    // Ended on purpose: a new connection (a new key) has taken over.
    if (current.signal.aborted) return;
    say('Connection lost. Reconnecting; nothing recorded meanwhile will be missed.');
    again(false);
  }

  void connect();
  return {
    /** Follows the feed anew, from the last event shown, with the key the page has now. */
    reconnect() {
      connection?.abort();
      attempts = 0;
      void connect();
    },
  };
}
