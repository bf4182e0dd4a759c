// Every call to the REST API goes through here: the UI has no other source of data.
// X-Requested-With marks the UI (a 401 then comes without a Basic challenge, so the browser
// shows our login form, not its own dialog); state-changing calls carry the session's CSRF
// token, which the server compares with the one it issued at login.

const SAFE_METHODS = new Set(['GET', 'HEAD']);
let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token ?? null;
}

export class ApiError extends Error {
  constructor(status, message, retryAfter, body) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
    // The parsed error body, for answers that say more than one message (a 422's problems).
    this.body = body ?? null;
  }
}

/** Resolves with the parsed JSON body (null for 204); rejects with ApiError otherwise. */
export async function api(method, path, body) {
  const headers = { 'X-Requested-With': 'vigil', Accept: 'application/json' };
  if (!SAFE_METHODS.has(method) && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, e.message);
  }
  let payload = null;
  if (response.status !== 204) {
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
  }
  if (response.ok) {
    return payload;
  }
  if (response.status === 401 && path !== '/api/v1/session') {
    // Session expired or revoked mid-shift: the shell shows the login form.
    window.dispatchEvent(new CustomEvent('vigil:signed-out'));
  }
  throw new ApiError(
    response.status,
    payload?.error ?? `HTTP ${response.status}`,
    response.headers.get('Retry-After'),
    payload,
  );
}

/** A query string from an object, leaving out empty values. */
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
