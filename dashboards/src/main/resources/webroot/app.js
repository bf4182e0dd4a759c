// The dashboard's web UI: a login form, then the alert list refreshed every few seconds.
// Requests carry X-Requested-With so a 401 comes without a Basic challenge and the browser
// shows this login form instead of its own dialog.

const REFRESH_MS = 5000;
const HEADERS = { 'X-Requested-With': 'vigil-ui', Accept: 'application/json' };

const $ = (id) => document.getElementById(id);
let refreshTimer = null;

async function api(method, path, body) {
  const init = { method, headers: { ...HEADERS }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  let payload = null;
  if (response.status !== 204) {
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
  }
  return { status: response.status, payload };
}

function showLogin(message) {
  stopRefresh();
  $('alerts-view').hidden = true;
  $('session-info').hidden = true;
  $('login-view').hidden = false;
  const error = $('login-error');
  error.textContent = message ?? '';
  error.hidden = !message;
  $('login-password').value = '';
  $('login-username').focus();
}

function showAlerts(user) {
  $('login-view').hidden = true;
  $('login-error').hidden = true;
  const current = $('current-user');
  current.textContent = `${user.username} (${user.roles.join(', ')})`;
  current.dataset.username = user.username;
  $('session-info').hidden = false;
  $('alerts-view').hidden = false;
  refresh();
  stopRefresh();
  refreshTimer = setInterval(refresh, REFRESH_MS);
}

function stopRefresh() {
  if (refreshTimer !== null) {
    clearInterval(refreshTimer);
    refreshTimer = null;
  }
}

function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function cell(text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text ?? '';
  return td;
}

function row(alert) {
  const tr = document.createElement('tr');
  tr.dataset.alertId = alert.id;
  tr.dataset.severity = alert.severity;
  tr.dataset.status = alert.status;
  const time = cell(formatTime(alert.timestamp), 'time');
  time.title = alert.timestamp ?? '';
  tr.append(time);
  const severity = document.createElement('td');
  const badge = document.createElement('span');
  badge.className = `badge ${alert.severity}`;
  badge.textContent = alert.severity;
  severity.append(badge);
  tr.append(severity);
  const rule = cell(alert.ruleName || alert.ruleId, 'rule');
  rule.title = alert.ruleId ?? '';
  tr.append(rule);
  tr.append(cell(alert.groupKey, 'source'));
  tr.append(cell(String(alert.count), 'num count'));
  tr.append(cell(alert.status, 'status'));
  return tr;
}

async function refresh() {
  const status = $('alerts-status');
  try {
    const { status: code, payload } = await api('GET', '/api/v1/alerts?size=200');
    if (code === 401) {
      showLogin('Your session has ended. Please sign in again.');
      return;
    }
    if (code !== 200) {
      throw new Error(payload?.error ?? `HTTP ${code}`);
    }
    $('alerts-table').tBodies[0].replaceChildren(...payload.alerts.map(row));
    $('alerts-empty').hidden = payload.alerts.length > 0;
    const noun = payload.total === 1 ? 'alert' : 'alerts';
    status.textContent = `${payload.total} ${noun} · updated ${new Date().toLocaleTimeString()}`;
    status.classList.remove('stale');
  } catch (e) {
    status.textContent = `Could not refresh: ${e.message}`;
    status.classList.add('stale');
  }
}

async function login(event) {
  event.preventDefault();
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  if (!username || !password) {
    showLogin('Enter your username and password.');
    return;
  }
  const submit = $('login-submit');
  submit.disabled = true;
  try {
    const { status, payload } = await api('POST', '/api/v1/session', { username, password });
    if (status === 200) {
      $('login-password').value = '';
      showAlerts(payload);
    } else if (status === 401) {
      showLogin('Wrong username or password.');
    } else {
      showLogin(payload?.error ?? `Sign-in failed (HTTP ${status}).`);
    }
  } catch (e) {
    showLogin(`Cannot reach the dashboard: ${e.message}`);
  } finally {
    submit.disabled = false;
  }
}

async function logout() {
  stopRefresh();
  try {
    await api('DELETE', '/api/v1/session');
  } finally {
    showLogin();
  }
}

async function start() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  try {
    const { status, payload } = await api('GET', '/api/v1/session');
    if (status === 200) {
      showAlerts(payload);
      return;
    }
  } catch {
    // fall through to the login form
  }
  showLogin();
}

start();
