// One alert: what fired, on which evidence, what it touches, and everything people did
// about it. Workflow buttons follow the transitions the API allows from the current status.

import { api, queryString } from '../api.js';
import { add, h, options } from '../dom.js';
import { t } from '../i18n.js';
import { formatTime } from '../time.js';
import { busy, can, errorNotice, field, severityBadge, showFlash, statusBadge } from '../ui.js';
import { alertsOfEvent, closeDialog, seenText } from './alerts.js';
import { eventSummary } from './search.js';

/** Status changes offered from each status: [action label key, target status]. */
const TRANSITIONS = {
  new: [['acknowledge', 'acknowledged'], ['start', 'in_progress'], ['close', 'closed']],
  acknowledged: [['start', 'in_progress'], ['close', 'closed']],
  in_progress: [['close', 'closed']],
  closed: [['reopen', 'in_progress']],
};

const HOUR = 3600 * 1000;

function quote(value) {
  return `"${String(value).replace(/(["\\])/g, '\\$1')}"`;
}

/** A Lucene query for the alert's evidence events, by document id. */
export function evidenceQuery(alert) {
  const ids = alert.evidence ?? [];
  return ids.length ? `_id:(${ids.map(quote).join(' OR ')})` : entityQuery(alert);
}

/** A Lucene query for everything the alert's entity did (its group fields). */
export function entityQuery(alert) {
  const parts = Object.entries(alert.group ?? {}).map(([k, v]) => `${k}:${quote(v)}`);
  return parts.length ? parts.join(' AND ') : '*';
}

/** The alert's span with an hour either side: evidence can precede detection by a window. */
function pivotRange(alert) {
  const first = new Date(alert.firstSeen ?? alert.timestamp).getTime();
  const last = new Date(alert.lastSeen ?? alert.timestamp).getTime();
  if (Number.isNaN(first) || Number.isNaN(last)) return { from: 'now-7d', to: 'now' };
  return { from: new Date(first - HOUR).toISOString(), to: new Date(last + HOUR).toISOString() };
}

function section(id, title, ...content) {
  return h('section', { class: 'panel', id }, h('h2', null, title), ...content);
}

function table(id, headers, rows) {
  return h(
    'table',
    { id, class: 'list' },
    h('thead', null, h('tr', null, headers.map((x) => h('th', null, x)))),
    h('tbody', null, rows),
  );
}

function eventTime(event) {
  return event.timestamp ?? event['@timestamp'] ?? event.source?.['@timestamp'];
}

export async function render(container, { user, id, current }) {
  let detail;
  try {
    detail = await api('GET', `/api/v1/alerts/${encodeURIComponent(id)}`);
  } catch (e) {
    if (!current()) return;
    add(container, 
      h('a', { href: '#/alerts', class: 'back' }, t('alert.back')),
      e.status === 404 ? h('p', { class: 'error', role: 'alert' }, t('alert.notFound')) : errorNotice(e),
    );
    return;
  }
  if (!current()) return;
  const { alert } = detail;
  const triage = can(user, 'triage');
  const reload = () => {
    container.replaceChildren();
    return render(container, { user, id, current });
  };

  const changeStatus = async (button, status, extra = {}) => {
    const done = await busy(button, () =>
      api('POST', `/api/v1/alerts/${encodeURIComponent(alert.id)}/status`, { status, ...extra }),
    );
    if (done !== undefined) {
      showFlash(t('alert.statusChanged', { status: t(`status.${status}`) }));
      await reload();
    }
  };

  const workflow = triage
    ? h(
        'div',
        { class: 'actions', id: 'alert-workflow' },
        (TRANSITIONS[alert.status] ?? []).map(([action, status]) => {
          const button = h('button', { type: 'button', id: `alert-${action}`, dataset: { status } }, t(`action.${action}`));
          button.addEventListener('click', () =>
            status === 'closed'
              ? closeDialog(container, (resolution, reason) => changeStatus(button, status, { resolution, reason }))
              : changeStatus(button, status),
          );
          return button;
        }),
      )
    : null;

  const assigneeSelect = h('select', { id: 'alert-assignee' });
  const assignBox = triage
    ? h(
        'div',
        { class: 'actions' },
        field(t('alert.assignTo'), assigneeSelect),
        h(
          'button',
          {
            type: 'button',
            id: 'alert-assign',
            onclick: async (e) => {
              const assignee = assigneeSelect.value || null;
              const done = await busy(e.target, () =>
                api('POST', `/api/v1/alerts/${encodeURIComponent(alert.id)}/assign`, { assignee }),
              );
              if (done !== undefined) {
                showFlash(assignee ? t('alert.assigned', { user: assignee }) : t('alert.unassignedNow'));
                await reload();
              }
            },
          },
          t('alert.assign'),
        ),
      )
    : null;
  if (triage) {
    const draw = (users) => {
      const names = new Set(users.map((u) => u.username));
      if (alert.assignee) names.add(alert.assignee);
      assigneeSelect.replaceChildren(
        ...options([['', t('alerts.unassigned')], ...[...names].sort().map((n) => [n, n])], alert.assignee ?? ''),
      );
    };
    draw([]);
    api('GET', '/api/v1/assignees')
      .then((r) => draw(r?.users ?? []))
      .catch(() => draw([]));
  }

  const range = pivotRange(alert);
  const summary = h(
    'dl',
    { class: 'facts', id: 'alert-summary' },
    h('dt', null, t('alerts.colStatus')),
    h('dd', { id: 'alert-status', dataset: { status: alert.status } }, statusBadge(alert.status), alert.resolution ? ` ${t(`resolution.${alert.resolution}`)}` : ''),
    h('dt', null, t('alerts.colAssignee')),
    h('dd', { id: 'alert-assignee-name', dataset: { assignee: alert.assignee ?? '' } }, alert.assignee ?? t('alerts.unassigned')),
    h('dt', null, t('alerts.colSeen')),
    h('dd', { id: 'alert-seen' }, seenText(alert)),
    h('dt', null, t('alert.firstSeen')),
    h('dd', null, formatTime(alert.firstSeen)),
    h('dt', null, t('alert.detected')),
    h('dd', null, formatTime(alert.timestamp)),
    h('dt', null, t('alerts.colEntity')),
    h('dd', { class: 'source' }, alert.groupKey ?? ''),
    h('dt', null, t('alerts.colAgency')),
    h('dd', null, alert.organizationId ?? '—'),
    h('dt', null, t('alert.rule')),
    h('dd', null, `${alert.ruleId ?? ''} v${alert.ruleVersion ?? '?'}`, alert.techniqueId ? ` · ATT&CK ${alert.techniqueId}` : ''),
    alert.riskScore !== undefined ? [h('dt', null, t('alert.risk')), h('dd', null, String(alert.riskScore))] : null,
  );

  const pivots = h(
    'div',
    { class: 'actions' },
    h('a', { id: 'alert-pivot-events', class: 'button', href: `#/search${queryString({ q: evidenceQuery(alert), ...range })}` }, t('alert.evidenceEvents')),
    h('a', { id: 'alert-pivot-entity', class: 'button ghost-dark', href: `#/search${queryString({ q: entityQuery(alert), ...range })}` }, t('alert.entityEvents')),
  );

  const evidence = (detail.evidence ?? []).map((event) =>
    h(
      'tr',
      { dataset: { eventId: event.id ?? '' } },
      h('td', { class: 'time' }, formatTime(eventTime(event))),
      h('td', null, eventSummary(event.source ?? event)),
      h('td', null, event.id ? h('a', { href: alertsOfEvent(event.id), class: 'event-alerts' }, t('search.alertsForEvent')) : ''),
    ),
  );

  const enrichment = detail.enrichment ?? {};
  const intel = enrichment.intel ?? [];

  const timeline = (detail.timeline ?? []).map((item) =>
    h('li', null, h('span', { class: 'time' }, formatTime(item.time)), ' ', h('strong', null, t(`timeline.${item.kind}`, {}, item.kind ?? '')), ' ', item.text ?? '', item.actor ? ` — ${item.actor}` : ''),
  );

  const related = (detail.related ?? []).map((other) =>
    h(
      'tr',
      null,
      h('td', { class: 'time' }, formatTime(other.timestamp)),
      h('td', null, severityBadge(other.severity)),
      h('td', null, h('a', { href: `#/alerts/${encodeURIComponent(other.id)}` }, other.ruleName || other.ruleId)),
      h('td', null, seenText(other)),
      h('td', null, statusBadge(other.status)),
    ),
  );

  const comments = h(
    'ul',
    { class: 'comments', id: 'alert-comments' },
    (detail.comments ?? []).map((c) =>
      h('li', null, h('div', { class: 'muted' }, `${c.author} · ${formatTime(c.time)}`), h('p', { class: 'comment-text' }, c.text)),
    ),
  );
  const commentText = h('textarea', { id: 'comment-text', rows: 3, 'aria-label': t('alert.comment') });
  const commentForm = triage
    ? h(
        'form',
        {
          id: 'comment-form',
          onsubmit: async (e) => {
            e.preventDefault();
            const text = commentText.value.trim();
            if (!text) return;
            const done = await busy(e.target.querySelector('button'), () =>
              api('POST', `/api/v1/alerts/${encodeURIComponent(alert.id)}/comments`, { text }),
            );
            if (done !== undefined) await reload();
          },
        },
        commentText,
        h('button', { type: 'submit', id: 'comment-submit' }, t('alert.addComment')),
      )
    : null;

  const history = (detail.history ?? []).map((entry) =>
    h(
      'tr',
      null,
      h('td', { class: 'time' }, formatTime(entry.time)),
      h('td', null, entry.actor ?? ''),
      h('td', null, t(`history.${entry.action}`, {}, entry.action ?? '')),
      h(
        'td',
        null,
        entry.from || entry.to
          ? `${entry.from ? t(`status.${entry.from}`, {}, entry.from) : '—'} → ${entry.to ? t(`status.${entry.to}`, {}, entry.to) : '—'}`
          : '',
      ),
      h(
        'td',
        null,
        [
          entry.assignee !== undefined && entry.action === 'assign' ? t('history.assignee', { user: entry.assignee ?? t('alerts.unassigned') }) : '',
          entry.resolution ? t(`resolution.${entry.resolution}`, {}, entry.resolution) : '',
          entry.reason ?? '',
        ]
          .filter(Boolean)
          .join(' · '),
      ),
    ),
  );

  add(container, 
    h('a', { href: '#/alerts', class: 'back' }, t('alert.back')),
    h('div', { class: 'heading' }, h('h1', { id: 'alert-title' }, alert.ruleName || alert.ruleId), severityBadge(alert.severity)),
    alert.message ? h('p', { class: 'lead' }, alert.message) : null,
    alert.description ? h('p', { class: 'muted' }, alert.description) : null,
    h('div', { class: 'columns' }, h('div', null, summary), h('div', null, workflow, assignBox, pivots)),
    section(
      'alert-evidence',
      t('alert.evidence', { n: (detail.evidence ?? []).length }),
      evidence.length ? table('alert-evidence-table', [t('alerts.colTime'), t('search.event'), ''], evidence) : h('p', { class: 'muted' }, t('alert.noEvidence')),
    ),
    h(
      'div',
      { class: 'columns' },
      section(
        'alert-enrichment',
        t('alert.enrichment'),
        h(
          'dl',
          { class: 'facts' },
          h('dt', null, t('enrich.asset')),
          h('dd', null, enrichment.asset ?? '—'),
          h('dt', null, t('enrich.owner')),
          h('dd', null, enrichment.owner ?? '—'),
          h('dt', null, t('enrich.criticality')),
          h('dd', null, enrichment.criticality ?? '—'),
          h('dt', null, t('enrich.agency')),
          h('dd', null, enrichment.agency ?? alert.organizationId ?? '—'),
          h('dt', null, t('enrich.intel')),
          h(
            'dd',
            null,
            intel.length
              ? h('ul', { class: 'plain' }, intel.map((i) => h('li', null, `${i.indicator} (${i.type}) — ${i.feed}`)))
              : t('enrich.noIntel'),
          ),
        ),
      ),
      section('alert-timeline', t('alert.timeline'), timeline.length ? h('ol', { class: 'timeline' }, timeline) : h('p', { class: 'muted' }, '—')),
    ),
    section(
      'alert-related',
      t('alert.related'),
      related.length
        ? table('alert-related-table', [t('alerts.colTime'), t('alerts.colSeverity'), t('alerts.colRule'), t('alerts.colSeen'), t('alerts.colStatus')], related)
        : h('p', { class: 'muted' }, t('alert.noRelated')),
    ),
    section('alert-comments-panel', t('alert.comments'), comments, commentForm),
    section(
      'alert-history-panel',
      t('alert.history'),
      history.length
        ? table('alert-history', [t('alerts.colTime'), t('history.actor'), t('history.action'), t('alerts.colStatus'), t('history.details')], history)
        : h('p', { class: 'muted', id: 'alert-history' }, t('alert.noHistory')),
    ),
  );
}
