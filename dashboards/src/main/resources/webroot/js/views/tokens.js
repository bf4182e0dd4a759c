// API tokens for scripts (the secret is shown once, at creation) and the user's own
// password change.

import { api } from '../api.js';
import { add, h } from '../dom.js';
import { t } from '../i18n.js';
import { formatTime } from '../time.js';
import { busy, errorNotice, field, showFlash } from '../ui.js';

export async function render(container, { user, current }) {
  const tbody = h('tbody');
  const secretBox = h('div', { id: 'token-secret', class: 'panel secret', hidden: true });

  const reload = async () => {
    try {
      const result = await api('GET', '/api/v1/tokens');
      if (!current()) return;
      const tokens = result.tokens ?? [];
      tbody.replaceChildren(
        ...tokens.map((token) => {
          const revoke = h(
            'button',
            {
              type: 'button',
              class: 'ghost-dark',
              onclick: async () => {
                if (!window.confirm(t('tokens.confirmRevoke', { name: token.name }))) return;
                if ((await busy(revoke, () => api('DELETE', `/api/v1/tokens/${encodeURIComponent(token.id)}`))) !== undefined) await reload();
              },
            },
            t('tokens.revoke'),
          );
          return h(
            'tr',
            { dataset: { tokenId: token.id } },
            h('td', null, token.name),
            h('td', null, token.owner ?? user.username),
            h('td', { class: 'time' }, formatTime(token.created)),
            h('td', { class: 'time' }, token.expires ? formatTime(token.expires) : t('tokens.never')),
            h('td', { class: 'time' }, token.lastUsed ? formatTime(token.lastUsed) : '—'),
            h('td', null, revoke),
          );
        }),
      );
      if (tokens.length === 0) tbody.append(h('tr', null, h('td', { colspan: 6, class: 'muted' }, t('tokens.none'))));
    } catch (e) {
      if (current()) tbody.replaceChildren(h('tr', null, h('td', { colspan: 6 }, errorNotice(e))));
    }
  };

  const name = h('input', { id: 'token-name', required: true });
  const days = h('input', { id: 'token-days', type: 'number', min: 1, max: 3650, value: 90 });
  const create = h(
    'form',
    {
      class: 'filters panel',
      id: 'token-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { name: name.value.trim() };
        if (days.value) body.expiresInDays = Number(days.value);
        const created = await busy(e.target.querySelector('button'), () => api('POST', '/api/v1/tokens', body));
        if (!created) return;
        secretBox.replaceChildren(
          h('strong', null, t('tokens.shownOnce')),
          h('code', { id: 'token-value' }, created.token),
          h('button', { type: 'button', class: 'ghost-dark', onclick: () => navigator.clipboard?.writeText(created.token) }, t('tokens.copy')),
        );
        secretBox.hidden = false;
        e.target.reset();
        await reload();
      },
    },
    h('h2', null, t('tokens.create')),
    field(t('tokens.name'), name),
    field(t('tokens.days'), days),
    h('button', { type: 'submit', id: 'token-submit' }, t('tokens.createButton')),
  );

  const currentPassword = h('input', { type: 'password', id: 'password-current', autocomplete: 'current-password', required: true });
  const newPassword = h('input', { type: 'password', id: 'password-new', autocomplete: 'new-password', required: true });
  const passwordForm = h(
    'form',
    {
      class: 'filters panel',
      id: 'password-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { current: currentPassword.value, new: newPassword.value };
        if ((await busy(e.target.querySelector('button'), () => api('POST', '/api/v1/session/password', body))) !== undefined) {
          showFlash(t('account.passwordChanged'));
          e.target.reset();
        }
      },
    },
    h('h2', null, t('account.password')),
    field(t('account.current'), currentPassword),
    field(t('account.new'), newPassword),
    h('button', { type: 'submit' }, t('account.change')),
  );

  add(container, 
    h('h1', null, t('tokens.title')),
    h('p', { class: 'muted' }, t('tokens.hint')),
    secretBox,
    h(
      'table',
      { id: 'tokens-table', class: 'list' },
      h(
        'thead',
        null,
        h('tr', null, [t('tokens.name'), t('tokens.owner'), t('tokens.created'), t('tokens.expires'), t('tokens.lastUsed'), ''].map((x) => h('th', null, x))),
      ),
      tbody,
    ),
    create,
    passwordForm,
  );
  await reload();
}
