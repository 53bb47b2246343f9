// Carriers: the list (no personal fields), one record opened on purpose (recorded), registration with
// the eligibility checklist, editing the police profile and the consent to recording after a press,
// handing out a device, ending participation.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, heading, table, field, input, checkbox, showErrors, clearErrors, serverError, tag, shortId } from '../dom.js';
import { may, go, announce } from '../session.js';
import { credentialForm } from './credentials.js';

const REGIONS = ['ijsselland', 'twente'];
const ELIGIBILITY = ['registeredAfterIntake', 'livesInRegion', 'agreesToFileReport', 'realisticRisk', 'noContactWithAggressor'];
const PROFILE = ['name', 'phone', 'photoReference', 'threat', 'aggressor', 'policeNotes'];
const CONSENT = 'recordsAfterPress';

export async function carrierListPage() {
  const { carriers } = await api.get('/carriers');
  return h('div', {},
    heading(t('carriers.title')),
    h('p', { class: 'lead' }, t('carriers.lead')),
    may('manageCarriers') ? h('p', {}, h('a', { class: 'button', href: '#/carriers/new', id: 'register-carrier' }, t('carriers.register'))) : null,
    carriers.length
      ? table(t('carriers.caption', carriers.length), [t('carrier'), t('region'), t('carrier.devices')],
        carriers.map((c) => h('tr', { 'data-carrier': c.carrierId },
          h('td', {}, h('a', { href: '#/carriers/' + c.carrierId, class: 'mono' }, c.carrierId)),
          h('td', {}, t('region.' + c.region)),
          h('td', { class: 'mono' }, (c.devices || []).join(', ') || t('none')))))
      : h('p', { class: 'empty' }, t('carriers.none')));
}

async function listed(id) {
  const { carriers } = await api.get('/carriers');
  const carrier = carriers.find((c) => c.carrierId === id);
  if (!carrier) throw new Error(t('carrier.unknown'));
  return carrier;
}

export async function carrierPage({ id }) {
  const carrier = await listed(id);
  const record = h('div', { id: 'carrier-record' });
  const page = h('div', {},
    h('a', { href: '#/carriers', class: 'back' }, t('back.carriers')),
    heading(t('carrier.title', shortId(id))),
    h('dl', { class: 'facts' },
      h('dt', {}, t('carrier.id')), h('dd', { class: 'mono' }, id),
      h('dt', {}, t('region')), h('dd', {}, t('region.' + carrier.region)),
      h('dt', {}, t('carrier.devices')), h('dd', {}, (carrier.devices || []).length
        ? (carrier.devices || []).map((d) => [h('a', { href: '#/devices/' + d, class: 'mono' }, d), ' '])
        : t('none'))),
    actions(id),
    record);
  if (may('readCarrier')) {
    const open = h('button', { type: 'button', class: 'button button--secondary', id: 'open-record' }, t('carrier.open'));
    open.addEventListener('click', async () => {
      try {
        const full = await api.get('/carriers/' + encodeURIComponent(id));
        record.replaceChildren(h('h2', { tabindex: '-1', id: 'record-title' }, t('carrier.record')), profileFacts(full));
        record.querySelector('h2').focus();
      } catch (error) {
        record.replaceChildren(h('p', { class: 'note note--warn', role: 'alert' }, error.message));
      }
    });
    record.append(h('p', { class: 'note note--recorded' }, t('carrier.recorded')), open);
  }
  return page;
}

function actions(id) {
  const links = [];
  if (may('manageCarriers')) links.push(h('a', { href: '#/carriers/' + id + '/edit', class: 'button button--secondary', id: 'edit-carrier' }, t('carrier.edit')));
  if (may('manageDevices')) links.push(h('a', { href: '#/carriers/' + id + '/device', class: 'button', id: 'hand-out' }, t('carrier.handout')));
  if (may('manageCarriers')) links.push(h('a', { href: '#/carriers/' + id + '/end', class: 'button button--warning', id: 'end-carrier' }, t('carrier.end')));
  return links.length ? h('div', { class: 'actions' }, links) : null;
}

function profileFacts(full) {
  const e = full.eligibility || {};
  return h('div', {},
    h('dl', { class: 'facts' },
      PROFILE.map((name) => [h('dt', {}, t('carrier.' + name)), h('dd', {}, full[name] || t('none'))])),
    h('h3', {}, t('carrier.eligibility')),
    h('ul', {}, ELIGIBILITY.map((name) => h('li', {}, e[name] ? tag(t('yes'), 'ok') : tag(t('no'), 'warn'), ' ', t('eligibility.' + name)))),
    h('h3', {}, t('carrier.consent')),
    h('p', { id: 'records-after-press', 'data-consent': full[CONSENT] ? 'yes' : 'no' },
      t('carrier.consent.fact'), ': ', full[CONSENT] ? tag(t('yes'), 'ok') : tag(t('no'), 'off')));
}

// Yes or no, never ticked by default: the consent is what the carrier said at intake (or later).
function consentField(value) {
  const choice = (answer) => h('div', { class: 'check' },
    h('input', { type: 'radio', name: CONSENT, id: 'consent-' + answer, value: answer }),
    h('label', { for: 'consent-' + answer }, t(answer)));
  const fieldset = h('fieldset', { class: 'field', 'data-field': CONSENT },
    h('legend', {}, t('carrier.consent.fact')),
    h('span', { class: 'hint' }, t('carrier.consent.hint')),
    h('div', { class: 'choices' }, choice('yes'), choice('no')));
  fieldset.querySelector('#consent-' + (value ? 'yes' : 'no')).checked = true;
  return fieldset;
}

function consentOf(form) {
  return form.querySelector('[name="' + CONSENT + '"]:checked').value === 'yes';
}

function textarea(attributes) {
  return h('textarea', Object.assign({ rows: '3', spellcheck: 'true' }, attributes));
}

function profileFields(values) {
  const v = values || {};
  return [
    field('name', t('carrier.name'), input({ value: v.name, autocomplete: 'off' })),
    field('phone', t('carrier.phone'), input({ value: v.phone, type: 'text', inputmode: 'tel', autocomplete: 'off' }), t('carrier.phone.hint')),
    field('photoReference', t('carrier.photoReference'), input({ value: v.photoReference }), t('carrier.photoReference.hint')),
    field('threat', t('carrier.threat'), withText(textarea({}), v.threat), t('carrier.threat.hint')),
    field('aggressor', t('carrier.aggressor'), withText(textarea({}), v.aggressor), t('carrier.aggressor.hint')),
    field('policeNotes', t('carrier.policeNotes'), withText(textarea({}), v.policeNotes), t('carrier.policeNotes.hint'))
  ];
}

function withText(element, text) {
  element.value = text || '';
  return element;
}

function eligibilityFields(values) {
  const fieldset = h('fieldset', { class: 'field', 'data-field': 'eligibility' },
    h('legend', {}, t('carrier.eligibility')),
    h('span', { class: 'hint' }, t('carrier.eligibility.hint')),
    h('span', { class: 'field__error', id: 'eligibility-error', hidden: true }),
    ELIGIBILITY.map((name) => checkbox(name, t('eligibility.' + name))));
  ELIGIBILITY.forEach((name) => {
    fieldset.querySelector('[name="' + name + '"]').checked = !!(values && values[name]);
  });
  return fieldset;
}

function read(form) {
  const value = (name) => form.querySelector('[name="' + name + '"]').value.trim();
  const profile = Object.fromEntries(PROFILE.map((name) => [name, value(name)]));
  const boxes = ELIGIBILITY.map((name) => form.querySelector('[name="' + name + '"]'));
  const eligibility = boxes.every(Boolean) ? Object.fromEntries(boxes.map((box) => [box.name, box.checked])) : null;
  return { profile, eligibility };
}

function check(form, { profile, eligibility }, region) {
  const errors = [];
  if (region !== undefined && !region) errors.push({ field: 'region', message: t('carrier.region.missing') });
  if (!profile.name) errors.push({ field: 'name', message: t('carrier.name.missing') });
  if (!profile.phone) errors.push({ field: 'phone', message: t('carrier.phone.missing') });
  else if (!/^\+?[0-9 ()-]{6,20}$/.test(profile.phone)) errors.push({ field: 'phone', message: t('carrier.phone.format') });
  if (eligibility && !ELIGIBILITY.every((name) => eligibility[name])) errors.push({ field: 'eligibility', message: t('carrier.eligibility.missing') });
  showErrors(form, errors);
  return errors.length === 0;
}

export async function carrierRegisterPage() {
  const region = h('fieldset', { class: 'field', 'data-field': 'region' },
    h('legend', {}, t('region')),
    h('span', { class: 'field__error', id: 'region-error', hidden: true }),
    h('div', { class: 'choices' }, REGIONS.map((r) => h('div', { class: 'check' },
      h('input', { type: 'radio', name: 'region', id: 'region-' + r, value: r }),
      h('label', { for: 'region-' + r }, t('region.' + r))))));
  const form = h('form', { novalidate: true, id: 'register-form' },
    region, profileFields(), eligibilityFields(), consentField(false),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button', id: 'register-submit' }, t('carriers.register')),
      h('a', { href: '#/carriers' }, t('cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = form.querySelector('[name="region"]:checked');
    const values = read(form);
    if (!check(form, values, chosen ? chosen.value : '')) return;
    try {
      const answer = await api.post('/carriers', Object.assign({ region: chosen.value }, values.profile,
        { eligibility: values.eligibility, recordsAfterPress: consentOf(form) }));
      announce(t('carrier.registered'));
      go('/carriers/' + answer.carrierId);
    } catch (error) {
      serverError(form, error, 'name');
    }
  });
  return h('div', {},
    h('a', { href: '#/carriers', class: 'back' }, t('back.carriers')),
    heading(t('carriers.register')),
    h('p', { class: 'lead' }, t('carriers.register.lead')),
    h('p', { class: 'note note--recorded' }, t('carriers.register.recorded')),
    form);
}

export async function carrierEditPage({ id }) {
  const full = await api.get('/carriers/' + encodeURIComponent(id));
  const form = h('form', { novalidate: true },
    profileFields(full),
    h('p', { class: 'note' }, t('carrier.edit.eligibility')),
    consentField(!!full[CONSENT]),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button', id: 'edit-submit' }, t('save')),
      h('a', { href: '#/carriers/' + id }, t('cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = read(form);
    if (!check(form, values)) return;
    try {
      await api.put('/carriers/' + encodeURIComponent(id) + '/profile', values.profile);
      const consent = consentOf(form);
      if (consent !== !!full[CONSENT]) {
        await api.put('/carriers/' + encodeURIComponent(id) + '/recording-consent', { recordsAfterPress: consent });
      }
      announce(t('carrier.saved'));
      go('/carriers/' + id);
    } catch (error) {
      serverError(form, error, 'name');
    }
  });
  return h('div', {},
    h('a', { href: '#/carriers/' + id, class: 'back' }, t('back.carrier')),
    heading(t('carrier.edit.title')),
    h('p', { class: 'note note--recorded' }, t('carrier.edit.recorded')),
    form);
}

export async function carrierEndPage({ id }) {
  const reason = textarea({});
  const form = h('form', { novalidate: true },
    field('reason', t('carrier.end.reason'), reason, t('carrier.end.reason.hint')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button button--warning', id: 'end-submit' }, t('carrier.end')),
      h('a', { href: '#/carriers/' + id }, t('cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!reason.value.trim()) return showErrors(form, [{ field: 'reason', message: t('reason.missing') }]);
    clearErrors(form);
    try {
      await api.post('/carriers/' + encodeURIComponent(id) + '/end', { reason: reason.value.trim() });
      announce(t('carrier.ended'));
      go('/carriers');
    } catch (error) {
      serverError(form, error, 'reason');
    }
  });
  return h('div', {},
    h('a', { href: '#/carriers/' + id, class: 'back' }, t('back.carrier')),
    heading(t('carrier.end.title')),
    h('p', { class: 'note note--warn' }, t('carrier.end.warning')),
    form);
}

export async function handOutPage({ id }) {
  return h('div', {},
    h('a', { href: '#/carriers/' + id, class: 'back' }, t('back.carrier')),
    heading(t('handout.title')),
    h('p', { class: 'lead' }, t('handout.lead')),
    credentialForm({
      idField: 'deviceId',
      idLabel: t('handout.deviceId'),
      submitLabel: t('carrier.handout'),
      send: (deviceId, credential) => api.post('/carriers/' + encodeURIComponent(id) + '/devices',
        Object.assign({ deviceId }, credential))
    }));
}
