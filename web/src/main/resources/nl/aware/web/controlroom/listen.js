// Live listening on the alert view: start (the server records it under the operator's name before any
// sound), the session's audio stream, each AUDIO frame's Opus packets decoded by WebCodecs (AudioDecoder,
// "opus", 48 kHz mono) and played by Web Audio in order, and the session's state on screen. No worker and no
// inline script: the strict CSP stays as it is.
import { lang } from '/console/i18n.js';
import { readEvents } from '/control/sse.js';

const PACKET_US = 20000; // ADP/1: 20 ms Opus packets
const SAMPLE_RATE = 48000;
const PLAY_AHEAD_S = 0.15; // a little buffer against network jitter, short enough to talk over
const TEXT = {
  nl: {
    start: 'Luisteren', stop: 'Stoppen met luisteren',
    idle: 'U luistert niet mee.', connecting: 'Verbinden met het apparaat…',
    listening: 'U luistert mee.', time: 'Tijd: {0}. Geluid ontvangen: {1}.',
    not_connected: 'Het apparaat heeft nu geen verbinding. Probeer het zo opnieuw.',
    no_answer: 'Het apparaat antwoordt niet (10 seconden gewacht).',
    refused: 'Het apparaat luistert niet mee (instelling, of het kan dit niet).',
    stopped: 'Gestopt met luisteren.',
    stream_closed: 'De verbinding viel weg: het luisteren is gestopt.',
    alert_closed: 'Het alarm is afgesloten: het luisteren is gestopt.',
    device_ended: 'Het apparaat is gestopt met geluid sturen.',
    session_ended: 'Uw sessie is afgelopen: het luisteren is gestopt.',
    unsupported: 'Deze browser kan het geluid niet afspelen (geen Opus-decoder). Gebruik een actuele Chromium of Chrome.',
    failed: 'Luisteren lukte niet: '
  },
  en: {
    start: 'Listen', stop: 'Stop listening',
    idle: 'You are not listening.', connecting: 'Connecting to the device…',
    listening: 'Listening.', time: 'Time: {0}. Sound received: {1}.',
    not_connected: 'The device has no connection now. Try again shortly.',
    no_answer: 'The device does not answer (waited 10 seconds).',
    refused: 'The device does not listen (its settings, or it cannot).',
    stopped: 'Stopped listening.',
    stream_closed: 'The connection dropped: listening stopped.',
    alert_closed: 'The alarm was closed: listening stopped.',
    device_ended: 'The device stopped sending sound.',
    session_ended: 'Your session ended: listening stopped.',
    unsupported: 'This browser cannot play the sound (no Opus decoder). Use a current Chromium or Chrome.',
    failed: 'Listening did not work: '
  }
};
const ACTIVE = new Set(['connecting', 'listening']);

let tokenOf = () => null;
let onUnauthorized = () => {};
let alertId = null;
let session = null; // { alertId, startedAt, state, abort, decoder, context, nextTime, measure }
let ticker = null;

const $ = (id) => document.getElementById(id);
const t = () => TEXT[lang()];
const fill = (text, ...values) => text.replace(/\{(\d)\}/g, (all, i) => String(values[Number(i)]));
const clock = (ms) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
};

/** Wires the buttons once: `token()` gives the session token, `unauthorized()` is called on a 401. */
export function initListening(token, unauthorized) {
  tokenOf = token;
  onUnauthorized = unauthorized;
  $('listen-start').addEventListener('click', () => start());
  $('listen-stop').addEventListener('click', () => stopListening());
  relabelListening();
}

/** The alert view shows `id` (null: closed): listening to another alert stops. */
export function listenTo(id) {
  if (alertId !== id && session && ACTIVE.has(session.state)) { stopListening(); }
  if (alertId !== id) { show(id === null ? null : 'idle'); }
  alertId = id;
}

/** Re-renders the words in the current language. */
export function relabelListening() {
  $('listen-start').textContent = t().start;
  $('listen-stop').textContent = t().stop;
  show(session ? session.state : 'idle');
}

function show(state, detail) {
  const line = $('listen-state');
  line.dataset.state = state || 'idle';
  const listening = session && ACTIVE.has(state);
  $('listen-start').hidden = !!listening;
  $('listen-stop').hidden = !listening;
  line.textContent = (t()[state] || t().idle) + (detail ? detail : '');
  line.classList.toggle('listening', state === 'listening');
  tick();
}

/** The elapsed time and the sound received, once a second: apart from the status line, so a screen reader is
 *  told when the state changes, not every second. */
function tick() {
  const time = $('listen-time');
  if (!session || session.state !== 'listening') { time.textContent = ''; return; }
  time.textContent = fill(t().time, clock(Date.now() - session.startedAt),
    clock(session.measure.samples / SAMPLE_RATE * 1000));
}

/** Exposed on the page for people (the on-screen duration) and for the browser test (what was decoded). */
function publish() {
  const m = session.measure;
  const line = $('listen-state');
  line.dataset.frames = String(m.frames);
  line.dataset.sentMs = String(m.sentMs);
  line.dataset.lastSeq = String(m.lastSeq);
  line.dataset.decodedSamples = String(m.samples);
  line.dataset.decodedMs = String(Math.round(m.samples / SAMPLE_RATE * 1000));
  line.dataset.rms = m.samples ? Math.sqrt(m.energy / m.samples).toFixed(5) : '0';
}

async function start() {
  if (!alertId || (session && ACTIVE.has(session.state))) { return; }
  if (typeof AudioDecoder === 'undefined') { show('unsupported'); return; }
  const support = await AudioDecoder.isConfigSupported({ codec: 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 1 })
    .catch(() => ({ supported: false }));
  if (!support.supported) { show('unsupported'); return; }
  const id = alertId;
  // The click is the gesture that lets the page play sound.
  const context = new AudioContext({ sampleRate: SAMPLE_RATE });
  context.resume();
  session = { alertId: id, startedAt: Date.now(), state: 'connecting', abort: new AbortController(), context,
    nextTime: 0, timestamp: 0, decoder: null,
    measure: { frames: 0, sentMs: 0, lastSeq: -1, samples: 0, energy: 0 } };
  const mine = session;
  publish();
  show('connecting');
  let response;
  try {
    response = await fetch('/control/v1/alerts/' + id + '/listen', {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Authorization': 'Bearer ' + tokenOf(), 'Content-Type': 'application/json' }, body: '{}' });
  } catch (e) {
    end(mine, 'stream_closed');
    return;
  }
  if (response.status === 401) { end(mine, 'session_ended'); onUnauthorized(); return; }
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    end(mine, 'failed', answer.error || String(response.status));
    return;
  }
  const started = await response.json(); // startedAt stays this browser's own: no clock skew in the elapsed time
  mine.decoder = new AudioDecoder({ output: (data) => play(mine, data), error: () => end(mine, 'unsupported') });
  mine.decoder.configure({ codec: 'opus', sampleRate: SAMPLE_RATE, numberOfChannels: 1 });
  state(mine, started.state);
  ticker = ticker || setInterval(tick, 1000);
  readAudio(mine);
}

async function readAudio(mine) {
  let ended = false;
  try {
    const response = await fetch('/control/v1/alerts/' + mine.alertId + '/audio', {
      credentials: 'same-origin', cache: 'no-store', signal: mine.abort.signal,
      headers: { 'Authorization': 'Bearer ' + tokenOf() } });
    if (response.status === 401) { end(mine, 'session_ended'); onUnauthorized(); return; }
    if (response.ok) {
      await readEvents(response, (event, id, data) => {
        const body = JSON.parse(data);
        if (event === 'state') {
          ended = !ACTIVE.has(body.state);
          state(mine, body.state);
        } else if (event === 'audio') {
          frame(mine, body);
        }
      });
    }
  } catch (e) {
    // Aborted by stop, or the connection broke: said below.
  }
  if (!ended) { end(mine, 'stream_closed'); }
}

function state(mine, name) {
  if (ACTIVE.has(name)) {
    mine.state = name;
    if (session === mine) { show(name); }
  } else {
    end(mine, name);
  }
}

/** One AUDIO frame: its Opus packets to the decoder, in order. */
function frame(mine, body) {
  if (mine.state !== 'listening' && mine.state !== 'connecting') { return; }
  if (mine.state === 'connecting') { state(mine, 'listening'); }
  const m = mine.measure;
  m.frames += 1;
  m.sentMs += body.durationMs;
  m.lastSeq = body.seq;
  if (body.codec !== 1 || !mine.decoder || mine.decoder.state !== 'configured') { publish(); return; }
  for (const packet of body.packets) {
    const bytes = Uint8Array.from(atob(packet), (c) => c.charCodeAt(0));
    mine.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: mine.timestamp, duration: PACKET_US, data: bytes }));
    mine.timestamp += PACKET_US;
  }
  publish();
}

/** Decoded sound: measured (samples, energy), then played right after what is already queued. */
function play(mine, data) {
  try {
    const frames = data.numberOfFrames;
    const samples = new Float32Array(frames);
    data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
    const m = mine.measure;
    for (let i = 0; i < frames; i++) { m.energy += samples[i] * samples[i]; }
    m.samples += Math.round(frames * SAMPLE_RATE / data.sampleRate);
    if (session === mine) { publish(); }
    if (!ACTIVE.has(mine.state)) { return; }
    const buffer = mine.context.createBuffer(1, frames, data.sampleRate);
    buffer.copyToChannel(samples, 0);
    const source = mine.context.createBufferSource();
    source.buffer = buffer;
    source.connect(mine.context.destination);
    const now = mine.context.currentTime;
    mine.nextTime = Math.max(mine.nextTime, now + PLAY_AHEAD_S);
    source.start(mine.nextTime);
    mine.nextTime += buffer.duration;
  } finally {
    data.close();
  }
}

/** The operator pressed stop (or left the alert): the server records the end; the stream then ends. */
export async function stopListening() {
  const mine = session;
  if (!mine || !ACTIVE.has(mine.state)) { return; }
  end(mine, 'stopped');
  try {
    await fetch('/control/v1/alerts/' + mine.alertId + '/listen/stop', {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Authorization': 'Bearer ' + tokenOf(), 'Content-Type': 'application/json' }, body: '{}' });
  } catch (e) {
    // The stream is closed below either way, and a closed stream ends the session on the server too.
  }
  mine.abort.abort();
}

function end(mine, name, detail) {
  if (mine.ended) { return; }
  mine.ended = true;
  mine.state = name;
  if (mine.decoder && mine.decoder.state === 'configured') {
    // What is already decoding still counts (the measure); nothing new is played after the end.
    mine.decoder.flush().catch(() => {}).finally(() => { if (mine.decoder.state !== 'closed') { mine.decoder.close(); } });
  }
  setTimeout(() => mine.context.close().catch(() => {}), 1000);
  if (session === mine) {
    publish();
    show(name, detail ? detail : '');
  }
  if (name !== 'stopped') { mine.abort.abort(); }
}
