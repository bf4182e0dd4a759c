// Event search: a Lucene query over ECS fields, a time range, the histogram of matches, top
// values that narrow the query when clicked, pages by search_after cursor, CSV export.

import { api, queryString } from '../api.js';
import { add, h, options } from '../dom.js';
import { t } from '../i18n.js';
import { histogram, formatNumber } from '../charts.js';
import { formatTime, isoToLocalInput, localInputToIso, PRESETS } from '../time.js';
import { can, errorNotice, field } from '../ui.js';
import { alertsOfEvent } from './alerts.js';

const PAGE_SIZE = 100;
const TOP_FIELDS = [
  'event.dataset',
  'event.action',
  'event.outcome',
  'source.ip',
  'destination.ip',
  'user.name',
  'host.name',
  'organization.id',
];
const SUMMARY_FIELDS = ['event.action', 'event.outcome', 'source.ip', 'destination.ip', 'user.name', 'host.name'];

/** Dotted ECS names from a nested document: {source: {ip: x}} -> [["source.ip", x]]. */
export function flatten(doc, prefix = '', out = []) {
  for (const [key, value] of Object.entries(doc ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value, name, out);
    else out.push([name, Array.isArray(value) ? value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : v)).join(', ') : value]);
  }
  return out;
}

/** One line for an event: the key ECS fields, then its message. */
export function eventSummary(source) {
  const fields = new Map(flatten(source));
  const parts = SUMMARY_FIELDS.filter((f) => fields.has(f)).map((f) => h('span', { class: 'kv' }, h('span', { class: 'k' }, f), '=', String(fields.get(f))));
  const message = fields.get('message');
  return h('span', { class: 'summary' }, parts, message ? h('span', { class: 'message' }, String(message)) : null);
}

/** The histogram's bucket width: milliseconds from the API, "5m" style for people. */
export function formatInterval(interval) {
  const ms = Number(interval);
  if (!Number.isFinite(ms) || ms <= 0) return String(interval ?? '');
  for (const [unit, size] of [['d', 864e5], ['h', 36e5], ['m', 6e4], ['s', 1e3]]) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function quote(value) {
  return `"${String(value).replace(/(["\\])/g, '\\$1')}"`;
}

/** The query narrowed by field:value, as a click on a top value or a detail row does. */
export function narrow(q, name, value) {
  const term = `${name}:${quote(value)}`;
  return !q || q.trim() === '*' ? term : `(${q}) AND ${term}`;
}

export async function render(container, { user, params, navigate, current }) {
  const state = {
    q: params.get('q') ?? '*',
    from: params.get('from') ?? 'now-24h',
    to: params.get('to') ?? 'now',
    field: params.get('field') ?? 'event.dataset',
  };
  const cursors = [null]; // cursor of each page seen, so "previous" needs no server state
  let pageIndex = 0;

  const go = (changes) => navigate('/search', { ...state, ...changes });
  const preset = PRESETS.includes(state.from) && state.to === 'now' ? state.from : 'custom';

  const queryInput = h('input', { id: 'search-query', class: 'query', value: state.q, spellcheck: 'false', 'aria-label': t('search.query') });
  const timeSelect = h(
    'select',
    { id: 'search-time' },
    options([...PRESETS.map((p) => [p, t(`time.${p}`)]), ['custom', t('time.custom')]], preset),
  );
  const fromInput = h('input', { type: 'datetime-local', id: 'search-from', value: isoToLocalInput(preset === 'custom' ? state.from : '') });
  const toInput = h('input', { type: 'datetime-local', id: 'search-to', value: isoToLocalInput(preset === 'custom' ? state.to : '') });
  const absolute = h('span', { class: 'absolute', hidden: preset !== 'custom' }, field(t('time.from'), fromInput), field(t('time.to'), toInput));
  timeSelect.addEventListener('change', () => {
    absolute.hidden = timeSelect.value !== 'custom';
  });

  const form = h(
    'form',
    {
      class: 'filters',
      id: 'search-form',
      onsubmit: (e) => {
        e.preventDefault();
        const q = queryInput.value.trim() || '*';
        if (timeSelect.value === 'custom') {
          try {
            go({ q, from: localInputToIso(fromInput.value) || 'now-24h', to: localInputToIso(toInput.value) || 'now' });
          } catch (err) {
            errors.replaceChildren(errorNotice(err));
          }
        } else {
          go({ q, from: timeSelect.value, to: 'now' });
        }
      },
    },
    field(t('search.query'), queryInput),
    field(t('alerts.time'), timeSelect),
    absolute,
    h('button', { type: 'submit', id: 'search-submit' }, t('search.submit')),
  );

  const errors = h('div', { id: 'search-errors' });
  const totalText = h('span', { id: 'search-total', class: 'muted' });
  const chart = h('div', { class: 'panel chart-panel', id: 'search-histogram-box' });
  const topField = h(
    'select',
    { id: 'search-top-field', onchange: (e) => { state.field = e.target.value; loadTop(); } },
    options(TOP_FIELDS.map((f) => [f, f]), state.field),
  );
  const topList = h('ul', { class: 'top', id: 'search-top' });
  const tbody = h('tbody');
  const pagerBox = h('div', { class: 'pager' });
  const exportLink = can(user, 'export')
    ? h(
        'a',
        {
          id: 'search-export',
          class: 'button ghost-dark',
          href: `/api/v1/events/export${queryString({ q: state.q, from: state.from, to: state.to })}`,
          download: 'vigil-events.csv',
        },
        t('search.export'),
      )
    : null;

  add(container, 
    h('div', { class: 'heading' }, h('h1', null, t('search.title')), totalText, exportLink),
    form,
    h('p', { class: 'muted hint' }, t('search.hint')),
    errors,
    h(
      'div',
      { class: 'columns wide-left' },
      chart,
      h('section', { class: 'panel' }, h('h2', null, t('search.topValues')), topField, topList),
    ),
    h(
      'table',
      { id: 'search-results', class: 'list' },
      h('thead', null, h('tr', null, h('th', null, t('alerts.colTime')), h('th', null, t('search.event')), h('th', null, ''))),
      tbody,
    ),
    pagerBox,
  );

  const base = { q: state.q, from: state.from, to: state.to };

  function detailRow(event) {
    return h(
      'tr',
      { class: 'detail' },
      h(
        'td',
        { colspan: 3 },
        h(
          'table',
          { class: 'kvs' },
          h(
            'tbody',
            null,
            flatten(event.source).map(([k, v]) =>
              h(
                'tr',
                null,
                h('th', null, k),
                h('td', null, String(v ?? '')),
                h('td', null, h('button', { type: 'button', class: 'link', title: t('search.addFilter'), onclick: () => go({ q: narrow(state.q, k, v) }) }, '+')),
              ),
            ),
            h('tr', null, h('th', null, '_index'), h('td', null, event.index ?? ''), h('td')),
          ),
        ),
      ),
    );
  }

  function row(event) {
    let detail = null;
    const toggle = h('button', { type: 'button', class: 'link expand', 'aria-expanded': 'false' }, '▸');
    const tr = h(
      'tr',
      { dataset: { eventId: event.id } },
      h('td', { class: 'time' }, toggle, ' ', formatTime(event.timestamp)),
      h('td', null, eventSummary(event.source)),
      h('td', null, h('a', { class: 'event-alerts', href: alertsOfEvent(event.id) }, t('search.alertsForEvent'))),
    );
    toggle.addEventListener('click', () => {
      if (detail) {
        detail.remove();
        detail = null;
        toggle.textContent = '▸';
        toggle.setAttribute('aria-expanded', 'false');
      } else {
        detail = detailRow(event);
        tr.after(detail);
        toggle.textContent = '▾';
        toggle.setAttribute('aria-expanded', 'true');
      }
    });
    return tr;
  }

  async function loadPage() {
    const cursor = cursors[pageIndex];
    try {
      const page = await api('GET', `/api/v1/events${queryString({ ...base, size: PAGE_SIZE, cursor, sort: 'desc' })}`);
      if (!current()) return;
      totalText.textContent = t('search.total', {
        total: (page.totalIsLowerBound ? '≥ ' : '') + formatNumber(page.total),
      });
      tbody.replaceChildren(...(page.events ?? []).map(row));
      if (page.nextCursor) cursors[pageIndex + 1] = page.nextCursor;
      const hasNext = Boolean(page.nextCursor) && (page.events ?? []).length > 0;
      pagerBox.replaceChildren(
        h('button', { type: 'button', id: 'search-prev', class: 'ghost-dark', disabled: pageIndex === 0, onclick: () => { pageIndex -= 1; loadPage(); } }, t('paging.previous')),
        h('span', { class: 'muted' }, t('search.page', { n: pageIndex + 1 })),
        h('button', { type: 'button', id: 'search-next', class: 'ghost-dark', disabled: !hasNext, onclick: () => { pageIndex += 1; loadPage(); } }, t('paging.next')),
      );
      if ((page.events ?? []).length === 0) {
        tbody.append(h('tr', null, h('td', { colspan: 3, class: 'muted' }, t('search.none'))));
      }
    } catch (e) {
      if (current()) errors.replaceChildren(errorNotice(e));
    }
  }

  async function loadHistogram() {
    try {
      const result = await api('GET', `/api/v1/events/histogram${queryString({ ...base, buckets: 60 })}`);
      if (!current()) return;
      chart.replaceChildren(
        h('h2', null, t('search.histogram', { interval: formatInterval(result.interval) })),
        histogram('search-histogram', result.buckets ?? [], t('search.histogram', { interval: formatInterval(result.interval) }), (bucket, next) => {
          // A click on a bar zooms to its interval.
          const end = next?.time ?? (state.to === 'now' ? new Date().toISOString() : state.to);
          go({ from: bucket.time, to: end });
        }),
      );
    } catch (e) {
      if (current()) chart.replaceChildren(errorNotice(e));
    }
  }

  async function loadTop() {
    try {
      const result = await api('GET', `/api/v1/events/top${queryString({ ...base, field: state.field, size: 10 })}`);
      if (!current()) return;
      const values = result.values ?? [];
      topList.replaceChildren(
        ...values.map((v) =>
          h(
            'li',
            null,
            h('button', { type: 'button', class: 'link top-value', dataset: { value: String(v.value) }, onclick: () => go({ q: narrow(state.q, state.field, v.value) }) }, String(v.value)),
            h('span', { class: 'muted' }, formatNumber(v.count)),
          ),
        ),
      );
      if (values.length === 0) topList.append(h('li', { class: 'muted' }, t('search.none')));
    } catch (e) {
      if (current()) topList.replaceChildren(h('li', null, errorNotice(e)));
    }
  }

  await Promise.all([loadPage(), loadHistogram(), loadTop()]);
}
