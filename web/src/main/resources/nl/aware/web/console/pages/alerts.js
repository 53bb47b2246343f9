// Alerts: the filtered list, one alert's timeline with its track on a map, the follow-up report
// (PDF or HTML, Dutch or English), legal hold, and the evidence bundle for auditors. Every read here is
// personal data and recorded by the server before it is served.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, heading, table, field, when, tag, isoLocalToInstant, showErrors, clearErrors, serverError, download, shortId } from '../dom.js';
import { may, announce, go } from '../session.js';
import { trackMap } from '../map.js';

const STATES = ['raised', 'delivered', 'acknowledged', 'unit-dispatched', 'on-scene', 'closed'];

/** A filter another page asks for (a device's history); used once. */
export const presetFilter = {};

export function stateTag(a) {
  const label = t('state.' + a.state);
  if (a.closed) return tag(label, 'off');
  return tag(label, a.type === 'real' ? 'alert' : null);
}

function select(options, chosen) {
  return h('select', {}, options.map(([value, label]) => h('option', { value, selected: value === chosen }, label)));
}

export async function alertListPage() {
  const device = h('input', { type: 'text', class: 'mono', maxlength: '16', value: presetFilter.device || '' });
  delete presetFilter.device;
  const region = select([['', t('all')], ['ijsselland', t('region.ijsselland')], ['twente', t('region.twente')]], '');
  const type = select([['', t('all')], ['real', t('alert.type.real')], ['test', t('alert.type.test')]], '');
  const closed = select([['', t('all')], ['false', t('alert.open.only')], ['true', t('alert.closed.only')]], '');
  const state = select([['', t('all')], ...STATES.map((s) => [s, t('state.' + s)])], '');
  const from = h('input', { type: 'datetime-local' });
  const to = h('input', { type: 'datetime-local' });
  const results = h('div', { id: 'alert-results', 'aria-live': 'polite' });
  const form = h('form', { novalidate: true, id: 'alert-filter' },
    h('div', { class: 'filters' },
      field('region', t('region'), region), field('type', t('alert.type'), type), field('closed', t('alert.closed'), closed),
      field('state', t('alert.state'), state), field('device', t('device'), device),
      field('from', t('filter.from'), from), field('to', t('filter.to'), to)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button', id: 'filter-submit' }, t('filter.apply'))));
  const load = async () => {
    const query = new URLSearchParams();
    const errors = [];
    if (device.value.trim() && !/^[0-9a-fA-F]{16}$/.test(device.value.trim())) errors.push({ field: 'device', message: t('handout.deviceId.format') });
    const fromValue = isoLocalToInstant(from.value);
    const toValue = isoLocalToInstant(to.value);
    if (fromValue === null) errors.push({ field: 'from', message: t('filter.time.format') });
    if (toValue === null) errors.push({ field: 'to', message: t('filter.time.format') });
    if (errors.length) return showErrors(form, errors);
    clearErrors(form);
    for (const [name, value] of [['region', region.value], ['type', type.value], ['closed', closed.value], ['state', state.value],
      ['device', device.value.trim().toLowerCase()], ['from', fromValue], ['to', toValue]]) {
      if (value) query.set(name, value);
    }
    query.set('limit', '200');
    try {
      const { alerts } = await api.get('/alerts?' + query);
      results.replaceChildren(alerts.length
        ? table(t('alerts.caption', alerts.length),
          [t('alert.pressed'), t('region'), t('device'), t('alert.type'), t('alert.state'), t('alert.presses'), t('action')],
          alerts.map((a) => h('tr', { 'data-alert': a.alertId },
            h('td', {}, when(a.pressTime)), h('td', {}, t('region.' + a.region)), h('td', { class: 'mono' }, a.deviceId),
            h('td', {}, t('alert.type.' + a.type)), h('td', {}, stateTag(a)), h('td', { class: 'num' }, String(a.presses)),
            h('td', {}, h('a', { href: '#/alerts/' + a.alertId }, t('alert.open'), h('span', { class: 'visually-hidden' }, ' ' + shortId(a.alertId)))))))
        : h('p', { class: 'empty' }, t('alerts.none')));
    } catch (error) {
      serverError(form, error, null);
    }
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  await load();
  return h('div', {}, heading(t('alerts.title')), h('p', { class: 'note note--recorded' }, t('alerts.recorded')), form, results);
}

function events(a) {
  const items = [];
  items.push([a.press.receiveTime, t('timeline.press', a.press.counter)]);
  (a.repeatedPresses || []).forEach((p) => items.push([p.receiveTime, t('timeline.repeat')]));
  (a.deliveries || []).forEach((d) => items.push([d.time, t(d.outcome === 'delivered' ? 'timeline.delivered' : 'timeline.failed', d.target, d.attempt)]));
  (a.escalations || []).forEach((e) => items.push([e.time, t('timeline.escalated', e.route)]));
  (a.lifecycle || []).forEach((l) => items.push([l.time, t('timeline.status', t('state.' + l.status))]));
  (a.cancels || []).forEach((c) => items.push([c.receiveTime, t('timeline.cancel')]));
  const track = (a.track || []).filter((p) => p.kind !== 'press');
  if (track.length) items.push([track[track.length - 1].receiveTime, t('timeline.track', track.length)]);
  return items.sort((x, y) => String(x[0]).localeCompare(String(y[0])));
}

export async function alertPage({ id }) {
  const a = await api.get('/alerts/' + encodeURIComponent(id));
  const map = await trackMap(a.track || []);
  const verified = a.verification && a.verification.verified;
  const page = h('div', {},
    h('a', { href: '#/alerts', class: 'back' }, t('back.alerts')),
    heading(t('alert.title', when(a.press.receiveTime))),
    h('p', { class: 'note note--recorded' }, t('alert.recorded')),
    h('dl', { class: 'facts', id: 'alert-facts' },
      h('dt', {}, t('alert.type')), h('dd', {}, t('alert.type.' + a.type)),
      h('dt', {}, t('alert.status')), h('dd', {}, a.closed ? tag(t('alert.closed.yes'), 'off') : tag(t('alert.open.now'), 'alert')),
      h('dt', {}, t('region')), h('dd', {}, t('region.' + a.region)),
      h('dt', {}, t('device')), h('dd', { class: 'mono' }, h('a', { href: '#/devices/' + a.deviceId }, a.deviceId)),
      a.carrier ? [h('dt', {}, t('carrier')), h('dd', {}, a.carrier.name || '', ' ', h('a', { href: '#/carriers/' + a.carrier.carrierId, class: 'mono' }, shortId(a.carrier.carrierId)))] : null,
      h('dt', {}, t('alert.verified')), h('dd', {}, verified ? tag(t('alert.verified.yes'), 'ok') : tag(t('alert.verified.no'), 'warn'))),
    h('h2', {}, t('alert.timeline')),
    h('ol', { class: 'timeline', id: 'alert-timeline' }, events(a).map(([time, text]) => h('li', {}, h('time', { datetime: time }, when(time)), text))),
    h('h2', {}, t('alert.map')),
    map,
    trackTable(a.track || []),
    recordingsSection(id, a.recordings || []),
    h('h2', {}, t('alert.report')),
    h('p', {}, t('alert.report.lead')),
    h('div', { class: 'actions' }, [['pdf', 'nl'], ['pdf', 'en'], ['html', 'nl'], ['html', 'en']].map(([format, language]) =>
      reportButton(id, format, language))));
  if (may('legalHold')) page.append(holdForm(id, a));
  if (may('exportEvidence')) page.append(evidenceSection(id));
  return page;
}

function trackTable(track) {
  if (!track.length) return null;
  return h('details', {},
    h('summary', {}, t('track.table', track.length)),
    table(t('track.caption'), [t('track.time'), t('track.position'), t('track.accuracy'), t('device.battery')],
      track.map((p) => h('tr', {},
        h('td', {}, when(p.receiveTime)),
        h('td', { class: 'mono' }, p.hasFix && typeof p.latitude === 'number' ? p.latitude.toFixed(5) + ', ' + p.longitude.toFixed(5) : t('track.nofix')),
        h('td', { class: 'num' }, p.accuracyM ? p.accuracyM + ' m' : t('unknown')),
        h('td', { class: 'num' }, p.batteryPercent === null || p.batteryPercent === undefined ? t('unknown') : p.batteryPercent + '%')))));
}

// Each recording plays from the staff API on request (preload none): the server records who listened
// before it sends a byte, and the session cookie authenticates the audio element like any same-origin read.
function recordingsSection(id, recordings) {
  const section = h('section', { id: 'alert-recordings' }, h('h2', {}, t('recordings.title')));
  if (!recordings.length) {
    section.append(h('p', { class: 'empty' }, t('recordings.none')));
    return section;
  }
  section.append(h('p', {}, t('recordings.lead')));
  recordings.forEach((r, i) => {
    const what = r.kind === 'press' ? t('recordings.press') : t('recordings.listen', r.requestedBy || t('unknown'));
    const gaps = r.gaps.length ? t('recordings.gaps', r.gaps.length) : t('recordings.nogaps');
    const src = '/staff/v1/alerts/' + encodeURIComponent(id) + '/recordings/' + encodeURIComponent(r.deviceId) + '/'
      + encodeURIComponent(r.streamId);
    section.append(h('figure', { class: 'recording' },
      h('figcaption', { id: 'recording-caption-' + i }, what, ' · ', when(r.start), ' · ',
        (r.receivedMs / 1000).toFixed(1) + ' s', ' · ', gaps),
      h('audio', { controls: true, preload: 'none', src, id: 'recording-' + i, 'aria-labelledby': 'recording-caption-' + i })));
  });
  return section;
}

function reportButton(id, format, language) {
  const button = h('button', { type: 'button', class: 'button button--secondary', id: 'report-' + format + '-' + language },
    t('report.' + format + '.' + language));
  button.addEventListener('click', async () => {
    try {
      const blob = await api.blob('GET', '/alerts/' + encodeURIComponent(id) + '/report?lang=' + language + '&format=' + format);
      download(blob, 'aware-report-' + id + '-' + language + '.' + format);
      announce(t('report.downloaded'));
    } catch (error) {
      announce(error.message, true);
    }
  });
  return button;
}

function holdForm(id, a) {
  const reason = h('textarea', { rows: '2' });
  const hold = h('button', { type: 'submit', class: 'button', value: 'hold', id: 'hold-submit' }, t('hold.hold'));
  const release = h('button', { type: 'submit', class: 'button button--secondary', value: 'release', id: 'release-submit' }, t('hold.release'));
  const held = a.legalHold;
  const form = h('form', { novalidate: true, id: 'hold-form' },
    h('h2', {}, t('hold.title')),
    h('p', {}, held === true ? t('hold.is') : held === false ? t('hold.isnot') : t('hold.lead')),
    field('reason', t('hold.reason'), reason, t('hold.reason.hint')),
    h('div', { class: 'actions' }, held === true ? null : hold, held === false ? null : release));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const act = event.submitter && event.submitter.value === 'release' ? 'release' : 'hold';
    if (!reason.value.trim()) return showErrors(form, [{ field: 'reason', message: t('reason.missing') }]);
    clearErrors(form);
    try {
      await api.post('/alerts/' + encodeURIComponent(id) + '/' + act, { reason: reason.value.trim() });
      announce(t('hold.' + act + '.done'));
      go('/alerts/' + id);
    } catch (error) {
      serverError(form, error, 'reason');
    }
  });
  return form;
}

function evidenceSection(id) {
  const button = h('button', { type: 'button', class: 'button', id: 'evidence-export' }, t('evidence.export'));
  button.addEventListener('click', async () => {
    try {
      download(await api.blob('POST', '/alerts/' + encodeURIComponent(id) + '/evidence'), 'aware-evidence-' + id + '.zip');
      announce(t('evidence.done'));
    } catch (error) {
      announce(error.message, true);
    }
  });
  return h('section', {}, h('h2', {}, t('evidence.title')), h('p', {}, t('evidence.lead')), h('div', { class: 'actions' }, button));
}
