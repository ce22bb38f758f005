// `/spokespersons`, a speaker's profile (topics as a bar chart, briefings over time, remarks), and
// `/spokespersons/:id/topics/:slug`: how their line on a topic moved from one remark to the next.
import { get } from '../api.js';
import { barChart, columnChart, countByPeriod } from '../charts.js';
import { day, dayText, h, statusBadge } from '../dom.js';
import { asOfNotice, DIFF_LEGEND, diffView, entryItem, heading, pagedList } from './common.js';

const span = (person) =>
  person.briefings ? `${person.briefings} ${person.briefings === 1 ? 'briefing' : 'briefings'}, from ${dayText(person.firstOn)} to ${dayText(person.lastOn)}` : 'No briefing held';

export async function spokespersonsView() {
  const people = await get('/api/spokespersons', { limit: 500 });
  return {
    title: 'Spokespersons',
    content: [
      heading('Spokespersons'),
      people.items.length === 0
        ? h('p', null, 'No spokesperson yet.')
        : h(
            'ol',
            { class: 'cards' },
            people.items.map((person) =>
              h(
                'li',
                { class: 'card', 'data-item': person.id },
                h('h2', null, h('a', { href: `/spokespersons/${person.id}` }, person.name)),
                person.title ? h('p', { class: 'meta' }, person.title) : null,
                h('p', { class: 'meta' }, span(person)),
              ),
            ),
          ),
    ],
  };
}

/** Every briefing day of a spokesperson (at most 5,000), for the chart. */
async function briefingDays(id) {
  const days = [];
  let cursor;
  for (let page = 0; page < 10; page++) {
    const result = await get('/api/briefings', { spokesperson: id, limit: 500, cursor });
    days.push(...result.items.map((briefing) => briefing.heldOn));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return days;
}

export async function profileView(ctx) {
  const [id] = ctx.params;
  const asOf = ctx.query.get('asOf') || undefined;
  const path = `/api/spokespersons/${encodeURIComponent(id)}`;
  const [profile, days] = await Promise.all([get(path, { asOf }), asOf ? Promise.resolve(null) : briefingDays(id)]);
  const content = [
    heading(profile.name),
    asOfNotice(asOf, `/spokespersons/${id}`),
    profile.title ? h('p', null, profile.title) : null,
    h('p', { class: 'meta' }, h('span', null, span(profile)), profile.briefings ? h('a', { href: `/?spokesperson=${encodeURIComponent(id)}` }, 'Their briefings') : null),
    h('h2', null, 'Topics'),
    profile.topics?.length
      ? barChart(
          profile.topics.map((topic) => ({ label: topic.slug, value: topic.mentions, href: `/spokespersons/${id}/topics/${topic.slug}` })),
          { caption: `Topics ${profile.name} spoke on, most mentioned first. Each leads to how their line on it moved.`, unit: ['mention', 'mentions'] },
        )
      : h('p', null, 'No topic yet.'),
    days?.length
      ? [
          h('h2', null, 'Briefings over time'),
          columnChart(countByPeriod(days), { caption: `Briefings held by ${profile.name}, per period.`, unit: ['briefing', 'briefings'] }),
        ]
      : null,
    h('h2', null, 'Remarks'),
    profile.timeline?.items?.length
      ? pagedList(h('ol', { class: 'cards', 'aria-label': `Remarks of ${profile.name}, oldest first` }), profile.timeline, {
          load: async (cursor) => (await get(path, { asOf, cursor })).timeline,
          add: (list, items) => list.append(...items.map((entry) => entryItem(entry, { showSpeaker: false }))),
          label: 'Show later remarks',
        })
      : h('p', null, 'No remark yet.'),
  ];
  return { title: profile.name, content };
}

function changeItem(change) {
  return h(
    'li',
    { class: ['card', 'remark', `is-${change.status}`], 'data-item': change.id },
    h(
      'p',
      { class: 'meta' },
      h('a', { href: `/briefings/${change.briefingId}#r-${change.id}` }, day(change.heldOn)),
      statusBadge(change.status, change.version),
      h('a', { href: `/remarks/${change.id}` }, 'History'),
    ),
    h('p', { class: 'text' }, change.text),
    change.diff
      ? [h('p', { class: 'muted' }, 'Changes from the remark of ', day(change.previous?.heldOn), ':'), diffView(change.diff)]
      : h('p', { class: 'muted' }, 'Their first remark on this topic.'),
  );
}

export async function lineView(ctx) {
  const [id, slug] = ctx.params;
  const path = `/api/spokespersons/${encodeURIComponent(id)}/topics/${encodeURIComponent(slug)}/history`;
  const first = await get(path);
  const name = first.speaker?.name ?? id;
  return {
    title: `${name} on ${slug}`,
    content: [
      heading(h('a', { href: `/spokespersons/${id}` }, name), ' on ', h('a', { href: `/topics/${slug}` }, slug)),
      h('p', null, 'Each of their remarks on the topic, oldest first, with the words that changed from the one before. ', DIFF_LEGEND),
      first.items.length === 0
        ? h('p', null, 'No remark on this topic.')
        : pagedList(h('ol', { class: 'cards' }), first, {
            load: (cursor) => get(path, { cursor }),
            add: (list, items) => list.append(...items.map(changeItem)),
            label: 'Show later remarks',
          }),
    ],
  };
}
