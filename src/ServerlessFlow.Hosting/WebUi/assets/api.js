// Every call of the UI goes through here: the HTTP API under the page's parent path (/api/ui/ → /api/), with the
// function key of the page's ?code= sent as x-functions-key, and refusals thrown as ApiError with the problem details.
const pageKey = new URLSearchParams(location.search).get('code');
const base = new URL('../', location.origin + location.pathname).href;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `The API answered ${status}.`);
    this.status = status;
    this.problem = problem;
  }
}

/** Sends a request; `path` is built with seg() for IDs. Returns the JSON body (null when empty). */
export async function api(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (pageKey) init.headers['x-functions-key'] = pageKey;
  if (body !== undefined) init.body = body;
  const response = await fetch(base + path, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new ApiError(response.status, json ?? { title: response.statusText, detail: text || `HTTP ${response.status}` });
  return json;
}

/** One path segment or query value, escaped as a whole (docs/http-api.md: IDs in URLs). */
export const seg = encodeURIComponent;

/** A query string from an object, skipping empty values. */
export function query(values) {
  const parts = Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => `${seg(k)}=${seg(v)}`);
  return parts.length ? '?' + parts.join('&') : '';
}
