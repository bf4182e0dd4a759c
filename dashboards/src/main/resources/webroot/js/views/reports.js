// Compliance reports for auditors: generate one now (from a kept definition or ad hoc),
// see the definitions and their schedules, and download kept reports as PDF or CSV. Every
// generation and download is audited by the server; the content hash shown here is the one
// printed in the PDF.

import { api } from '../api.js';
import { add, h } from '../dom.js';
import { t } from '../i18n.js';
import { formatTime } from '../time.js';
import { busy, errorNotice, field, showFlash } from '../ui.js';

const FRAMEWORKS = ['nist-800-53', 'iso-27001'];
const PERIODS = ['24h', '7d', '30d', '90d'];

export async function render(container, { current }) {
  const definition = h('select', { id: 'report-definition' }, h('option', { value: '' }, t('reports.adHoc')));
  const framework = h('select', { id: 'report-framework' }, FRAMEWORKS.map((f) => h('option', { value: f }, f)));
  const period = h('select', { id: 'report-period' }, PERIODS.map((p) => h('option', { value: p, selected: p === '7d' }, p)));
  const agencies = h('input', { id: 'report-agencies', placeholder: t('reports.agenciesHint') });
  const generate = h('button', { type: 'submit', id: 'report-generate' }, t('reports.generate'));
  const definitionsBody = h('tbody');
  const problems = h('ul', { id: 'report-problems', class: 'error' });
  const reportsBody = h('tbody');

  const load = async () => {
    const kept = await api('GET', '/api/v1/reports');
    if (!current()) return;
    reportsBody.replaceChildren(...(kept.reports ?? []).map(reportRow));
    if ((kept.reports ?? []).length === 0) {
      reportsBody.replaceChildren(h('tr', null, h('td', { colspan: 8 }, t('reports.none'))));
    }
  };

  add(
    container,
    h('div', { class: 'heading' }, h('h1', null, t('reports.title'))),
    h(
      'form',
      {
        class: 'filters',
        id: 'report-form',
        onsubmit: async (e) => {
          e.preventDefault();
          const list = agencies.value.split(',').map((a) => a.trim()).filter((a) => a);
          const body = definition.value
            ? { definition: definition.value }
            : { framework: framework.value, period: period.value };
          if (list.length) body.agencies = list;
          try {
            const kept = await busy(generate, () => api('POST', '/api/v1/reports', body));
            if (!kept) return;
            showFlash(t('reports.generated', { hash: kept.contentSha256 }));
            await load();
          } catch (err) {
            showFlash(err.message, 'error');
          }
        },
      },
      field(t('reports.definition'), definition),
      field(t('reports.framework'), framework),
      field(t('reports.period'), period),
      field(t('reports.agencies'), agencies),
      generate,
    ),
    h('h2', null, t('reports.kept')),
    h(
      'table',
      { id: 'reports-table', class: 'list' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          [t('reports.generatedAt'), t('reports.reportTitle'), t('reports.framework'), t('reports.covers'), t('reports.agencies'), t('reports.by'), t('reports.hash'), t('reports.download')].map((x) => h('th', null, x)),
        ),
      ),
      reportsBody,
    ),
    h('h2', null, t('reports.definitions')),
    h(
      'table',
      { id: 'report-definitions', class: 'list' },
      h(
        'thead',
        null,
        h('tr', null, [t('reports.name'), t('reports.reportTitle'), t('reports.framework'), t('reports.period'), t('reports.agencies'), t('reports.schedule'), t('reports.nextRun')].map((x) => h('th', null, x))),
      ),
      definitionsBody,
    ),
    problems,
  );

  try {
    const defs = await api('GET', '/api/v1/reports/definitions');
    if (!current()) return;
    for (const d of defs.definitions ?? []) {
      definition.append(h('option', { value: d.name }, `${d.name}: ${d.title}`));
    }
    definitionsBody.replaceChildren(
      ...(defs.definitions ?? []).map((d) =>
        h(
          'tr',
          { dataset: { name: d.name } },
          h('td', null, d.name),
          h('td', null, d.title),
          h('td', null, d.framework),
          h('td', null, d.period),
          h('td', null, agencyText(d.agencies)),
          h('td', null, d.schedule ?? t('reports.onDemand')),
          h('td', { class: 'time' }, d.next_run ? formatTime(d.next_run) : ''),
        ),
      ),
    );
    problems.replaceChildren(...(defs.problems ?? []).map((p) => h('li', null, p)));
    await load();
  } catch (e) {
    if (current()) add(container, errorNotice(e));
  }
}

function agencyText(agencies) {
  return agencies && agencies.length ? agencies.join(', ') : t('reports.allAgencies');
}

function reportRow(r) {
  const link = (format) =>
    h('a', { href: `/api/v1/reports/${encodeURIComponent(r.id)}/${format}`, download: '', class: `download-${format}` }, format.toUpperCase());
  return h(
    'tr',
    { dataset: { id: r.id } },
    h('td', { class: 'time' }, formatTime(r.generatedAt)),
    h('td', null, r.title),
    h('td', null, r.framework),
    h('td', { class: 'time' }, `${formatTime(r.from)} – ${formatTime(r.to)}`),
    h('td', null, agencyText(r.agencies)),
    h('td', null, `${r.generatedBy} (${t(`reports.trigger.${r.trigger}`, {}, r.trigger)})`),
    h('td', { class: 'source', title: r.contentSha256 }, `${r.contentSha256.slice(0, 16)}…`),
    h('td', null, link('pdf'), ' ', link('csv')),
  );
}
