// Sign-in: the password, then the second factor (a code from the authenticator app, or a recovery
// code); at a first sign-in, the enrolment of the app and the recovery codes, shown once.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, heading, field, input, showErrors, clearErrors, download } from '../dom.js';
import { announce } from '../session.js';

export function signInPage({ signedIn }) {
  const root = h('div', {});
  passwordStep(root, signedIn);
  return root;
}

function show(root, ...children) {
  root.replaceChildren(...children);
  const first = root.querySelector('h1');
  if (first) first.focus();
}

function passwordStep(root, signedIn) {
  const username = input({ autocomplete: 'username', autocapitalize: 'none' });
  const password = input({ type: 'password', autocomplete: 'current-password' });
  const form = h('form', { novalidate: true },
    field('username', t('signin.username'), username),
    field('password', t('signin.password'), password),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'signin-continue' }, t('continue'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    announce(''); // a message for the previous person ("signed out") does not belong to this sign-in
    const errors = [];
    if (!username.value.trim()) errors.push({ field: 'username', message: t('signin.username.missing') });
    if (!password.value) errors.push({ field: 'password', message: t('signin.password.missing') });
    if (errors.length) return showErrors(form, errors);
    clearErrors(form);
    try {
      const answer = await api.post('/login', { username: username.value.trim(), password: password.value });
      password.value = '';
      if (answer.next === 'totp') codeStep(root, signedIn, answer.challenge);
      else if (answer.next === 'enrol') enrolStep(root, signedIn, answer);
      else await signedIn(answer);
    } catch (error) {
      password.value = '';
      showErrors(form, [{ field: 'password', message: error.status === 401 ? t('signin.refused') : error.message }]);
    }
  });
  show(root, heading(t('signin.title')), h('p', { class: 'lead' }, t('signin.lead')), form);
}

function codeInput() {
  return input({ class: 'input--code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', pattern: '[0-9]*' });
}

function codeIsWellFormed(form, code) {
  if (/^[0-9]{6}$/.test(code.value.trim())) return true;
  showErrors(form, [{ field: 'code', message: t('signin.code.format') }]);
  return false;
}

function codeStep(root, signedIn, challenge) {
  const code = codeInput();
  const form = h('form', { novalidate: true },
    field('code', t('signin.code'), code, t('signin.code.hint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'code-continue' }, t('signin.submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!codeIsWellFormed(form, code)) return;
    try {
      await signedIn(await api.post('/login/totp', { challenge, code: code.value.trim() }));
    } catch (error) {
      code.value = '';
      if (error.status === 401) return expiredOrWrong(root, signedIn, form, error);
      showErrors(form, [{ field: 'code', message: error.message }]);
    }
  });
  const recovery = h('button', { type: 'button', class: 'linkbutton', id: 'use-recovery' }, t('signin.recovery.link'));
  recovery.addEventListener('click', () => recoveryStep(root, signedIn, challenge));
  show(root, heading(t('signin.code.title')), form, h('p', {}, recovery));
}

function expiredOrWrong(root, signedIn, form, error) {
  const again = h('button', { type: 'button', class: 'linkbutton' }, t('signin.again'));
  again.addEventListener('click', () => passwordStep(root, signedIn));
  showErrors(form, [{ field: 'code', message: t('signin.code.refused') }]);
  form.append(h('p', {}, again));
}

function recoveryStep(root, signedIn, challenge) {
  const code = input({ class: 'input--wide', autocomplete: 'off' });
  const form = h('form', { novalidate: true },
    field('recoveryCode', t('signin.recovery'), code, t('signin.recovery.hint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('signin.submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!code.value.trim()) return showErrors(form, [{ field: 'recoveryCode', message: t('signin.recovery.missing') }]);
    try {
      await signedIn(await api.post('/login/recovery', { challenge, recoveryCode: code.value.trim() }));
    } catch (error) {
      code.value = '';
      showErrors(form, [{ field: 'recoveryCode', message: error.status === 401 ? t('signin.recovery.refused') : error.message }]);
    }
  });
  show(root, heading(t('signin.recovery.title')), form);
}

function enrolStep(root, signedIn, answer) {
  const code = codeInput();
  const qr = answer.qrSvg
    ? h('img', { class: 'qr', alt: t('enrol.qr.alt'), src: 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(answer.qrSvg) })
    : null;
  const form = h('form', { novalidate: true },
    field('code', t('enrol.code'), code, t('signin.code.hint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'enrol-continue' }, t('continue'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!codeIsWellFormed(form, code)) return;
    try {
      const done = await api.post('/login/enrol', { challenge: answer.challenge, code: code.value.trim() });
      recoveryCodesStep(root, signedIn, done);
    } catch (error) {
      code.value = '';
      if (error.status === 401) return expiredOrWrong(root, signedIn, form, error);
      showErrors(form, [{ field: 'code', message: error.message }]);
    }
  });
  show(root,
    heading(t('enrol.title')),
    h('p', { class: 'lead' }, t('enrol.lead')),
    h('ol', {},
      h('li', {}, t('enrol.step1')),
      h('li', {}, t('enrol.step2'), qr, h('p', {}, t('enrol.typed')), h('p', { class: 'secret', id: 'totp-secret' }, groups(answer.secret || ''))),
      h('li', {}, t('enrol.step3'))),
    form);
}

function groups(secret) {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

function recoveryCodesStep(root, signedIn, answer) {
  const codes = answer.recoveryCodes || [];
  const next = h('button', { type: 'button', class: 'button', id: 'codes-kept' }, t('enrol.codes.kept'));
  next.addEventListener('click', () => signedIn(answer));
  const save = h('button', { type: 'button', class: 'button button--secondary' }, t('enrol.codes.save'));
  save.addEventListener('click', () => download(new Blob([t('enrol.codes.file', answer.username || '') + '\n\n' + codes.join('\n') + '\n'],
    { type: 'text/plain;charset=utf-8' }), 'aware-herstelcodes.txt'));
  show(root,
    heading(t('enrol.codes.title')),
    h('div', { class: 'once' },
      h('p', {}, t('enrol.codes.once')),
      h('ol', { class: 'codes', id: 'recovery-codes' }, codes.map((c) => h('li', {}, c)))),
    h('p', {}, t('enrol.codes.use')),
    h('div', { class: 'actions' }, save, next));
}
