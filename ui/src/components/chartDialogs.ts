// Dialogs shared by the chart's tabs: "entered in error" (a reason, then the
// caller's request: entries, observations, notes, documents), an entry's
// saved versions, the edit dialog of a visit's or a document's description
// (field errors, a version conflict with a reload button) and the replaced
// states of that description (`RecordHistory`).

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { EntryVersionView } from '../bindings/EntryVersionView';
import type { RecordVersion } from '../bindings/RecordVersion';
import { Button, FormError, Modal, Spinner, TextAreaField, useFormErrors } from './form';
import { capitalize } from './toast';
import { ENTRY_STATUS_LABEL, formatInstant, recordFieldsText } from '../format';
import { entryDetailText } from './entryText';

/** Asks why a record is wrong, then runs `onConfirm(reason)`; the backend
 *  refuses an empty reason (`error-reason`). */
export function InErrorDialog(p: {
  what: ComponentChildren;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
  children?: ComponentChildren;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['reason']);

  const confirm = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await p.onConfirm(reason);
      p.onClose();
    } catch (err) {
      const w = api.toWireError(err);
      if (w.code === 'conflict') {
        form.setErrors({ fields: {}, general: 'Someone changed this record since it was loaded. Close this dialog and reload the list, then try again.' });
      } else {
        form.fail(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return html`<${Modal} title="Mark as entered in error" testid="in-error-dialog" onClose=${p.onClose}>
    <form onSubmit=${confirm} novalidate>
      <${FormError} error=${form.errors.general} />
      <div class="in-error-what">${p.what}</div>
      <p class="muted small">The record stays in the chart, struck through, with your reason. Nothing is deleted.</p>
      ${p.children}
      <${TextAreaField} label="Reason" name="reason" testid="in-error-reason" required=${true} rows=${2} value=${reason} onValue=${(v: string) => { setReason(v); form.clearField('reason'); }} error=${form.errors.fields.reason} placeholder="e.g. wrong patient, duplicate, typing error" autoFocus=${true} />
      <div class="modal-actions">
        <button type="button" class="btn btn-ghost" onClick=${p.onClose}>Cancel</button>
        <${Button} kind="danger" type="submit" testid="in-error-confirm" busy=${busy}>Mark entered in error</${Button}>
      </div>
    </form>
  </${Modal}>`;
}

/** Every saved state of an entry, newest first. */
export function EntryHistoryDialog(p: { entryId: number; title: string; onClose: () => void }) {
  const [versions, setVersions] = useState<EntryVersionView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .entryHistory(p.entryId)
      .then((v) => setVersions([...v].sort((a, b) => b.version - a.version)))
      .catch((e) => {
        const w = api.toWireError(e);
        if (!api.isSessionTrouble(w)) setError(capitalize(w.message));
      });
  }, [p.entryId]);

  return html`<${Modal} title=${`History: ${p.title}`} testid="entry-history-dialog" onClose=${p.onClose} wide=${true}>
    <${FormError} error=${error} />
    ${!versions && !error ? html`<${Spinner} label="Loading history…" />` : null}
    ${versions
      ? html`<div class="table-wrap"><table class="data-table compact-table" data-testid="entry-history-list">
          <thead><tr><th>Version</th><th>Change</th><th>By</th><th>When</th><th>Status</th><th>Entry</th></tr></thead>
          <tbody>
            ${versions.map(
              (v) => html`<tr key=${v.version} data-testid="entry-version" data-version=${v.version}>
                <td class="mono">${v.version}</td>
                <td>${v.change}</td>
                <td>${v.saved_by}</td>
                <td class="nowrap">${formatInstant(v.saved_at)}</td>
                <td><span class=${`chip status-chip status-${v.status}`}>${ENTRY_STATUS_LABEL[v.status] ?? v.status}</span></td>
                <td>
                  <div class=${v.status === 'entered_in_error' ? 'struck' : ''}><strong>${v.label}</strong>${v.code ? html` <span class="mono muted">${v.code}</span>` : null}</div>
                  <div class="muted small">${entryDetailText(v.details, v.effective_date)}</div>
                  ${v.error_reason ? html`<div class="in-error-reason small">Reason: ${v.error_reason}</div>` : null}
                </td>
              </tr>`,
            )}
          </tbody>
        </table></div>`
      : null}
    <div class="modal-actions"><button type="button" class="btn btn-secondary" onClick=${p.onClose}>Close</button></div>
  </${Modal}>`;
}

/** Edits a record's description: `save` sends it (and updates the caller's
 *  state), then the dialog closes. Field errors land under the fields named
 *  in `fields`; a version conflict offers `onReload` (then the dialog closes). */
export function RecordEditDialog(p: {
  title: string;
  testid: string;
  saveTestid: string;
  reloadTestid: string;
  /** What is edited, for the conflict message ("visit", "document"). */
  noun: string;
  fields: readonly string[];
  save: () => Promise<void>;
  onReload: () => Promise<void>;
  onClose: () => void;
  /** The fields; receives the form's field errors to place under them. */
  render: (errors: Record<string, string>, clearField: (name: string) => void) => ComponentChildren;
}) {
  const form = useFormErrors(p.fields);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setConflict(null);
    setBusy(true);
    try {
      await p.save();
      p.onClose();
    } catch (err) {
      const w = api.toWireError(err);
      if (w.code === 'conflict') setConflict(capitalize(w.message));
      else form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<${Modal} title=${p.title} testid=${p.testid} onClose=${p.onClose}>
    <form onSubmit=${submit} novalidate>
      ${conflict
        ? html`<div class="notice notice-error" data-testid="form-error" role="alert">
            <strong>This ${p.noun} was changed by someone else while you were editing.</strong>
            <p>Your changes have not been saved: ${conflict} Load the current details, then make your change again.</p>
            <${Button} testid=${p.reloadTestid} onClick=${async () => { await p.onReload(); p.onClose(); }}>Load the current details</${Button}>
          </div>`
        : html`<${FormError} error=${form.errors.general} />`}
      ${p.render(form.errors.fields, form.clearField)}
      <div class="modal-actions">
        <button type="button" class="btn btn-ghost" onClick=${p.onClose}>Cancel</button>
        <${Button} kind="primary" type="submit" testid=${p.saveTestid} busy=${busy}>Save changes</${Button}>
      </div>
    </form>
  </${Modal}>`;
}

/** Whose history: a note's visit, or a document. */
export type HistoryOf = { type: 'visit'; note_id: number } | { type: 'document'; id: number };

/** The replaced states of a visit's or a document's description, oldest
 *  first, then the current one: "Version 1: date 03/01/2026 · type Office
 *  visit · reason BP check — replaced 11/22/2026 09:40 by Maya Patel". */
export function RecordHistoryDialog(p: {
  record: HistoryOf;
  title: string;
  testid: string;
  /** Each replaced version's test id (`data-version` carries its number). */
  itemTestid: string;
  /** The current fields, shown last. */
  current: { field: string; value: string }[];
  onClose: () => void;
}) {
  const [versions, setVersions] = useState<RecordVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(p.record);
  useEffect(() => {
    (p.record.type === 'visit' ? api.visitHistory(p.record.note_id) : api.documentHistory(p.record.id))
      .then((v) => setVersions([...v].sort((a, b) => a.version - b.version)))
      .catch((e) => {
        const w = api.toWireError(e);
        if (!api.isSessionTrouble(w)) setError(capitalize(w.message));
      });
  }, [key]);

  return html`<${Modal} title=${`History: ${p.title}`} testid=${p.testid} onClose=${p.onClose} wide=${true}>
    <${FormError} error=${error} />
    ${!versions && !error ? html`<${Spinner} label="Loading history…" />` : null}
    ${versions
      ? html`<ol class="timeline record-history">
          ${versions.length === 0 ? html`<li class="timeline-item"><span class="muted">No earlier versions: never edited.</span></li>` : null}
          ${versions.map(
            (v) => html`<li class="timeline-item" key=${v.version} data-testid=${p.itemTestid} data-version=${v.version}><strong>Version ${v.version}</strong>: ${recordFieldsText(v.fields)} <span class="muted">— replaced ${formatInstant(v.replaced_at)} by ${v.replaced_by}</span></li>`,
          )}
          <li class="timeline-item current"><strong>Current</strong>: ${recordFieldsText(p.current)}</li>
        </ol>`
      : null}
    <div class="modal-actions"><button type="button" class="btn btn-secondary" onClick=${p.onClose}>Close</button></div>
  </${Modal}>`;
}
