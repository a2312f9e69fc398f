// One workflow: summary, pending work, history (timeline, compact, JSON) and the actions, refreshing while it runs.
import { api, seg, query } from './api.js';
import { h, json, pretty, time, status, failureChain, table, keyValues } from './dom.js';
import { compact, compactTable, timeline } from './history.js';
import { ask, jsonArgument } from './dialogs.js';
import { go } from './router.js';

/** How often an open workflow's page reloads itself. */
const REFRESH_MS = 2000;

// The workflow actions, each a POST (or DELETE) to the API behind a confirming dialog; `when` hides one that does not
// apply to the run as described (suspend a held run, resume a free one).
const ACTIONS = [
  { id: 'signal', label: 'Signal', open: true, fields: ['name', 'argument'], call: (w, v) => api('POST', `workflows/${seg(w)}/signals/${seg(v.name)}`, jsonArgument(v.argument)) },
  { id: 'query', label: 'Query', fields: ['name', 'argument'], call: (w, v) => { const arg = jsonArgument(v.argument); return arg === undefined ? api('GET', `workflows/${seg(w)}/queries/${seg(v.name)}`) : api('POST', `workflows/${seg(w)}/queries/${seg(v.name)}`, arg); } },
  { id: 'update', label: 'Update', open: true, fields: ['name', 'argument'], call: (w, v) => api('POST', `workflows/${seg(w)}/updates/${seg(v.name)}`, jsonArgument(v.argument)) },
  { id: 'cancel', label: 'Cancel', open: true, danger: true, fields: ['reason'], call: (w, v) => api('POST', `workflows/${seg(w)}/cancel${query({ reason: v.reason })}`) },
  { id: 'terminate', label: 'Terminate', open: true, danger: true, fields: ['reason'], call: (w, v) => api('POST', `workflows/${seg(w)}/terminate${query({ reason: v.reason })}`) },
  { id: 'suspend', label: 'Suspend', open: true, danger: true, fields: ['reason'], when: d => d.status === 'Running' && !d.suspension, call: (w, v) => api('POST', `workflows/${seg(w)}/suspend${query({ reason: v.reason })}`) },
  { id: 'resume', label: 'Resume', open: true, fields: [], when: d => d.status === 'Running' && !!d.suspension, call: w => api('POST', `workflows/${seg(w)}/resume`) },
  { id: 'purge', label: 'Purge', danger: true, fields: [], call: w => api('DELETE', `workflows/${seg(w)}`) },
];

const FIELD_LABELS = { name: 'Name', argument: 'Argument (JSON; empty for none)', reason: 'Reason (recorded in history)' };

export async function workflowPage(id, params, alive, rerender) {
  const [description, history] = await Promise.all([api('GET', `workflows/${seg(id)}`), api('GET', `workflows/${seg(id)}/history`)]);
  const rows = compact(history.events);
  const tab = params.get('tab') ?? 'timeline';
  const notice = params.get('notice');

  if (description.status === 'Running') {
    setTimeout(() => { if (alive()) rerender(); }, REFRESH_MS);
  }

  const actions = h('div', { class: 'actions' }, ACTIONS.filter(action => !action.when || action.when(description)).map(action => h('button', {
    class: action.danger ? 'danger' : '', 'data-testid': `action-${action.id}`,
    onclick: async () => {
      const result = await ask(`${action.label} ${id}`, action.fields.map(f => ({ name: f, label: FIELD_LABELS[f], multiline: f === 'argument' })),
        action.label, values => action.call(id, values), action.danger);
      if (result === null) return;
      if (action.id === 'purge') { go(['workflows']); return; }
      const before = location.hash;
      go(['workflows', id], { tab, notice: `${action.label}: ${typeof result === 'object' ? json(result) : 'done'}` });
      if (location.hash === before) rerender();
    },
  }, action.label)));

  const scheduled = Object.fromEntries(rows.filter(r => r.what === 'Activity').map(r => [r.eventId, r]));
  const pendingActivities = description.pendingActivities.map(a => {
    const options = scheduled[a.scheduledEventId]?.options ?? {};
    return h('tr', {}, h('td', {}, a.scheduledEventId), h('td', {}, a.activityName), h('td', {}, a.state), h('td', {}, a.attempt),
      h('td', {}, time(a.startedAt)), h('td', {}, time(a.lastHeartbeatAt)), h('td', { class: 'mono', 'data-testid': 'heartbeat-details' }, json(a.heartbeatDetails)), h('td', {}, time(a.nextAttemptAt)),
      h('td', { class: 'mono' }, [options.startToCloseTimeout && `start-to-close ${options.startToCloseTimeout}`, options.scheduleToCloseTimeout && `schedule-to-close ${options.scheduleToCloseTimeout}`, options.heartbeatTimeout && `heartbeat ${options.heartbeatTimeout}`].filter(Boolean).join(', ')),
      h('td', { class: 'mono' }, failureChain(a.lastFailure)));
  });
  const pendingChildren = rows.filter(r => r.what === 'Child' && r.outcome === 'Pending').map(r =>
    h('tr', {}, h('td', {}, r.eventId), h('td', {}, h('a', { href: '#/workflows/' + encodeURIComponent(r.childId) }, r.name)), h('td', {}, time(r.at))));

  const tabs = h('div', { class: 'tabs' }, ['timeline', 'compact', 'json'].map(t =>
    h('a', { href: '#', class: t === tab ? 'active' : '', 'data-testid': `tab-${t}`, onclick: e => { e.preventDefault(); go(['workflows', id], { tab: t }); } },
      { timeline: 'Timeline', compact: 'Compact', json: 'JSON' }[t])));
  let body;
  if (tab === 'compact') body = compactTable(rows);
  else if (tab === 'json') {
    const blob = URL.createObjectURL(new Blob([pretty(history)], { type: 'application/json' }));
    body = h('div', {}, h('p', {}, h('a', { href: blob, download: `${id.replace(/[^\w.-]+/g, '_')}-history.json`, 'data-testid': 'download' }, 'Download the history (JSON, replayable)')),
      h('pre', { 'data-testid': 'history-json' }, pretty(history)));
  } else body = timeline(rows, description.closedAt);

  return h('div', {},
    h('h1', {}, id, ' ', status(description.status), description.suspension ? [' ', status('Suspended')] : null),
    notice ? h('div', { class: 'notice', 'data-testid': 'notice' }, notice) : null,
    actions,
    keyValues([
      ['Type', description.type], ['Run ID', description.runId], ['Task queue', description.taskQueue],
      description.suspension ? ['Suspended', h('span', { 'data-testid': 'suspension' }, `since ${time(description.suspension.suspendedAt)}${description.suspension.reason ? ': ' + description.suspension.reason : ''}`)] : null,
      ['Started', time(description.createdAt)], ['Closed', time(description.closedAt)], ['History', `${description.historyLength} events`],
      ['Input', json(description.input)],
      description.status === 'Completed' ? ['Result', json(description.result)] : null,
      description.failure ? ['Failure', h('div', { class: 'mono', 'data-testid': 'failure' }, failureChain(description.failure))] : null,
      ['Memo', json(description.memo)], ['Search attributes', json(description.searchAttributes)],
      description.lastTaskFailure ? ['Last task failure', h('div', { class: 'problem' }, description.lastTaskFailure)] : null,
    ].filter(Boolean)),
    pendingActivities.length ? [h('h2', {}, 'Pending activities'), table(['Event', 'Activity', 'State', 'Attempt', 'Started', 'Last heartbeat', 'Heartbeat details', 'Next attempt', 'Timeouts', 'Last failure'], pendingActivities)] : null,
    pendingChildren.length ? [h('h2', {}, 'Pending child workflows'), table(['Event', 'Child', 'Started'], pendingChildren)] : null,
    description.pendingTimers.length ? [h('h2', {}, 'Pending timers'), table(['Fires at'], description.pendingTimers.map(t => h('tr', {}, h('td', {}, time(t)))))] : null,
    h('h2', {}, 'History'), tabs, body);
}
