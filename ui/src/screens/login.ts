// Log in: username and password; wrong password and locked accounts come
// back from the backend as messages shown under the form.

import { useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { AppStatus } from '../bindings/AppStatus';
import { AuthLayout } from '../components/authLayout';
import { TextField } from '../components/form';
import { capitalize, clearToasts } from '../components/toast';

export function LoginScreen(p: { status: AppStatus; onLoggedIn: () => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login(username, password);
      clearToasts();
      if (!location.hash.startsWith('#/')) location.hash = '#/';
      await p.onLoggedIn();
    } catch (err) {
      setError(capitalize(api.toWireError(err).message));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return html`<${AuthLayout} practice=${p.status.practice_name}>
    <form class="card auth-card" onSubmit=${submit}>
      <h1>Log in</h1>
      <${TextField} label="Username" name="username" testid="login-username" value=${username} onValue=${setUsername} autoFocus=${true} autoComplete="username" />
      <${TextField} label="Password" name="password" testid="login-password" type="password" value=${password} onValue=${setPassword} autoComplete="current-password" />
      ${error ? html`<div class="form-error" data-testid="login-error" role="alert"><span class="form-error-icon" aria-hidden="true">!</span><span>${error}</span></div>` : null}
      <button type="submit" class="btn btn-primary btn-block" data-testid="login-submit" disabled=${busy}>
        ${busy ? html`<span class="spinner" aria-hidden="true"></span>` : null}Log in
      </button>
    </form>
  </${AuthLayout}>`;
}
