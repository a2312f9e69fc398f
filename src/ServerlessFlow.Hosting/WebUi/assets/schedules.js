// Schedules: the list, and one schedule with its next and recent actions and its operations.
import { api, seg, query } from './api.js';
import { h, json, pretty, time, table, keyValues } from './dom.js';
import { ask } from './dialogs.js';

export async function scheduleList(params) {
  const page = await api('GET', 'schedules' + query({ pageSize: 100, continuationToken: params.get('token') }));
  const rows = page.items.map(s => h('tr', { 'data-testid': 'schedule-row' },
    h('td', { class: 'mono' }, h('a', { href: '#/schedules/' + encodeURIComponent(s.id) }, s.id)),
    h('td', {}, s.definition.action.workflowType), h('td', {}, s.paused ? 'paused' : 'active'),
    h('td', {}, time(s.nextActionTimes[0])), h('td', {}, s.actionCount), h('td', {}, s.note ?? '')));
  return h('div', {}, h('h1', {}, 'Schedules'),
    table(['Schedule ID', 'Workflow type', 'State', 'Next action', 'Actions taken', 'Note'], rows.length ? rows : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No schedules.'))]),
    page.continuationToken ? h('div', { class: 'pager' }, h('a', { href: `#/schedules?token=${encodeURIComponent(page.continuationToken)}` }, 'Next →')) : null);
}

export async function schedulePage(id, rerender) {
  const s = await api('GET', `schedules/${seg(id)}`);
  const path = `schedules/${seg(id)}`;
  const act = (label, fields, call, danger) => h('button', { class: danger ? 'danger' : '', 'data-testid': `schedule-${label.toLowerCase()}`, onclick: async () => {
    if (await ask(`${label} ${id}`, fields, label, call, danger) !== null) rerender();
  } }, label);
  const note = [{ name: 'note', label: 'Note (why)' }];
  return h('div', {}, h('h1', {}, id, ' ', h('span', { class: 'status' }, s.paused ? 'paused' : 'active')),
    h('div', { class: 'actions' },
      s.paused ? act('Unpause', note, v => api('POST', `${path}/unpause${query({ note: v.note })}`)) : act('Pause', note, v => api('POST', `${path}/pause${query({ note: v.note })}`)),
      act('Trigger', [{ name: 'overlap', label: 'Overlap policy (empty: the schedule\'s)' }], v => api('POST', `${path}/trigger${query({ overlap: v.overlap })}`)),
      act('Backfill', [{ name: 'startAt', label: 'Start at (ISO 8601 with offset)' }, { name: 'endAt', label: 'End at (exclusive)' }, { name: 'overlap', label: 'Overlap policy (optional)' }],
        v => api('POST', `${path}/backfill`, JSON.stringify({ startAt: v.startAt, endAt: v.endAt, ...(v.overlap ? { overlap: v.overlap } : {}) }))),
      act('Delete', [], () => api('DELETE', path).then(() => { location.hash = '#/schedules'; }), true)),
    keyValues([['Workflow type', s.definition.action.workflowType], ['Spec', json(s.definition.spec)], ['Policies', json(s.definition.policies)],
      ['Note', s.note ?? ''], ['Actions taken', String(s.actionCount)], ['Skipped (overlap)', String(s.overlapSkipped)], ['Missed (catch-up window)', String(s.missedCatchupWindow)],
      ['Created', time(s.createdAt)], ['Updated', time(s.updatedAt)]]),
    h('h2', {}, 'Next action times'), table(['Time'], s.nextActionTimes.map(t => h('tr', {}, h('td', {}, time(t))))),
    h('h2', {}, 'Recent actions'), table(['Scheduled at', 'Taken at', 'Workflow'], s.recentActions.map(a => h('tr', {},
      h('td', {}, time(a.scheduledAt)), h('td', {}, time(a.takenAt)), h('td', { class: 'mono' }, h('a', { href: '#/workflows/' + encodeURIComponent(a.workflowId) }, a.workflowId))))),
    h('h2', {}, 'Definition'), h('pre', {}, pretty(s.definition)));
}
