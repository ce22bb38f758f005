/* global fetch, sessionStorage, URLSearchParams */
// The archive's JSON API, as the page uses it: the key typed into the page (session storage
// only, gone when the tab closes), problem+json errors, and read-your-writes.

const KEY = 'briefing-archive:key';
const ROLE = 'briefing-archive:role';

export const apiKey = {
  get() {
    try {
      return sessionStorage.getItem(KEY) || null;
    } catch {
      return null;
    }
  },
  /** The key's role as the archive named it (GET /api/key) when it was entered. */
  role() {
    try {
      return sessionStorage.getItem(ROLE) || null;
    } catch {
      return null;
    }
  },
  /** Whether the page offers its forms: a key that may write. */
  canEdit() {
    return apiKey.get() !== null && (apiKey.role() === 'editor' || apiKey.role() === 'admin');
  },
  set(value, role) {
    sessionStorage.setItem(KEY, value);
    sessionStorage.setItem(ROLE, role ?? '');
  },
  clear() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ROLE);
  },
};

/** An answer other than 2xx, with its problem+json body when it has one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? null;
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

// The position of this page's last write: later reads wait until the read models have it
// (X-Min-Position), so the page always shows what it has just written.
let written = 0;

export function writtenPosition() {
  return written;
}

/** `query` values that are undefined, null or '' are left out. */
export function url(path, query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** `key` overrides the page's own (to ask about a key before keeping it). */
export async function api(path, { method = 'GET', query, body, key = apiKey.get() } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method === 'GET' && written > 0) headers['X-Min-Position'] = String(written);
  let response;
  try {
    response = await fetch(url(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { title: 'No answer', detail: 'The archive did not answer: check the connection and try again.' });
  }
  const type = response.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  if (method !== 'GET' && typeof data?.position === 'number') written = Math.max(written, data.position);
  return data;
}

export const get = (path, query) => api(path, { query });
export const post = (path, body) => api(path, { method: 'POST', body });

/** What the archive makes of a key: `{ name, role, keysRequired }`, or an ApiError (401 for one it does not know). */
export const identifyKey = (key) => api('/api/key', { key });
