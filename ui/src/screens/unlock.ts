// The key is not in the keyring: unlock with the practice passphrase, or
// with the recovery code (choosing a new passphrase when there is no keyring).

import { useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { AppStatus } from '../bindings/AppStatus';
import { AuthLayout } from '../components/authLayout';
import { Button, TextField, useFormErrors } from '../components/form';

export function UnlockScreen(p: { status: AppStatus; onDone: () => Promise<void> }) {
  const s = p.status;
  const [passphrase, setPassphrase] = useState('');
  const [code, setCode] = useState('');
  const [newPassphrase, setNewPassphrase] = useState('');
  const [busy, setBusy] = useState<'pass' | 'code' | null>(null);
  const pass = useFormErrors(['passphrase']);
  const rec = useFormErrors(['code', 'new_passphrase']);

  const unlockPass = async (e: Event) => {
    e.preventDefault();
    pass.clear();
    rec.clear();
    setBusy('pass');
    try {
      await api.unlockWithPassphrase(passphrase);
      await p.onDone();
    } catch (err) {
      pass.fail(err);
      setPassphrase('');
    } finally {
      setBusy(null);
    }
  };
  const unlockCode = async (e: Event) => {
    e.preventDefault();
    pass.clear();
    rec.clear();
    setBusy('code');
    try {
      await api.unlockWithRecovery(code, s.keyring.available ? null : newPassphrase);
      await p.onDone();
    } catch (err) {
      rec.fail(err);
    } finally {
      setBusy(null);
    }
  };

  const error = pass.errors.general ?? rec.errors.general;
  return html`<${AuthLayout} practice=${s.practice_name} wide=${true}>
    <div class="card auth-card">
      <h1>Unlock the practice database</h1>
      <p class="muted">The database key is not available on this computer${s.keyring.available ? '' : ` (no system keyring: ${s.keyring.detail})`}. Unlock it to continue.</p>
      ${error ? html`<div class="form-error" data-testid="unlock-error" role="alert"><span class="form-error-icon" aria-hidden="true">!</span><span>${error}</span></div>` : null}
      <div class="unlock-panels">
        ${s.passphrase_set
          ? html`<form class="unlock-panel" onSubmit=${unlockPass}>
              <h2>With the practice passphrase</h2>
              <p class="muted small">The passphrase chosen when the practice was set up.</p>
              <${TextField} label="Practice passphrase" name="passphrase" testid="unlock-passphrase" type="password" value=${passphrase} onValue=${setPassphrase} error=${pass.errors.fields.passphrase} autoFocus=${true} />
              <${Button} kind="primary" type="submit" testid="unlock-submit" busy=${busy === 'pass'} class="btn-block">Unlock</${Button}>
            </form>`
          : null}
        <form class="unlock-panel" onSubmit=${unlockCode}>
          <h2>With the recovery code</h2>
          <p class="muted small">From the printed recovery sheet kept offline.</p>
          <${TextField} label="Recovery code" name="code" testid="unlock-recovery-code" value=${code} onValue=${setCode} error=${rec.errors.fields.code} mono=${true} autoFocus=${!s.passphrase_set} />
          ${s.keyring.available
            ? null
            : html`<${TextField} label="New practice passphrase" name="new_passphrase" testid="unlock-new-passphrase" type="password" value=${newPassphrase} onValue=${setNewPassphrase} error=${rec.errors.fields.new_passphrase} hint="Replaces the old passphrase." autoComplete="new-password" />`}
          <${Button} kind=${s.passphrase_set ? 'secondary' : 'primary'} type="submit" testid="unlock-recovery-submit" busy=${busy === 'code'} class="btn-block">Unlock with recovery code</${Button}>
        </form>
      </div>
    </div>
  </${AuthLayout}>`;
}
