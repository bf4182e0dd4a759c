// The alert queue: filters kept in the URL (so a pivot or a colleague's link opens the same
// list), bulk actions on checked rows, and alerts arriving live over Server-Sent Events.

import { api, queryString } from '../api.js';
import { add, h, options } from '../dom.js';
import { t } from '../i18n.js';
import { formatTime, PRESETS } from '../time.js';
import {
  busy,
  can,
  errorNotice,
  field,
  pager,
  RESOLUTIONS,
  SEVERITIES,
  severityBadge,
  showFlash,
  STATUSES,
  statusBadge,
} from '../ui.js';

const PAGE_SIZE = 50;
// The stream carries changes; a slow full refresh also catches what it cannot (an alert that
// left the filter, a missed event while reconnecting).
const REFRESH_MS = 30000;
const FILTERS = ['status', 'severity', 'rule.id', 'organization.id', 'assignee', 'from', 'q', 'event.id', 'source.ip'];
const SORTS = ['timestamp', 'lastSeen', 'severity', 'riskScore', 'count'];

/** "seen 412 times, last at ...": suppressed repeats stay visible on the alert. */
export function seenText(alert) {
  return alert.count > 1
    ? t('alerts.seen', { count: alert.count, last: formatTime(alert.lastSeen ?? alert.timestamp) })
    : t('alerts.seenOnce');
}

/** The queue's address for the alerts holding an event, in any status (closed ones too). */
export function alertsOfEvent(eventId) {
  return `#/alerts?${new URLSearchParams({ 'event.id': eventId, status: '' })}`;
}

function stateFrom(params) {
  const state = {};
  for (const name of FILTERS) state[name] = params.get(name) ?? '';
  if (!params.has('status')) state.status = 'new,acknowledged,in_progress';
  state.sort = params.get('sort') || 'timestamp';
  state.order = params.get('order') || 'desc';
  state.offset = Number(params.get('offset') ?? 0) || 0;
  return state;
}

function hashFor(state) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    // An explicit empty status means "all statuses", unlike an absent one (the open ones).
    if ((value !== '' && value !== 0) || key === 'status') params.set(key, String(value));
  }
  return `#/alerts?${params}`;
}

/** Whether a streamed alert belongs in the list as filtered, as far as the browser can tell. */
function matches(alert, state, user) {
  const listed = (value) => value.split(',').filter(Boolean);
  if (state.status && !listed(state.status).includes(alert.status)) return false;
  if (state.severity && !listed(state.severity).includes(alert.severity)) return false;
  if (state['rule.id'] && alert.ruleId !== state['rule.id']) return false;
  if (state['organization.id'] && alert.organizationId !== state['organization.id']) return false;
  if (state.assignee === 'none' && alert.assignee) return false;
  if (state.assignee === 'me' && alert.assignee !== user.username) return false;
  if (state.assignee && !['none', 'me'].includes(state.assignee) && alert.assignee !== state.assignee) return false;
  if (state['event.id'] && !(alert.evidence ?? []).includes(state['event.id'])) return false;
  if (state['source.ip'] && alert.group?.['source.ip'] !== state['source.ip']) return false;
  return !state.q;
}

export async function render(container, { user, params, current }) {
  const state = stateFrom(params);
  const go = (changes) => {
    location.hash = hashFor({ ...state, offset: 0, ...changes });
  };
  const triage = can(user, 'triage');
  const selected = new Set();
  const fresh = new Set();
  let page = { alerts: [], total: 0 };
  let pendingCount = 0;
  let assignees = [];

  const status = h('span', { id: 'alerts-status', class: 'muted', 'aria-live': 'polite' });
  const live = h('span', { id: 'alerts-live', class: 'live off' }, t('alerts.liveOff'));
  const pending = h('button', { id: 'alerts-pending', type: 'button', class: 'pending', hidden: true, onclick: () => load() });
  const tbody = h('tbody');
  const loadError = h('div');
  const empty = h('p', { id: 'alerts-empty', class: 'muted', hidden: true }, t('alerts.empty'));
  const pagerBox = h('div');
  const bulkBar = h('div', { id: 'bulk-bar', class: 'bulk', hidden: true });
  const selectAll = h('input', {
    type: 'checkbox',
    id: 'alerts-select-all',
    'aria-label': t('alerts.selectAll'),
    onchange: (e) => {
      for (const a of page.alerts) e.target.checked ? selected.add(a.id) : selected.delete(a.id);
      drawRows();
    },
  });

  const checkboxGroup = (name, values, labelKey) => {
    const chosen = new Set(state[name].split(',').filter(Boolean));
    return h(
      'fieldset',
      { class: 'checks', id: `filter-${name}` },
      h('legend', null, t(labelKey)),
      values.map((value) =>
        h(
          'label',
          null,
          h('input', {
            type: 'checkbox',
            value,
            checked: chosen.has(value),
            onchange: (e) => {
              e.target.checked ? chosen.add(value) : chosen.delete(value);
              go({ [name]: values.filter((v) => chosen.has(v)).join(',') });
            },
          }),
          t(`${name}.${value}`, {}, value),
        ),
      ),
    );
  };

  const text = (name, labelKey, placeholder) =>
    field(
      t(labelKey),
      h('input', {
        id: `filter-${name.replace('.', '-')}`,
        value: state[name],
        placeholder,
        onchange: (e) => go({ [name]: e.target.value.trim() }),
      }),
    );

  const assigneeSelect = h('select', {
    id: 'filter-assignee',
    onchange: (e) => go({ assignee: e.target.value }),
  });
  const drawAssigneeFilter = () => {
    const pairs = [
      ['', t('alerts.anyone')],
      ['me', t('alerts.me')],
      ['none', t('alerts.unassigned')],
      ...assignees.map((u) => [u.username, u.username]),
    ];
    if (state.assignee && !pairs.some(([v]) => v === state.assignee)) pairs.push([state.assignee, state.assignee]);
    assigneeSelect.replaceChildren(...options(pairs, state.assignee));
  };

  const agency =
    user.agencies?.length > 1 || !user.agencies?.length
      ? user.agencies?.length
        ? field(
            t('alerts.agency'),
            h(
              'select',
              { id: 'filter-organization-id', onchange: (e) => go({ 'organization.id': e.target.value }) },
              options([['', t('alerts.allAgencies')], ...user.agencies.map((a) => [a, a])], state['organization.id']),
            ),
          )
        : text('organization.id', 'alerts.agency', 'agency-id')
      : null;

  const filters = h(
    'form',
    { class: 'filters', id: 'alerts-filters', onsubmit: (e) => e.preventDefault() },
    checkboxGroup('severity', SEVERITIES, 'alerts.severity'),
    checkboxGroup('status', STATUSES, 'alerts.status'),
    text('rule.id', 'alerts.rule', 'auth-brute-force'),
    agency,
    field(t('alerts.assignee'), assigneeSelect),
    field(
      t('alerts.time'),
      h(
        'select',
        { id: 'filter-time', onchange: (e) => go({ from: e.target.value }) },
        options([['', t('time.any')], ...PRESETS.map((p) => [p, t(`time.${p}`)])], state.from),
      ),
    ),
    text('q', 'alerts.text', ''),
    field(
      t('alerts.sort'),
      h(
        'select',
        { id: 'alerts-sort', onchange: (e) => go({ sort: e.target.value }) },
        options(SORTS.map((s) => [s, t(`sort.${s}`)]), state.sort),
      ),
    ),
    field(
      t('alerts.order'),
      h(
        'select',
        { id: 'alerts-order', onchange: (e) => go({ order: e.target.value }) },
        options([['desc', t('sort.desc')], ['asc', t('sort.asc')]], state.order),
      ),
    ),
  );

  const chips = [];
  for (const [name, key] of [['event.id', 'alerts.forEvent'], ['source.ip', 'alerts.forSource']]) {
    if (state[name]) {
      chips.push(
        h(
          'span',
          { class: 'chip', id: `chip-${name.replace('.', '-')}` },
          t(key, { value: state[name] }),
          h('button', { type: 'button', class: 'chip-x', 'aria-label': t('alerts.removeFilter'), onclick: () => go({ [name]: '' }) }, '×'),
        ),
      );
    }
  }

  const head = h(
    'tr',
    null,
    triage ? h('th', { class: 'check' }, selectAll) : null,
    h('th', null, t('alerts.colTime')),
    h('th', null, t('alerts.colSeverity')),
    h('th', null, t('alerts.colRule')),
    h('th', null, t('alerts.colEntity')),
    h('th', null, t('alerts.colAgency')),
    h('th', null, t('alerts.colSeen')),
    h('th', null, t('alerts.colStatus')),
    h('th', null, t('alerts.colAssignee')),
  );

  add(container, 
    h('div', { class: 'heading' }, h('h1', null, t('alerts.title')), status, live, pending),
    filters,
    chips.length ? h('div', { class: 'chips' }, chips) : null,
    bulkBar,
    loadError,
    h('table', { id: 'alerts-table', class: 'list' }, h('thead', null, head), tbody),
    empty,
    pagerBox,
  );

  function row(alert) {
    const link = h('a', { href: `#/alerts/${encodeURIComponent(alert.id)}`, class: 'rule-link' }, alert.ruleName || alert.ruleId);
    link.title = alert.ruleId ?? '';
    const tr = h(
      'tr',
      {
        dataset: { alertId: alert.id, severity: alert.severity, status: alert.status },
        class: fresh.has(alert.id) ? 'fresh' : '',
      },
      triage
        ? h(
            'td',
            { class: 'check' },
            h('input', {
              type: 'checkbox',
              class: 'row-check',
              'aria-label': t('alerts.select'),
              checked: selected.has(alert.id),
              onchange: (e) => {
                e.target.checked ? selected.add(alert.id) : selected.delete(alert.id);
                drawBulk();
              },
            }),
          )
        : null,
      h('td', { class: 'time', title: alert.timestamp ?? '' }, formatTime(alert.timestamp)),
      h('td', null, severityBadge(alert.severity)),
      h('td', { class: 'rule' }, link, fresh.has(alert.id) ? h('span', { class: 'new-marker' }, t('alerts.newMarker')) : null),
      h('td', { class: 'source' }, alert.groupKey ?? ''),
      h('td', null, alert.organizationId ?? ''),
      h('td', { class: 'count', dataset: { count: alert.count } }, seenText(alert)),
      h('td', { class: 'status-cell' }, statusBadge(alert.status)),
      h('td', { class: 'assignee' }, alert.assignee ?? '—'),
    );
    return tr;
  }

  function drawRows() {
    tbody.replaceChildren(...page.alerts.map(row));
    empty.hidden = page.alerts.length > 0;
    selectAll.checked = page.alerts.length > 0 && page.alerts.every((a) => selected.has(a.id));
    drawBulk();
  }

  function drawBulk() {
    bulkBar.hidden = !triage || selected.size === 0;
    if (bulkBar.hidden) return;
    const target = h(
      'select',
      { id: 'bulk-assignee' },
      options([['', t('alerts.unassigned')], ...assignees.map((u) => [u.username, u.username])], user.username),
    );
    const run = async (button, body) => {
      const result = await busy(button, () => api('POST', '/api/v1/alerts/bulk', { ids: [...selected], ...body }));
      if (!result) return;
      const failed = result.failed ?? [];
      showFlash(
        t('alerts.bulkDone', { updated: result.updated, failed: failed.length }) +
          (failed.length ? ` ${failed.map((f) => `${f.id}: ${f.error}`).join('; ')}` : ''),
        failed.length ? 'error' : 'ok',
      );
      selected.clear();
      await load();
    };
    const assign = h('button', { type: 'button', id: 'bulk-assign', onclick: (e) => run(e.target, { action: 'assign', assignee: target.value || null }) }, t('alerts.bulkAssign'));
    const acknowledge = h('button', { type: 'button', id: 'bulk-acknowledge', onclick: (e) => run(e.target, { action: 'acknowledge' }) }, t('action.acknowledge'));
    const close = h(
      'button',
      {
        type: 'button',
        id: 'bulk-close',
        onclick: () => closeDialog(container, (resolution, reason) => run(close, { action: 'close', resolution, reason })),
      },
      t('action.close'),
    );
    bulkBar.replaceChildren(
      h('strong', null, t('alerts.selected', { n: selected.size })),
      target,
      assign,
      acknowledge,
      close,
      h('button', { type: 'button', class: 'ghost-dark', onclick: () => { selected.clear(); drawRows(); } }, t('alerts.clearSelection')),
    );
  }

  async function load() {
    const query = {
      status: state.status,
      severity: state.severity,
      'rule.id': state['rule.id'],
      'organization.id': state['organization.id'],
      assignee: state.assignee,
      'event.id': state['event.id'],
      'source.ip': state['source.ip'],
      q: state.q,
      from: state.from,
      sort: state.sort,
      order: state.order,
      offset: state.offset,
      size: PAGE_SIZE,
    };
    try {
      page = await api('GET', `/api/v1/alerts${queryString(query)}`);
      if (!current()) return;
      pendingCount = 0;
      pending.hidden = true;
      loadError.replaceChildren();
      drawRows();
      pagerBox.replaceChildren(
        pager('alerts-pager', { offset: state.offset, size: PAGE_SIZE, total: page.total }, (offset) => go({ offset })),
      );
      status.textContent = t('alerts.updated', { total: page.total, time: formatTime(new Date().toISOString()) });
      status.classList.remove('stale');
    } catch (e) {
      if (!current()) return;
      status.textContent = t('alerts.refreshFailed', { message: e.message });
      status.classList.add('stale');
      if (page.alerts.length === 0) loadError.replaceChildren(errorNotice(e));
    }
  }

  // Assignees only fill the dropdowns: the list works without them.
  api('GET', '/api/v1/assignees')
    .then((r) => {
      assignees = r?.users ?? [];
      drawAssigneeFilter();
      drawBulk();
    })
    .catch(() => drawAssigneeFilter());
  drawAssigneeFilter();
  await load();

  // Live: a created or updated alert replaces its row, or joins the top of the first page.
  const source = new EventSource('/api/v1/alerts/stream');
  source.addEventListener('open', () => {
    live.textContent = t('alerts.liveOn');
    live.className = 'live on';
  });
  source.addEventListener('error', () => {
    live.textContent = t('alerts.liveOff');
    live.className = 'live off';
  });
  source.addEventListener('alert', (message) => {
    let alert;
    try {
      alert = JSON.parse(message.data);
    } catch {
      return;
    }
    if (!alert?.id) return;
    fresh.add(alert.id);
    const index = page.alerts.findIndex((a) => a.id === alert.id);
    if (index >= 0) {
      page.alerts[index] = alert;
    } else if (matches(alert, state, user)) {
      const onTop = state.offset === 0 && state.order === 'desc' && ['timestamp', 'lastSeen'].includes(state.sort);
      if (onTop) {
        page.alerts.unshift(alert);
        if (page.alerts.length > PAGE_SIZE) page.alerts.pop();
        page.total += 1;
      } else {
        pendingCount += 1;
        pending.textContent = t('alerts.pending', { n: pendingCount });
        pending.hidden = false;
      }
    } else {
      return;
    }
    drawRows();
  });
  const timer = setInterval(load, REFRESH_MS);
  return () => {
    source.close();
    clearInterval(timer);
  };
}

/** Asks for a resolution and a reason, which closing requires, then calls onConfirm. */
export function closeDialog(container, onConfirm) {
  const resolution = h(
    'select',
    { id: 'close-resolution', required: true },
    options([['', t('close.choose')], ...RESOLUTIONS.map((r) => [r, t(`resolution.${r}`)])], ''),
  );
  const reason = h('textarea', { id: 'close-reason', rows: 3, required: true });
  const error = h('p', { class: 'error', hidden: true });
  const dialog = h(
    'dialog',
    { id: 'close-dialog', class: 'card' },
    h(
      'form',
      {
        method: 'dialog',
        onsubmit: (e) => {
          e.preventDefault();
          if (!resolution.value || !reason.value.trim()) {
            error.textContent = t('close.required');
            error.hidden = false;
            return;
          }
          dialog.close();
          dialog.remove();
          onConfirm(resolution.value, reason.value.trim());
        },
      },
      h('h2', null, t('close.title')),
      field(t('close.resolution'), resolution),
      field(t('close.reason'), reason),
      error,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', id: 'close-confirm' }, t('action.close')),
        h('button', { type: 'button', class: 'ghost-dark', onclick: () => { dialog.close(); dialog.remove(); } }, t('action.cancel')),
      ),
    ),
  );
  add(container, dialog);
  dialog.showModal();
  resolution.focus();
}
