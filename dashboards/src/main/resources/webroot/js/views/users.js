// User administration (admin only): add users, change their roles and agencies, disable
// them, set a new password. Everything here is audited by the server.

import { api } from '../api.js';
import { add, h } from '../dom.js';
import { t } from '../i18n.js';
import { formatTime } from '../time.js';
import { busy, errorNotice, field, showFlash } from '../ui.js';

const ROLES = ['analyst', 'rule_admin', 'auditor', 'admin'];

function agencyList(text) {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function roleChecks(prefix, chosen) {
  return h(
    'fieldset',
    { class: 'checks', id: `${prefix}-roles` },
    h('legend', null, t('users.roles')),
    ROLES.map((role) => h('label', null, h('input', { type: 'checkbox', value: role, checked: chosen.includes(role) }), t(`role.${role}`))),
  );
}

const checkedRoles = (fieldset) => [...fieldset.querySelectorAll('input:checked')].map((i) => i.value);

export async function render(container, { current }) {
  const tbody = h('tbody');
  const reload = async () => {
    try {
      const result = await api('GET', '/api/v1/users');
      if (!current()) return;
      tbody.replaceChildren(...(result.users ?? []).map(row));
    } catch (e) {
      if (current()) tbody.replaceChildren(h('tr', null, h('td', { colspan: 6 }, errorNotice(e))));
    }
  };

  function row(user) {
    const roles = roleChecks(`user-${user.username}`, user.roles ?? []);
    const agencies = h('input', { value: (user.agencies ?? []).join(', '), 'aria-label': t('users.agencies') });
    const password = h('input', { type: 'password', autocomplete: 'new-password', 'aria-label': t('users.newPassword'), placeholder: t('users.newPassword') });
    const save = h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          const body = { roles: checkedRoles(roles), agencies: agencyList(agencies.value) };
          if (password.value) body.password = password.value;
          if ((await busy(save, () => api('PATCH', `/api/v1/users/${encodeURIComponent(user.username)}`, body))) !== undefined) {
            showFlash(t('users.saved', { user: user.username }));
            await reload();
          }
        },
      },
      t('users.save'),
    );
    const toggle = h(
      'button',
      {
        type: 'button',
        class: 'ghost-dark',
        onclick: async () => {
          const body = { disabled: !user.disabled };
          if ((await busy(toggle, () => api('PATCH', `/api/v1/users/${encodeURIComponent(user.username)}`, body))) !== undefined) await reload();
        },
      },
      user.disabled ? t('users.enable') : t('users.disable'),
    );
    return h(
      'tr',
      { dataset: { username: user.username } },
      h('td', null, h('strong', null, user.username)),
      h('td', null, roles),
      h('td', null, agencies, h('div', { class: 'muted' }, (user.agencies ?? []).length ? '' : t('users.socWide'))),
      h(
        'td',
        null,
        user.disabled ? t('users.disabled') : t('users.active'),
        user.lockedUntil ? h('div', { class: 'error' }, t('users.lockedUntil', { time: formatTime(user.lockedUntil) })) : null,
      ),
      h('td', null, password),
      h('td', { class: 'actions' }, save, toggle),
    );
  }

  const newName = h('input', { id: 'new-user-name', autocomplete: 'off', required: true });
  const newPassword = h('input', { id: 'new-user-password', type: 'password', autocomplete: 'new-password', required: true });
  const newAgencies = h('input', { id: 'new-user-agencies', placeholder: 'agency-a, agency-b' });
  const newRoles = roleChecks('new-user', ['analyst']);
  const addForm = h(
    'form',
    {
      class: 'filters panel',
      id: 'new-user-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { username: newName.value.trim(), password: newPassword.value, roles: checkedRoles(newRoles), agencies: agencyList(newAgencies.value) };
        if ((await busy(e.submitter ?? e.target.querySelector('button'), () => api('POST', '/api/v1/users', body))) !== undefined) {
          showFlash(t('users.added', { user: body.username }));
          e.target.reset();
          await reload();
        }
      },
    },
    h('h2', null, t('users.add')),
    field(t('login.username'), newName),
    field(t('login.password'), newPassword),
    newRoles,
    field(t('users.agencies'), newAgencies),
    h('button', { type: 'submit', id: 'new-user-submit' }, t('users.addButton')),
  );

  add(container, 
    h('h1', null, t('users.title')),
    h('p', { class: 'muted' }, t('users.agencyHint')),
    h(
      'table',
      { id: 'users-table', class: 'list' },
      h(
        'thead',
        null,
        h('tr', null, [t('login.username'), t('users.roles'), t('users.agencies'), t('alerts.colStatus'), t('users.newPassword'), ''].map((x) => h('th', null, x))),
      ),
      tbody,
    ),
    addForm,
  );
  await reload();
}
