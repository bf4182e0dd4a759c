// The audit trail for auditors: who did what, filterable, and a check that the hash chain
// is intact (or which record first breaks it).

import { api, queryString } from '../api.js';
import { add, h } from '../dom.js';
import { t } from '../i18n.js';
import { formatTime, localInputToIso, isoToLocalInput } from '../time.js';
import { busy, errorNotice, field, pager } from '../ui.js';

const PAGE_SIZE = 50;
const FILTERS = ['actor', 'action', 'target'];

export async function render(container, { params, navigate, current }) {
  const state = Object.fromEntries([...FILTERS, 'from', 'to'].map((k) => [k, params.get(k) ?? '']));
  const offset = Number(params.get('offset') ?? 0) || 0;
  const go = (changes) => navigate('/audit', Object.fromEntries(Object.entries({ ...state, offset: 0, ...changes }).filter(([, v]) => v !== '' && v !== 0)));

  const inputs = Object.fromEntries(FILTERS.map((k) => [k, h('input', { id: `audit-${k}`, value: state[k] })]));
  const from = h('input', { type: 'datetime-local', id: 'audit-from', value: isoToLocalInput(state.from) });
  const to = h('input', { type: 'datetime-local', id: 'audit-to', value: isoToLocalInput(state.to) });
  const verifyResult = h('p', { id: 'audit-verify-result', role: 'status' });
  const verify = h(
    'button',
    {
      type: 'button',
      id: 'audit-verify',
      onclick: async () => {
        const result = await busy(verify, () => api('GET', '/api/v1/audit/verify'));
        if (!result) return;
        verifyResult.className = result.valid ? 'ok' : 'error';
        verifyResult.textContent = result.valid
          ? t('audit.intact', { records: result.records })
          : t('audit.broken', { seq: result.firstBroken?.seq ?? '?', reason: result.firstBroken?.reason ?? '' });
        verifyResult.title = result.message ?? '';
      },
    },
    t('audit.verify'),
  );

  const tbody = h('tbody');
  const pagerBox = h('div');
  add(container, 
    h('div', { class: 'heading' }, h('h1', null, t('audit.title')), verify),
    verifyResult,
    h(
      'form',
      {
        class: 'filters',
        id: 'audit-filters',
        onsubmit: (e) => {
          e.preventDefault();
          go({
            ...Object.fromEntries(FILTERS.map((k) => [k, inputs[k].value.trim()])),
            from: localInputToIso(from.value),
            to: localInputToIso(to.value),
          });
        },
      },
      FILTERS.map((k) => field(t(`audit.${k}`), inputs[k])),
      field(t('time.from'), from),
      field(t('time.to'), to),
      h('button', { type: 'submit' }, t('search.submit')),
    ),
    h(
      'table',
      { id: 'audit-table', class: 'list' },
      h(
        'thead',
        null,
        h('tr', null, ['#', t('alerts.colTime'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.outcome'), t('audit.client'), t('history.details')].map((x) => h('th', null, x))),
      ),
      tbody,
    ),
    pagerBox,
  );

  try {
    const page = await api('GET', `/api/v1/audit${queryString({ ...state, offset, size: PAGE_SIZE })}`);
    if (!current()) return;
    tbody.replaceChildren(
      ...(page.records ?? []).map((r) =>
        h(
          'tr',
          { dataset: { seq: r.seq }, title: r.hash ?? '' },
          h('td', { class: 'num' }, String(r.seq)),
          h('td', { class: 'time' }, formatTime(r.timestamp)),
          h('td', null, r.actor ?? ''),
          h('td', null, r.action ?? ''),
          h('td', { class: 'source' }, r.target ?? ''),
          h('td', null, r.outcome ?? ''),
          h('td', null, r.clientAddress ?? ''),
          h('td', { class: 'details' }, r.details == null ? '' : typeof r.details === 'string' ? r.details : JSON.stringify(r.details)),
        ),
      ),
    );
    pagerBox.replaceChildren(pager('audit-pager', { offset, size: PAGE_SIZE, total: page.total ?? 0 }, (o) => go({ offset: o })));
  } catch (e) {
    if (current()) add(container, errorNotice(e));
  }
}
