/* global document */
// Builds DOM nodes from data. Text always goes in as text (never as HTML), so nothing the archive
// holds can turn into markup or script.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
}

function applyAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (name === 'value' || name === 'checked') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

/** `h('a', { href: '/topics' }, 'Topics')`: an HTML element with attributes and children. */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  applyAttributes(element, attributes);
  append(element, children);
  return element;
}

/** The same for SVG elements. */
export function s(tag, attributes, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  applyAttributes(element, attributes);
  append(element, children);
  return element;
}

const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const MOMENT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

/** A day (`2024-01-11`) as `<time>`: 11 January 2024. */
export function day(isoDay) {
  if (!isoDay) return h('span', null, 'unknown date');
  return h('time', { datetime: isoDay }, DAY.format(new Date(`${isoDay}T00:00:00Z`)));
}

export function dayText(isoDay) {
  return isoDay ? DAY.format(new Date(`${isoDay}T00:00:00Z`)) : 'unknown date';
}

export function monthText(date) {
  return MONTH.format(date);
}

/** A timestamp as `<time>`, in UTC (the archive records UTC). */
export function moment(timestamp) {
  if (!timestamp) return null;
  return h('time', { datetime: timestamp }, `${MOMENT.format(new Date(timestamp))} UTC`);
}

const KINDS = { statement: 'Statement', question: 'Question', answer: 'Answer' };
export const kindLabel = (kind) => KINDS[kind] ?? kind;

/** A remark's status in words (the colour only repeats it). */
export function statusLabel(status, version) {
  if (status === 'corrected') return `Corrected, version ${version}`;
  if (status === 'retracted') return 'Retracted';
  return 'Original';
}

export function statusBadge(status, version) {
  return h('span', { class: ['status', `status-${status}`] }, statusLabel(status, version));
}

export function topicList(topics) {
  if (!topics || topics.length === 0) return null;
  return h(
    'ul',
    { class: 'topics', 'aria-label': 'Topics' },
    topics.map((slug) => h('li', null, h('a', { href: `/topics/${encodeURIComponent(slug)}` }, slug))),
  );
}

const fold = (word) => word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The text with the words the search found marked, as near as the page can tell without the
 * index's stemmer: for a term ending in `*`, every word it starts; for a whole word, the words it
 * starts and the shorter forms of it ("plan" for "plans"). Case and accents aside.
 */
export function highlight(text, terms) {
  const wanted = (terms ?? [])
    .map((term) => ({ prefix: term.endsWith('*'), word: fold(term.replace(/\*+$/, '')) }))
    .filter(({ word }) => word.length > 0);
  if (wanted.length === 0) return [text];
  const marks = (word) => ({ prefix, word: term }) =>
    word.startsWith(term) || (!prefix && word.length >= 3 && term.startsWith(word) && term.length - word.length <= 2);
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = fold(match[0]);
    if (!wanted.some(marks(word))) continue;
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(h('mark', null, match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** A short one-line excerpt of a text. */
export function excerpt(text, length = 140) {
  if (typeof text !== 'string') return '';
  return text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;
}
