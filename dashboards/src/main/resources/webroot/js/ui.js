// Pieces shared by the views: role checks, badges, error notices, paging.

import { h } from './dom.js';
import { t } from './i18n.js';

const PERMISSIONS = {
  triage: ['analyst', 'admin'],
  read: ['analyst', 'rule_admin', 'auditor', 'admin'],
  export: ['analyst', 'auditor', 'admin'],
  audit: ['auditor', 'admin'],
  users: ['admin'],
  rules: ['rule_admin', 'admin'],
};

/** Whether the user's roles allow an action; the server checks again, this only hides. */
export function can(user, permission) {
  return (user?.roles ?? []).some((role) => PERMISSIONS[permission].includes(role));
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'];
export const STATUSES = ['new', 'acknowledged', 'in_progress', 'closed'];
export const RESOLUTIONS = ['true_positive', 'false_positive', 'benign'];

export function severityBadge(severity) {
  return h('span', { class: `badge ${severity}` }, t(`severity.${severity}`, {}, severity));
}

export function statusBadge(status) {
  return h('span', { class: `status ${status}` }, t(`status.${status}`, {}, status));
}

/** A message in place of a view's content, e.g. when the API is unreachable. */
export function errorNotice(error) {
  const text =
    error?.status === 403
      ? t('error.forbidden')
      : error?.status === 0
        ? t('error.unreachable', { message: error.message })
        : t('error.generic', { message: error?.message ?? String(error) });
  return h('p', { class: 'error', role: 'alert' }, text);
}

export function showFlash(text, kind = 'ok') {
  const flash = document.getElementById('flash');
  flash.textContent = text;
  flash.className = `flash ${kind}`;
  flash.hidden = false;
  clearTimeout(showFlash.timer);
  showFlash.timer = setTimeout(() => {
    flash.hidden = true;
  }, 6000);
}

/** "1–50 of 312" with previous/next buttons. */
export function pager(id, { offset, size, total }, go) {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + size, total);
  return h(
    'div',
    { class: 'pager', id },
    h(
      'button',
      { type: 'button', class: 'ghost-dark', disabled: offset <= 0, onclick: () => go(Math.max(0, offset - size)) },
      t('paging.previous'),
    ),
    h('span', { class: 'muted' }, t('paging.range', { first, last, total })),
    h(
      'button',
      { type: 'button', class: 'ghost-dark', disabled: last >= total, onclick: () => go(offset + size) },
      t('paging.next'),
    ),
  );
}

/** A labelled form field. */
export function field(label, control) {
  return h('label', { class: 'field' }, h('span', null, label), control);
}

/** Makes a form's submit button wait while an async action runs, and reports its error. */
export async function busy(button, action) {
  button.disabled = true;
  try {
    return await action();
  } catch (e) {
    showFlash(e?.status === 403 ? t('error.forbidden') : e.message, 'error');
    return undefined;
  } finally {
    button.disabled = false;
  }
}
