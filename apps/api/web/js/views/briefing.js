// `/briefings/:id`: the transcript in spoken order, each remark's status in words; in editor mode,
// the forms that add to it, correct or retract its remarks, and close it.
import { get, post, writtenPosition } from '../api.js';
import { day, dayText, h, kindLabel, statusBadge, topicList } from '../dom.js';
import { commandForm, disclosure, topicsOf } from '../editor.js';
import { asOfNotice, heading } from './common.js';

const topicsField = (required, hint) => ({ name: 'topics', label: 'Topics', required, hint, parse: topicsOf });

function remarkForms(ctx, briefing, remark) {
  const base = `/api/briefings/${briefing.briefingId}/remarks/${remark.id}`;
  const what = kindLabel(remark.kind).toLowerCase();
  return [
    disclosure(
      `Correct this ${what}`,
      commandForm({
        id: `correct-${remark.id}`,
        title: `Correct this ${what}`,
        submit: 'Record the correction',
        fields: [
          { name: 'text', label: 'Corrected text', type: 'textarea', required: true, value: remark.text },
          { name: 'reason', label: 'Reason for the correction', required: true },
          topicsField(false, `Leave empty to keep ${remark.topics?.join(', ') || 'its topics'}.`),
        ],
        send: (values) => post(`${base}/corrections`, values),
        done: (result) =>
          ctx.refresh({
            text: `Correction recorded: the ${what} is now at version ${result.version}.`,
            link: { href: `/remarks/${remark.id}`, label: 'See its history and what changed' },
          }),
      }),
    ),
    disclosure(
      `Retract this ${what}`,
      commandForm({
        id: `retract-${remark.id}`,
        title: `Retract this ${what}`,
        submit: 'Retract it',
        danger: true,
        fields: [{ name: 'reason', label: 'Reason for the retraction', required: true }],
        send: (values) => post(`${base}/retractions`, values),
        done: () => ctx.refresh({ text: `The ${what} is retracted. It stays in the record, marked retracted.`, link: { href: `/remarks/${remark.id}`, label: 'See its history' } }),
      }),
    ),
  ];
}

function remarkItem(ctx, briefing, remark, editable) {
  const retracted = remark.status === 'retracted';
  return h(
    'li',
    { id: `r-${remark.id}`, class: ['remark', `is-${remark.status}`], 'data-item': remark.id, 'data-kind': remark.kind },
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'kind' }, kindLabel(remark.kind)),
      remark.speaker?.id ? h('a', { class: 'speaker', href: `/spokespersons/${remark.speaker.id}` }, remark.speaker.name) : null,
      statusBadge(remark.status, remark.version),
      remark.verbatim ? h('span', null, 'verbatim') : null,
    ),
    h('p', { class: 'text' }, retracted ? h('span', { class: 'visually-hidden' }, 'Retracted: ') : null, remark.text),
    topicList(remark.topics),
    h('p', { class: 'meta' }, h('a', { href: `/remarks/${remark.id}` }, remark.version > 1 || retracted ? 'History and changes' : 'History', h('span', { class: 'visually-hidden' }, ` of this ${remark.kind}`))),
    editable && !retracted ? remarkForms(ctx, briefing, remark) : null,
  );
}

function questionItem(ctx, briefing, question, editable, open) {
  const asker = [question.askedBy?.name, question.askedBy?.outlet].filter(Boolean).join(', ');
  return h(
    'li',
    { id: `r-${question.id}`, class: 'question', 'data-item': question.id, 'data-kind': 'question' },
    h('p', { class: 'meta' }, h('span', { class: 'kind' }, 'Question'), asker ? h('span', { class: 'speaker' }, asker) : null),
    h('p', { class: 'text' }, question.text),
    topicList(question.topics),
    question.answers?.length
      ? h('ol', { class: 'answers', 'aria-label': 'Answers' }, question.answers.map((answer) => remarkItem(ctx, briefing, answer, editable)))
      : h('p', { class: 'muted' }, 'Not answered.'),
    editable && open
      ? disclosure(
          'Answer this question',
          commandForm({
            id: `answer-${question.id}`,
            title: 'Record an answer',
            submit: 'Record the answer',
            fields: [
              { name: 'text', label: 'Answer', type: 'textarea', required: true },
              topicsField(false, `Leave empty to take the question's: ${question.topics?.join(', ')}.`),
              { name: 'speakerId', label: 'Speaker id', hint: "Leave empty for the briefing's spokesperson." },
            ],
            send: (values) => post(`/api/briefings/${briefing.briefingId}/questions/${question.id}/answers`, values),
            done: () => ctx.refresh({ text: 'Answer recorded.' }),
          }),
        )
      : null,
  );
}

function additionForms(ctx, briefing) {
  const id = briefing.briefingId;
  return h(
    'section',
    { 'aria-labelledby': 'add-title' },
    h('h2', { id: 'add-title' }, 'Add to this briefing'),
    disclosure(
      'Add a statement',
      commandForm({
        id: 'add-statement',
        title: 'Record a statement',
        submit: 'Record the statement',
        fields: [
          { name: 'text', label: 'Statement', type: 'textarea', required: true },
          topicsField(true, 'Slugs separated by commas, e.g. ttp, afghanistan'),
          { name: 'speakerId', label: 'Speaker id', hint: "Leave empty for the briefing's spokesperson." },
          { name: 'verbatim', label: 'Verbatim (the exact words)', type: 'checkbox' },
        ],
        send: (values) => post(`/api/briefings/${id}/statements`, values),
        done: () => ctx.refresh({ text: 'Statement recorded.' }),
      }),
    ),
    disclosure(
      'Add a question',
      commandForm({
        id: 'add-question',
        title: "Record a journalist's question",
        submit: 'Record the question',
        fields: [
          { name: 'text', label: 'Question', type: 'textarea', required: true },
          topicsField(true, 'Slugs separated by commas, e.g. ttp, afghanistan'),
          { name: 'askedBy.name', label: 'Asked by (name)' },
          { name: 'askedBy.outlet', label: 'Outlet' },
        ],
        send: (values) => {
          const askedBy = values['askedBy.name'] || values['askedBy.outlet'] ? { name: values['askedBy.name'], outlet: values['askedBy.outlet'] } : undefined;
          return post(`/api/briefings/${id}/questions`, { text: values.text, topics: values.topics, askedBy });
        },
        done: () => ctx.refresh({ text: 'Question recorded.' }),
      }),
    ),
    disclosure(
      'Close the briefing',
      commandForm({
        id: 'close-briefing',
        title: 'Close the briefing',
        submit: 'Close it',
        danger: true,
        fields: [],
        send: () => post(`/api/briefings/${id}/close`, {}),
        done: () => ctx.refresh({ text: 'The briefing is closed: from now on it takes corrections and retractions only.' }),
      }),
    ),
  );
}

export async function briefingView(ctx) {
  const [briefingId] = ctx.params;
  const asOf = ctx.query.get('asOf') || undefined;
  const briefing = await get(`/api/briefings/${encodeURIComponent(briefingId)}`, { asOf });
  const shownAt = writtenPosition();
  const open = briefing.status === 'open';
  const editable = ctx.editing && !asOf;
  const spoken = [...(briefing.statements ?? []), ...(briefing.questions ?? [])].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const changed = h('div', { 'aria-live': 'polite' });
  const title = briefing.title || 'Briefing';
  const source = briefing.source?.url ?? briefing.sourceUrl;
  const content = [
    heading(title, ', ', day(briefing.heldOn)),
    asOfNotice(asOf, `/briefings/${briefing.briefingId}`),
    changed,
    h(
      'dl',
      { class: 'meta' },
      h('div', null, h('dt', { class: 'visually-hidden' }, 'Spokesperson'), h('dd', null, h('a', { href: `/spokespersons/${briefing.spokesperson.id}` }, briefing.spokesperson.name))),
      h('div', null, h('dt', { class: 'visually-hidden' }, 'Place'), h('dd', null, [briefing.location, briefing.organization].filter(Boolean).join(', '))),
      h('div', null, h('dt', { class: 'visually-hidden' }, 'Status'), h('dd', null, open ? 'Open' : 'Closed: corrections and retractions only')),
      source ? h('div', null, h('dt', { class: 'visually-hidden' }, 'Source'), h('dd', null, h('a', { href: source, rel: 'noopener noreferrer' }, 'Source'))) : null,
    ),
    !ctx.editing && !asOf ? h('p', { class: 'muted' }, 'Editors: enter an editor key at the top of the page to add to this briefing or correct it.') : null,
    h('h2', { id: 'transcript-title' }, 'Transcript'),
    spoken.length === 0
      ? h('p', null, 'Nothing recorded yet.')
      : h(
          'ol',
          { class: 'transcript', 'aria-labelledby': 'transcript-title' },
          spoken.map((item) => (item.kind === 'question' ? questionItem(ctx, briefing, item, editable, open) : remarkItem(ctx, briefing, item, editable))),
        ),
    editable && open ? additionForms(ctx, briefing) : null,
  ];
  return {
    title: `${title}, ${dayText(briefing.heldOn)}`,
    content,
    onLive: (envelope) => {
      if (asOf || envelope.data?.briefingId !== briefing.briefingId || changed.childElementCount > 0) return;
      // This page's own writes are shown already: the view was read after them.
      if (envelope.position <= Math.max(shownAt, writtenPosition())) return;
      changed.append(
        h('p', { class: 'notice' }, 'This briefing has changed since it was shown. ', h('button', { type: 'button', class: 'secondary', onclick: () => ctx.refresh() }, 'Show the latest')),
      );
    },
  };
}
