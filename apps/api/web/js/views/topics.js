// `/topics`: every topic as a bar chart of mentions. `/topics/:slug`: the topic's timeline, oldest
// first, grouped by briefing.
import { get } from '../api.js';
import { barChart } from '../charts.js';
import { day, dayText, h } from '../dom.js';
import { asOfNotice, entryItem, heading, pagedList } from './common.js';

export async function topicsView() {
  const topics = await get('/api/topics', { limit: 500 });
  const content = [heading('Topics')];
  if (topics.items.length === 0) content.push(h('p', null, 'No topic has been mentioned yet.'));
  else {
    content.push(
      barChart(
        topics.items.map((topic) => ({ label: topic.slug, value: topic.mentions, href: `/topics/${topic.slug}` })),
        { caption: 'Topics by mentions in statements, questions and answers, most mentioned first.', unit: ['mention', 'mentions'] },
      ),
    );
    if (topics.nextCursor) content.push(h('p', { class: 'muted' }, `The ${topics.items.length} most mentioned topics.`));
  }
  return { title: 'Topics', content };
}

/** Appends timeline entries, opening a new group (a heading and a list) for each briefing. */
function addGrouped(container, entries) {
  for (const entry of entries) {
    let group = container.lastElementChild;
    if (!group || group.dataset.briefingId !== entry.briefingId) {
      const titleId = `group-${entry.briefingId}-${container.childElementCount}`;
      group = h(
        'section',
        { class: 'timeline-group', 'data-briefing-id': entry.briefingId, 'aria-labelledby': titleId },
        h('h2', { id: titleId }, h('a', { href: `/briefings/${entry.briefingId}` }, 'Briefing of ', day(entry.heldOn))),
        h('ol', { class: 'cards' }),
      );
      container.append(group);
    }
    group.lastElementChild.append(entryItem(entry, { showDay: false }));
  }
}

export async function topicView(ctx) {
  const [slug] = ctx.params;
  const asOf = ctx.query.get('asOf') || undefined;
  const path = `/api/topics/${encodeURIComponent(slug)}`;
  const first = await get(path, { asOf });
  const speakers = new Map(first.items.filter((entry) => entry.kind !== 'question' && entry.speaker?.id).map((entry) => [entry.speaker.id, entry.speaker.name]));
  const content = [
    heading('Topic: ', slug),
    asOfNotice(asOf, `/topics/${slug}`),
    h(
      'p',
      { class: 'meta' },
      h('span', null, `${first.mentions} ${first.mentions === 1 ? 'mention' : 'mentions'}`),
      first.firstOn ? h('span', null, `from ${dayText(first.firstOn)} to ${dayText(first.lastOn)}`) : null,
      h('span', null, 'oldest first'),
    ),
    speakers.size > 0
      ? h(
          'p',
          null,
          'How the line moved: ',
          [...speakers].map(([id, name], index) => [index > 0 ? ', ' : '', h('a', { href: `/spokespersons/${id}/topics/${slug}` }, `${name} on ${slug}`)]),
        )
      : null,
    pagedList(h('div', { class: 'timeline', 'data-topic': slug }), first, {
      load: (cursor) => get(path, { asOf, cursor }),
      add: addGrouped,
      label: 'Show later mentions',
    }),
  ];
  return { title: `Topic ${slug}`, content };
}
