// The start page: open alerts now (live), devices that need attention, recent alerts. Reading alerts
// is recorded in the access trail, so the page does not poll the list: it polls the server's cheap,
// non-personal change number twice a second and reads the list only when that number moves.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, heading, table, when, tag, shortId } from '../dom.js';
import { may, onLeave } from '../session.js';
import { stateTag } from './alerts.js';

const CHANGE_POLL_MS = 500;
const DEVICE_POLL_MS = 15000;
const LOW_BATTERY = 20;

export async function startPage() {
  const openPanel = h('section', { class: 'panel-alerts', 'aria-labelledby': 'open-title', id: 'open-alerts', 'aria-live': 'polite' });
  const devicePanel = h('section', { class: 'panel-calm', 'aria-labelledby': 'devices-title', id: 'attention-devices' });
  const recentPanel = h('section', { class: 'panel-calm', 'aria-labelledby': 'recent-title', id: 'recent-alerts' });
  const page = h('div', {}, heading(t('start.title')));
  let stopped = false;
  const timers = [];
  onLeave(() => { stopped = true; timers.forEach(clearTimeout); });

  if (may('readAlerts')) {
    page.append(openPanel, devicePanel, recentPanel);
    let seen = null;
    const watch = async () => {
      if (stopped) return;
      try {
        const change = await api.get('/changes');
        if (change.alerts !== seen) {
          const list = await api.get('/alerts?limit=50');
          seen = change.alerts;
          if (!stopped) drawAlerts(openPanel, recentPanel, list.alerts);
        }
      } catch (error) {
        if (error.status === 401) return;
        openPanel.replaceChildren(h('h2', { id: 'open-title' }, t('start.open')), h('p', {}, t('start.unavailable'), ' ', error.message));
      }
      if (!stopped) timers.push(setTimeout(watch, CHANGE_POLL_MS));
    };
    await watch();
  } else {
    page.append(h('p', { class: 'lead' }, t('start.noalerts.role')), devicePanel);
  }
  const devices = async () => {
    if (stopped) return;
    try {
      drawDevices(devicePanel, (await api.get('/devices')).devices);
    } catch (error) {
      if (error.status === 401) return;
      devicePanel.replaceChildren(h('h2', { id: 'devices-title' }, t('start.devices')), h('p', {}, error.message));
    }
    if (!stopped) timers.push(setTimeout(devices, DEVICE_POLL_MS));
  };
  await devices();
  return page;
}

function alertRows(alerts) {
  return alerts.map((a) => h('tr', { 'data-alert': a.alertId },
    h('td', {}, when(a.pressTime)),
    h('td', {}, t('region.' + a.region)),
    h('td', { class: 'mono' }, a.deviceId),
    h('td', {}, stateTag(a), a.type === 'test' ? [' ', tag(t('alert.type.test'))] : null),
    h('td', { class: 'num' }, String(a.presses)),
    h('td', {}, h('a', { href: '#/alerts/' + a.alertId }, t('alert.open'), h('span', { class: 'visually-hidden' }, ' ' + shortId(a.alertId))))));
}

const ALERT_HEADINGS = () => [t('alert.pressed'), t('region'), t('device'), t('alert.state'), t('alert.presses'), t('action')];

function drawAlerts(openPanel, recentPanel, alerts) {
  const open = alerts.filter((a) => !a.closed && a.type === 'real');
  openPanel.replaceChildren(
    h('h2', { id: 'open-title' }, t('start.open'), ' ', tag(String(open.length), open.length ? 'alert' : 'ok')),
    open.length
      ? hiddenCaption(table(t('start.open.caption'), ALERT_HEADINGS(), alertRows(open)))
      : h('p', { class: 'empty' }, t('start.open.none')));
  openPanel.classList.toggle('panel-alerts', open.length > 0);
  openPanel.classList.toggle('panel-calm', open.length === 0);
  const recent = alerts.slice(0, 10);
  recentPanel.replaceChildren(
    h('h2', { id: 'recent-title' }, t('start.recent')),
    recent.length
      ? hiddenCaption(table(t('start.recent.caption'), ALERT_HEADINGS(), alertRows(recent)))
      : h('p', { class: 'empty' }, t('start.recent.none')),
    h('p', {}, h('a', { href: '#/alerts' }, t('start.allalerts'))));
}

function drawDevices(panel, devices) {
  const attention = devices.filter((d) => d.status !== 'revoked'
    && (d.offline || (d.batteryPercent !== null && d.batteryPercent !== undefined && d.batteryPercent < LOW_BATTERY)));
  panel.replaceChildren(
    h('h2', { id: 'devices-title' }, t('start.devices')),
    attention.length
      ? table(t('start.devices.caption'), [t('device'), t('region'), t('device.health'), t('device.lastseen'), t('device.battery')],
        attention.map((d) => h('tr', {},
          h('td', { class: 'mono' }, h('a', { href: '#/devices/' + d.deviceId }, d.deviceId)),
          h('td', {}, t('region.' + d.region)),
          h('td', {}, d.offline ? tag(t('device.offline'), 'warn') : tag(t('device.lowbattery'), 'warn')),
          h('td', {}, when(d.lastSeen)),
          h('td', { class: 'num' }, d.batteryPercent === null || d.batteryPercent === undefined ? t('unknown') : d.batteryPercent + '%'))))
      : h('p', { class: 'empty' }, t('start.devices.none')));
}

/** The panel's heading already says it; the caption stays for screen readers' table lists. */
function hiddenCaption(element) {
  element.querySelector('caption').classList.add('visually-hidden');
  return element;
}
