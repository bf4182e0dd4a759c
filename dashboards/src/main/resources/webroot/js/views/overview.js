// The SOC at a glance: event rates by source type, alerts by severity over time, top rules,
// top sources, NetFlow top talkers and per-agency counts. Each ranking pivots on click.

import { api, queryString } from '../api.js';
import { add, h, options } from '../dom.js';
import { t } from '../i18n.js';
import { formatNumber, lines, ranking, stackedBars } from '../charts.js';
import { PRESETS } from '../time.js';
import { errorNotice, field, SEVERITIES } from '../ui.js';

const REFRESH_MS = 30000;

function panel(id, title, content) {
  return h('section', { class: 'panel', id }, h('h2', null, title), content);
}

function empty(rows, draw) {
  return rows.length ? draw() : h('p', { class: 'muted' }, t('overview.noData'));
}

export async function render(container, { params, navigate, current }) {
  const from = params.get('from') ?? 'now-24h';
  const body = h('div', { class: 'grid', id: 'overview' });
  add(container, 
    h(
      'div',
      { class: 'heading' },
      h('h1', null, t('overview.title')),
      field(
        t('alerts.time'),
        h('select', { id: 'overview-time', onchange: (e) => navigate('/overview', { from: e.target.value }) }, options(PRESETS.map((p) => [p, t(`time.${p}`)]), from)),
      ),
    ),
    body,
  );

  async function load() {
    let data;
    try {
      data = await api('GET', `/api/v1/overview${queryString({ from, to: 'now' })}`);
    } catch (e) {
      if (current()) body.replaceChildren(errorNotice(e));
      return;
    }
    if (!current()) return;
    const rates = (data.eventsBySourceType ?? []).map((r) => ({ time: r.time, series: r.type, value: r.perSecond }));
    const severities = (data.alertsBySeverity ?? []).map((r) => ({ time: r.time, series: r.severity, value: r.count }));
    const rules = data.topRules ?? [];
    const sources = data.topSources ?? [];
    const talkers = data.topTalkers ?? [];
    const agencies = data.agencies ?? [];
    body.replaceChildren(
      panel('overview-rates', t('overview.rates'), empty(rates, () => lines('chart-rates', rates, t('overview.rates')))),
      panel(
        'overview-severity',
        t('overview.severity'),
        empty(severities, () => [
          stackedBars('chart-severity', severities, SEVERITIES, t('overview.severity'), (s) => s),
          h('ul', { class: 'legend' }, SEVERITIES.map((s) => h('li', { class: s }, t(`severity.${s}`)))),
        ]),
      ),
      panel(
        'overview-rules',
        t('overview.topRules'),
        empty(rules, () =>
          ranking(
            'chart-rules',
            rules.map((r) => ({ label: r.ruleName || r.ruleId, value: r.count, onClick: () => navigate('/alerts', { 'rule.id': r.ruleId, status: '', from }) })),
            t('overview.topRules'),
          ),
        ),
      ),
      panel(
        'overview-sources',
        t('overview.topSources'),
        empty(sources, () =>
          ranking(
            'chart-sources',
            sources.map((s) => ({ label: s.ip, value: s.count, onClick: () => navigate('/search', { q: `source.ip:"${s.ip}"`, from, to: 'now' }) })),
            t('overview.topSources'),
          ),
        ),
      ),
      panel(
        'overview-talkers',
        t('overview.topTalkers'),
        empty(talkers, () =>
          h(
            'table',
            { class: 'list' },
            h('thead', null, h('tr', null, h('th', null, t('overview.source')), h('th', null, t('overview.destination')), h('th', { class: 'num' }, t('overview.bytes')))),
            h(
              'tbody',
              null,
              talkers.map((r) =>
                h('tr', null, h('td', { class: 'source' }, r.source), h('td', { class: 'source' }, r.destination), h('td', { class: 'num' }, formatBytes(r.bytes))),
              ),
            ),
          ),
        ),
      ),
      panel(
        'overview-agencies',
        t('overview.agencies'),
        empty(agencies, () =>
          h(
            'table',
            { class: 'list' },
            h('thead', null, h('tr', null, h('th', null, t('alerts.colAgency')), h('th', { class: 'num' }, t('overview.events')), h('th', { class: 'num' }, t('overview.alerts')))),
            h(
              'tbody',
              null,
              agencies.map((a) =>
                h(
                  'tr',
                  null,
                  h('td', null, h('a', { href: `#/alerts${queryString({ 'organization.id': a.id })}` }, a.id)),
                  h('td', { class: 'num' }, formatNumber(a.events)),
                  h('td', { class: 'num' }, formatNumber(a.alerts)),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  await load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}

function formatBytes(bytes) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(bytes) || 0;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(value)} ${units[unit]}`;
}
