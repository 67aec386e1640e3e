// The user's own account: who they are, and changing their password.

import { useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import { useApp } from '../app';
import { Button, FormError, TextField, useFormErrors } from '../components/form';
import { toast } from '../components/toast';
import { rolesText } from '../format';

export function AccountScreen() {
  const app = useApp();
  const u = app.session.user;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['current_password', 'new_password']);

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.changeOwnPassword(current, next);
      setCurrent('');
      setNext('');
      toast('Your password has been changed', 'success');
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<div class="screen account-screen">
    <div class="screen-head"><div><h1>Your account</h1></div></div>
    <div class="cards">
      <section class="card info-card">
        <h2>Signed in as</h2>
        <dl>
          <div class="kv"><dt>Name</dt><dd>${u.full_name}${u.credentials ? `, ${u.credentials}` : ''}</dd></div>
          <div class="kv"><dt>Username</dt><dd class="mono">${u.username}</dd></div>
          <div class="kv"><dt>Roles</dt><dd>${rolesText(u.roles)}</dd></div>
        </dl>
      </section>
      <form class="card info-card" onSubmit=${submit} novalidate>
        <h2>Change password</h2>
        <${FormError} error=${form.errors.general} />
        <${TextField} label="Current password" name="current_password" type="password" value=${current} onValue=${setCurrent} error=${form.errors.fields.current_password} autoComplete="current-password" />
        <${TextField} label="New password" name="new_password" type="password" value=${next} onValue=${setNext} error=${form.errors.fields.new_password} autoComplete="new-password" />
        <div class="form-actions left"><${Button} kind="primary" type="submit" busy=${busy}>Change password</${Button}></div>
      </form>
    </div>
  </div>`;
}
