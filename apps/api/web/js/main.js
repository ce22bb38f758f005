/* global document, window, location, history, URL, URLSearchParams, FormData */
// The page's router: real URLs for every view (the server answers each with this page), links and
// GET forms handled in place, focus moved to the new view's heading after each navigation.
import { apiKey } from './api.js';
import { h } from './dom.js';
import { renderKeyControl } from './editor.js';
import { startLive } from './live.js';
import { briefingView } from './views/briefing.js';
import { briefingsView } from './views/briefings.js';
import { errorView, heading } from './views/common.js';
import { remarkView } from './views/remark.js';
import { searchView } from './views/search.js';
import { lineView, profileView, spokespersonsView } from './views/spokespersons.js';
import { topicsView, topicView } from './views/topics.js';

const ROUTES = [
  { pattern: /^\/$/, view: briefingsView, nav: 'briefings' },
  { pattern: /^\/briefings\/([^/]+)$/, view: briefingView, nav: 'briefings' },
  { pattern: /^\/topics$/, view: topicsView, nav: 'topics' },
  { pattern: /^\/topics\/([^/]+)$/, view: topicView, nav: 'topics' },
  { pattern: /^\/spokespersons$/, view: spokespersonsView, nav: 'spokespersons' },
  { pattern: /^\/spokespersons\/([^/]+)$/, view: profileView, nav: 'spokespersons' },
  { pattern: /^\/spokespersons\/([^/]+)\/topics\/([^/]+)$/, view: lineView, nav: 'spokespersons' },
  { pattern: /^\/remarks\/([^/]+)$/, view: remarkView, nav: null },
  { pattern: /^\/search$/, view: searchView, nav: null },
];

const main = document.getElementById('main');
let renderCount = 0;
let shown = null;
let flash = null;
let liveHandler = null;

function match(pathname) {
  for (const route of ROUTES) {
    const found = route.pattern.exec(pathname);
    if (found) return { route, params: found.slice(1).map(decodeURIComponent) };
  }
  return null;
}

function flashBox(message) {
  return h(
    'div',
    { class: 'flash', role: 'status', tabindex: '-1' },
    message.text,
    message.link ? [' ', h('a', { href: message.link.href }, message.link.label)] : null,
  );
}

function markNav(nav) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** Renders the view of the current URL; `focus`: 'heading', 'flash' or nothing (first load). */
async function render({ focus } = {}) {
  const count = ++renderCount;
  const found = match(location.pathname);
  shown = location.pathname + location.search;
  markNav(found?.route.nav ?? null);
  main.setAttribute('aria-busy', 'true');
  document.body.classList.add('is-loading');
  let result;
  try {
    result = found
      ? await found.route.view({ params: found.params, query: new URLSearchParams(location.search), editing: apiKey.canEdit(), navigate, refresh })
      : { title: 'Not found', content: [heading('Not found'), h('p', null, 'No page has this address. ', h('a', { href: '/' }, 'See the briefings'))] };
  } catch (error) {
    result = errorView(error);
  }
  if (count !== renderCount) return;
  document.body.classList.remove('is-loading');
  const message = flash;
  flash = null;
  const box = message ? flashBox(message) : null;
  main.replaceChildren(...[box, result.content].flat(Infinity).filter(Boolean));
  main.removeAttribute('aria-busy');
  liveHandler = result.onLive ?? null;
  document.title = `${result.title} · Briefing Archive`;
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target) {
    target.setAttribute('tabindex', '-1');
    target.focus();
    target.scrollIntoView({ block: 'start' });
  } else if (focus === 'flash' && box) box.focus();
  else if (focus) main.querySelector('h1')?.focus();
}

/** Goes to a view of the page; `message` is shown at the top of it. */
function navigate(path, message) {
  flash = message ?? null;
  history.pushState(null, '', path);
  window.scrollTo(0, 0);
  return render({ focus: message ? 'flash' : 'heading' });
}

/** Shows the current view again, after a change; `message` says what changed. */
function refresh(message) {
  flash = message ?? null;
  return render({ focus: message ? 'flash' : 'heading' });
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest?.('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const href = link.getAttribute('href');
  if (href.startsWith('#')) {
    // In-page links (the skip link) move the focus without adding a history entry.
    const target = document.getElementById(href.slice(1));
    if (target) {
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: 'start' });
    }
    return;
  }
  const url = new URL(link.href);
  if (url.origin !== location.origin || !match(url.pathname)) return;
  event.preventDefault();
  void navigate(url.pathname + url.search + url.hash);
});

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!form.hasAttribute('data-route')) return;
  event.preventDefault();
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') params.set(name, value.trim());
  const query = params.toString();
  void navigate(form.getAttribute('action') + (query ? `?${query}` : ''));
});

window.addEventListener('popstate', () => {
  if (location.pathname + location.search === shown) return;
  void render({ focus: 'heading' });
});

const live = startLive({
  list: document.getElementById('live-events'),
  status: document.getElementById('live-status'),
  onEvent: (envelope) => liveHandler?.(envelope),
});
renderKeyControl(document.getElementById('editor-key'), () => {
  live.reconnect();
  void render();
});
void render();
