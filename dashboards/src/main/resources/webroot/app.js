// The dashboard's shell: login, navigation by hash route, language and time zone. Each view
// is a module whose render(container, context) draws into the page and may return a
// function that stops what it started (a live stream, a refresh timer).

import { api, ApiError, setCsrfToken } from './js/api.js';
import { $, h, options } from './js/dom.js';
import { applyStatic, language, setLanguage, t } from './js/i18n.js';
import { setTimeZone, timeZone, zones } from './js/time.js';
import { can } from './js/ui.js';
import * as alerts from './js/views/alerts.js';
import * as alert from './js/views/alert.js';
import * as search from './js/views/search.js';
import * as overview from './js/views/overview.js';
import * as health from './js/views/health.js';
import * as audit from './js/views/audit.js';
import * as users from './js/views/users.js';
import * as tokens from './js/views/tokens.js';
import * as rules from './js/views/rules.js';
import * as reports from './js/views/reports.js';

const ROUTES = [
  { pattern: /^\/alerts$/, view: alerts, nav: 'alerts', permission: 'read' },
  { pattern: /^\/alerts\/([^/]+)$/, view: alert, nav: 'alerts', permission: 'read' },
  { pattern: /^\/search$/, view: search, nav: 'search', permission: 'read' },
  { pattern: /^\/overview$/, view: overview, nav: 'overview', permission: 'read' },
  { pattern: /^\/health$/, view: health, nav: 'health', permission: 'read' },
  { pattern: /^\/rules$/, view: rules, nav: 'rules', permission: 'read' },
  { pattern: /^\/audit$/, view: audit, nav: 'audit', permission: 'audit' },
  { pattern: /^\/reports$/, view: reports, nav: 'reports', permission: 'audit' },
  { pattern: /^\/admin\/users$/, view: users, nav: 'users', permission: 'users' },
  { pattern: /^\/tokens$/, view: tokens, nav: 'tokens', permission: null },
];

const NAV = [
  ['alerts', '#/alerts', 'read'],
  ['search', '#/search', 'read'],
  ['overview', '#/overview', 'read'],
  ['health', '#/health', 'read'],
  ['rules', '#/rules', 'read'],
  ['audit', '#/audit', 'audit'],
  ['reports', '#/reports', 'audit'],
  ['users', '#/admin/users', 'users'],
  ['tokens', '#/tokens', null],
];

let user = null;
let stopView = null;
let renderSeq = 0;

/** The hash split into path and parameters: "#/search?q=a" -> ["/search", {q: "a"}]. */
function parseHash() {
  const hash = location.hash.replace(/^#/, '') || '/alerts';
  const [path, query = ''] = hash.split(/\?(.*)/s);
  return { path, params: new URLSearchParams(query) };
}

export function navigate(path, params) {
  const query = params ? new URLSearchParams(params).toString() : '';
  location.hash = query ? `${path}?${query}` : path;
}

function drawNav(active) {
  $('nav').replaceChildren(
    ...NAV.filter(([, , permission]) => !permission || can(user, permission)).map(([key, href]) =>
      h('a', { href, id: `nav-${key}`, class: key === active ? 'active' : '' }, t(`nav.${key}`)),
    ),
  );
}

async function route() {
  if (!user) return;
  if (stopView) {
    stopView();
    stopView = null;
  }
  const { path, params } = parseHash();
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  const container = $('view');
  container.replaceChildren();
  if (!match) {
    navigate('/alerts');
    return;
  }
  drawNav(match.r.nav);
  if (match.r.permission && !can(user, match.r.permission)) {
    container.append(h('p', { class: 'error', role: 'alert' }, t('error.forbidden')));
    return;
  }
  const seq = ++renderSeq;
  const context = {
    user,
    params,
    id: match.m[1] ? decodeURIComponent(match.m[1]) : undefined,
    navigate,
    // A view still loading when the user moved on must not draw over the next one.
    current: () => seq === renderSeq,
  };
  try {
    const stop = await match.r.view.render(container, context);
    if (seq === renderSeq) stopView = typeof stop === 'function' ? stop : null;
    else if (typeof stop === 'function') stop();
  } catch (e) {
    if (seq === renderSeq) {
      container.append(h('p', { class: 'error', role: 'alert' }, t('error.generic', { message: e.message })));
    }
  }
}

function showLogin(message) {
  user = null;
  setCsrfToken(null);
  if (stopView) {
    stopView();
    stopView = null;
  }
  $('view').hidden = true;
  $('view').replaceChildren();
  $('nav').hidden = true;
  $('session-info').hidden = true;
  $('login-view').hidden = false;
  const error = $('login-error');
  error.textContent = message ?? '';
  error.hidden = !message;
  $('login-password').value = '';
  $('login-username').focus();
}

function signedIn(current) {
  user = current;
  setCsrfToken(current.csrfToken);
  $('login-view').hidden = true;
  $('login-error').hidden = true;
  const label = $('current-user');
  label.textContent = `${current.username} (${current.roles.map((r) => t(`role.${r}`, {}, r)).join(', ')})`;
  label.dataset.username = current.username;
  label.title = current.agencies?.length
    ? t('shell.agencies', { agencies: current.agencies.join(', ') })
    : t('shell.allAgencies');
  $('session-info').hidden = false;
  $('nav').hidden = false;
  $('view').hidden = false;
  route();
}

async function login(event) {
  event.preventDefault();
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  if (!username || !password) {
    showLogin(t('login.missing'));
    return;
  }
  const submit = $('login-submit');
  submit.disabled = true;
  try {
    signedIn(await api('POST', '/api/v1/session', { username, password }));
  } catch (e) {
    if (e.status === 401) showLogin(t('login.wrong'));
    else if (e.status === 429) showLogin(t('login.locked', { seconds: e.retryAfter ?? '?' }));
    else if (e.status === 0) showLogin(t('error.unreachable', { message: e.message }));
    else showLogin(t('login.failed', { message: e.message }));
  } finally {
    submit.disabled = false;
  }
}

async function logout() {
  try {
    await api('DELETE', '/api/v1/session');
  } catch {
    // signed out locally either way
  } finally {
    showLogin();
  }
}

function drawZones() {
  const current = timeZone();
  $('tz-select').replaceChildren(...options(zones().map((z) => [z, z]), current));
}

async function start() {
  applyStatic();
  $('lang-select').value = language();
  drawZones();
  $('lang-select').addEventListener('change', (e) => {
    setLanguage(e.target.value);
    applyStatic();
    if (user) signedIn(user);
  });
  $('tz-select').addEventListener('change', (e) => {
    setTimeZone(e.target.value);
    if (user) route();
  });
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', route);
  window.addEventListener('vigil:signed-out', () => {
    if (user) showLogin(t('login.expired'));
  });
  try {
    signedIn(await api('GET', '/api/v1/session'));
  } catch (e) {
    showLogin(e instanceof ApiError && e.status !== 401 ? t('error.generic', { message: e.message }) : undefined);
  }
}

start();
