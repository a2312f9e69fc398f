// Confirmation and argument dialogs: every action asks first, and shows the API's problem details if it refuses.
import { h, problemBox } from './dom.js';

/**
 * Opens the dialog with `fields` ({name, label, value, multiline}); on confirm calls `run(values)`.
 * Resolves with run's result, or null when dismissed. A refusal stays in the dialog, shown as problem details.
 */
export function ask(title, fields, confirmText, run, danger = false) {
  const dialog = document.getElementById('dialog');
  return new Promise(resolve => {
    const inputs = Object.fromEntries(fields.map(f => [f.name, f.multiline
      ? h('textarea', { name: f.name, 'data-testid': `field-${f.name}`, spellcheck: 'false' }, f.value ?? '')
      : h('input', { name: f.name, 'data-testid': `field-${f.name}`, value: f.value ?? '' })]));
    const errors = h('div');
    const confirm = h('button', { class: danger ? 'danger' : 'primary', type: 'submit', 'data-testid': 'confirm' }, confirmText);
    const form = h('form', { method: 'dialog' },
      h('h3', {}, title),
      fields.map(f => h('label', {}, f.label, inputs[f.name])),
      errors,
      h('div', { class: 'buttons' }, h('button', { type: 'button', onclick: () => { dialog.close(); resolve(null); } }, 'Cancel'), confirm));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      errors.replaceChildren();
      confirm.disabled = true;
      try {
        const result = await run(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value])));
        dialog.close();
        resolve(result ?? true);
      } catch (error) {
        errors.replaceChildren(problemBox(error));
      } finally {
        confirm.disabled = false;
      }
    });
    dialog.replaceChildren(form);
    dialog.showModal();
  });
}

/** A JSON argument from a textarea: empty means none; invalid JSON is refused before anything is sent. */
export function jsonArgument(text) {
  if (!text || !text.trim()) return undefined;
  try { JSON.parse(text); } catch (e) { throw { status: '', problem: { title: 'Not JSON', detail: `The argument is not valid JSON: ${e.message}` } }; }
  return text;
}
