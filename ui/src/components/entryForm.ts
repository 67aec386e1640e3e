// Saving a chart entry: the dialog around a section's fields (`SaveEntry`
// with `entry_id`/`expected_version` when editing), field errors under the
// fields, a version conflict as `form-error` with a reload button, and the
// safety warnings: when the backend answers `needs_override`, the
// `safety-dialog` lists the findings and asks for a reason before saving again.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { ChartEntry } from '../bindings/ChartEntry';
import type { EntryInput } from '../bindings/EntryInput';
import type { SafetyFinding } from '../bindings/SafetyFinding';
import type { Severity } from '../bindings/Severity';
import { Button, FormError, Modal, TextAreaField, useFormErrors } from './form';
import { capitalize } from './toast';

/** A finding's severity as a badge. */
export function SeverityBadge(p: { severity: Severity }) {
  return html`<span class=${`sev-badge sev-${p.severity}`}>${SEVERITY_BADGE[p.severity] ?? p.severity}</span>`;
}

const SEVERITY_BADGE: Record<Severity, string> = {
  low: 'Low',
  moderate: 'Moderate',
  major: 'Major',
  contraindicated: 'Contraindicated',
};

/** The findings of the safety checks, as a list. */
export function FindingList(p: { findings: SafetyFinding[]; itemTestid?: string }) {
  return html`<ul class="finding-list">
    ${p.findings.map(
      (f, i) => html`<li key=${i} class=${`finding sev-${f.severity}`} data-testid=${p.itemTestid ?? 'safety-finding'} data-kind=${f.kind} data-severity=${f.severity}>
        <${SeverityBadge} severity=${f.severity} />
        <div class="finding-text">
          <div class="finding-message">${f.message}</div>
          ${f.detail ? html`<div class="finding-detail">${f.detail}</div>` : null}
          ${f.source ? html`<div class="finding-source">Source: ${f.source}</div>` : null}
        </div>
      </li>`,
    )}
  </ul>`;
}

function SafetyDialog(p: {
  findings: SafetyFinding[];
  onProceed: (reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['override_reason']);
  const proceed = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await p.onProceed(reason);
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title="Safety warning" testid="safety-dialog" onClose=${p.onCancel} wide=${true}>
    <form onSubmit=${proceed} novalidate>
      <div class="safety-lead">
        <span class="safety-icon" aria-hidden="true">!</span>
        <p>The offline checks found ${p.findings.length === 1 ? 'a problem' : `${p.findings.length} problems`} with this drug for this patient. Nothing has been saved.</p>
      </div>
      <${FindingList} findings=${p.findings} />
      <${FormError} error=${form.errors.general} />
      <${TextAreaField} label="Reason for going ahead" name="override_reason" testid="safety-reason" required=${true} rows=${2} value=${reason} onValue=${(v: string) => { setReason(v); form.clearField('override_reason'); }} error=${form.errors.fields.override_reason} hint="Kept with the entry and in the audit log." placeholder="e.g. tolerated before; benefit outweighs risk, patient informed" />
      <div class="modal-actions">
        <button type="button" class="btn btn-secondary" data-testid="safety-cancel" onClick=${p.onCancel}>Cancel, do not save</button>
        <${Button} kind="danger" type="submit" testid="safety-proceed" busy=${busy}>Save anyway</${Button}>
      </div>
    </form>
  </${Modal}>`;
}

/** A section's add/edit dialog. `build` turns the fields into the request's
 *  entry; `fields` lists the field names the form shows (for `error-<field>`). */
export function EntryDialog(p: {
  title: string;
  testid: string;
  saveTestid: string;
  patientId: number;
  editing: ChartEntry | null;
  fields: readonly string[];
  build: () => EntryInput;
  onSaved: (e: ChartEntry) => void;
  onClose: () => void;
  /** Reloads the list after a version conflict. */
  onReload: () => void;
  /** The fields; receives the form's field errors to place under them. */
  render: (errors: Record<string, string>, clearField: (name: string) => void) => ComponentChildren;
  wide?: boolean;
}) {
  const form = useFormErrors(p.fields);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const [findings, setFindings] = useState<{ entry: EntryInput; list: SafetyFinding[] } | null>(null);

  const send = async (entry: EntryInput, override_reason: string | null) => {
    const out = await api.saveEntry({
      patient_id: p.patientId,
      entry_id: p.editing ? p.editing.id : null,
      expected_version: p.editing ? p.editing.version : 0,
      entry,
      override_reason,
    });
    if (out.outcome === 'needs_override') {
      setFindings({ entry, list: out.findings });
    } else {
      setFindings(null);
      p.onSaved(out.entry);
    }
  };

  const failed = (err: unknown) => {
    const w = api.toWireError(err);
    if (w.code === 'conflict') {
      setFindings(null);
      setConflict(capitalize(w.message));
    } else {
      form.fail(err);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setConflict(null);
    setBusy(true);
    try {
      await send(p.build(), null);
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<${Modal} title=${p.title} testid=${p.testid} onClose=${p.onClose} wide=${p.wide}>
    <form onSubmit=${submit} novalidate class="entry-form">
      ${conflict
        ? html`<div class="notice notice-error" data-testid="form-error" role="alert">
            <strong>This entry was changed by someone else while you were editing.</strong>
            <p>Your changes have not been saved (${conflict}) Reload the list, then make your change again.</p>
            <${Button} testid="entry-reload" onClick=${() => { p.onReload(); p.onClose(); }}>Reload the list</${Button}>
          </div>`
        : html`<${FormError} error=${form.errors.general} />`}
      ${p.render(form.errors.fields, form.clearField)}
      <div class="modal-actions">
        <button type="button" class="btn btn-ghost" onClick=${p.onClose}>Cancel</button>
        <${Button} kind="primary" type="submit" testid=${p.saveTestid} busy=${busy}>${p.editing ? 'Save changes' : 'Save'}</${Button}>
      </div>
    </form>
    ${findings
      ? html`<${SafetyDialog}
          findings=${findings.list}
          onCancel=${() => setFindings(null)}
          onProceed=${async (reason: string) => {
            try {
              await send(findings.entry, reason);
            } catch (err) {
              const w = api.toWireError(err);
              // The reason's own error stays in the safety dialog.
              if (w.fields.some((f) => f.field === 'override_reason')) throw err;
              failed(err);
              setFindings(null);
            }
          }}
        />`
      : null}
  </${Modal}>`;
}
