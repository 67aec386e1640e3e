// One note at `#/patient/<id>/notes/<noteId>`. A draft opens in the editor:
// SOAP sections, autosaved (`SaveNoteDraft`) one second after typing stops,
// on leaving a field, before the session locks or ends and when the editor
// closes, always with the version of the last save; then signed with the
// password asked again. While it is a draft, its visit (date, type, reason)
// can be corrected (`UpdateVisit`, its own version) without touching the
// text being typed; the visit's earlier states are under "Visit history". A
// signed note is read only, with its hash check and signed addenda; a note
// entered in error stays readable under a banner. Under the note, the
// visit's superbill (./superbill).

import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import { useApp } from '../../app';
import type { NoteBody } from '../../bindings/NoteBody';
import type { NoteView } from '../../bindings/NoteView';
import { Button, FormError, Modal, SelectField, Spinner, TextAreaField, TextField, useFormErrors, useAutoFocus } from '../../components/form';
import { InErrorDialog, RecordEditDialog, RecordHistoryDialog } from '../../components/chartDialogs';
import { capitalize, toast } from '../../components/toast';
import { clockTime, ENCOUNTER_KIND_LABEL, ENCOUNTER_KINDS, formatDate, formatInstant } from '../../format';
import { onBeforeLock } from '../../flush';
import { patientHref } from '../../router';
import { useChart } from './context';
import { NoteStatusChip } from './notes';
import { SuperbillPanel } from './superbill';

const AUTOSAVE_MS = 1000;
const SECTIONS: { key: 'subjective' | 'objective' | 'assessment' | 'plan'; label: string; hint: string }[] = [
  { key: 'subjective', label: 'Subjective', hint: 'History of present illness, symptoms, what the patient reports' },
  { key: 'objective', label: 'Objective', hint: 'Examination, vital signs, results' },
  { key: 'assessment', label: 'Assessment', hint: 'Diagnoses and clinical impression' },
  { key: 'plan', label: 'Plan', hint: 'Treatment, orders, follow-up' },
];

/** `note` with the visit of `from` (another answer about the same note); its
 *  text and version stay, so the editor (keyed by the version) keeps what is
 *  being typed. */
function withVisit(note: NoteView, from: NoteView): NoteView {
  return {
    ...note,
    encounter_date: from.encounter_date,
    encounter_kind: from.encounter_kind,
    reason: from.reason,
    encounter_version: from.encounter_version,
  };
}

export function NoteScreen(p: { noteId: number }) {
  const ctx = useChart();
  const app = useApp();
  const [note, setNote] = useState<NoteView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      setNote(await api.getNote(p.noteId));
      setError(null);
    } catch (e) {
      const w = api.toWireError(e);
      if (!api.isSessionTrouble(w)) setError(capitalize(w.message));
    }
  };
  useEffect(() => {
    void load();
  }, [p.noteId]);

  if (error) return html`<div class="panel"><${FormError} error=${error} /><a class="btn btn-secondary" href=${patientHref(ctx.patientId, 'notes')}>Back to notes</a></div>`;
  if (!note) return html`<${Spinner} label="Opening note…" />`;
  if (note.patient_id !== ctx.patientId) return html`<div class="panel"><${FormError} error="This note belongs to another patient's chart." /></div>`;
  // The visit's superbill under its note, for those who see billing.
  const superbill = app.can('billing_read') && note.status !== 'entered_in_error'
    ? html`<${SuperbillPanel} patientId=${note.patient_id} encounterId=${note.encounter_id} />`
    : null;
  if (note.can_edit) {
    return html`<div><${NoteEditor} key=${`${note.id}:${note.version}`} note=${note} onSigned=${(n: NoteView) => { setNote(n); ctx.reloadSummary(); }} onRetracted=${setNote} onReload=${load}
      onVisitChanged=${(n: NoteView) => setNote((old) => (old ? withVisit(old, n) : n))} />${superbill}</div>`;
  }
  return html`<div><${NoteReadView} note=${note} onChanged=${setNote} />${superbill}</div>`;
}

/** The visit's fields as `RecordHistory` lists them. */
const visitFields = (n: NoteView) => [
  { field: 'date', value: n.encounter_date },
  { field: 'type', value: n.encounter_kind },
  { field: 'reason', value: n.reason },
];

function NoteHeader(p: { note: NoteView; children?: unknown }) {
  const ctx = useChart();
  const n = p.note;
  const [history, setHistory] = useState(false);
  return html`<div class="note-head">
    <div>
      <a class="back-link" href=${patientHref(ctx.patientId, 'notes')}>← Notes</a>
      <h1 class="note-title" data-testid="visit-header">${ENCOUNTER_KIND_LABEL[n.encounter_kind] ?? n.encounter_kind} · ${formatDate(n.encounter_date)} <${NoteStatusChip} status=${n.status} /></h1>
      <div class="note-meta"><strong data-testid="visit-header-reason">${n.reason}</strong> · ${n.provider} <button type="button" class="btn btn-ghost btn-xs" data-testid="visit-history" onClick=${() => setHistory(true)}>Visit history</button></div>
    </div>
    <div class="note-head-tools">${p.children}</div>
    ${history
      ? html`<${RecordHistoryDialog} record=${{ type: 'visit', note_id: n.id }} title=${`Visit of ${formatDate(n.encounter_date)}`}
          testid="visit-history-dialog" itemTestid="visit-version" current=${visitFields(n)} onClose=${() => setHistory(false)} />`
      : null}
  </div>`;
}

const VISIT_FIELDS = ['date', 'kind', 'reason'] as const;

/** Corrects a draft's visit: date (MM/DD/YYYY), type and reason. */
function VisitDialog(p: { note: NoteView; onChanged: (n: NoteView) => void; onClose: () => void }) {
  const ctx = useChart();
  const n = p.note;
  const [date, setDate] = useState(formatDate(n.encounter_date));
  const [kind, setKind] = useState(n.encounter_kind);
  const [reason, setReason] = useState(n.reason);
  return html`<${RecordEditDialog} title="Edit visit" testid="visit-dialog" saveTestid="visit-save" reloadTestid="visit-reload" noun="visit"
    fields=${VISIT_FIELDS} onClose=${p.onClose}
    save=${async () => {
      p.onChanged(await api.updateVisit({ note_id: n.id, expected_version: n.encounter_version, date, kind, reason }));
      toast('Visit updated', 'success');
      void ctx.reloadSummary();
    }}
    onReload=${async () => p.onChanged(await api.getNote(n.id))}
    render=${(f: Record<string, string>, clearField: (name: string) => void) => html`
      <p class="muted small">Corrects the visit while the note is a draft; the earlier details stay in the visit's history.</p>
      <div class="grid-2">
        <${TextField} label="Visit date" name="date" testid="visit-date" required=${true} value=${date} onValue=${(v: string) => { setDate(v); clearField('date'); }} error=${f.date} placeholder="MM/DD/YYYY" inputMode="numeric" />
        <${SelectField} label="Visit type" name="kind" testid="visit-kind" value=${kind} onValue=${(v: string) => { setKind(v); clearField('kind'); }} options=${ENCOUNTER_KINDS} error=${f.kind} />
      </div>
      <${TextField} label="Reason for visit" name="reason" testid="visit-reason" required=${true} value=${reason} onValue=${(v: string) => { setReason(v); clearField('reason'); }} error=${f.reason} autoFocus=${true} />`} />`;
}

type SaveState = { kind: 'idle' } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'error'; message: string; stop?: boolean };

function NoteEditor(p: {
  note: NoteView;
  onSigned: (n: NoteView) => void;
  onRetracted: (n: NoteView) => void;
  onReload: () => Promise<void>;
  /** After the visit was corrected: the answer's visit goes into the note. */
  onVisitChanged: (n: NoteView) => void;
}) {
  const app = useApp();
  const ctx = useChart();
  const noteId = p.note.id;
  const [body, setBody] = useState<NoteBody>(p.note.body);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const [signing, setSigning] = useState(false);
  const [retracting, setRetracting] = useState(false);
  const [editingVisit, setEditingVisit] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  // What the next save needs, outside of renders.
  const version = useRef(p.note.version);
  const latest = useRef(body);
  const dirty = useRef(false);
  const stopped = useRef(false); // after a conflict: saving again would overwrite someone's work
  const inflight = useRef<Promise<void> | null>(null);
  const timer = useRef<number | null>(null);
  const mounted = useRef(true);
  const set = (s: SaveState) => mounted.current && setState(s);

  const cancelTimer = () => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
  };

  /** Saves what is typed, if anything changed; one save at a time. */
  const save = async (): Promise<void> => {
    cancelTimer();
    while (inflight.current) await inflight.current;
    if (!dirty.current || stopped.current) return;
    const snapshot = latest.current;
    dirty.current = false;
    set({ kind: 'saving' });
    const run = (async () => {
      try {
        const n = await api.saveNoteDraft(noteId, version.current, snapshot);
        version.current = n.version;
        if (mounted.current) setFieldErrors({});
        set(dirty.current ? { kind: 'dirty' } : { kind: 'saved', at: new Date() });
      } catch (e) {
        dirty.current = true; // keep the text; try again later
        const w = api.toWireError(e);
        if (w.code === 'conflict') {
          stopped.current = true;
          set({ kind: 'error', message: 'Not saved: this note was changed elsewhere. Copy your text, then reload the note.', stop: true });
        } else if (api.isSessionTrouble(w)) {
          set({ kind: 'error', message: 'Not saved yet: the session is locked. It saves when you unlock.' });
        } else {
          const fields: Record<string, string> = {};
          for (const f of w.fields) fields[f.field] = f.message;
          if (mounted.current) setFieldErrors(fields);
          set({ kind: 'error', message: `Not saved: ${capitalize(w.message)}` });
        }
      }
    })();
    inflight.current = run;
    try {
      await run;
    } finally {
      inflight.current = null;
    }
  };
  const saveRef = useRef(save);
  saveRef.current = save;

  const edit = (key: keyof NoteBody) => (v: string) => {
    const next = { ...latest.current, [key]: v };
    latest.current = next;
    setBody(next);
    dirty.current = true;
    if (!stopped.current) set({ kind: 'dirty' });
    cancelTimer();
    timer.current = window.setTimeout(() => void saveRef.current(), AUTOSAVE_MS);
  };

  // Before the session locks or ends; and when the editor closes (another
  // tab, another screen), whatever is pending goes out.
  useEffect(() => {
    const off = onBeforeLock(() => saveRef.current());
    return () => {
      off();
      mounted.current = false;
      if (dirty.current) void saveRef.current();
      else cancelTimer();
    };
  }, []);

  // Back from a lock: anything that could not be saved is saved now.
  useEffect(() => {
    if (!app.session.locked && dirty.current && !stopped.current) void saveRef.current();
  }, [app.session]);

  const status =
    state.kind === 'saving'
      ? html`<span class="autosave is-saving"><span class="spinner" aria-hidden="true"></span>Saving…</span>`
      : state.kind === 'saved'
        ? html`<span class="autosave is-saved">Saved ${clockTime(state.at)}</span>`
        : state.kind === 'dirty'
          ? html`<span class="autosave is-dirty">Unsaved changes</span>`
          : state.kind === 'error'
            ? html`<span class="autosave is-error" role="alert">${state.message}</span>`
            : html`<span class="autosave">Draft · saves as you type</span>`;

  return html`<div class="note-screen">
    <${NoteHeader} note=${p.note}>
      <span data-testid="note-autosave-status" aria-live="polite">${status}</span>
      ${state.kind === 'error' && state.stop ? html`<${Button} onClick=${() => void p.onReload()}>Reload note</${Button}>` : null}
      <button type="button" class="btn btn-ghost btn-small" data-testid="visit-edit" onClick=${() => setEditingVisit(true)}>Edit visit</button>
      <button type="button" class="btn btn-ghost btn-small btn-danger-text" data-testid="note-in-error" onClick=${() => setRetracting(true)}>In error…</button>
      <${Button} kind="primary" testid="note-sign" onClick=${async () => { await save(); setSigning(true); }}>Sign note</${Button}>
    </${NoteHeader}>
    <div class="panel note-editor">
      ${SECTIONS.map(
        (s) => html`<${TextAreaField} key=${s.key} label=${s.label} name=${s.key} testid=${`note-${s.key}`} rows=${s.key === 'plan' || s.key === 'subjective' ? 6 : 5}
          value=${body[s.key]} onValue=${edit(s.key)} onBlur=${() => void save()} hint=${s.hint} error=${fieldErrors[s.key]} class="note-section" />`,
      )}
    </div>
    ${signing
      ? html`<${SignDialog} onClose=${() => setSigning(false)} sign=${async (password: string) => {
          await save();
          if (dirty.current) throw { code: 'internal', message: 'The latest text could not be saved, so the note was not signed', fields: [] };
          const n = await api.signNote(noteId, version.current, password);
          toast('Note signed', 'success');
          p.onSigned(n);
        }} />`
      : null}
    ${editingVisit ? html`<${VisitDialog} note=${p.note} onChanged=${p.onVisitChanged} onClose=${() => setEditingVisit(false)} />` : null}
    ${retracting
      ? html`<${InErrorDialog} what=${html`This draft note (${formatDate(p.note.encounter_date)}, ${p.note.reason})`} onClose=${() => setRetracting(false)}
          onConfirm=${async (reason: string) => {
            await save();
            stopped.current = true;
            p.onRetracted(await api.markNoteInError(noteId, reason));
            void ctx.reloadSummary();
          }} />`
      : null}
  </div>`;
}

function SignDialog(p: { onClose: () => void; sign: (password: string) => Promise<void> }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useAutoFocus<HTMLInputElement>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await p.sign(password);
    } catch (err) {
      const w = api.toWireError(err);
      if (api.isSessionTrouble(w)) return;
      setError(w.code === 'wrong_password' ? 'Wrong password.' : capitalize(w.fields[0]?.message ?? w.message));
      setPassword('');
      ref.current?.focus();
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title="Sign note" testid="sign-dialog" onClose=${p.onClose}>
    <form onSubmit=${submit} novalidate>
      <p>Signing locks the note: it can no longer be edited, only added to with a signed addendum. Type your password to sign.</p>
      <div class=${`field ${error ? 'has-error' : ''}`}>
        <label for="sign-password">Your password</label>
        <input ref=${ref} id="sign-password" type="password" data-testid="sign-password" autocomplete="current-password" value=${password}
          aria-invalid=${error ? 'true' : undefined} onInput=${(e: Event) => setPassword((e.currentTarget as HTMLInputElement).value)} />
        ${error ? html`<div class="field-error" data-testid="sign-error" role="alert">${error}</div>` : null}
      </div>
      <div class="modal-actions">
        <button type="button" class="btn btn-ghost" onClick=${p.onClose}>Cancel</button>
        <${Button} kind="primary" type="submit" testid="sign-confirm" busy=${busy}>Sign and lock</${Button}>
      </div>
    </form>
  </${Modal}>`;
}

/** A signed note (or a draft for a reader, or a note in error), read only. */
function NoteReadView(p: { note: NoteView; onChanged: (n: NoteView) => void }) {
  const ctx = useChart();
  const n = p.note;
  const [retracting, setRetracting] = useState(false);
  const signed = n.signed_at ? `Signed by ${n.signed_by} on ${formatInstant(n.signed_at)}` : n.status === 'draft' ? 'Draft: not signed yet' : 'Not signed';

  return html`<div class="note-screen" data-testid="note-view">
    <${NoteHeader} note=${n}>
      ${ctx.canWrite && n.status !== 'entered_in_error'
        ? html`<button type="button" class="btn btn-ghost btn-small btn-danger-text" data-testid="note-in-error" onClick=${() => setRetracting(true)}>In error…</button>`
        : null}
    </${NoteHeader}>
    ${n.status === 'entered_in_error'
      ? html`<div class="notice notice-error note-in-error-banner" data-testid="note-in-error-banner" role="note">
          <strong>Entered in error.</strong> ${n.error_reason ? `Reason: ${capitalize(n.error_reason)}` : ''} The note is kept for the record; do not rely on it.
        </div>`
      : null}
    <div class="panel note-read">
      <div class="note-signature">
        <span data-testid="note-status">${signed}</span>
        ${n.signed_at ? html`<${SignatureBadge} note=${n} testid="note-signature-check" />` : null}
      </div>
      ${SECTIONS.map(
        (s) => html`<section key=${s.key} class="note-read-section">
          <h2>${s.label}</h2>
          <div class="note-text" data-testid=${`note-text-${s.key}`}>${n.body[s.key] || html`<span class="none">—</span>`}</div>
        </section>`,
      )}
      ${n.body.text ? html`<section class="note-read-section"><div class="note-text">${n.body.text}</div></section>` : null}
    </div>
    ${n.addenda.length
      ? html`<section class="panel addenda">
          <h2>Addenda</h2>
          ${n.addenda.map(
            (a) => html`<article key=${a.id} class="addendum" data-testid="addendum" data-note-id=${a.id}>
              <div class="addendum-head">Addendum signed by <strong>${a.signed_by || a.created_by}</strong>${a.signed_at ? ` on ${formatInstant(a.signed_at)}` : ''}
                ${a.signed_at ? html` <${SignatureBadge} note=${a} small />` : null}
              </div>
              <div class="note-text">${a.body.text}</div>
            </article>`,
          )}
        </section>`
      : null}
    ${n.status === 'signed' && ctx.canWrite ? html`<${AddendumForm} note=${n} onAdded=${p.onChanged} />` : null}
    ${retracting
      ? html`<${InErrorDialog} what=${html`The note of ${formatDate(n.encounter_date)} (${n.reason})`} onClose=${() => setRetracting(false)}
          onConfirm=${async (reason: string) => {
            p.onChanged(await api.markNoteInError(n.id, reason));
            void ctx.reloadSummary();
          }} />`
      : null}
  </div>`;
}

function AddendumForm(p: { note: NoteView; onAdded: (n: NoteView) => void }) {
  const [text, setText] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['text', 'password']);
  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const n = await api.addAddendum(p.note.id, text, password);
      setText('');
      setPassword('');
      toast('Addendum signed', 'success');
      p.onAdded(n);
    } catch (err) {
      const w = api.toWireError(err);
      if (w.code === 'wrong_password') form.setErrors({ fields: { password: 'Wrong password.' }, general: null });
      else form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="panel addendum-form" onSubmit=${submit} novalidate>
    <h2>Add an addendum</h2>
    <p class="muted small">The signed note does not change; the addendum is signed and shown under it.</p>
    <${FormError} error=${form.errors.general} />
    <${TextAreaField} label="Addendum" name="text" testid="addendum-text" rows=${3} value=${text} onValue=${(v: string) => { setText(v); form.clearField('text'); }} error=${form.errors.fields.text} />
    <div class="inline-form">
      <div class=${`field ${form.errors.fields.password ? 'has-error' : ''}`}>
        <label for="addendum-password">Your password</label>
        <input id="addendum-password" type="password" data-testid="addendum-password" autocomplete="current-password" value=${password} onInput=${(e: Event) => { setPassword((e.currentTarget as HTMLInputElement).value); form.clearField('password'); }} />
        ${form.errors.fields.password ? html`<div class="field-error" data-testid="error-password" role="alert">${form.errors.fields.password}</div>` : null}
      </div>
      <${Button} kind="primary" type="submit" testid="addendum-save" busy=${busy}>Sign addendum</${Button}>
    </div>
  </form>`;
}

/** What the backend found when it checked a signed note's signature at this read. */
function SignatureBadge({ note, small, testid }: { note: NoteView; small?: boolean; testid?: string }) {
  const cls = note.signature === 'verified' ? 'hash-ok' : note.signature === 'hash_only' ? 'hash-old' : 'hash-bad';
  const mark = note.signature === 'verified' ? '✓' : note.signature === 'hash_only' ? '•' : '✗';
  return html`<span class=${`${cls}${small ? ' small' : ''}`} data-testid=${testid} data-signature=${note.signature} title=${`SHA-256 ${note.content_hash}`}>${mark} ${capitalize(note.signature_label)}</span>`;
}
