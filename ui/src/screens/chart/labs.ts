// Lab results: typed in from a report (test from the catalogue, value in
// the catalogue's unit), flagged by the backend against the reference and
// critical limits; a correction replaces a result, which stays readable.

import { useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import type { LabFlag } from '../../bindings/LabFlag';
import type { LabTest } from '../../bindings/LabTest';
import type { ObservationView } from '../../bindings/ObservationView';
import { Button, FormError, Modal, SelectField, Spinner, TextAreaField, TextField, useFormErrors } from '../../components/form';
import { InErrorDialog } from '../../components/chartDialogs';
import { toast } from '../../components/toast';
import { formatDate, inErrorText, isCritical, LAB_FLAG_BADGE, LAB_FLAG_LABEL, todayText } from '../../format';
import { useReference } from '../../reference';
import { useChart } from './context';
import { useLoad } from './data';

/** The visible flag of a result: H / L, critical ones red and bold. */
export function FlagBadge(p: { flag: LabFlag | null; compact?: boolean }) {
  const f = p.flag;
  if (!f || !LAB_FLAG_BADGE[f]) return null;
  const text = isCritical(f) && !p.compact ? `${LAB_FLAG_BADGE[f]} critical` : LAB_FLAG_BADGE[f];
  return html`<span class=${`flag-badge flag-${f} ${isCritical(f) ? 'is-critical' : ''}`} data-testid="lab-flag" title=${LAB_FLAG_LABEL[f]}>${text}</span>`;
}

/** A test's reference range in its unit ("4.0–5.6 %"), as the backend words it. */
export function rangeText(t: LabTest): string {
  return t.range_text || 'no reference range';
}

/** The catalogue's tests by panel, in catalogue order, for a `<select>`. */
export function labGroups(labs: LabTest[]) {
  const panels = new Map<string, LabTest[]>();
  for (const t of labs) {
    const key = t.panel || 'Other tests';
    panels.set(key, [...(panels.get(key) ?? []), t]);
  }
  return [...panels.entries()].map(([label, tests]) => ({
    label,
    options: tests.map((t) => ({ value: t.loinc, label: `${t.name} (${t.unit})` })),
  }));
}

export function LabsTab() {
  const ctx = useChart();
  const obs = useLoad(() => api.listObservations(ctx.patientId, 'lab'), [ctx.patientId]);
  const [form, setForm] = useState<{ replaces: ObservationView | null } | null>(null);
  const [retracting, setRetracting] = useState<ObservationView | null>(null);
  const [showInError, setShowInError] = useState(false);

  const all = obs.data ?? [];
  const retractedCount = all.filter((o) => o.status === 'entered_in_error').length;
  const rows = all
    .filter((o) => showInError || o.status !== 'entered_in_error')
    .sort((a, b) => b.effective_at.localeCompare(a.effective_at) || b.id - a.id);

  return html`<div class="chart-body">
    <section class="panel flush">
      <div class="panel-head">
        <h2>Lab results ${obs.data ? html`<span class="count">${all.length - retractedCount}</span>` : null}</h2>
        <div class="panel-tools">
          ${retractedCount
            ? html`<label class="toggle small"><input type="checkbox" data-testid="entry-show-in-error" checked=${showInError} onChange=${(e: Event) => setShowInError((e.currentTarget as HTMLInputElement).checked)} /> Show corrected and entered in error (${retractedCount})</label>`
            : null}
          ${ctx.canWrite ? html`<button type="button" class="btn btn-primary btn-small" data-testid="lab-add" onClick=${() => setForm({ replaces: null })}>Add result</button>` : null}
        </div>
      </div>
      ${!obs.data
        ? obs.failed ? null : html`<${Spinner} />`
        : rows.length === 0
          ? html`<p class="panel-empty">No lab results recorded.</p>`
          : html`<div class="table-scroll"><table class="data-table compact-table lab-table" data-testid="lab-table">
              <thead><tr><th>Collected</th><th>Test</th><th class="num">Result</th><th>Flag</th><th>Reference range</th><th>Comment</th><th>By</th><th class="row-actions"></th></tr></thead>
              <tbody>
                ${rows.map((o) => {
                  const retracted = o.status === 'entered_in_error';
                  return html`<tr key=${o.id} data-testid="lab-row" data-observation-id=${o.id} data-code=${o.code} data-flag=${o.flag ?? ''} data-status=${o.status} class=${`${retracted ? 'is-in-error' : ''} ${isCritical(o.flag) ? 'is-critical' : ''}`}>
                    <td class="nowrap">${formatDate(o.effective_at)}</td>
                    <td><span class="entry-label">${o.name}</span>${retracted ? html`<span class="in-error-reason">${inErrorText(o)}</span>` : null}</td>
                    <td class=${`num lab-value flag-text-${o.flag ?? 'none'}`}>${o.display_value} <span class="muted small">${o.display_unit}</span></td>
                    <td><${FlagBadge} flag=${o.flag} /></td>
                    <td class="muted small nowrap">${o.reference_range || '—'}</td>
                    <td class="small">${o.comment}</td>
                    <td class="muted small">${o.recorded_by}</td>
                    <td class="row-actions">
                      ${ctx.canWrite && !retracted
                        ? html`<button type="button" class="btn btn-ghost btn-xs" data-testid="lab-correct" onClick=${() => setForm({ replaces: o })}>Correct</button>
                            <button type="button" class="btn btn-ghost btn-xs btn-danger-text" data-testid="entry-in-error" onClick=${() => setRetracting(o)}>In error…</button>`
                        : null}
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table></div>`}
    </section>
    ${form ? html`<${LabDialog} replaces=${form.replaces} onClose=${() => setForm(null)} onSaved=${() => { setForm(null); void obs.reload(); }} />` : null}
    ${retracting
      ? html`<${InErrorDialog}
          what=${html`<strong>${retracting.name}</strong> ${retracting.display_value} ${retracting.display_unit} (${formatDate(retracting.effective_at)})`}
          onClose=${() => setRetracting(null)}
          onConfirm=${async (reason: string) => {
            await api.markObservationInError(retracting.id, reason);
            void obs.reload();
          }}
        />`
      : null}
  </div>`;
}

const FIELDS = ['loinc', 'value', 'collected_on', 'comment'] as const;

function LabDialog(p: { replaces: ObservationView | null; onClose: () => void; onSaved: () => void }) {
  const ctx = useChart();
  const ref = useReference();
  const r = p.replaces;
  const [loinc, setLoinc] = useState(r?.code ?? '');
  const [value, setValue] = useState('');
  const [date, setDate] = useState(r ? formatDate(r.effective_at) : todayText());
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(FIELDS);
  const f = form.errors.fields;
  const test = ref?.labs.find((t) => t.loinc === loinc) ?? null;

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const o = await api.recordLab(ctx.patientId, { loinc, value, collected_on: date, comment }, r?.id ?? null);
      toast(o && o.flag && LAB_FLAG_BADGE[o.flag] ? `Result saved: ${LAB_FLAG_LABEL[o.flag].toLowerCase()}` : 'Result saved', o && isCritical(o.flag) ? 'error' : 'success');
      p.onSaved();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<${Modal} title=${r ? `Correct result: ${r.name}` : 'Add lab result'} testid="lab-dialog" onClose=${p.onClose} wide=${true}>
    <form onSubmit=${submit} novalidate>
      <${FormError} error=${form.errors.general} />
      ${r ? html`<p class="notice">Replaces ${r.display_value} ${r.display_unit} of ${formatDate(r.effective_at)}; the old value stays in the chart, marked as corrected.</p>` : null}
      <${SelectField} label="Test" name="loinc" testid="lab-test" required=${true} value=${loinc} onValue=${(v: string) => { setLoinc(v); form.clearField('loinc'); }} error=${f.loinc}
        placeholder=${ref ? 'Choose a test…' : 'Loading tests…'} options=${[]} groups=${labGroups(ref?.labs ?? [])} />
      ${test
        ? html`<div class="lab-test-info" data-testid="lab-test-info">
            <span><span class="muted">Unit</span> <strong data-testid="lab-unit">${test.unit}</strong></span>
            <span><span class="muted">Reference range</span> <strong data-testid="lab-range">${rangeText(test)}</strong></span>
            ${test.critical_low !== null || test.critical_high !== null
              ? html`<span><span class="muted">Critical</span> ${[test.critical_low !== null ? `< ${test.critical_low}` : '', test.critical_high !== null ? `> ${test.critical_high}` : ''].filter(Boolean).join(' or ')}</span>`
              : null}
            <span class="muted small">LOINC ${test.loinc}</span>
          </div>`
        : null}
      <div class="grid-3">
        <div class="vital-field">
          <${TextField} label="Result" name="value" testid="lab-value" required=${true} value=${value} onValue=${(v: string) => { setValue(v); form.clearField('value'); }} error=${f.value} inputMode="decimal" autoFocus=${!!r} />
          ${test ? html`<span class="unit-suffix">${test.unit}</span>` : null}
        </div>
        <${TextField} label="Collected on" name="collected_on" testid="lab-date" required=${true} value=${date} onValue=${(v: string) => { setDate(v); form.clearField('collected_on'); }} error=${f.collected_on} placeholder="MM/DD/YYYY" inputMode="numeric" />
      </div>
      <${TextAreaField} label="Comment" name="comment" testid="lab-comment" rows=${2} value=${comment} onValue=${setComment} error=${f.comment} placeholder="e.g. fasting; outside lab name" />
      <div class="modal-actions">
        <button type="button" class="btn btn-ghost" onClick=${p.onClose}>Cancel</button>
        <${Button} kind="primary" type="submit" testid="lab-save" busy=${busy}>Save result</${Button}>
      </div>
    </form>
  </${Modal}>`;
}
