// Devices: health (last seen, battery, offline since), one device with its history, revoke, replace.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, heading, table, field, when, tag, showErrors, clearErrors, serverError } from '../dom.js';
import { may, go, announce } from '../session.js';
import { credentialForm } from './credentials.js';
import { presetFilter } from './alerts.js';

function health(d) {
  if (d.status === 'revoked') return tag(t('device.revoked'), 'off');
  if (!d.supervised) return tag(t('device.notseen'), 'off');
  if (d.offline) return tag(t('device.offline'), 'warn');
  return tag(t('device.online'), 'ok');
}

function battery(d) {
  if (d.batteryPercent === null || d.batteryPercent === undefined) return t('unknown');
  return d.batteryPercent < 20 ? tag(d.batteryPercent + '%', 'warn') : d.batteryPercent + '%';
}

export async function deviceListPage() {
  const { devices } = await api.get('/devices');
  return h('div', {},
    heading(t('devices.title')),
    h('p', { class: 'lead' }, t('devices.lead')),
    devices.length
      ? table(t('devices.caption', devices.length),
        [t('device'), t('region'), t('device.health'), t('device.lastseen'), t('device.battery'), t('carrier')],
        devices.map((d) => h('tr', { 'data-device': d.deviceId },
          h('td', {}, h('a', { href: '#/devices/' + d.deviceId, class: 'mono' }, d.deviceId)),
          h('td', {}, t('region.' + d.region)),
          h('td', {}, health(d)),
          h('td', {}, when(d.lastSeen)),
          h('td', { class: 'num' }, battery(d)),
          h('td', {}, d.carrierId ? h('a', { href: '#/carriers/' + d.carrierId, class: 'mono' }, d.carrierId.slice(0, 8)) : t('none')))))
      : h('p', { class: 'empty' }, t('devices.none')));
}

export async function devicePage({ id }) {
  const d = await api.get('/devices/' + encodeURIComponent(id));
  const links = [];
  if (may('readAlerts')) {
    const history = h('a', { href: '#/alerts', class: 'button button--secondary', id: 'device-history' }, t('device.history'));
    history.addEventListener('click', () => { presetFilter.device = d.deviceId; });
    links.push(history);
  }
  if (d.status !== 'revoked' && may('manageDevices')) {
    links.push(h('a', { href: '#/devices/' + d.deviceId + '/replace', class: 'button button--secondary', id: 'replace-device' }, t('device.replace')));
  }
  if (d.status !== 'revoked' && may('revokeDevices')) {
    links.push(h('a', { href: '#/devices/' + d.deviceId + '/revoke', class: 'button button--warning', id: 'revoke-device' }, t('device.revoke')));
  }
  return h('div', {},
    h('a', { href: '#/devices', class: 'back' }, t('back.devices')),
    heading(t('device.title', d.deviceId)),
    h('dl', { class: 'facts', id: 'device-facts' },
      h('dt', {}, t('device.health')), h('dd', {}, health(d)),
      h('dt', {}, t('region')), h('dd', {}, t('region.' + d.region)),
      h('dt', {}, t('device.lastseen')), h('dd', {}, when(d.lastSeen)),
      d.offline ? [h('dt', {}, t('device.offlinesince')), h('dd', {}, when(d.lastSeen))] : null,
      h('dt', {}, t('device.battery')), h('dd', {}, battery(d)),
      h('dt', {}, t('device.certificate')), h('dd', {}, when(d.certificateExpires)),
      h('dt', {}, t('carrier')), h('dd', {}, d.carrierId ? h('a', { href: '#/carriers/' + d.carrierId, class: 'mono' }, d.carrierId) : t('none'))),
    links.length ? h('div', { class: 'actions' }, links) : null);
}

export async function deviceRevokePage({ id }) {
  const reason = h('textarea', { rows: '3' });
  const form = h('form', { novalidate: true },
    field('reason', t('device.revoke.reason'), reason, t('device.revoke.reason.hint')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button button--warning', id: 'revoke-submit' }, t('device.revoke')),
      h('a', { href: '#/devices/' + id }, t('cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!reason.value.trim()) return showErrors(form, [{ field: 'reason', message: t('reason.missing') }]);
    clearErrors(form);
    try {
      await api.post('/devices/' + encodeURIComponent(id) + '/revoke', { reason: reason.value.trim() });
      announce(t('device.revoked.done', id));
      go('/devices/' + id);
    } catch (error) {
      serverError(form, error, 'reason');
    }
  });
  return h('div', {},
    h('a', { href: '#/devices/' + id, class: 'back' }, t('back.device')),
    heading(t('device.revoke.title', id)),
    h('p', { class: 'note note--warn' }, t('device.revoke.warning')),
    form);
}

export async function deviceReplacePage({ id }) {
  return h('div', {},
    h('a', { href: '#/devices/' + id, class: 'back' }, t('back.device')),
    heading(t('device.replace.title', id)),
    h('p', { class: 'note note--warn' }, t('device.replace.warning')),
    credentialForm({
      idField: 'newDeviceId',
      idLabel: t('device.replace.newId'),
      submitLabel: t('device.replace'),
      send: (newDeviceId, credential) => api.post('/devices/' + encodeURIComponent(id) + '/replace',
        Object.assign({ newDeviceId }, credential))
    }));
}
