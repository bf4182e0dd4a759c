// The pipeline's health, one line per component; anything not green says what to check.

import { api } from '../api.js';
import { add, h } from '../dom.js';
import { t } from '../i18n.js';
import { formatTime } from '../time.js';
import { errorNotice } from '../ui.js';

const REFRESH_MS = 15000;

export async function render(container, { current }) {
  const overall = h('span', { id: 'health-overall' });
  const list = h('ul', { class: 'health', id: 'health-components' });
  const checked = h('span', { class: 'muted' });
  const errors = h('div');
  add(container, h('div', { class: 'heading' }, h('h1', null, t('health.title')), overall, checked), errors, list);

  async function load() {
    let data;
    try {
      data = await api('GET', '/api/v1/health/components');
    } catch (e) {
      if (current()) errors.replaceChildren(errorNotice(e));
      return;
    }
    if (!current()) return;
    errors.replaceChildren();
    overall.className = `health-dot ${data.status}`;
    overall.textContent = t(`health.${data.status}`, {}, data.status);
    checked.textContent = t('health.checked', { time: formatTime(new Date().toISOString()) });
    list.replaceChildren(
      ...(data.components ?? []).map((c) =>
        h(
          'li',
          { class: `component ${c.status}`, dataset: { status: c.status, name: c.name } },
          h('span', { class: `health-dot ${c.status}` }, t(`health.${c.status}`, {}, c.status)),
          h('strong', null, c.name),
          h('span', { class: 'detail' }, c.detail ?? ''),
          c.status !== 'green' && c.check ? h('p', { class: 'check' }, t('health.check'), ' ', c.check) : null,
        ),
      ),
    );
  }

  await load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}
