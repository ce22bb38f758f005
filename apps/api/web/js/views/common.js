// Pieces every view uses: headings, errors, paging, remarks as they appear in lists.
import { h, day, kindLabel, statusBadge, topicList } from '../dom.js';

/** The view's title: focused after each navigation, so a screen reader hears where it landed. */
export const heading = (...children) => h('h1', { tabindex: '-1' }, ...children);

const STATUS_TEXT = {
  0: 'No answer from the archive',
  400: 'The request was not valid',
  401: 'This needs a key',
  403: 'This key may not see this',
  404: 'Not found',
  429: 'Too many requests',
  503: 'The archive is busy',
};

/** An API error as a message a reader can act on. */
export function problemBox(error) {
  const status = error?.status;
  const fieldErrors = error?.errors ?? [];
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('p', null, h('strong', null, STATUS_TEXT[status] ?? 'Something went wrong'), error?.message ? `: ${error.message}` : ''),
    fieldErrors.length > 0 ? h('ul', null, fieldErrors.map(({ field, message }) => h('li', null, field ? `${field}: ${message}` : message))) : null,
    status === 401 ? h('p', null, 'Enter a key with the editor field at the top of the page.') : null,
  );
}

export function errorView(error) {
  return { title: 'Error', content: [heading(error?.status === 404 ? 'Not found' : 'Could not load this'), problemBox(error)] };
}

/**
 * A list that grows page by page: `load(cursor)` answers `{ items, nextCursor }`, `add(list, items)`
 * puts items in. The first new item takes the focus, so a keyboard user reads on from there.
 */
export function pagedList(list, first, { load, add, label = 'Show more' }) {
  const wrapper = h('div', null, list);
  add(list, first.items);
  let cursor = first.nextCursor;
  if (!cursor) return wrapper;
  const status = h('p', { class: 'muted', role: 'status' });
  const button = h('button', { type: 'button', class: 'secondary' }, label);
  const more = h('div', { class: 'more' }, button, status);
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Loading…';
    try {
      const page = await load(cursor);
      const before = list.querySelectorAll('[data-item]').length;
      add(list, page.items);
      cursor = page.nextCursor;
      status.textContent = `${page.items.length} more shown.`;
      const firstNew = list.querySelectorAll('[data-item]')[before];
      if (!cursor) more.remove();
      firstNew?.setAttribute('tabindex', '-1');
      firstNew?.focus();
    } catch (error) {
      status.replaceChildren(problemBox(error));
    } finally {
      button.disabled = false;
    }
  });
  wrapper.append(more);
  return wrapper;
}

/** The banner of a view shown as the archive stood at some point (`?asOf=`). */
export function asOfNotice(asOf, currentHref) {
  if (!asOf) return null;
  return h(
    'p',
    { class: 'notice' },
    h('strong', null, 'Earlier state: '),
    `this is the archive as it stood at ${/^\d+$/.test(asOf) ? `position ${asOf}` : asOf}. `,
    h('a', { href: currentHref }, 'Show it as it is now'),
  );
}

const isRemark = (kind) => kind === 'statement' || kind === 'answer';

/** One entry of a timeline or a search result: a statement, a question or an answer. */
export function entryItem(entry, { showSpeaker = true, showDay = true, text } = {}) {
  const speaker = entry.speaker;
  return h(
    'li',
    {
      class: ['card', entry.kind === 'question' ? 'question' : 'remark', `is-${entry.status}`],
      'data-item': entry.id,
      'data-kind': entry.kind,
    },
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'kind' }, kindLabel(entry.kind)),
      showDay ? h('a', { href: `/briefings/${entry.briefingId}#r-${entry.id}` }, day(entry.heldOn)) : null,
      showSpeaker && speaker?.name
        ? speaker.id && entry.kind !== 'question'
          ? h('a', { class: 'speaker', href: `/spokespersons/${speaker.id}` }, speaker.name)
          : h('span', { class: 'speaker' }, speaker.name)
        : null,
      isRemark(entry.kind) ? statusBadge(entry.status, entry.version) : null,
    ),
    h('p', { class: 'text' }, text ?? entry.text),
    topicList(entry.topics),
    isRemark(entry.kind)
      ? h('p', { class: 'meta' }, h('a', { href: `/remarks/${entry.id}` }, 'History', h('span', { class: 'visually-hidden' }, ` of this ${entry.kind}`)))
      : null,
  );
}

/** A remark's diff against the version or remark before it: removed and added words in words too. */
export function diffView(parts) {
  return h(
    'p',
    { class: 'diff' },
    parts.map((part) => {
      if (part.op === 'insert') return h('ins', null, h('span', { class: 'visually-hidden' }, '[added: '), part.text, h('span', { class: 'visually-hidden' }, ']'));
      if (part.op === 'delete') return h('del', null, h('span', { class: 'visually-hidden' }, '[removed: '), part.text, h('span', { class: 'visually-hidden' }, ']'));
      return part.text;
    }),
  );
}

export const DIFF_LEGEND = 'Removed words are struck through, added words underlined (and both are named for screen readers).';
