// Emergency access ("break the glass"): open one patient's chart outside
// one's role, by MRN and with a reason. Logged and reviewed.

import { useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import { useApp } from '../app';
import { Button, FormError, TextField, useFormErrors } from '../components/form';
import { IconAlert } from '../components/icons';
import { handOffChart } from '../handoff';
import { navigate, patientHref } from '../router';

export function EmergencyScreen() {
  const app = useApp();
  const [mrn, setMrn] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['mrn', 'reason']);

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const chart = await api.emergencyAccess(mrn, reason);
      handOffChart(chart);
      // The session now carries the emergency grant (banner, navigation).
      await app.refresh();
      navigate(patientHref(chart.patient.id));
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  const f = form.errors.fields;
  return html`<div class="screen emergency-screen">
    <div class="screen-head"><div><h1>Emergency access</h1><p class="muted">Open one patient's chart that your role does not normally allow.</p></div></div>
    <form class="panel narrow-panel" onSubmit=${submit} novalidate>
      <div class="notice notice-warn emergency-warning" role="note">
        ${IconAlert()}
        <div>
          <strong>Use only in a genuine emergency.</strong>
          <p>Your name, the patient, the time and your reason are recorded in the audit log, and every emergency access is reviewed by the practice. Access lasts for this one patient and a limited time.</p>
        </div>
      </div>
      <${FormError} error=${form.errors.general} />
      <${TextField} label="Patient's MRN" name="mrn" testid="emergency-mrn" required=${true} value=${mrn} onValue=${setMrn} error=${f.mrn} mono=${true} autoFocus=${true} class="field-medium" />
      <div class=${`field ${f.reason ? 'has-error' : ''}`}>
        <label for="f-reason">Reason<span class="req" aria-hidden="true">*</span></label>
        <textarea id="f-reason" rows="4" data-testid="emergency-reason" value=${reason} aria-invalid=${f.reason ? 'true' : undefined} placeholder="e.g. Patient arrived unresponsive; treating clinician unavailable" onInput=${(e: Event) => setReason((e.currentTarget as HTMLTextAreaElement).value)}></textarea>
        ${f.reason ? html`<div class="field-error" data-testid="error-reason" role="alert">${f.reason}</div>` : null}
      </div>
      <div class="form-actions left">
        <${Button} kind="danger" type="submit" testid="emergency-submit" busy=${busy}>Open chart with emergency access</${Button}>
      </div>
    </form>
  </div>`;
}
