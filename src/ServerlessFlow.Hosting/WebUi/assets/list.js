// The workflow list: filters in the URL, counts by status, pages by continuation token.
import { api, query } from './api.js';
import { h, status, table, time } from './dom.js';
import { go } from './router.js';

const STATUSES = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'ContinuedAsNew', 'TimedOut'];
/** Not a status but a hold on a Running run: the API's `suspended=true` lists those. */
const SUSPENDED = 'Suspended';
const CHOICES = [...STATUSES, SUSPENDED];
const FILTERS = ['type', 'idPrefix', 'startedAfter', 'startedBefore', 'closedAfter', 'closedBefore'];
/** Counts stop here: a count is one listing of up to this many summaries. */
const COUNT_CAP = 1000;

/** The API's list parameters for the filters in `params` ("sa" holds lines of Name=Value or Name.ge=Value). */
function apiFilters(params) {
  const values = Object.fromEntries(FILTERS.map(f => [f, params.get(f)]));
  for (const line of (params.get('sa') ?? '').split(/[\n,]/).map(s => s.trim()).filter(Boolean)) {
    const at = line.indexOf('=');
    if (at > 0) values['sa.' + line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return values;
}

/** The API's status parameters for a choice of the status filter. */
function statusFilter(choice) {
  return choice === SUSPENDED ? { status: 'Running', suspended: 'true' } : { status: choice };
}

async function count(filters, choice) {
  const page = await api('GET', 'workflows' + query({ ...filters, ...statusFilter(choice), pageSize: COUNT_CAP }));
  return { [choice]: page.items.length + (page.continuationToken ? '+' : '') };
}

export async function workflowList(params) {
  const filters = apiFilters(params);
  const pageSize = params.get('pageSize') ?? '50';
  const page = await api('GET', 'workflows' + query({ ...filters, ...statusFilter(params.get('status')), pageSize, continuationToken: params.get('token') }));
  const counts = Object.assign({}, ...await Promise.all(CHOICES.map(s => count(filters, s))));

  const input = (name, label, placeholder) => h('label', {}, label, h('input', { name, value: params.get(name) ?? '', placeholder, 'data-testid': `filter-${name}` }));
  const form = h('form', { class: 'filters', 'data-testid': 'filters' },
    h('label', {}, 'Status', h('select', { name: 'status', 'data-testid': 'filter-status' },
      h('option', { value: '' }, 'any'), CHOICES.map(s => h('option', { value: s, selected: params.get('status') === s }, s)))),
    input('type', 'Type', 'OrderWorkflow'),
    input('idPrefix', 'ID prefix', 'order-'),
    input('startedAfter', 'Started after', '2026-11-01T00:00:00Z'),
    input('startedBefore', 'Started before', ''),
    input('closedAfter', 'Closed after', ''),
    input('closedBefore', 'Closed before', ''),
    input('sa', 'Search attributes', 'CustomerId=ann, Amount.ge=100'),
    h('button', { class: 'primary', type: 'submit', 'data-testid': 'apply-filters' }, 'Filter'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    go(['workflows'], Object.fromEntries(new FormData(form)));
  });

  const current = Object.fromEntries(params);
  delete current.token;
  const countLinks = h('div', { class: 'counts', 'data-testid': 'counts' },
    h('a', { href: '#', class: params.get('status') ? '' : 'active', onclick: e => { e.preventDefault(); go(['workflows'], { ...current, status: '' }); } }, 'All'),
    CHOICES.map(s => h('a', { href: '#', class: params.get('status') === s ? 'active' : '', 'data-testid': `count-${s}`,
      onclick: e => { e.preventDefault(); go(['workflows'], { ...current, status: s }); } }, `${s} ${counts[s]}`)));

  const rows = page.items.map(w => h('tr', { 'data-testid': 'workflow-row' },
    h('td', {}, status(w.status), w.suspension ? [' ', status(SUSPENDED)] : null),
    h('td', { class: 'mono' }, h('a', { href: '#/workflows/' + encodeURIComponent(w.id), 'data-testid': 'workflow-link' }, w.id)),
    h('td', {}, w.type), h('td', {}, time(w.createdAt)), h('td', {}, time(w.closedAt)), h('td', { class: 'mono muted' }, w.runId)));
  const pager = h('div', { class: 'pager' },
    params.get('token') ? h('button', { onclick: () => history.back() }, '← Previous') : null,
    page.continuationToken ? h('button', { 'data-testid': 'next-page', onclick: () => go(['workflows'], { ...current, token: page.continuationToken }) }, 'Next →') : null,
    h('span', { class: 'muted' }, `${page.items.length} shown`));
  return h('div', {}, h('h1', {}, 'Workflows'), form, countLinks,
    table(['Status', 'Workflow ID', 'Type', 'Started', 'Closed', 'Run ID'], rows.length ? rows : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No workflows match.'))]),
    pager);
}
