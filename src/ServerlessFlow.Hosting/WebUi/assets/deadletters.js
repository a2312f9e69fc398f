// Dead letters: task messages no worker could handle, with replay and delete.
import { api, seg, query } from './api.js';
import { h, time, table, problemBox } from './dom.js';
import { ask } from './dialogs.js';

export async function deadLetterList(params, rerender) {
  let page;
  try {
    page = await api('GET', 'deadletters' + query({ queue: params.get('queue'), pageSize: 100, continuationToken: params.get('token') }));
  } catch (error) {
    // A server on the in-memory backend keeps none it can read (501): say so rather than fail the page.
    return h('div', {}, h('h1', {}, 'Dead letters'), problemBox(error));
  }

  const act = (label, letter, call, danger) => h('button', { class: danger ? 'danger' : '', 'data-testid': `deadletter-${label.toLowerCase()}`, onclick: async () => {
    if (await ask(`${label} ${letter.id}`, [], label, call, danger) !== null) rerender();
  } }, label);
  const rows = page.items.map(l => h('tr', { 'data-testid': 'deadletter-row' },
    h('td', { class: 'mono' }, l.id), h('td', { class: 'mono' }, l.workflowId ? h('a', { href: '#/workflows/' + encodeURIComponent(l.workflowId) }, l.workflowId) : ''),
    h('td', {}, l.dequeueCount), h('td', {}, time(l.deadLetteredAt)), h('td', {}, l.reason), h('td', { class: 'mono' }, l.body),
    h('td', {}, act('Replay', l, () => api('POST', `deadletters/${seg(l.id)}/replay`)), ' ', act('Delete', l, () => api('DELETE', `deadletters/${seg(l.id)}`), true))));
  return h('div', {}, h('h1', {}, 'Dead letters'),
    table(['ID', 'Workflow', 'Dequeues', 'Dead-lettered at', 'Reason', 'Body', ''], rows.length ? rows : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No dead letters.'))]),
    page.continuationToken ? h('div', { class: 'pager' }, h('a', { href: `#/deadletters?token=${encodeURIComponent(page.continuationToken)}` }, 'Next →')) : null);
}
