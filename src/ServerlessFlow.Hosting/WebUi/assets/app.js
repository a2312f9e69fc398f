// The single page: picks the view of the hash route and renders it into <main>.
import { problemBox } from './dom.js';
import { workflowList } from './list.js';
import { workflowPage } from './workflow.js';
import { scheduleList, schedulePage } from './schedules.js';
import { deadLetterList } from './deadletters.js';
import { route } from './router.js';

const view = document.getElementById('view');
let generation = 0;

async function render() {
  const mine = ++generation;
  // A view that refreshes itself checks this before each refresh, so a view left behind stops.
  const alive = () => mine === generation;
  const { parts, params } = route();
  const section = parts[0] ?? 'workflows';
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('active', a.dataset.nav === section));
  try {
    let content;
    if (section === 'workflows' && parts.length === 1 || parts.length === 0) content = await workflowList(params);
    else if (section === 'workflows') content = await workflowPage(parts[1], params, alive, render);
    else if (section === 'schedules' && parts.length === 1) content = await scheduleList(params);
    else if (section === 'schedules') content = await schedulePage(parts[1], render);
    else if (section === 'deadletters') content = await deadLetterList(params, render);
    else content = document.createTextNode('Unknown page.');
    if (alive()) view.replaceChildren(content);
  } catch (error) {
    if (alive()) view.replaceChildren(problemBox(error));
  }
}

window.addEventListener('hashchange', render);
render();
