// Two small charts drawn as inline SVG. The numbers are always written out beside or under the
// drawing, so the charts add a picture and hide nothing from a screen reader or a narrow screen.
import { h, monthText, s } from './dom.js';

/**
 * A horizontal bar chart as a list: each row a link, a bar and its value in words.
 * `items`: [{ label, value, href }].
 */
export function barChart(items, { caption, unit }) {
  const max = Math.max(1, ...items.map((item) => item.value));
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', null, caption),
    h(
      'ol',
      { class: 'bars' },
      items.map((item) =>
        h(
          'li',
          null,
          h('a', { href: item.href }, item.label),
          s(
            'svg',
            { viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' },
            s('rect', { x: 0, y: 0, height: 10, width: Math.max(0.5, (item.value / max) * 100) }),
          ),
          h('span', { class: 'value' }, `${item.value} ${item.value === 1 ? unit[0] : unit[1]}`),
        ),
      ),
    ),
  );
}

const monthKey = (date) => `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;

/**
 * Counts per month between the first and the last day given (by year when that spans more than
 * six years), with the months that had none: [{ label, count }].
 */
export function countByPeriod(days) {
  const dates = days.map((isoDay) => new Date(`${isoDay}T00:00:00Z`)).sort((a, b) => a - b);
  if (dates.length === 0) return [];
  const first = dates[0];
  const last = dates[dates.length - 1];
  const months = (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth() + 1;
  const byYear = months > 72;
  const buckets = new Map();
  if (byYear) {
    for (let year = first.getUTCFullYear(); year <= last.getUTCFullYear(); year++) buckets.set(String(year), { label: String(year), count: 0 });
    for (const date of dates) buckets.get(String(date.getUTCFullYear())).count++;
  } else {
    for (let i = 0; i < months; i++) {
      const date = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1));
      buckets.set(monthKey(date), { label: monthText(date), count: 0 });
    }
    for (const date of dates) buckets.get(monthKey(date)).count++;
  }
  return [...buckets.values()];
}

/** A column chart of counts per period, with the same numbers in a table beneath. */
export function columnChart(periods, { caption, unit }) {
  const max = Math.max(1, ...periods.map((period) => period.count));
  const width = 40;
  const chartHeight = 120;
  const total = Math.max(periods.length * width, 240);
  const every = Math.ceil(periods.length / 12);
  const svg = s(
    'svg',
    { class: 'columns', viewBox: `0 0 ${total} ${chartHeight + 34}`, preserveAspectRatio: 'xMinYMid meet', role: 'img', 'aria-label': caption },
    s('line', { x1: 0, x2: total, y1: chartHeight, y2: chartHeight }),
    periods.map((period, index) => {
      const height = (period.count / max) * (chartHeight - 16);
      const x = index * width;
      return s(
        'g',
        null,
        s('title', null, `${period.label}: ${period.count} ${period.count === 1 ? unit[0] : unit[1]}`),
        s('rect', { class: 'column', x: x + 8, width: width - 16, y: chartHeight - height, height }),
        period.count > 0 ? s('text', { x: x + width / 2, y: chartHeight - height - 4, 'text-anchor': 'middle' }, String(period.count)) : null,
        index % every === 0 ? s('text', { x: x + width / 2, y: chartHeight + 16, 'text-anchor': 'middle' }, period.label.split(' ')[0]) : null,
        index % every === 0 && period.label.includes(' ')
          ? s('text', { x: x + width / 2, y: chartHeight + 30, 'text-anchor': 'middle' }, period.label.split(' ')[1])
          : null,
      );
    }),
  );
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', null, caption),
    svg,
    h(
      'details',
      null,
      h('summary', null, 'The numbers as a table'),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          null,
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Period'), h('th', { scope: 'col', class: 'num' }, unit[1].charAt(0).toUpperCase() + unit[1].slice(1)))),
          h(
            'tbody',
            null,
            periods.map((period) => h('tr', null, h('th', { scope: 'row' }, period.label), h('td', { class: 'num' }, String(period.count)))),
          ),
        ),
      ),
    ),
  );
}
