// Small DOM helpers: element building, formatting, and the problem box every action shows on refusal.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const json = value => value === undefined || value === null ? '' : JSON.stringify(value);
export const pretty = value => JSON.stringify(value, null, 2);

export function time(value) {
  if (!value) return '';
  const date = new Date(value);
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3600000) return `${Math.floor(ms / 60000)}m${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}s`;
  return `${Math.floor(ms / 3600000)}h${String(Math.floor(ms / 60000) % 60).padStart(2, '0')}m`;
}

export const status = value => h('span', { class: `status ${value}`, 'data-testid': 'status' }, value);

/** A failure and its causes: "Type: message ← Cause: message". */
export function failureChain(failure) {
  const parts = [];
  for (let f = failure; f; f = f.cause) parts.push(`${f.type}: ${f.message}`);
  return parts.join('  ←  ');
}

export function problemBox(error) {
  const p = error.problem ?? {};
  const extra = Object.entries(p).filter(([k]) => !['type', 'title', 'status', 'detail'].includes(k)).map(([k, v]) => `\n${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('');
  return h('div', { class: 'problem', 'data-testid': 'problem' }, `${error.status ?? ''} ${p.title ?? 'Error'}: ${p.detail ?? error.message}\ntype: ${p.type ?? ''}${extra}`);
}

export function table(headers, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, headers.map(x => h('th', {}, x)))), h('tbody', {}, rows));
}

export function keyValues(pairs) {
  return h('table', { class: 'kv' }, h('tbody', {}, pairs.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', { class: typeof v === 'string' ? 'mono' : '' }, v ?? '')))));
}
