// Small helpers to build the page from elements and text only: no string is ever parsed as HTML, so nothing the
// server or a person typed can become markup, and nothing needs an inline script or style (CSP).
import { t, lang } from './i18n.js';

/** An element: h('p', {class: 'x'}, 'text', child, [more]). Attributes starting with "on" are listeners. */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** A page heading that takes the focus after navigation, so screen readers announce the new page. */
export function heading(text) {
  return h('h1', { tabindex: '-1', id: 'page-heading' }, text);
}

/** A time as people read it, in the console's language and the browser's time zone. */
export function when(iso) {
  if (!iso) return t('none');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(lang() === 'nl' ? 'nl-NL' : 'en-GB', {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit'
  });
}

export function isoLocalToInstant(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A table with a caption, column headings and one row per item. */
export function table(caption, headings, rows) {
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headings.map((heading) => h('th', { scope: 'col' }, heading)))),
    h('tbody', {}, rows));
}

let fieldCounter = 0;

/** A labelled form field with a hint and a place for its error, GOV.UK style. */
export function field(name, label, control, hint) {
  const id = 'f-' + name + '-' + (++fieldCounter);
  control.id = id;
  control.name = name;
  const hintElement = hint ? h('span', { class: 'hint', id: id + '-hint' }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  const error = h('span', { class: 'field__error', id: id + '-error', hidden: true });
  const wrapper = h('div', { class: 'field', 'data-field': name }, h('label', { for: id }, label), hintElement, error, control);
  return wrapper;
}

export function input(attributes) {
  return h('input', Object.assign({ type: 'text', class: 'input--wide', autocomplete: 'off', spellcheck: 'false' }, attributes));
}

/** One checkbox with its label. */
export function checkbox(name, label) {
  const id = 'c-' + name + '-' + (++fieldCounter);
  return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name }), h('label', { for: id }, label));
}

/** Shows errors: a summary at the top of the form linking to each field, and the message beside it. */
export function showErrors(form, errors) {
  clearErrors(form);
  if (errors.length === 0) return;
  const summary = h('div', { class: 'summary', role: 'alert', tabindex: '-1' },
    h('h2', {}, t('errors.title')),
    h('ul', {}, errors.map(({ field: name, message }) => {
      const wrapper = name && form.querySelector('[data-field="' + name + '"]');
      const control = wrapper && wrapper.querySelector('input, select, textarea');
      if (wrapper) {
        wrapper.classList.add('field--error');
        const slot = wrapper.querySelector('.field__error');
        if (slot) {
          slot.hidden = false;
          slot.textContent = message;
          control.setAttribute('aria-invalid', 'true');
          control.setAttribute('aria-describedby', [slot.id, control.getAttribute('aria-describedby')].filter(Boolean).join(' '));
        }
      }
      return h('li', {}, control
        ? h('a', { href: '#' + control.id, onclick: (event) => { event.preventDefault(); control.focus(); } }, message)
        : message);
    })));
  form.prepend(summary);
  summary.focus();
}

export function clearErrors(form) {
  form.querySelectorAll('.summary').forEach((node) => node.remove());
  form.querySelectorAll('.field--error').forEach((node) => node.classList.remove('field--error'));
  form.querySelectorAll('.field__error').forEach((node) => { node.hidden = true; node.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((node) => {
    node.removeAttribute('aria-invalid');
    const described = (node.getAttribute('aria-describedby') || '').split(' ').filter((id) => !id.endsWith('-error'));
    if (described.length) node.setAttribute('aria-describedby', described.join(' ')); else node.removeAttribute('aria-describedby');
  });
}

/**
 * The server names each bad field in its 400 answers ('field "phone" …; field "eligibility.livesInRegion" …');
 * each message goes beside its field, the rest beside the fallback field.
 */
export function serverError(form, error, fallbackField) {
  const parts = (error.message || '').split('; ').filter(Boolean);
  showErrors(form, (parts.length ? parts : [error.message]).map((message) => {
    const match = /"([A-Za-z]+)(?:\.[A-Za-z]+)?"/.exec(message || '');
    const name = match && form.querySelector('[data-field="' + match[1] + '"]') ? match[1] : fallbackField;
    return { field: name, message };
  }));
}

/** A file from bytes, offered to the browser as a download (reports, bundles, PKCS#12). */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(url); link.remove(); }, 60000);
}

export function tag(text, kind) {
  return h('span', { class: 'tag' + (kind ? ' tag--' + kind : '') }, text);
}

export function shortId(id) {
  return id ? id.slice(0, 8) : '';
}
