// Who is signed in and what their role may do; page-to-page navigation. Kept apart from app.js so
// pages can use it without importing the router.

/**
 * What each act needs, by the server's permission names (GET /staff/v1/me). The one place the console
 * decides what to show; the server decides what is allowed and refuses the rest with 403.
 */
const ACTS = {
  readAlerts: ['READ_ALERTS'],
  readCarrier: ['READ_CARRIER_RECORD'],
  readDevices: ['READ_DEVICES'],
  listCarriers: ['LIST_CARRIERS'],
  manageCarriers: ['MANAGE_CARRIERS'],
  manageDevices: ['HAND_OUT_DEVICES'],
  revokeDevices: ['REVOKE_DEVICES'],
  legalHold: ['LEGAL_HOLD'],
  exportEvidence: ['EXPORT_EVIDENCE'],
  readTrail: ['READ_ACCESS_TRAIL'],
  manageAccounts: ['MANAGE_ACCOUNTS']
};

/** A server without GET /me (before the second factor landed) told only the role at sign-in. */
export const ROLE_PERMISSIONS = {
  staff: ['OWN_SESSION', 'READ_DEVICES', 'LIST_CARRIERS', 'READ_CARRIER_RECORD', 'READ_ALERTS'],
  auditor: ['OWN_SESSION', 'READ_DEVICES', 'LIST_CARRIERS', 'READ_CARRIER_RECORD', 'READ_ALERTS', 'EXPORT_EVIDENCE', 'READ_ACCESS_TRAIL'],
  administrator: ['OWN_SESSION', 'READ_DEVICES', 'LIST_CARRIERS', 'MANAGE_ACCOUNTS']
};

let user = null;
let leaving = [];

export function me() {
  return user;
}

export function setUser(value) {
  user = value;
}

export function may(act) {
  return !!user && (ACTS[act] || []).some((permission) => (user.permissions || []).includes(permission));
}

/** Stops a page's timers and polling when another page replaces it. */
export function onLeave(callback) {
  leaving.push(callback);
}

export function leave() {
  leaving.forEach((callback) => callback());
  leaving = [];
}

export function go(path) {
  carry = true;
  if (location.hash === '#' + path) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = '#' + path;
}

/** A short message in the status line (a polite live region) above the page. */
/** Whether the status line should survive the next page change (an act that led to that page). */
let carry = false;

export function announce(text, problem) {
  const status = document.getElementById('status');
  status.textContent = text || '';
  status.classList.toggle('status--problem', !!problem);
}

/** A message outlives the page change its act led to, not a person's own navigation. */
export function clearStaleStatus() {
  if (!carry) announce('');
  carry = false;
}
