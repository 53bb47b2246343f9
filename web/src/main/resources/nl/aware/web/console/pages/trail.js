// The access trail (auditors): who read or was refused what, newest first. Reading it is recorded too.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, heading, table, field, when, tag, isoLocalToInstant, showErrors, clearErrors, serverError } from '../dom.js';

export async function trailPage() {
  const user = h('input', { type: 'text', autocapitalize: 'none' });
  const subject = h('input', { type: 'text', class: 'mono' });
  const action = h('input', { type: 'text' });
  const outcome = h('select', {}, [['', t('all')], ['allowed', t('trail.allowed')], ['denied', t('trail.denied')]]
    .map(([value, label]) => h('option', { value }, label)));
  const from = h('input', { type: 'datetime-local' });
  const to = h('input', { type: 'datetime-local' });
  const results = h('div', { id: 'trail-results', 'aria-live': 'polite' });
  const form = h('form', { novalidate: true },
    h('div', { class: 'filters' },
      field('user', t('trail.user'), user), field('subject', t('trail.subject'), subject), field('action', t('trail.action'), action),
      field('outcome', t('trail.outcome'), outcome), field('from', t('filter.from'), from), field('to', t('filter.to'), to)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('filter.apply'))));
  const load = async () => {
    const fromValue = isoLocalToInstant(from.value);
    const toValue = isoLocalToInstant(to.value);
    const errors = [];
    if (fromValue === null) errors.push({ field: 'from', message: t('filter.time.format') });
    if (toValue === null) errors.push({ field: 'to', message: t('filter.time.format') });
    if (errors.length) return showErrors(form, errors);
    clearErrors(form);
    const query = new URLSearchParams();
    for (const [name, value] of [['user', user.value.trim()], ['subject', subject.value.trim()], ['action', action.value.trim()],
      ['outcome', outcome.value], ['from', fromValue], ['to', toValue]]) {
      if (value) query.set(name, value);
    }
    query.set('limit', '200');
    try {
      const { entries } = await api.get('/audit/access?' + query);
      results.replaceChildren(entries.length
        ? table(t('trail.caption', entries.length), [t('trail.at'), t('trail.user'), t('trail.action'), t('trail.subject'), t('trail.outcome'), t('trail.source')],
          entries.map((e) => h('tr', {},
            h('td', {}, when(e.at)), h('td', {}, e.user || t('trail.nobody')), h('td', { class: 'mono' }, e.action),
            h('td', { class: 'mono' }, e.subject || t('none')),
            h('td', {}, e.allowed ? tag(t('trail.outcome.' + e.outcome), 'ok') : tag(t('trail.outcome.' + e.outcome), 'warn')),
            h('td', { class: 'mono' }, e.source))))
        : h('p', { class: 'empty' }, t('trail.none')));
    } catch (error) {
      serverError(form, error, null);
    }
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  await load();
  return h('div', {}, heading(t('trail.title')), h('p', { class: 'lead' }, t('trail.lead')),
    h('p', { class: 'note note--recorded' }, t('trail.recorded')), form, results);
}
