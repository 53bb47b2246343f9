// AWARE control-room console. No inline script (strict CSP); the token lives in memory only.
'use strict';
(function () {
  const STALE_AFTER_MS = 5000;
  const TEXT = {
    nl: {
      signedIn: 'Aangemeld als ', soundOn: 'ALARM: nieuw alarm, nog niet aangenomen', acknowledge: 'Aannemen',
      verify: 'Geverifieerd', dispatched: 'Eenheid onderweg', onScene: 'Ter plaatse', close: 'Afsluiten',
      accepted: 'aangenomen', notAccepted: 'nog niet', delayed: 'vertraagd', test: 'test', clock: 'klok apparaat fout',
      escalated: 'naar Kadera', unknown: 'onbekend', signinFailed: 'Aanmelden mislukt: ', outcome: 'Uitkomst',
      states: { new: 'NIEUW', acknowledged: 'aangenomen', verified: 'geverifieerd', unit_dispatched: 'eenheid onderweg',
        on_scene: 'ter plaatse', closed: 'afgesloten' },
      outcomes: { confirmed_by_listening: 'bevestigd door meeluisteren', false_alarm: 'vals alarm',
        no_contact: 'geen contact', not_possible: 'niet mogelijk' },
      language: 'English'
    },
    en: {
      signedIn: 'Signed in as ', soundOn: 'ALARM: new alarm, not yet acknowledged', acknowledge: 'Acknowledge',
      verify: 'Verified', dispatched: 'Unit dispatched', onScene: 'On scene', close: 'Close',
      accepted: 'accepted', notAccepted: 'not yet', delayed: 'delayed', test: 'test', clock: 'device clock wrong',
      escalated: 'to Kadera', unknown: 'unknown', signinFailed: 'Sign-in failed: ', outcome: 'Outcome',
      states: { new: 'NEW', acknowledged: 'acknowledged', verified: 'verified', unit_dispatched: 'unit dispatched',
        on_scene: 'on scene', closed: 'closed' },
      outcomes: { confirmed_by_listening: 'confirmed by listening in', false_alarm: 'false alarm',
        no_contact: 'no contact', not_possible: 'not possible' },
      language: 'Nederlands'
    }
  };
  let lang = 'nl';
  let token = null;
  let lastId = null;
  let lastHeartbeat = 0;
  let audio = null;
  let alarmTimer = null;
  let staleTimer = null;
  let reader = null;
  const alerts = new Map();

  const $ = (id) => document.getElementById(id);
  const t = () => TEXT[lang];

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-nl]').forEach((el) => { el.textContent = el.dataset[lang]; });
    $('language').textContent = t().language;
    $('language').lang = lang === 'nl' ? 'en' : 'nl';
    render();
  }

  // --- sound: Web Audio, allowed because the sign-in button was clicked -------------------------
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
    document.title = (ringing ? '(!) ' + unacknowledgedPanics().length + ' ALARM - ' : '') + 'AWARE meldkamer';
    $('favicon').href = ringing ? '/control/favicon-alarm.svg' : '/control/favicon.svg';
    if (ringing && !alarmTimer) {
      beep(880, 300);
      alarmTimer = setInterval(() => beep(880, 300), 1000);
    } else if (!ringing && alarmTimer) {
      clearInterval(alarmTimer);
      alarmTimer = null;
    }
  }

  // --- the queue ---------------------------------------------------------------------------------
  function order(a, b) {
    if (a.test !== b.test) { return a.test ? 1 : -1; }
    if ((a.state === 'new') !== (b.state === 'new')) { return a.state === 'new' ? -1 : 1; }
    return b.pressedAt.localeCompare(a.pressedAt);
  }

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function button(label, className, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    if (className) { b.className = className; }
    b.addEventListener('click', onClick);
    return b;
  }

  function actions(alert) {
    const td = document.createElement('td');
    const next = {
      new: [['acknowledge', t().acknowledge, 'ack']],
      acknowledged: [['verify', t().verify], ['dispatched', t().dispatched]],
      verified: [['dispatched', t().dispatched], ['on-scene', t().onScene]],
      unit_dispatched: [['on-scene', t().onScene]],
      on_scene: [['close', t().close]]
    }[alert.state] || [];
    for (const [action, label, className] of next) {
      if (action === 'verify') {
        const select = document.createElement('select');
        select.setAttribute('aria-label', t().outcome);
        for (const [value, text] of Object.entries(t().outcomes)) {
          const option = document.createElement('option');
          option.value = value;
          option.textContent = text;
          select.appendChild(option);
        }
        td.appendChild(select);
        td.appendChild(button(label, null, () => act(alert.alertId, 'verify', { outcome: select.value })));
      } else {
        td.appendChild(button(label, className, () => act(alert.alertId, action, {})));
      }
    }
    if (alert.state !== 'new' && alert.state !== 'on_scene') {
      td.appendChild(button(t().close, 'secondary', () => act(alert.alertId, 'close', {})));
    }
    return td;
  }

  function render() {
    const rows = $('rows');
    if (!rows) { return; }
    rows.replaceChildren();
    const open = [...alerts.values()].filter((a) => a.open).sort(order);
    $('queue').hidden = open.length === 0;
    $('empty').hidden = open.length > 0;
    for (const alert of open) {
      const tr = document.createElement('tr');
      tr.dataset.alertId = alert.alertId;
      tr.dataset.state = alert.state;
      if (alert.state === 'new' && !alert.test) { tr.className = 'unacknowledged'; }
      cell(tr, alert.region + ' ' + alert.alertId.substring(0, 8));
      cell(tr, new Date(alert.pressedAt).toLocaleTimeString(lang));
      cell(tr, String(alert.presses));
      const markers = cell(tr, '');
      for (const [flag, label] of [['delayed', t().delayed], ['test', t().test], ['deviceClockWrong', t().clock],
        ['escalated', t().escalated]]) {
        if (alert[flag]) {
          const span = document.createElement('span');
          span.className = 'marker';
          span.textContent = label;
          markers.appendChild(span);
        }
      }
      cell(tr, alert.battery === null ? t().unknown : alert.battery + '%');
      cell(tr, alert.policeAccepted ? t().accepted : t().notAccepted);
      cell(tr, (t().states[alert.state] || alert.state) + (alert.stateBy ? ' (' + alert.stateBy + ')' : ''));
      tr.appendChild(actions(alert));
      rows.appendChild(tr);
    }
    updateAlarm();
  }

  async function act(alertId, action, body) {
    await fetch('/control/v1/alerts/' + alertId + '/' + action, {
      method: 'POST', headers: { 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    });
    // The answer's state also arrives on the stream, for this console as for every other.
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
    }
    render();
  }

  async function connect() {
    const query = lastId === null ? '' : '?after=' + encodeURIComponent(lastId);
    try {
      const response = await fetch('/control/v1/stream' + query, { headers: { 'Authorization': 'Bearer ' + token } });
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      document.body.dataset.stream = 'open';
      reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) { break; }
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.substring(0, end);
          buffer = buffer.substring(end + 2);
          let id = null;
          let event = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) { id = line.substring(4); }
            else if (line.startsWith('event: ')) { event = line.substring(7); }
            else if (line.startsWith('data: ')) { data.push(line.substring(6)); }
          }
          if (data.length > 0) { handle(event, id, data.join('\n')); }
        }
      }
    } catch (e) {
      // the server went away or refused: the watchdog shows it, and we try again
    }
    document.body.dataset.stream = 'closed';
    // The stream ended or never opened: say so now, not only when the heartbeat is overdue.
    setStale(true);
    beep(440, 500);
    setTimeout(connect, 1000);
  }

  function setStale(stale) {
    $('stale').hidden = !stale;
    document.body.dataset.stale = stale ? 'yes' : 'no';
  }

  /** No heartbeat for 5 s: a full-width warning and a sound, until the stream is back. */
  function watchdog() {
    if (Date.now() - lastHeartbeat > STALE_AFTER_MS) {
      if (document.body.dataset.stale !== 'yes' || Date.now() % 3000 < 250) {
        beep(440, 500); // at once, then every 3 s while stale
      }
      setStale(true);
    }
  }

  async function signIn(event) {
    event.preventDefault();
    audio = new (window.AudioContext || window.webkitAudioContext)(); // allowed: this is a click
    const error = $('signin-error');
    error.hidden = true;
    const response = await fetch('/staff/v1/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: $('username').value, password: $('password').value })
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      error.textContent = t().signinFailed + (body.error || response.status);
      error.hidden = false;
      return;
    }
    token = body.token;
    $('password').value = '';
    $('signin').hidden = true;
    $('console').hidden = false;
    $('who').textContent = t().signedIn + $('username').value;
    lastHeartbeat = Date.now();
    staleTimer = setInterval(watchdog, 250);
    connect();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('signin-form').addEventListener('submit', signIn);
    $('language').addEventListener('click', () => { lang = lang === 'nl' ? 'en' : 'nl'; applyLanguage(); });
    applyLanguage();
  });
}());
