// Accounts (administrators): the list, a new account, disabling one, resetting a password. An
// administrator never reads carrier records; a reset makes the person enrol their second factor again
// (the server's rule), so it does not let the administrator act as them.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, heading, table, field, input, when, tag, showErrors, clearErrors, serverError } from '../dom.js';
import { go, announce, me } from '../session.js';

const ROLES = ['staff', 'auditor', 'administrator'];
const MIN_PASSWORD = 15;

export async function accountsPage() {
  const { accounts } = await api.get('/accounts');
  return h('div', {},
    heading(t('accounts.title')),
    table(t('accounts.caption', accounts.length), [t('accounts.username'), t('accounts.role'), t('accounts.state'), t('accounts.created'), t('action')],
      accounts.map((a) => h('tr', { 'data-account': a.username },
        h('td', { class: 'mono' }, a.username),
        h('td', {}, t('role.' + a.role)),
        h('td', {}, a.enabled ? tag(t('accounts.enabled'), 'ok') : tag(t('accounts.disabled'), 'off')),
        h('td', {}, when(a.createdAt), ' ', t('accounts.by', a.createdBy)),
        h('td', {}, a.enabled && a.username !== me().username ? rowActions(a.username) : null)))),
    createForm());
}

function passwordChecks(form, name, value) {
  if (value.length < MIN_PASSWORD) {
    showErrors(form, [{ field: name, message: t('accounts.password.short', MIN_PASSWORD) }]);
    return false;
  }
  return true;
}

function createForm() {
  const username = input({ autocapitalize: 'none', maxlength: '64' });
  const role = h('select', {}, ROLES.map((r) => h('option', { value: r }, t('role.' + r))));
  const password = input({ type: 'password', autocomplete: 'new-password' });
  const form = h('form', { novalidate: true, id: 'account-form' },
    h('h2', {}, t('accounts.new')),
    field('username', t('accounts.username'), username, t('accounts.username.hint')),
    field('role', t('accounts.role'), role),
    field('password', t('accounts.password'), password, t('accounts.password.hint', MIN_PASSWORD)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'account-submit' }, t('accounts.create'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = username.value.trim();
    if (!/^[a-z0-9._-]{2,64}$/.test(name)) return showErrors(form, [{ field: 'username', message: t('accounts.username.format') }]);
    if (!passwordChecks(form, 'password', password.value)) return;
    clearErrors(form);
    try {
      await api.post('/accounts', { username: name, role: role.value, password: password.value });
      password.value = '';
      announce(t('accounts.created.done', name));
      go('/accounts');
    } catch (error) {
      serverError(form, error, error.status === 409 ? 'username' : 'password');
    }
  });
  return form;
}

function rowActions(username) {
  const reset = h('button', { type: 'button', class: 'linkbutton' }, t('accounts.reset'), h('span', { class: 'visually-hidden' }, ' ' + username));
  const disable = h('button', { type: 'button', class: 'linkbutton' }, t('accounts.disable'), h('span', { class: 'visually-hidden' }, ' ' + username));
  const factor = h('button', { type: 'button', class: 'linkbutton' }, t('accounts.factor'), h('span', { class: 'visually-hidden' }, ' ' + username));
  const cell = h('div', {}, reset, ' · ', factor, ' · ', disable);
  reset.addEventListener('click', () => cell.replaceChildren(resetForm(username)));
  factor.addEventListener('click', () => cell.replaceChildren(factorConfirm(username)));
  disable.addEventListener('click', () => cell.replaceChildren(disableConfirm(username)));
  return cell;
}

function resetForm(username) {
  const password = input({ type: 'password', autocomplete: 'new-password' });
  const form = h('form', { novalidate: true },
    field('password', t('accounts.reset.password', username), password, t('accounts.password.hint', MIN_PASSWORD)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('accounts.reset')), cancelButton()));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!passwordChecks(form, 'password', password.value)) return;
    try {
      await api.post('/accounts/' + encodeURIComponent(username) + '/password', { password: password.value });
      announce(t('accounts.reset.done', username));
      go('/accounts');
    } catch (error) {
      serverError(form, error, 'password');
    }
  });
  return form;
}

function factorConfirm(username) {
  const yes = h('button', { type: 'button', class: 'button button--warning' }, t('accounts.factor.confirm', username));
  yes.addEventListener('click', async () => {
    try {
      await api.post('/accounts/' + encodeURIComponent(username) + '/second-factor/reset');
      announce(t('accounts.factor.done', username));
      go('/accounts');
    } catch (error) {
      announce(error.message, true);
    }
  });
  return h('div', {}, h('p', {}, t('accounts.factor.warning')), yes, ' ', cancelButton());
}

function disableConfirm(username) {
  const yes = h('button', { type: 'button', class: 'button button--warning' }, t('accounts.disable.confirm', username));
  yes.addEventListener('click', async () => {
    try {
      await api.post('/accounts/' + encodeURIComponent(username) + '/disable');
      announce(t('accounts.disabled.done', username));
      go('/accounts');
    } catch (error) {
      announce(error.message, true);
    }
  });
  return h('div', {}, h('p', {}, t('accounts.disable.warning')), yes, ' ', cancelButton());
}

/** Back to the unchanged list (a link to the page one is on would not leave it). */
function cancelButton() {
  const button = h('button', { type: 'button', class: 'linkbutton' }, t('cancel'));
  button.addEventListener('click', () => go('/accounts'));
  return button;
}
