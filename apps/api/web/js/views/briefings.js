// `/`: the briefings, newest first, filtered by spokesperson, topic and date; editors open new ones.
import { ApiError, get, post } from '../api.js';
import { day, h } from '../dom.js';
import { commandForm, disclosure, showErrors } from '../editor.js';
import { heading, pagedList, problemBox } from './common.js';

const FILTERS = ['spokesperson', 'topic', 'from', 'to'];

function countsText(counts) {
  if (!counts) return '';
  const parts = [
    [counts.statements, 'statement', 'statements'],
    [counts.questions, 'question', 'questions'],
    [counts.answers, 'answer', 'answers'],
    [counts.corrections, 'correction', 'corrections'],
    [counts.retractions, 'retraction', 'retractions'],
  ];
  return parts
    .filter(([count], index) => index < 3 || count > 0)
    .map(([count, one, many]) => `${count ?? 0} ${count === 1 ? one : many}`)
    .join(', ');
}

export function briefingCard(briefing) {
  return h(
    'li',
    { class: 'card', 'data-item': briefing.briefingId },
    h('h2', null, h('a', { href: `/briefings/${briefing.briefingId}` }, briefing.title || 'Briefing', ', ', day(briefing.heldOn))),
    h(
      'p',
      { class: 'meta' },
      briefing.spokesperson ? h('a', { href: `/spokespersons/${briefing.spokesperson.id}` }, briefing.spokesperson.name) : null,
      briefing.location ? h('span', null, briefing.location) : null,
      h('span', { class: ['status', briefing.status === 'open' ? 'status-open' : null] }, briefing.status === 'open' ? 'Open' : 'Closed'),
    ),
    h('p', { class: 'meta' }, countsText(briefing.counts)),
  );
}

function select(name, label, options, chosen) {
  const id = `filter-${name}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, name, 'data-field': name, 'aria-describedby': `${id}-error` },
      h('option', { value: '' }, 'Any'),
      options.map((option) => h('option', { value: option.value, selected: option.value === chosen ? true : null }, option.label)),
    ),
    h('p', { class: 'field-error', id: `${id}-error` }),
  );
}

function dateField(name, label, value) {
  const id = `filter-${name}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name, type: 'date', value: value ?? '', 'data-field': name, 'aria-describedby': `${id}-error` }),
    h('p', { class: 'field-error', id: `${id}-error` }),
  );
}

function openBriefingForm(ctx) {
  return disclosure(
    'Open a new briefing',
    commandForm({
      id: 'open-briefing',
      title: 'Open a briefing',
      submit: 'Open the briefing',
      fields: [
        { name: 'heldOn', label: 'Held on', type: 'date', required: true },
        { name: 'title', label: 'Title' },
        { name: 'location', label: 'Location', required: true },
        { name: 'organization', label: 'Organization', required: true },
        { name: 'spokesperson.id', label: 'Spokesperson id', required: true, hint: 'A slug, e.g. mumtaz-zahra-baloch' },
        { name: 'spokesperson.name', label: 'Spokesperson name', required: true },
        { name: 'spokesperson.title', label: "Spokesperson's title" },
        { name: 'sourceUrl', label: 'Source URL', type: 'url' },
      ],
      send: (values) =>
        post('/api/briefings', {
          heldOn: values.heldOn,
          title: values.title,
          location: values.location,
          organization: values.organization,
          spokesperson: { id: values['spokesperson.id'], name: values['spokesperson.name'], title: values['spokesperson.title'] },
          sourceUrl: values.sourceUrl,
        }),
      done: (result) => ctx.navigate(`/briefings/${result.briefingId}`, { text: 'The briefing is open: add its statements and questions below.' }),
    }),
  );
}

export async function briefingsView(ctx) {
  const chosen = Object.fromEntries(FILTERS.map((name) => [name, ctx.query.get(name) ?? '']));
  const query = { ...chosen };
  const [spokespersons, topics] = await Promise.all([get('/api/spokespersons', { limit: 500 }), get('/api/topics', { limit: 500 })]);
  const form = h(
    'form',
    { class: 'filters', action: '/', method: 'get', 'data-route': true, 'aria-label': 'Filter the briefings' },
    select('spokesperson', 'Spokesperson', spokespersons.items.map((item) => ({ value: item.id, label: item.name })), chosen.spokesperson),
    select(
      'topic',
      'Topic',
      topics.items.map((item) => item.slug).sort().map((slug) => ({ value: slug, label: slug })),
      chosen.topic,
    ),
    dateField('from', 'From', chosen.from),
    dateField('to', 'To', chosen.to),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Apply filters'), FILTERS.some((name) => chosen[name]) ? h('a', { href: '/' }, 'Clear filters') : null),
    h('div', { class: 'form-error', role: 'alert', tabindex: '-1' }),
  );
  const content = [heading('Briefings'), form];
  let first;
  try {
    first = await get('/api/briefings', query);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    // Bad filters: say so beside them, and keep the form to fix them.
    showErrors(form, error, { focus: false });
    return { title: 'Briefings', content: [...content, problemBox(error)] };
  }
  const filtered = FILTERS.some((name) => chosen[name]);
  content.push(
    h('p', { role: 'status' }, first.items.length === 0 ? (filtered ? 'No briefing matches these filters.' : 'The archive holds no briefing yet.') : `Newest first${filtered ? ', filtered' : ''}.`),
  );
  if (ctx.editing) content.push(openBriefingForm(ctx));
  content.push(
    pagedList(h('ol', { class: 'cards', 'aria-label': 'Briefings' }), first, {
      load: (cursor) => get('/api/briefings', { ...query, cursor }),
      add: (list, items) => list.append(...items.map(briefingCard)),
      label: 'Show older briefings',
    }),
  );
  return { title: 'Briefings', content };
}
