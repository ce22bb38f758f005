// Editor mode: the key typed into the page, and the forms that send commands. The forms leave
// checking to the API (novalidate) and show its field errors beside the fields they name.
import { apiKey, ApiError, identifyKey } from './api.js';
import { h } from './dom.js';

/** The header's key control: a form to enter a key, or the state and a way to forget it. */
export function renderKeyControl(container, onChange, { focus = false } = {}) {
  const key = apiKey.get();
  if (key) {
    container.replaceChildren(
      h(
        'p',
        { class: 'actions' },
        apiKey.canEdit()
          ? h('span', { class: 'status status-open' }, 'Editor mode on')
          : h('span', { class: 'status' }, 'Reading with a reader key: editing needs an editor key'),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => {
              apiKey.clear();
              renderKeyControl(container, onChange, { focus: true });
              onChange();
            },
          },
          'Forget key',
        ),
      ),
    );
    return;
  }
  const input = h('input', { id: 'editor-key-input', name: 'key', type: 'password', autocomplete: 'off', spellcheck: 'false' });
  const problem = h('span', { class: 'field-error', role: 'alert' });
  container.replaceChildren(
    h(
      'form',
      {
        onsubmit: async (event) => {
          event.preventDefault();
          const value = input.value.trim();
          if (!value) return;
          // Asked first, so that a reader key does not offer forms that could only get 403.
          let identity;
          try {
            identity = await identifyKey(value);
          } catch (error) {
            problem.textContent = error instanceof ApiError && error.status === 401 ? 'This archive does not know that key.' : error.message;
            return;
          }
          apiKey.set(value, identity.role);
          renderKeyControl(container, onChange, { focus: true });
          onChange();
        },
      },
      h('label', { for: 'editor-key-input' }, 'Editor key'),
      input,
      h('button', { type: 'submit', class: 'secondary' }, 'Use key'),
      problem,
    ),
  );
  if (focus) input.focus();
}

/** Splits "ttp, afghanistan" (commas or spaces) into topic slugs; undefined when empty. */
export function topicsOf(value) {
  const topics = String(value ?? '')
    .split(/[\s,]+/)
    .filter(Boolean);
  return topics.length > 0 ? topics : undefined;
}

const optional = (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

function fieldControl(formId, field) {
  const id = `${formId}-${field.name.replace(/\W+/g, '-')}`;
  const hintId = field.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const common = { id, name: field.name, 'aria-describedby': describedBy, 'data-field': field.name };
  let control;
  if (field.type === 'textarea') control = h('textarea', { ...common, rows: 4 }, field.value ?? '');
  else if (field.type === 'checkbox') control = h('input', { ...common, type: 'checkbox', checked: Boolean(field.value) });
  else control = h('input', { ...common, type: field.type ?? 'text', value: field.value ?? '', autocomplete: 'off' });
  const label = h('label', { for: id }, field.label, field.required ? h('span', { class: 'muted' }, ' (required)') : null);
  const hint = field.hint ? h('span', { class: 'hint', id: hintId }, field.hint) : null;
  const error = h('p', { class: 'field-error', id: errorId });
  if (field.type === 'checkbox') return h('div', { class: 'field inline' }, control, label, hint, error);
  return h('div', { class: 'field' }, label, hint, control, error);
}

/** The input an API error's `field` names: `topics.0` is the topics field, `askedBy.outlet` that one. */
function controlFor(form, field) {
  const candidates = [field, field.replace(/(\.\d+|\[\d+\])+$/, ''), field.split('.')[0]];
  for (const name of candidates) {
    const control = [...form.querySelectorAll('[data-field]')].find((element) => element.dataset.field === name);
    if (control) return control;
  }
  return null;
}

export function clearErrors(form) {
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  for (const error of form.querySelectorAll('.field-error, .form-error')) error.replaceChildren();
}

/** Puts each of the API's field errors beside its field, the rest above the button. */
export function showErrors(form, error, { focus = true } = {}) {
  clearErrors(form);
  const summary = form.querySelector('.form-error');
  const unplaced = [];
  let first = null;
  const fieldErrors = error instanceof ApiError ? error.errors : [];
  for (const { field, message } of fieldErrors) {
    const control = field ? controlFor(form, String(field)) : null;
    if (!control) {
      unplaced.push(message);
      continue;
    }
    control.setAttribute('aria-invalid', 'true');
    const slot = form.querySelector(`#${control.id}-error`);
    slot.append(slot.textContent ? `; ${message}` : message);
    first ??= control;
  }
  const lead =
    error instanceof ApiError && error.status === 401
      ? `The archive did not accept the key: ${error.message}`
      : error instanceof ApiError && error.status === 403
        ? `This key may not do that: ${error.message}`
        : fieldErrors.length > 0
          ? 'The archive did not accept this: see the marked fields.'
          : error.message;
  summary.append(lead, ...unplaced.map((message) => ` ${message}`));
  if (focus) (first ?? summary).focus();
}

/**
 * A command form. `fields`: [{ name, label, type?, required?, hint?, value?, parse? }];
 * `send(values)` posts the command and answers what `done(result)` gets.
 */
export function commandForm({ id, title, fields, submit, send, done, danger = false }) {
  const form = h(
    'form',
    { id, class: 'editor-form', novalidate: true, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, title),
    fields.map((field) => fieldControl(id, field)),
    h('div', { class: 'form-error', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: danger ? 'danger' : null }, submit)),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    const values = {};
    for (const field of fields) {
      const control = form.elements.namedItem(field.name);
      const raw = field.type === 'checkbox' ? control.checked : control.value;
      values[field.name] = field.parse ? field.parse(raw) : field.required ? raw : optional(raw);
    }
    button.disabled = true;
    clearErrors(form);
    try {
      const result = await send(values);
      await done(result);
    } catch (error) {
      showErrors(form, error);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** A form that only shows when asked for: a disclosure with the form inside. */
export function disclosure(label, form) {
  return h('details', { class: 'editor' }, h('summary', null, label), form);
}
