// The notes list of a chart and the start of a visit: date, kind, reason and
// an optional template (`StartEncounter`), which opens the new draft in the
// note editor. Templates are managed on their own screen.

import { useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import type { NoteStatus } from '../../bindings/NoteStatus';
import type { NoteTemplate } from '../../bindings/NoteTemplate';
import { Button, FormError, Modal, SelectField, Spinner, TextField, useFormErrors } from '../../components/form';
import { ENCOUNTER_KIND_LABEL, ENCOUNTER_KINDS, formatDate, todayText } from '../../format';
import { navigate, noteHref } from '../../router';
import { useChart } from './context';
import { useLoad } from './data';

const NOTE_STATUS_LABEL: Record<NoteStatus, string> = {
  draft: 'Draft',
  signed: 'Signed',
  entered_in_error: 'Entered in error',
};

export function NoteStatusChip(p: { status: NoteStatus }) {
  return html`<span class=${`chip note-chip note-${p.status}`}>${NOTE_STATUS_LABEL[p.status] ?? p.status}</span>`;
}

export function NotesTab() {
  const ctx = useChart();
  const notes = useLoad(() => api.listNotes(ctx.patientId), [ctx.patientId]);
  const [starting, setStarting] = useState(false);
  const open = (id: number) => navigate(noteHref(ctx.patientId, id));
  const rows = [...(notes.data ?? [])].sort((a, b) => b.encounter_date.localeCompare(a.encounter_date) || b.id - a.id);

  return html`<div class="chart-body">
    <section class="panel flush">
      <div class="panel-head">
        <h2>Notes ${notes.data ? html`<span class="count">${notes.data.length}</span>` : null}</h2>
        <div class="panel-tools">
          <a class="btn btn-ghost btn-small" href="#/templates" data-testid="templates-link">Templates</a>
          ${ctx.canWrite ? html`<button type="button" class="btn btn-primary btn-small" data-testid="note-new" onClick=${() => setStarting(true)}>New visit note</button>` : null}
        </div>
      </div>
      ${!notes.data
        ? notes.failed ? null : html`<${Spinner} />`
        : rows.length === 0
          ? html`<p class="panel-empty">No notes yet.</p>`
          : html`<div class="table-scroll"><table class="data-table compact-table notes-table">
              <thead><tr><th>Date</th><th>Visit</th><th>Reason</th><th>Summary</th><th>Provider</th><th>Status</th></tr></thead>
              <tbody>
                ${rows.map(
                  (n) => html`<tr key=${n.id} class=${`clickable ${n.status === 'entered_in_error' ? 'is-in-error' : ''}`} data-testid="note-row" data-note-id=${n.id} data-status=${n.status} tabIndex=${0}
                      onClick=${() => open(n.id)} onKeyDown=${(e: KeyboardEvent) => e.key === 'Enter' && open(n.id)}>
                    <td class="nowrap">${formatDate(n.encounter_date)}</td>
                    <td class="nowrap">${ENCOUNTER_KIND_LABEL[n.encounter_kind] ?? n.encounter_kind}</td>
                    <td class="entry-label">${n.reason}</td>
                    <td class="note-preview">${n.preview || html`<span class="none">(empty)</span>`}</td>
                    <td class="nowrap">${n.provider}</td>
                    <td class="nowrap"><${NoteStatusChip} status=${n.status} />${n.addenda ? html` <span class="muted small">+${n.addenda} addend${n.addenda === 1 ? 'um' : 'a'}</span>` : null}</td>
                  </tr>`,
                )}
              </tbody>
            </table></div>`}
    </section>
    ${starting ? html`<${StartEncounterDialog} onClose=${() => setStarting(false)} onStarted=${open} />` : null}
  </div>`;
}

function StartEncounterDialog(p: { onClose: () => void; onStarted: (noteId: number) => void }) {
  const ctx = useChart();
  const templates = useLoad(() => api.listTemplates(), []);
  const [date, setDate] = useState(todayText());
  const [kind, setKind] = useState('office_visit');
  const [reason, setReason] = useState('');
  const [template, setTemplate] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['date', 'kind', 'reason', 'template_id']);
  const f = form.errors.fields;
  const active = (templates.data ?? []).filter((t: NoteTemplate) => t.active);

  const start = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const note = await api.startEncounter({ patient_id: ctx.patientId, date, kind, reason, template_id: template ? Number(template) : null });
      p.onStarted(note.id);
    } catch (err) {
      form.fail(err);
      setBusy(false);
    }
  };

  return html`<${Modal} title="New visit note" testid="encounter-dialog" onClose=${p.onClose}>
    <form onSubmit=${start} novalidate>
      <${FormError} error=${form.errors.general} />
      <div class="grid-2">
        <${TextField} label="Visit date" name="date" testid="encounter-date" required=${true} value=${date} onValue=${(v: string) => { setDate(v); form.clearField('date'); }} error=${f.date} placeholder="MM/DD/YYYY" inputMode="numeric" />
        <${SelectField} label="Visit type" name="kind" testid="encounter-kind" value=${kind} onValue=${setKind} options=${ENCOUNTER_KINDS} error=${f.kind} />
      </div>
      <${TextField} label="Reason for visit" name="reason" testid="encounter-reason" required=${true} value=${reason} onValue=${(v: string) => { setReason(v); form.clearField('reason'); }} error=${f.reason} autoFocus=${true} placeholder="e.g. follow-up hypertension" />
      <${SelectField} label="Template" name="template_id" testid="encounter-template" value=${template} onValue=${setTemplate} error=${f.template_id}
        placeholder=${templates.data ? (active.length ? 'No template (blank note)' : 'No templates yet') : 'Loading templates…'}
        options=${active.map((t) => ({ value: String(t.id), label: t.name }))} />
      <div class="modal-actions">
        <button type="button" class="btn btn-ghost" onClick=${p.onClose}>Cancel</button>
        <${Button} kind="primary" type="submit" testid="encounter-start" busy=${busy}>Start note</${Button}>
      </div>
    </form>
  </${Modal}>`;
}
