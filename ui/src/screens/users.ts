// User accounts (administrators): the list, a new-user / edit dialog with
// roles as checkboxes, disable/enable and password reset.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { Role } from '../bindings/Role';
import type { UserAccount } from '../bindings/UserAccount';
import { Button, FieldError, FormError, Modal, Spinner, TextField, useFormErrors } from '../components/form';
import { capitalize, toast } from '../components/toast';
import { formatInstant, ROLE_LABEL, ROLES } from '../format';

const ROLE_HELP: Record<Role, string> = {
  front_desk: 'Find and register patients, edit demographics',
  clinician: 'Everything front desk can, plus clinical records',
  billing: 'Find patients and read demographics',
  practice_manager: 'Patients, plus the audit log',
  administrator: 'User accounts, settings and the audit log (no charts)',
};

type Editing = { mode: 'new' } | { mode: 'edit'; user: UserAccount };

export function UsersScreen() {
  const [users, setUsers] = useState<UserAccount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);

  const load = async () => {
    try {
      setUsers(await api.listUsers());
      setError(null);
    } catch (e) {
      const w = api.toWireError(e);
      if (!api.isSessionTrouble(w)) setError(capitalize(w.message));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const saved = (u: UserAccount) => {
    setUsers((list) => {
      if (!list) return [u];
      const i = list.findIndex((x) => x.id === u.id);
      return i >= 0 ? list.map((x) => (x.id === u.id ? u : x)) : [...list, u];
    });
  };

  return html`<div class="screen users-screen">
    <div class="screen-head">
      <div>
        <h1>Users</h1>
        <p class="muted">Who can log in, and what each role may do.</p>
      </div>
      <button type="button" class="btn btn-primary" data-testid="user-new" onClick=${() => setEditing({ mode: 'new' })}>New user</button>
    </div>
    ${error ? html`<div class="form-error" role="alert"><span class="form-error-icon">!</span><span>${error}</span></div>` : null}
    ${!users
      ? error ? null : html`<${Spinner} />`
      : html`<div class="panel flush">
          <table class="data-table" data-testid="users-table">
            <thead><tr><th>Username</th><th>Name</th><th>Roles</th><th>Emergency access</th><th>Status</th><th></th></tr></thead>
            <tbody>
              ${users.map(
                (u) => html`<tr key=${u.id} data-testid="user-row" data-username=${u.username} class=${`clickable ${u.disabled ? 'is-disabled' : ''}`} onClick=${() => setEditing({ mode: 'edit', user: u })}>
                  <td class="mono">${u.username}</td>
                  <td class="name-cell">${u.full_name}${u.credentials ? html`<span class="muted">, ${u.credentials}</span>` : null}</td>
                  <td>${u.roles.map((r) => html`<span class="chip" key=${r}>${ROLE_LABEL[r] ?? r}</span>`)}</td>
                  <td>${u.can_emergency_access ? html`<span class="chip chip-warn">Authorised</span>` : html`<span class="none">—</span>`}</td>
                  <td><${UserStatus} user=${u} /></td>
                  <td class="right"><button type="button" class="btn btn-ghost btn-small" data-testid="user-edit" onClick=${(e: Event) => { e.stopPropagation(); setEditing({ mode: 'edit', user: u }); }}>Edit</button></td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>`}
    ${editing
      ? html`<${UserDialog}
          key=${editing.mode === 'edit' ? editing.user.id : 'new'}
          editing=${editing}
          onSaved=${(u: UserAccount, close: boolean) => {
            saved(u);
            if (close) setEditing(null);
            else setEditing({ mode: 'edit', user: u });
          }}
          onClose=${() => setEditing(null)}
        />`
      : null}
  </div>`;
}

function UserStatus(p: { user: UserAccount }) {
  const u = p.user;
  if (u.disabled) return html`<span class="status status-off">Disabled</span>`;
  if (u.locked_until && new Date(u.locked_until).getTime() > Date.now())
    return html`<span class="status status-warn" title=${`After ${u.failed_attempts} failed logins`}>Locked until ${formatInstant(u.locked_until)}</span>`;
  return html`<span class="status status-on">Active</span>`;
}

const FIELDS = ['username', 'full_name', 'credentials', 'password', 'roles', 'can_emergency_access', 'new_password', 'disabled'] as const;

function UserDialog(p: { editing: Editing; onSaved: (u: UserAccount, close: boolean) => void; onClose: () => void }) {
  const existing = p.editing.mode === 'edit' ? p.editing.user : null;
  const [username, setUsername] = useState(existing?.username ?? '');
  const [fullName, setFullName] = useState(existing?.full_name ?? '');
  const [credentials, setCredentials] = useState(existing?.credentials ?? '');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>(existing?.roles ?? []);
  const [emergency, setEmergency] = useState(existing?.can_emergency_access ?? false);
  const [busy, setBusy] = useState<null | 'save' | 'disable' | 'reset'>(null);
  const form = useFormErrors(FIELDS, { new_password: 'password' });
  const f = form.errors.fields;

  const toggleRole = (r: Role, on: boolean) =>
    setRoles((list) => (on ? ROLES.filter((x) => x === r || list.includes(x)) : list.filter((x) => x !== r)));

  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy('save');
    try {
      const u = existing
        ? await api.updateUser({ user_id: existing.id, full_name: fullName, credentials, roles, can_emergency_access: emergency })
        : await api.createUser({ username, full_name: fullName, credentials, password, roles, can_emergency_access: emergency });
      toast(existing ? `Saved ${u.username}` : `Created ${u.username}`, 'success');
      p.onSaved(u, true);
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(null);
    }
  };

  const toggleDisabled = async () => {
    if (!existing) return;
    form.clear();
    setBusy('disable');
    try {
      const u = await api.setUserDisabled(existing.id, !existing.disabled);
      toast(u.disabled ? `${u.username} is disabled` : `${u.username} is enabled`, 'success');
      p.onSaved(u, false);
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(null);
    }
  };

  const reset = async () => {
    if (!existing) return;
    form.clear();
    setBusy('reset');
    try {
      await api.resetPassword(existing.id, password);
      setPassword('');
      toast(`New password set for ${existing.username}`, 'success');
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(null);
    }
  };

  return html`<${Modal} title=${existing ? `Edit ${existing.username}` : 'New user'} testid="user-dialog" onClose=${p.onClose} wide=${true}>
    <form onSubmit=${save} novalidate>
      <${FormError} error=${form.errors.general} />
      <div class="grid-user">
        <${TextField} label="Username" name="username" testid="user-username" required=${true} value=${username} onValue=${setUsername} error=${f.username} disabled=${!!existing} autoFocus=${!existing} hint=${existing ? 'Usernames cannot change' : 'Letters, digits, . _ -'} />
        <${TextField} label="Full name" name="full_name" testid="user-fullname" required=${true} value=${fullName} onValue=${setFullName} error=${f.full_name} autoFocus=${!!existing} />
        <${TextField} label="Credentials" name="credentials" testid="user-credentials" value=${credentials} onValue=${setCredentials} error=${f.credentials} placeholder="MD, NP, RN…" />
      </div>
      ${existing
        ? null
        : html`<${TextField} label="Initial password" name="password" testid="user-password" type="password" required=${true} value=${password} onValue=${setPassword} error=${f.password} autoComplete="new-password" hint="Give it to the user in person; they can change it under their account." />`}
      <fieldset class=${`roles ${f.roles ? 'has-error' : ''}`}>
        <legend>Roles<span class="req" aria-hidden="true">*</span></legend>
        <div class="role-grid">
          ${ROLES.map(
            (r) => html`<label class="check-card" key=${r}>
              <input type="checkbox" data-testid=${`user-role-${r}`} checked=${roles.includes(r)} onChange=${(e: Event) => toggleRole(r, (e.currentTarget as HTMLInputElement).checked)} />
              <span><strong>${ROLE_LABEL[r]}</strong><span class="muted small">${ROLE_HELP[r]}</span></span>
            </label>`,
          )}
        </div>
        <${FieldError} name="roles" error=${f.roles} />
      </fieldset>
      <label class="check-row warn-row">
        <input type="checkbox" data-testid="user-emergency" checked=${emergency} onChange=${(e: Event) => setEmergency((e.currentTarget as HTMLInputElement).checked)} />
        <span><strong>May use emergency access</strong> (“break the glass”): open one patient's chart outside their role, with a reason. Every use is logged and reviewed.</span>
      </label>
      <${FieldError} name="can_emergency_access" error=${f.can_emergency_access} />
      <div class="modal-actions">
        <button type="button" class="btn btn-ghost" onClick=${p.onClose}>Cancel</button>
        <${Button} kind="primary" type="submit" testid="user-save" busy=${busy === 'save'}>${existing ? 'Save changes' : 'Create user'}</${Button}>
      </div>
    </form>
    ${existing
      ? html`<div class="danger-zone">
          <div class="danger-row">
            <div>
              <strong>Reset password</strong>
              <div class="muted small">Sets a new password and clears a lockout after failed logins.</div>
            </div>
            <div class="inline-form">
              <${TextField} label="New password" name="password" testid="user-password" type="password" value=${password} onValue=${setPassword} error=${f.password} autoComplete="new-password" />
              <${Button} testid="user-reset-password" busy=${busy === 'reset'} onClick=${reset}>Reset password</${Button}>
            </div>
          </div>
          <div class="danger-row">
            <div>
              <strong>${existing.disabled ? 'Enable account' : 'Disable account'}</strong>
              <div class="muted small">${existing.disabled ? 'The user can log in again.' : 'The user can no longer log in. Their history in the audit log stays.'}</div>
              <${FieldError} name="disabled" error=${f.disabled} />
            </div>
            <${Button} kind=${existing.disabled ? 'secondary' : 'danger'} testid="user-disable" busy=${busy === 'disable'} onClick=${toggleDisabled}>${existing.disabled ? 'Enable' : 'Disable'}</${Button}>
          </div>
        </div>`
      : null}
  </${Modal}>`;
}
