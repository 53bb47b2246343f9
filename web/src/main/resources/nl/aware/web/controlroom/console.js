// AWARE control-room console: an ES module (strict CSP: no inline script). Sign-in is the staff
// console's own (password, then the authenticator code, the enrolment at a first sign-in, or a recovery
// code): one place for that contract. The session token stays in memory; the HttpOnly cookie the
// sign-in sets is sent too.
import { holdToken } from '/console/api.js';
import { lang, setLang, t as shared } from '/console/i18n.js';
import { announce } from '/console/session.js';
import { h } from '/console/dom.js';
import { signInPage } from '/console/pages/signin.js';
import { trackMap } from '/console/map.js';
import { readEvents } from '/control/sse.js';
import { initListening, listenTo, relabelListening } from '/control/listen.js';

const STALE_AFTER_MS = 5000;
const RECONNECT_MS = 1000;
const TEXT = {
  nl: {
    signedIn: 'Aangemeld als ', soundOn: 'ALARM: nieuw alarm, nog niet aangenomen', acknowledge: 'Aannemen',
    verify: 'Geverifieerd', dispatched: 'Eenheid onderweg', onScene: 'Ter plaatse', close: 'Afsluiten', open: 'Openen',
    accepted: 'aangenomen', notAccepted: 'nog niet', delayed: 'vertraagd', test: 'test', clock: 'klok apparaat fout',
    escalated: 'naar Kadera', unknown: 'onbekend', outcome: 'Uitkomst',
    sessionEnded: 'Uw sessie is afgelopen (bijvoorbeeld na een herstart van de server). Meld u opnieuw aan: de lijst loopt daarna verder waar hij was.',
    notOperator: 'Dit account is geen meldkameraccount voor een regio. Meld u aan met uw meldkameraccount.',
    refused: 'Dit lukte niet: ', network: 'De server is niet bereikbaar.',
    alertTitle: 'Alarm {0}, regio {1}', profile: 'Gegevens voor de politie', noProfile: 'Er zijn geen gegevens van de drager bekend.',
    name: 'Naam', photo: 'Foto (verwijzing)', threat: 'Dreiging', aggressor: 'Beschrijving pleger', notes: 'Notities',
    map: 'Kaart met het spoor', latest: 'Laatste locatie: {0} s oud, nauwkeurigheid {1}', noFix: 'Nog geen locatie.',
    timeline: 'Verloop', by: ' door ',
    kinds: { press: 'Knop ingedrukt', test_press: 'Testalarm', repeated_press: 'Knop nog eens ingedrukt',
      police_accepted: 'Aangenomen door het politiesysteem', escalated: 'Opgeschaald naar Kadera',
      cancel: 'Geannuleerd op het apparaat (alleen ter informatie)' },
    states: { new: 'NIEUW', acknowledged: 'aangenomen', verified: 'geverifieerd', unit_dispatched: 'eenheid onderweg',
      on_scene: 'ter plaatse', closed: 'afgesloten' },
    outcomes: { confirmed_by_listening: 'bevestigd door meeluisteren', false_alarm: 'vals alarm',
      no_contact: 'geen contact', not_possible: 'niet mogelijk' },
    language: 'English', title: 'AWARE meldkamer'
  },
  en: {
    signedIn: 'Signed in as ', soundOn: 'ALARM: new alarm, not yet acknowledged', acknowledge: 'Acknowledge',
    verify: 'Verified', dispatched: 'Unit dispatched', onScene: 'On scene', close: 'Close', open: 'Open',
    accepted: 'accepted', notAccepted: 'not yet', delayed: 'delayed', test: 'test', clock: 'device clock wrong',
    escalated: 'to Kadera', unknown: 'unknown', outcome: 'Outcome',
    sessionEnded: 'Your session has ended (for instance after a server restart). Sign in again: the list then goes on where it was.',
    notOperator: 'This account is not a control-room account of a region. Sign in with your control-room account.',
    refused: 'That did not work: ', network: 'The server cannot be reached.',
    alertTitle: 'Alarm {0}, region {1}', profile: 'Details for the police', noProfile: 'No details of the carrier are known.',
    name: 'Name', photo: 'Photo (reference)', threat: 'Threat', aggressor: 'Description of the aggressor', notes: 'Notes',
    map: 'Map with the track', latest: 'Latest position: {0} s old, accuracy {1}', noFix: 'No position yet.',
    timeline: 'What happened', by: ' by ',
    kinds: { press: 'Button pressed', test_press: 'Test alarm', repeated_press: 'Button pressed again',
      police_accepted: 'Accepted by the police system', escalated: 'Escalated to Kadera',
      cancel: 'Cancelled on the device (information only)' },
    states: { new: 'NEW', acknowledged: 'acknowledged', verified: 'verified', unit_dispatched: 'unit dispatched',
      on_scene: 'on scene', closed: 'closed' },
    outcomes: { confirmed_by_listening: 'confirmed by listening in', false_alarm: 'false alarm',
      no_contact: 'no contact', not_possible: 'not possible' },
    language: 'Nederlands', title: 'AWARE control room'
  }
};

let token = null;
let username = null;
let lastId = null;
let lastHeartbeat = 0;
let audio = null;
let alarmTimer = null;
let staleTimer = null;
let streaming = false;
let shownAlert = null;
let shownSequence = -1;
let refreshTimer = null;
const alerts = new Map();

const $ = (id) => document.getElementById(id);
const t = () => TEXT[lang()];
// Region names as the staff console writes them (IJsselland), from its one list of labels.
const regionLabel = (region) => shared('region.' + region);
const fill = (text, ...values) => text.replace(/\{(\d)\}/g, (all, i) => String(values[Number(i)]));

function applyLanguage() {
  document.documentElement.lang = lang();
  document.querySelectorAll('[data-nl]').forEach((el) => { el.textContent = el.dataset[lang()]; });
  $('signin').setAttribute('aria-label', lang() === 'nl' ? 'Aanmelden' : 'Sign in');
  $('language').textContent = t().language;
  $('language').lang = lang() === 'nl' ? 'en' : 'nl';
  $('who').textContent = username ? t().signedIn + username : '';
  if (!token) { showSignIn(); }
  render();
  relabelListening();
  if (shownAlert) { showAlert(shownAlert); }
}

// --- sound: Web Audio, allowed once the person clicked or typed on the sign-in -----------------
function unlockAudio() {
  if (!audio) { audio = new (window.AudioContext || window.webkitAudioContext)(); }
  if (audio.state === 'suspended') { audio.resume(); }
}

function beep(frequency, durationMs) {
  if (!audio) { return; }
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = frequency;
  gain.gain.value = 0.2;
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start();
  oscillator.stop(audio.currentTime + durationMs / 1000);
}

function unacknowledgedPanics() {
  return [...alerts.values()].filter((a) => a.open && !a.test && a.state === 'new');
}

/** An unacknowledged PANIC sounds until someone acknowledges it; title and favicon say so too. */
function updateAlarm() {
  const ringing = unacknowledgedPanics().length > 0;
  document.body.dataset.sound = ringing ? 'on' : 'off';
  $('sound-state').textContent = ringing ? t().soundOn : '';
  document.title = (ringing ? '(!) ' + unacknowledgedPanics().length + ' ALARM - ' : '') + t().title;
  $('favicon').href = ringing ? '/control/favicon-alarm.svg' : '/control/favicon.svg';
  if (ringing && !alarmTimer) {
    beep(880, 300);
    alarmTimer = setInterval(() => beep(880, 300), 1000);
  } else if (!ringing && alarmTimer) {
    clearInterval(alarmTimer);
    alarmTimer = null;
  }
}

// --- sign-in: the staff console's steps, then the live queue -------------------------------------
function showSignIn(message) {
  $('signin').hidden = false;
  $('console').hidden = true;
  $('alert-view').hidden = true;
  document.body.dataset.signedIn = 'no';
  $('signin-steps').replaceChildren(signInPage({ signedIn }));
  if (message) { announce(message, true); }
}

async function signedIn(answer) {
  token = answer.token;
  holdToken(token);
  username = answer.username;
  announce('');
  $('signin-steps').replaceChildren();
  $('signin').hidden = true;
  $('console').hidden = false;
  document.body.dataset.signedIn = 'yes';
  $('who').textContent = t().signedIn + username;
  staleReason();
  lastHeartbeat = Date.now();
  if (!staleTimer) { staleTimer = setInterval(watchdog, 250); }
  render();
  if (!streaming) { connect(); }
}

/** The server no longer knows the session (logout, an account change, a restart): sign in again, keep the queue. */
function sessionEnded(message) {
  token = null;
  holdToken(null);
  username = null;
  $('who').textContent = '';
  staleReason(); // at once, not when the watchdog next finds the heartbeat overdue
  showSignIn(message);
}

// --- the queue ---------------------------------------------------------------------------------
function order(a, b) {
  if (a.test !== b.test) { return a.test ? 1 : -1; }
  if ((a.state === 'new') !== (b.state === 'new')) { return a.state === 'new' ? -1 : 1; }
  return b.pressedAt.localeCompare(a.pressedAt);
}

function button(label, className, onClick) {
  return h('button', { type: 'button', class: className || null, onclick: onClick }, label);
}

function actions(alert) {
  const td = h('td', {});
  const next = {
    new: [['acknowledge', t().acknowledge, 'ack']],
    acknowledged: [['verify', t().verify], ['dispatched', t().dispatched]],
    verified: [['dispatched', t().dispatched], ['on-scene', t().onScene]],
    unit_dispatched: [['on-scene', t().onScene]],
    on_scene: [['close', t().close]]
  }[alert.state] || [];
  td.append(button(t().open, 'secondary open', () => showAlert(alert.alertId)));
  for (const [action, label, className] of next) {
    if (action === 'verify') {
      const select = h('select', { 'aria-label': t().outcome },
        Object.entries(t().outcomes).map(([value, text]) => h('option', { value }, text)));
      td.append(select, button(label, null, () => act(alert.alertId, 'verify', { outcome: select.value })));
    } else {
      td.append(button(label, className, () => act(alert.alertId, action, {})));
    }
  }
  if (alert.state !== 'new' && alert.state !== 'on_scene') {
    td.append(button(t().close, 'secondary', () => act(alert.alertId, 'close', {})));
  }
  return td;
}

function render() {
  const rows = $('rows');
  rows.replaceChildren();
  const open = [...alerts.values()].filter((a) => a.open).sort(order);
  $('queue').hidden = open.length === 0;
  $('empty').hidden = open.length > 0;
  for (const alert of open) {
    const markers = [['delayed', t().delayed], ['test', t().test], ['deviceClockWrong', t().clock], ['escalated', t().escalated]]
      .filter(([flag]) => alert[flag]).map(([, label]) => h('span', { class: 'marker' }, label));
    const tr = h('tr', { 'data-alert-id': alert.alertId, 'data-state': alert.state,
      class: alert.state === 'new' && !alert.test ? 'unacknowledged' : null },
    h('td', {}, regionLabel(alert.region) + ' ' + alert.alertId.substring(0, 8)),
    h('td', {}, new Date(alert.pressedAt).toLocaleTimeString(lang())),
    h('td', { class: alert.presses > 1 ? 'repeated' : null }, String(alert.presses)),
    h('td', {}, markers),
    h('td', {}, alert.battery === null ? t().unknown : alert.battery + '%'),
    h('td', {}, alert.policeAccepted ? t().accepted : t().notAccepted),
    h('td', {}, (t().states[alert.state] || alert.state) + (alert.stateBy ? ' (' + alert.stateBy + ')' : '')),
    actions(alert));
    rows.append(tr);
  }
  updateAlarm();
}

async function act(alertId, action, body) {
  let response;
  try {
    response = await fetch('/control/v1/alerts/' + alertId + '/' + action, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    });
  } catch (e) {
    announce(t().refused + t().network, true);
    return;
  }
  if (response.status === 401) { sessionEnded(t().sessionEnded); return; }
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    announce(t().refused + (answer.error || response.status), true); // e.g. 409: another operator was first
    return;
  }
  announce('');
  // The new state also arrives on the stream, for this console as for every other.
}

// --- the alert: profile, track on the map, timeline (each opening is recorded by the server) ------
async function showAlert(alertId) {
  shownAlert = alertId;
  listenTo(alertId);
  const response = await fetch('/control/v1/alerts/' + alertId, {
    credentials: 'same-origin', cache: 'no-store', headers: { 'Authorization': 'Bearer ' + token } }).catch(() => null);
  if (!response) { announce(t().refused + t().network, true); return; }
  if (response.status === 401) { sessionEnded(t().sessionEnded); return; }
  if (!response.ok) { announce(t().refused + response.status, true); return; }
  const detail = await response.json();
  if (shownAlert !== alertId) { return; } // another alert was opened meanwhile
  shownSequence = detail.alert.sequence;
  const view = $('alert-view');
  const firstOpening = view.hidden;
  $('alert-title').textContent = fill(t().alertTitle, alertId.substring(0, 8), regionLabel(detail.alert.region));
  const profile = detail.profileAvailable
    ? h('dl', { class: 'facts', id: 'alert-profile' },
      [[t().name, detail.carrier.name], [t().photo, detail.carrier.photoReference], [t().threat, detail.carrier.threat],
        [t().aggressor, detail.carrier.aggressor], [t().notes, detail.carrier.notes]]
        .map(([label, value]) => [h('dt', {}, label), h('dd', {}, value || '—')]))
    : h('p', { id: 'alert-profile' }, t().noProfile);
  const track = detail.track || [];
  const latest = track.length ? track[track.length - 1] : null;
  const map = await trackMap(track.map((p) => Object.assign({ hasFix: true }, p)));
  const timeline = h('ol', { class: 'timeline', id: 'alert-timeline' }, (detail.timeline || []).map((step) =>
    h('li', { 'data-kind': step.kind },
      h('time', { datetime: step.time }, new Date(step.time).toLocaleTimeString(lang())),
      (t().kinds[step.kind] || t().states[step.kind] || step.kind) + (step.detail ? ' (' + (t().outcomes[step.detail] || step.detail) + ')' : '')
        + (step.by ? t().by + step.by : ''))));
  $('alert-body').replaceChildren(
    h('h3', {}, t().profile), profile,
    h('h3', {}, t().map),
    h('p', { id: 'alert-latest' }, latest
      ? fill(t().latest, latest.ageS, latest.accuracyM === null ? t().unknown : latest.accuracyM + ' m') : t().noFix),
    map,
    h('h3', {}, t().timeline), timeline);
  view.hidden = false;
  view.dataset.alertId = alertId;
  if (firstOpening) { $('alert-title').focus(); }
}

function closeAlert() {
  shownAlert = null;
  listenTo(null);
  $('alert-view').hidden = true;
  $('alert-body').replaceChildren();
}

/** The open alert changed (a press, a position, a step): show it again, at most once a second. */
function refreshShownAlert(row) {
  if (!shownAlert || row.alertId !== shownAlert || row.sequence <= shownSequence || refreshTimer) { return; }
  refreshTimer = setTimeout(() => { refreshTimer = null; if (shownAlert && token) { showAlert(shownAlert); } }, RECONNECT_MS);
}

// --- the live stream: fetch (EventSource cannot send the token), resumable by sequence ------------
function handle(event, id, data) {
  if (event === 'heartbeat') {
    lastHeartbeat = Date.now();
    setStale(false);
    return;
  }
  if (id !== null) { lastId = id; }
  const body = JSON.parse(data);
  if (event === 'reset') {
    alerts.clear();
    body.alerts.forEach((a) => alerts.set(a.alertId, a));
  } else if (event === 'alert') {
    alerts.set(body.alertId, body);
    refreshShownAlert(body);
  }
  render();
}

async function connect() {
  if (!token) { streaming = false; return; } // signed out meanwhile: signedIn() starts the stream again
  streaming = true;
  const query = lastId === null ? '' : '?after=' + encodeURIComponent(lastId);
  let status = 0;
  try {
    const response = await fetch('/control/v1/stream' + query, {
      credentials: 'same-origin', cache: 'no-store', headers: { 'Authorization': 'Bearer ' + token } });
    status = response.status;
    if (response.ok) {
      document.body.dataset.stream = 'open';
      await readEvents(response, handle);
    }
  } catch (e) {
    // The connection broke or never opened: shown below, and tried again.
  }
  document.body.dataset.stream = 'closed';
  // The stream ended or never opened: say so now, not only when the heartbeat is overdue.
  setStale(true);
  beep(440, 500);
  if (status === 401) { streaming = false; sessionEnded(t().sessionEnded); return; }
  if (status === 403) { streaming = false; sessionEnded(t().notOperator); return; }
  setTimeout(connect, RECONNECT_MS);
}

function setStale(stale) {
  $('stale').hidden = !stale;
  document.body.dataset.stale = stale ? 'yes' : 'no';
  staleReason();
}

/** Signed out, nothing reconnects until the operator signs in: say that, not "reconnecting". */
function staleReason() {
  $('stale-reconnecting').hidden = !token;
  $('stale-sign-in').hidden = !!token;
}

/** No heartbeat for 5 s: a full-width warning and a sound (every 3 s), until the stream is back. */
function watchdog() {
  if (Date.now() - lastHeartbeat > STALE_AFTER_MS) {
    if (document.body.dataset.stale !== 'yes' || Date.now() % 3000 < 250) {
      beep(440, 500);
    }
    setStale(true);
  }
}

$('signin').addEventListener('click', unlockAudio, true);
$('signin').addEventListener('keydown', unlockAudio, true);
$('language').addEventListener('click', () => { setLang(lang() === 'nl' ? 'en' : 'nl'); applyLanguage(); });
$('alert-close').addEventListener('click', closeAlert);
initListening(() => token, () => sessionEnded(t().sessionEnded));
applyLanguage();
