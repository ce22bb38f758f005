// `/search?q=`: statements, questions and answers holding every word, best first, the words marked.
import { get } from '../api.js';
import { h, highlight } from '../dom.js';
import { entryItem, heading, pagedList } from './common.js';

export async function searchView(ctx) {
  const q = (ctx.query.get('q') ?? '').trim();
  const form = h(
    'form',
    { class: 'filters', action: '/search', method: 'get', 'data-route': true, role: 'search', 'aria-label': 'Search the archive' },
    h('div', { class: 'field' }, h('label', { for: 'search-q' }, 'Words to find'), h('input', { id: 'search-q', name: 'q', type: 'search', value: q, autocomplete: 'off' })),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Search')),
  );
  const content = [heading(q ? `Search: ${q}` : 'Search'), form];
  if (!q) {
    content.push(h('p', null, 'Every word must occur, in any of its forms (talk finds talks and talked); a word ending in * finds the words it begins (dialog* finds dialogue).'));
    return { title: 'Search', content };
  }
  const first = await get('/api/search', { q });
  const terms = first.terms ?? [];
  content.push(
    h('p', { role: 'status' }, first.items.length === 0 ? `Nothing holds “${q}”.` : `Best matches first for ${terms.map((term) => `“${term}”`).join(', ')}.`),
  );
  if (first.items.length > 0) {
    content.push(
      pagedList(h('ol', { class: 'cards', 'aria-label': 'Results' }), first, {
        load: (cursor) => get('/api/search', { q, cursor }),
        add: (list, items) => list.append(...items.map((hit) => entryItem(hit, { text: highlight(hit.text, terms) }))),
        label: 'Show more results',
      }),
    );
  }
  return { title: `Search: ${q}`, content };
}
