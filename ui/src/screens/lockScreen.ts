// The lock overlay: covers the whole window (no patient data shows through)
// while the screen under it stays mounted with whatever was typed.

import { useState } from 'preact/hooks';
import { html } from '../html';
import { useApp } from '../app';
import * as api from '../api';
import { capitalize } from '../components/toast';
import { useAutoFocus } from '../components/form';
import { IconLock } from '../components/icons';

export function LockScreen(p: { onLogout: () => void }) {
  const app = useApp();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useAutoFocus<HTMLInputElement>();

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api.resumeSession(password);
      setPassword('');
      app.setSession(session);
    } catch (err) {
      const w = api.toWireError(err);
      if (w.code === 'not_logged_in') return; // back to the login screen
      // The backend's message names a username, which this screen does not ask for.
      setError(w.code === 'wrong_password' ? 'Wrong password.' : capitalize(w.message));
      ref.current?.focus();
      ref.current?.select();
    } finally {
      setBusy(false);
    }
  };

  const u = app.session.user;
  return html`<div class="lock-screen" data-testid="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title">
    <form class="lock-card" onSubmit=${submit}>
      <div class="lock-icon" aria-hidden="true">${IconLock()}</div>
      <h1 id="lock-title">Session locked</h1>
      <p class="muted">${app.status.practice_name ?? 'Chartroom'} · locked to protect patient information.</p>
      <div class="lock-user">
        <span class="lock-user-name">${u.full_name}</span>
        <span class="muted">${u.username}</span>
      </div>
      <div class=${`field ${error ? 'has-error' : ''}`}>
        <label for="lock-password">Password</label>
        <input
          ref=${ref}
          id="lock-password"
          type="password"
          data-testid="lock-password"
          autocomplete="current-password"
          value=${password}
          aria-invalid=${error ? 'true' : undefined}
          onInput=${(e: Event) => setPassword((e.currentTarget as HTMLInputElement).value)}
        />
        ${error ? html`<div class="field-error" data-testid="lock-error" role="alert">${error}</div>` : null}
      </div>
      <button type="submit" class="btn btn-primary btn-block" data-testid="lock-submit" disabled=${busy}>
        ${busy ? html`<span class="spinner" aria-hidden="true"></span>` : null}Unlock
      </button>
      <button type="button" class="btn btn-ghost btn-block" onClick=${p.onLogout}>Log out instead (unsaved changes will be lost)</button>
    </form>
  </div>`;
}
