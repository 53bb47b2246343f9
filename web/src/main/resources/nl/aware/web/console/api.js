// The staff API from the console. The session is the HttpOnly cookie the server sets at sign-in;
// the token from the sign-in answer is also kept here, in memory only (never in storage), for servers
// that take it only as a bearer header. Every body is JSON with Content-Type application/json.
import { t } from './i18n.js';

const BASE = '/staff/v1';
let token = null;
let onUnauthenticated = () => {};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function holdToken(value) {
  token = value || null;
}

export function whenSignedOut(callback) {
  onUnauthenticated = callback;
}

async function call(method, path, body, expect) {
  const headers = { Accept: expect === 'blob' ? '*/*' : 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  let response;
  try {
    response = await fetch(BASE + path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  } catch (e) {
    throw new ApiError(0, t('error.network'));
  }
  if (!response.ok) {
    let message = null;
    try {
      message = (await response.json()).error;
    } catch (e) {
      message = null;
    }
    if (response.status === 401 && !path.startsWith('/login')) {
      token = null;
      onUnauthenticated();
    }
    throw new ApiError(response.status, message || t('error.status', response.status));
  }
  if (response.status === 204) return null;
  if (expect === 'blob') return response.blob();
  return response.json();
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body) => call('POST', path, body === undefined ? {} : body),
  put: (path, body) => call('PUT', path, body),
  blob: (method, path, body) => call(method, path, body, 'blob')
};
