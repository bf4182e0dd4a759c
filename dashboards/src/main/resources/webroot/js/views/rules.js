// The rules the correlation job runs now, every release before them, and for rule admins a
// deploy form. Validate and deploy run the same checks as `vigil rules deploy`; the server
// refuses a deploy with problems, so the form only shows them.

import { api, queryString } from '../api.js';
import { add, h } from '../dom.js';
import { t } from '../i18n.js';
import { formatTime } from '../time.js';
import { busy, can, errorNotice, field, severityBadge, showFlash } from '../ui.js';

const RULESET = 'vigil';

export async function render(container, { user, current }) {
  const summary = h('p', { id: 'rules-summary', class: 'muted' });
  const rulesBody = h('tbody');
  const releasesBody = h('tbody');

  const reload = async () => {
    try {
      const [live, history] = await Promise.all([
        api('GET', `/api/v1/rules${queryString({ ruleset: RULESET })}`),
        api('GET', `/api/v1/rules/releases${queryString({ ruleset: RULESET })}`),
      ]);
      if (!current()) return;
      drawLive(summary, rulesBody, live);
      drawReleases(releasesBody, history.releases ?? []);
    } catch (e) {
      if (!current()) return;
      summary.replaceChildren();
      rulesBody.replaceChildren(h('tr', null, h('td', { colspan: 6 }, errorNotice(e))));
      releasesBody.replaceChildren();
    }
  };

  add(
    container,
    h('h1', null, t('rules.title')),
    summary,
    h(
      'table',
      { id: 'rules-table', class: 'list' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          [t('rules.id'), t('rules.name'), t('rules.severity'), t('rules.technique'), t('rules.groupBy'), t('rules.window')].map((x) =>
            h('th', null, x),
          ),
        ),
      ),
      rulesBody,
    ),
    can(user, 'rules') ? deployForm(reload) : null,
    h('h2', null, t('rules.history')),
    h(
      'table',
      { id: 'rules-releases', class: 'list' },
      h(
        'thead',
        null,
        h('tr', null, [t('rules.version'), t('rules.deployedAt'), t('rules.deployedBy'), t('rules.count'), t('rules.note')].map((x) => h('th', null, x))),
      ),
      releasesBody,
    ),
  );
  await reload();
}

function drawLive(summary, tbody, live) {
  summary.replaceChildren(
    live.version === null || live.version === undefined
      ? t('rules.noRelease')
      : live.version === 0
        ? t('rules.shipped')
        : t('rules.live', { version: live.version, by: live.deployedBy ?? '—', at: formatTime(live.deployedAt) }),
  );
  const rules = live.rules ?? [];
  tbody.replaceChildren(
    ...rules.flatMap((rule) => [
      h(
        'tr',
        { dataset: { ruleId: rule.id } },
        h('td', null, h('code', null, rule.id)),
        h('td', null, rule.name),
        h('td', null, severityBadge(rule.severity)),
        h('td', null, rule.techniqueId ?? '—'),
        h('td', null, (rule.groupBy ?? []).join(', ') || '—'),
        h('td', null, rule.window ?? '—'),
      ),
      details(rule),
    ]).filter(Boolean),
  );
  if (rules.length === 0) tbody.append(h('tr', null, h('td', { colspan: 6, class: 'muted' }, t('rules.none'))));
}

/** The rule's prose, under its row: what it detects, known false positives, compliance. */
function details(rule) {
  const parts = [
    rule.description ? h('div', null, rule.description) : null,
    rule.falsePositives ? h('div', { class: 'muted' }, t('rules.falsePositives', { text: rule.falsePositives })) : null,
    rule.compliance?.length ? h('div', { class: 'muted' }, t('rules.compliance', { controls: rule.compliance.join(', ') })) : null,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return h('tr', { class: 'rule-details' }, h('td', null), h('td', { colspan: 5 }, parts));
}

function drawReleases(tbody, releases) {
  tbody.replaceChildren(
    ...releases.map((release) =>
      h(
        'tr',
        { dataset: { version: release.version } },
        h('td', null, String(release.version)),
        h('td', { class: 'time' }, formatTime(release.deployedAt)),
        h('td', null, release.deployedBy),
        h('td', null, String(release.ruleCount)),
        h('td', null, release.note ?? ''),
      ),
    ),
  );
  if (releases.length === 0) tbody.append(h('tr', null, h('td', { colspan: 5, class: 'muted' }, t('rules.noReleases'))));
}

function deployForm(reload) {
  const fileName = h('input', { id: 'rules-file-name', required: true, pattern: '.+\\.drl', placeholder: 'my-rules.drl' });
  const text = h('textarea', { id: 'rules-text', rows: 16, required: true, spellcheck: 'false', class: 'code' });
  const note = h('input', { id: 'rules-note', maxlength: 500 });
  const picker = h('input', {
    id: 'rules-file',
    type: 'file',
    accept: '.drl',
    onchange: () => {
      const file = picker.files?.[0];
      if (!file) return;
      const reader = new FileReader();
      reader.onload = () => {
        text.value = String(reader.result);
        fileName.value = file.name;
      };
      reader.onerror = () => showFlash(t('rules.readFailed', { name: file.name, message: reader.error?.message ?? '' }), 'error');
      reader.readAsText(file);
    },
  });
  const outcome = h('div', { id: 'rules-outcome', role: 'status' });
  const body = () => ({ ruleset: RULESET, note: note.value.trim(), files: { [fileName.value.trim()]: text.value } });

  const showProblems = (heading, problems) =>
    outcome.replaceChildren(
      h('p', { class: 'error' }, heading),
      h('ul', { id: 'rules-problems' }, problems.map((p) => h('li', null, h('code', null, p)))),
    );

  const validate = h(
    'button',
    {
      type: 'button',
      id: 'rules-validate',
      class: 'ghost-dark',
      onclick: async () => {
        if (!form.reportValidity()) return;
        const result = await busy(validate, () => api('POST', '/api/v1/rules/validate', body()));
        if (!result) return;
        if (result.valid) outcome.replaceChildren(h('p', { class: 'ok' }, t('rules.valid', { count: result.rules })));
        else showProblems(t('rules.invalid'), result.problems ?? []);
      },
    },
    t('rules.validate'),
  );
  const deploy = h('button', { type: 'submit', id: 'rules-deploy' }, t('rules.deploy'));

  const form = h(
    'form',
    {
      class: 'panel',
      id: 'rules-deploy-form',
      onsubmit: async (e) => {
        e.preventDefault();
        if (!window.confirm(t('rules.confirmDeploy'))) return;
        deploy.disabled = true;
        try {
          const release = await api('POST', '/api/v1/rules/releases', body());
          outcome.replaceChildren(h('p', { class: 'ok' }, t('rules.deployed', { version: release.version, count: release.ruleCount })));
          showFlash(t('rules.deployed', { version: release.version, count: release.ruleCount }));
          await reload();
        } catch (error) {
          if (error.status === 422) showProblems(t('rules.notDeployed'), error.body?.problems ?? []);
          else outcome.replaceChildren(errorNotice(error));
        } finally {
          deploy.disabled = false;
        }
      },
    },
    h('h2', null, t('rules.deployTitle')),
    h('p', { class: 'muted' }, t('rules.deployHint')),
    h('div', { class: 'filters' }, field(t('rules.fileName'), fileName), field(t('rules.pick'), picker), field(t('rules.noteLabel'), note)),
    field(t('rules.drl'), text),
    h('div', { class: 'actions' }, validate, deploy),
    outcome,
  );
  return form;
}
