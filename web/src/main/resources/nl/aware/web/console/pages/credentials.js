// Handing out (or replacing) a device: from a certificate signing request the device made itself (its
// key never leaves it), or, for a device that cannot, a one-time PKCS#12 file whose password is shown
// once. The server keeps no device key; neither does the console.
import { t } from '../i18n.js';
import { h, field, input, showErrors, clearErrors, serverError, download } from '../dom.js';
import { announce } from '../session.js';

const DEVICE_ID = /^[0-9a-f]{16}$/;

export function credentialForm({ idField, idLabel, submitLabel, send }) {
  const deviceId = input({ class: 'input--wide mono', maxlength: '16', autocapitalize: 'none' });
  const csr = h('textarea', { class: 'pem', spellcheck: 'false' });
  const file = h('input', { type: 'file', accept: '.csr,.pem,.req,.txt' });
  file.addEventListener('change', async () => {
    if (file.files.length) csr.value = await file.files[0].text();
  });
  const csrFields = h('div', { id: 'csr-fields' },
    field('csr', t('handout.csr'), csr, t('handout.csr.hint')),
    field('csrFile', t('handout.csr.file'), file));
  const kind = h('fieldset', { class: 'field', 'data-field': 'kind' },
    h('legend', {}, t('handout.kind')),
    h('div', { class: 'check' }, h('input', { type: 'radio', name: 'kind', id: 'kind-csr', value: 'csr', checked: true }),
      h('label', { for: 'kind-csr' }, t('handout.kind.csr'))),
    h('div', { class: 'check' }, h('input', { type: 'radio', name: 'kind', id: 'kind-pkcs12', value: 'pkcs12' }),
      h('label', { for: 'kind-pkcs12' }, t('handout.kind.pkcs12'))));
  kind.addEventListener('change', () => {
    csrFields.hidden = kind.querySelector('#kind-pkcs12').checked;
  });
  const result = h('div', { id: 'credential-result' });
  const form = h('form', { novalidate: true, id: 'credential-form' },
    field(idField, idLabel, deviceId, t('handout.deviceId.hint')),
    kind, csrFields,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'credential-submit' }, submitLabel)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = deviceId.value.trim().toLowerCase();
    const pkcs12 = kind.querySelector('#kind-pkcs12').checked;
    const errors = [];
    if (!DEVICE_ID.test(id)) errors.push({ field: idField, message: t('handout.deviceId.format') });
    if (!pkcs12 && !/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(csr.value)) errors.push({ field: 'csr', message: t('handout.csr.missing') });
    if (errors.length) return showErrors(form, errors);
    clearErrors(form);
    try {
      const answer = await send(id, pkcs12 ? { pkcs12: true } : { csr: csr.value.trim() });
      form.remove();
      result.replaceChildren(...(pkcs12 ? pkcs12Result(answer) : certificateResult(answer)));
      announce(t('handout.done', answer.deviceId || id));
      const title = result.querySelector('h2');
      if (title) title.focus();
    } catch (error) {
      serverError(form, error, idField);
    }
  });
  return h('div', {}, form, result);
}

function certificateResult(answer) {
  const certificate = h('textarea', { class: 'pem', readonly: true, id: 'device-certificate', 'aria-labelledby': 'certificate-label' });
  certificate.value = answer.certificate || '';
  const save = h('button', { type: 'button', class: 'button button--secondary' }, t('handout.certificate.save'));
  save.addEventListener('click', () => download(new Blob([certificate.value + '\n' + (answer.caCertificate || '')], { type: 'application/x-pem-file' }),
    'aware-' + answer.deviceId + '.pem'));
  return [
    h('h2', { tabindex: '-1' }, t('handout.done', answer.deviceId)),
    h('p', {}, t('handout.certificate.next')),
    h('p', { id: 'certificate-label' }, h('strong', {}, t('handout.certificate'))),
    certificate,
    h('div', { class: 'actions' }, save)];
}

function pkcs12Result(answer) {
  const bytes = Uint8Array.from(atob(answer.pkcs12 || ''), (c) => c.charCodeAt(0));
  const save = h('button', { type: 'button', class: 'button', id: 'pkcs12-download' }, t('handout.pkcs12.save'));
  save.addEventListener('click', () => download(new Blob([bytes], { type: 'application/x-pkcs12' }), 'aware-' + answer.deviceId + '.p12'));
  return [
    h('h2', { tabindex: '-1' }, t('handout.done', answer.deviceId)),
    h('div', { class: 'once' },
      h('p', {}, t('handout.pkcs12.once')),
      h('p', {}, t('handout.pkcs12.password'), ' ', h('span', { class: 'secret', id: 'pkcs12-password' }, answer.password || ''))),
    h('div', { class: 'actions' }, save)];
}
