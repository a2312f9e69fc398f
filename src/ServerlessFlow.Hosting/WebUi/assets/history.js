// A history as people read it: scheduled and closing events paired into spans (the compact list), and those
// spans drawn as bars over the run's time (the timeline).
import { h, json, time, duration, failureChain, table } from './dom.js';

/** Pairs events into rows: {eventId, at, closedAt, what, name, outcome, detail}. */
export function compact(events) {
  const rows = [], open = new Map();
  const start = (key, row) => { open.set(key, row); rows.push(row); };
  const close = (key, e, outcome, result) => {
    const row = open.get(key);
    if (!row) return;
    open.delete(key);
    Object.assign(row, { closedAt: e.timestamp, outcome, detail: [row.detail, result].filter(Boolean).join(' → ') });
  };
  for (const e of events) {
    const base = { eventId: e.eventId, at: e.timestamp, closedAt: null, outcome: 'Pending' };
    switch (e.kind) {
      case 'ActivityScheduled': start('a' + e.eventId, { ...base, what: 'Activity', name: e.activityName, detail: json(e.input), options: e.options }); break;
      case 'ActivityCompleted': close('a' + e.scheduledEventId, e, `Completed (attempt ${e.attempt})`, json(e.result)); break;
      case 'ActivityFailed': close('a' + e.scheduledEventId, e, `Failed (attempt ${e.attempt})`, failureChain(e.failure)); break;
      case 'TimerStarted': start('t' + e.eventId, { ...base, what: 'Timer', name: 'until ' + time(e.fireAt), detail: '', fireAt: e.fireAt }); break;
      case 'TimerFired': close('t' + e.startedEventId, e, 'Fired', ''); break;
      case 'TimerCanceled': close('t' + e.startedEventId, e, 'Canceled', ''); break;
      case 'ChildWorkflowScheduled': start('c' + e.eventId, { ...base, what: 'Child', name: `${e.workflowType} ${e.childWorkflowId}`, childId: e.childWorkflowId, detail: json(e.input) }); break;
      case 'ChildWorkflowCompleted': close('c' + e.scheduledEventId, e, 'Completed', json(e.result)); break;
      case 'ChildWorkflowFailed': close('c' + e.scheduledEventId, e, e.status, failureChain(e.failure)); break;
      case 'ChildWorkflowStarted': { const child = open.get('c' + e.scheduledEventId); if (child) child.detail = [child.detail, `run ${e.runId}`].filter(Boolean).join(' '); break; }
      case 'ExternalWorkflowSignalRequested': start('x' + e.eventId, { ...base, what: 'Signal out', name: `${e.signalName} → ${e.targetWorkflowId}`, detail: json(e.input) }); break;
      case 'ExternalWorkflowCancelRequested': start('x' + e.eventId, { ...base, what: 'Cancel out', name: e.targetWorkflowId, detail: '' }); break;
      case 'ExternalWorkflowRequestCompleted': close('x' + e.requestedEventId, e, 'Delivered', ''); break;
      case 'ExternalWorkflowRequestFailed': close('x' + e.requestedEventId, e, 'Failed', failureChain(e.failure)); break;
      case 'WorkflowUpdateAccepted': start('u' + e.updateId, { ...base, what: 'Update', name: e.updateName, detail: json(e.input) }); break;
      case 'WorkflowUpdateCompleted': close('u' + e.updateId, e, e.failure ? 'Failed' : 'Completed', e.failure ? failureChain(e.failure) : json(e.result)); break;
      default: rows.push({ ...base, outcome: '', what: e.kind, ...single(e) });
    }
  }
  return rows;
}

function single(e) {
  switch (e.kind) {
    case 'WorkflowStarted': return { name: e.workflowType, detail: json(e.input) };
    case 'WorkflowCompleted': return { name: '', detail: json(e.result) };
    case 'WorkflowFailed': return { name: '', detail: failureChain(e.failure) };
    case 'WorkflowSignaled': return { name: e.signalName, detail: json(e.input) };
    case 'WorkflowContinuedAsNew': return { name: e.newRunId, detail: json(e.input) };
    case 'MarkerRecorded': return { name: e.patchId, detail: e.deprecated ? 'deprecated' : '' };
    case 'SearchAttributesUpserted': return { name: '', detail: json(e.changes) };
    case 'LocalActivityMarkerRecorded': return { name: e.activityName, detail: `attempt ${e.attempt}: ` + (e.failure ? failureChain(e.failure) + (e.backoff ? ` (retry after ${e.backoff})` : '') : json(e.result)) };
    default: return { name: '', detail: e.reason ?? '' };
  }
}

const span = row => row.closedAt ? new Date(row.closedAt) - new Date(row.at) : null;

export function compactTable(rows) {
  const origin = rows.length ? new Date(rows[0].at) : new Date();
  return table(['#', 'At', 'Event', 'Name', 'Outcome', 'Duration', 'Detail'], rows.map(r => h('tr', { 'data-testid': 'compact-row' },
    h('td', {}, r.eventId), h('td', {}, '+' + duration(new Date(r.at) - origin)), h('td', {}, r.what), h('td', { class: 'mono' }, r.name),
    h('td', {}, r.outcome), h('td', {}, duration(span(r))), h('td', { class: 'mono' }, r.detail))));
}

/** Activities, timers, children and updates as bars from their start to their end (now, while pending). */
export function timeline(rows, closedAt) {
  const spans = rows.filter(r => ['Activity', 'Timer', 'Child', 'Update'].includes(r.what));
  const origin = rows.length ? new Date(rows[0].at).getTime() : Date.now();
  const end = Math.max(closedAt ? new Date(closedAt).getTime() : Date.now(), ...spans.map(r => new Date(r.closedAt ?? r.fireAt ?? Date.now()).getTime()), origin + 1);
  const total = end - origin;
  const pct = t => `${((t - origin) / total * 100).toFixed(3)}%`;
  const bars = spans.map(r => {
    const from = new Date(r.at).getTime();
    const to = r.closedAt ? new Date(r.closedAt).getTime() : closedAt ? new Date(closedAt).getTime() : Date.now();
    const state = r.outcome === 'Pending' ? 'pending' : /Failed|Canceled|Terminated|TimedOut/.test(r.outcome) ? 'failed' : '';
    return h('div', { class: 'row', 'data-testid': 'timeline-row', title: `${r.what} ${r.name}: ${r.outcome} ${r.detail}` },
      h('div', { class: 'label' }, `${r.what} ${r.name}`),
      h('div', { class: 'track' }, h('div', { class: `bar ${r.what} ${state}`, style: `left:${pct(from)};width:calc(${pct(to)} - ${pct(from)})` })),
      h('div', { class: 'dur' }, r.closedAt ? duration(to - from) : closedAt ? 'never closed' : 'pending'));
  });
  return h('div', { class: 'timeline', 'data-testid': 'timeline' },
    bars.length ? bars : h('div', { class: 'muted', style: 'padding:4px 8px' }, 'No activities, timers, children or updates yet.'),
    h('div', { class: 'row muted' }, h('div', { class: 'label' }, time(new Date(origin))), h('div', {}), h('div', { class: 'dur' }, duration(total))));
}
