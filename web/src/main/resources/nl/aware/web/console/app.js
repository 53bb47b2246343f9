// The staff console: hash routes, the signed-in person and what their role may do, the header.
import { api, holdToken, whenSignedOut } from './api.js';
import { t, lang, setLang } from './i18n.js';
import { h } from './dom.js';
import { me, setUser, may, leave, go, announce, clearStaleStatus, ROLE_PERMISSIONS } from './session.js';
import { signInPage } from './pages/signin.js';
import { startPage } from './pages/start.js';
import { carrierListPage, carrierPage, carrierRegisterPage, carrierEditPage, carrierEndPage, handOutPage } from './pages/carriers.js';
import { deviceListPage, devicePage, deviceRevokePage, deviceReplacePage } from './pages/devices.js';
import { alertListPage, alertPage } from './pages/alerts.js';
import { trailPage } from './pages/trail.js';
import { accountsPage } from './pages/accounts.js';

/** Routes: a pattern with :names, the page, and the act it needs (null: any signed-in person). */
const ROUTES = [
  ['/start', startPage, null],
  ['/carriers', carrierListPage, 'listCarriers'],
  ['/carriers/new', carrierRegisterPage, 'manageCarriers'],
  ['/carriers/:id', carrierPage, 'listCarriers'],
  ['/carriers/:id/edit', carrierEditPage, 'manageCarriers'],
  ['/carriers/:id/device', handOutPage, 'manageDevices'],
  ['/carriers/:id/end', carrierEndPage, 'manageCarriers'],
  ['/devices', deviceListPage, 'readDevices'],
  ['/devices/:id', devicePage, 'readDevices'],
  ['/devices/:id/revoke', deviceRevokePage, 'revokeDevices'],
  ['/devices/:id/replace', deviceReplacePage, 'manageDevices'],
  ['/alerts', alertListPage, 'readAlerts'],
  ['/alerts/:id', alertPage, 'readAlerts'],
  ['/trail', trailPage, 'readTrail'],
  ['/accounts', accountsPage, 'manageAccounts']
];

const NAV = [
  ['/start', 'nav.start', null],
  ['/carriers', 'nav.carriers', 'listCarriers'],
  ['/devices', 'nav.devices', 'readDevices'],
  ['/alerts', 'nav.alerts', 'readAlerts'],
  ['/trail', 'nav.trail', 'readTrail'],
  ['/accounts', 'nav.accounts', 'manageAccounts']
];

function match(path) {
  const parts = path.split('/').filter(Boolean);
  for (const [pattern, page, act] of ROUTES) {
    const names = pattern.split('/').filter(Boolean);
    if (names.length !== parts.length) continue;
    const params = {};
    const fits = names.every((name, i) => {
      if (name.startsWith(':')) {
        params[name.slice(1)] = decodeURIComponent(parts[i]);
        return true;
      }
      return name === parts[i];
    });
    if (fits) return { page, act, params };
  }
  return null;
}

async function render() {
  leave();
  clearStaleStatus();
  const hash = location.hash || '';
  if (hash && !hash.startsWith('#/')) return; // the skip link and in-page anchors
  const path = hash.slice(1) || '/start';
  const main = document.getElementById('main');
  header();
  if (!me()) {
    main.replaceChildren(signInPage({ signedIn }));
    focusHeading();
    return;
  }
  const found = match(path);
  if (!found) {
    main.replaceChildren(h('h1', { tabindex: '-1', id: 'page-heading' }, t('notfound.title')), h('p', {}, h('a', { href: '#/start' }, t('nav.start'))));
    focusHeading();
    return;
  }
  if (found.act && !may(found.act)) {
    main.replaceChildren(h('h1', { tabindex: '-1', id: 'page-heading' }, t('forbidden.title')), h('p', {}, t('forbidden.text')));
    focusHeading();
    return;
  }
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    const page = await found.page(found.params);
    if (location.hash.slice(1) !== path && !(path === '/start' && !location.hash)) return; // moved on meanwhile
    main.replaceChildren(page);
  } catch (error) {
    main.replaceChildren(h('h1', { tabindex: '-1', id: 'page-heading' }, t('error.title')), h('p', {}, error.message));
  }
  focusHeading();
}

function focusHeading() {
  const heading = document.getElementById('page-heading');
  document.title = (heading ? heading.textContent + ' · ' : '') + 'AWARE · Kadera';
  if (heading) heading.focus();
}

function header() {
  document.documentElement.lang = lang();
  document.getElementById('skip').textContent = t('skip');
  const langButton = document.getElementById('lang');
  langButton.textContent = lang() === 'nl' ? 'English' : 'Nederlands';
  langButton.setAttribute('lang', lang() === 'nl' ? 'en' : 'nl');
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav.label'));
  const signout = document.getElementById('signout');
  const who = document.getElementById('who');
  if (!me()) {
    nav.replaceChildren();
    signout.hidden = true;
    who.textContent = '';
    return;
  }
  const current = '/' + ((location.hash.slice(2) || 'start').split('/')[0]);
  nav.replaceChildren(...NAV.filter(([, , act]) => !act || may(act)).map(([path, key]) =>
    h('a', { href: '#' + path, 'aria-current': current === path ? 'page' : null }, t(key))));
  signout.hidden = false;
  signout.textContent = t('signout');
  who.textContent = me().username + ' · ' + t('role.' + me().role);
}

async function signedIn(answer) {
  holdToken(answer.token);
  let user;
  try {
    user = await api.get('/me');
  } catch (error) {
    if (error.status !== 404) throw error;
    user = { username: answer.username, role: answer.role, permissions: ROLE_PERMISSIONS[answer.role] || [] };
  }
  setUser(user);
  announce('');
  go('/start');
}

async function signOut() {
  try {
    await api.post('/logout');
  } catch (error) {
    // Already ended (expired, or the account was disabled): signed out either way.
  }
  holdToken(null);
  setUser(null);
  announce(t('signedout'));
  go('/start');
}

async function resume() {
  try {
    setUser(await api.get('/me'));
  } catch (error) {
    setUser(null);
  }
}

whenSignedOut(() => {
  if (me()) {
    setUser(null);
    announce(t('session.ended'), true);
    render();
  }
});

document.getElementById('lang').addEventListener('click', () => {
  setLang(lang() === 'nl' ? 'en' : 'nl');
  render();
});
document.getElementById('signout').addEventListener('click', signOut);
document.getElementById('skip').addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});
window.addEventListener('hashchange', render);

resume().then(render);
