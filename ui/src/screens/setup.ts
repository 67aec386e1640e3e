// First run: create the practice (encrypted database, key, first
// administrator), then show the recovery code once, with a printable sheet.

import { useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { AppStatus } from '../bindings/AppStatus';
import type { SetupResult } from '../bindings/SetupResult';
import { AuthLayout } from '../components/authLayout';
import { Button, FormError, TextField, useFormErrors } from '../components/form';
import { todayText } from '../format';

const FIELDS = ['practice_name', 'admin_username', 'admin_full_name', 'admin_password', 'passphrase', 'passphrase_confirm'] as const;

export function SetupScreen(p: { status: AppStatus; onDone: () => Promise<void> }) {
  const needPassphrase = !p.status.keyring.available;
  const [practiceName, setPracticeName] = useState('');
  const [username, setUsername] = useState('');
  const [fullName, setFullName] = useState('');
  const [password, setPassword] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SetupResult | null>(null);
  const form = useFormErrors(FIELDS, { username: 'admin_username', password: 'admin_password' });

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    if (needPassphrase && passphrase !== confirm) {
      // Not a rule of the practice: only that the two typings agree.
      form.setErrors({ fields: { passphrase_confirm: 'The two passphrases are not the same' }, general: null });
      return;
    }
    setBusy(true);
    try {
      const r = await api.setupPractice({
        practice_name: practiceName,
        admin_username: username,
        admin_full_name: fullName,
        admin_password: password,
        passphrase: needPassphrase ? passphrase : null,
      });
      setResult(r);
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    return html`<${RecoveryCode} practice=${practiceName.trim()} result=${result} onContinue=${p.onDone} />`;
  }

  const f = form.errors.fields;
  // Compact (fields side by side) so "Create practice" shows without
  // scrolling in a 1280×800 window.
  return html`<${AuthLayout} wide=${true} class="setup-wrap">
    <form class="card auth-card setup-card" onSubmit=${submit} novalidate>
      <h1>Set up your practice</h1>
      <p class="muted">This creates the encrypted practice database on this computer and the first administrator account.</p>
      <${FormError} error=${form.errors.general} />
      <fieldset>
        <legend>Practice</legend>
        <${TextField} label="Practice name" name="practice_name" testid="setup-practice-name" required=${true} value=${practiceName} onValue=${setPracticeName} error=${f.practice_name} autoFocus=${true} placeholder="Riverside Family Medicine" />
      </fieldset>
      <fieldset>
        <legend>Administrator</legend>
        <p class="muted small">The administrator manages user accounts and settings. Administrators do not see patient charts except through emergency access, which is logged.</p>
        <div class="grid-3">
          <${TextField} label="Username" name="admin_username" testid="setup-admin-username" required=${true} value=${username} onValue=${setUsername} error=${f.admin_username} autoComplete="username" />
          <${TextField} label="Full name" name="admin_full_name" testid="setup-admin-fullname" required=${true} value=${fullName} onValue=${setFullName} error=${f.admin_full_name} />
          <${TextField} label="Password" name="admin_password" testid="setup-admin-password" type="password" required=${true} value=${password} onValue=${setPassword} error=${f.admin_password} autoComplete="new-password" />
        </div>
      </fieldset>
      ${needPassphrase
        ? html`<fieldset>
            <legend>Practice passphrase</legend>
            <div class="notice notice-warn">
              <strong>No system keyring was found</strong> (${p.status.keyring.detail}). The database key will be protected by a practice passphrase instead. Staff will need it each time Chartroom starts.
            </div>
            <div class="grid-2">
              <${TextField} label="Passphrase" name="passphrase" testid="setup-passphrase" type="password" required=${true} value=${passphrase} onValue=${setPassphrase} error=${f.passphrase} autoComplete="new-password" />
              <${TextField} label="Type the passphrase again" name="passphrase_confirm" testid="setup-passphrase-confirm" type="password" required=${true} value=${confirm} onValue=${setConfirm} error=${f.passphrase_confirm} autoComplete="new-password" />
            </div>
          </fieldset>`
        : html`<p class="muted small">The database key will be kept in the system keyring (${p.status.keyring.detail}).</p>`}
      <div class="form-actions">
        <${Button} kind="primary" type="submit" testid="setup-submit" busy=${busy}>Create practice</${Button}>
      </div>
    </form>
  </${AuthLayout}>`;
}

function RecoveryCode(p: { practice: string; result: SetupResult; onContinue: () => Promise<void> }) {
  const [confirmed, setConfirmed] = useState(false);
  const code = p.result.recovery_code;
  return html`<div>
    <div class="no-print">
      <${AuthLayout} practice=${p.practice} wide=${true}>
        <div class="card auth-card">
          <h1>Your recovery code</h1>
          <p>If the key is ever lost (a new computer, a reset keyring, a forgotten passphrase), this code is the <strong>only</strong> way to open the practice's data. It is shown <strong>once</strong>.</p>
          <div class="recovery-code" data-testid="recovery-code">${code}</div>
          <ul class="checklist">
            <li>Print the recovery sheet, or write the code down exactly.</li>
            <li>Keep it offline, somewhere safe and away from this computer (a locked drawer or safe).</li>
            <li>Never store it in a file, an email or a photo on this computer.</li>
          </ul>
          <div class="form-actions left">
            <button type="button" class="btn btn-secondary" data-testid="recovery-print" onClick=${() => window.print()}>Print recovery sheet</button>
          </div>
          <label class="check-row">
            <input type="checkbox" data-testid="recovery-confirm" checked=${confirmed} onChange=${(e: Event) => setConfirmed((e.currentTarget as HTMLInputElement).checked)} />
            <span>I have written down or printed the recovery code</span>
          </label>
          <div class="form-actions">
            <button type="button" class="btn btn-primary" data-testid="recovery-continue" disabled=${!confirmed} onClick=${() => void p.onContinue()}>Continue</button>
          </div>
        </div>
      </${AuthLayout}>
    </div>
    <div class="print-sheet" aria-hidden="true">
      <h1>Chartroom recovery sheet</h1>
      <p class="print-practice">${p.practice}</p>
      <p>Printed ${todayText()} · Practice ID ${p.result.practice_id}</p>
      <div class="print-code">${code}</div>
      <h2>Keep this sheet offline and safe</h2>
      <ul>
        <li>This code unlocks the practice's encrypted patient database if the key on the computer is lost.</li>
        <li>Store it in a locked drawer or safe, away from the computer. Do not photograph, scan or email it.</li>
        <li>Anyone with this code and a copy of the data folder can read the patient records.</li>
        <li>To use it: start Chartroom, choose “Unlock with the recovery code”, and type the code exactly.</li>
      </ul>
      <p class="print-sign">Stored by: ______________________ &nbsp; Date: ______________</p>
    </div>
  </div>`;
}
