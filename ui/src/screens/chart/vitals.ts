// Vital signs: a form for one set (typed in the practice's units or others;
// the backend converts, checks plausibility and computes BMI) and a table of
// sets, newest first, with BP as 128/82. A value entered in error is marked
// per value (`RecordRef::Observation`).

import { useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import type { ObservationView } from '../../bindings/ObservationView';
import type { ReferenceData } from '../../bindings/ReferenceData';
import type { VitalsInput } from '../../bindings/VitalsInput';
import { Button, FieldError, FormError, Modal, SelectField, Spinner, TextField, useFormErrors } from '../../components/form';
import { InErrorDialog } from '../../components/chartDialogs';
import { toast } from '../../components/toast';
import { formatLocal, inErrorText, nowLocalInput } from '../../format';
import { useReference } from '../../reference';
import { useChart } from './context';
import { useLoad } from './data';

/** The table's columns, by the backend's vital keys; BP joins two values. */
const COLUMNS: { keys: string[]; label: string }[] = [
  { keys: ['systolic', 'diastolic'], label: 'BP' },
  { keys: ['pulse'], label: 'Pulse' },
  { keys: ['respiration'], label: 'Resp' },
  { keys: ['temperature'], label: 'Temp' },
  { keys: ['spo2'], label: 'SpO₂' },
  { keys: ['height'], label: 'Height' },
  { keys: ['weight'], label: 'Weight' },
  { keys: ['bmi'], label: 'BMI' },
  { keys: ['head_circumference'], label: 'Head' },
  { keys: ['pain'], label: 'Pain' },
];

/** A vital's key (`systolic`, `bmi`...) by its code. */
export function vitalKeys(ref: ReferenceData | null): Map<string, string> {
  return new Map((ref?.vitals ?? []).map((v) => [v.code, v.key]));
}

export interface VitalSet {
  /** The set's first observation id (its `group_id`). */
  id: number;
  at: string;
  by: string;
  /** Valid values by vital key. */
  values: Map<string, ObservationView>;
  /** Values of the set marked entered in error. */
  retracted: ObservationView[];
}

/** Observations grouped into the sets they were recorded in, newest first. */
export function groupVitals(obs: ObservationView[], keys: Map<string, string>): VitalSet[] {
  const sets = new Map<number, VitalSet>();
  for (const o of obs) {
    const id = o.group_id ?? o.id;
    let s = sets.get(id);
    if (!s) {
      s = { id, at: o.effective_at, by: o.recorded_by, values: new Map(), retracted: [] };
      sets.set(id, s);
    }
    if (o.status === 'entered_in_error') s.retracted.push(o);
    else s.values.set(keys.get(o.code) ?? o.code, o);
  }
  return [...sets.values()].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
}

/** One column's value of a set as text (`128/82`), or null. */
export function vitalValue(values: Map<string, ObservationView>, keys: string[]): { text: string; unit: string } | null {
  const obs = keys.map((k) => values.get(k));
  if (obs.every((o) => !o)) return null;
  const text = obs.map((o) => o?.display_value ?? '?').join('/');
  return { text, unit: obs.find((o) => o)?.display_unit ?? '' };
}

/** The table's columns. Without the reference list (emergency access
 *  may not read it) values are keyed by code: one column per code seen. */
function columnsFor(obs: ObservationView[], keys: Map<string, string>): { keys: string[]; label: string }[] {
  if (keys.size) return COLUMNS;
  const seen = new Map<string, string>();
  for (const o of obs) if (!seen.has(o.code)) seen.set(o.code, o.name);
  return [...seen.entries()].map(([code, name]) => ({ keys: [code], label: name }));
}

/** A set's values as a short line: "BP 128/82 mmHg · Pulse 72 /min · ...". */
export function vitalsLine(set: VitalSet, keys: Map<string, string>): { label: string; text: string; unit: string }[] {
  return columnsFor([...set.values.values()], keys).flatMap((c) => {
    const v = vitalValue(set.values, c.keys);
    return v ? [{ label: c.label, ...v }] : [];
  });
}

export function VitalsTab() {
  const ctx = useChart();
  const ref = useReference();
  const obs = useLoad(() => api.listObservations(ctx.patientId, 'vital'), [ctx.patientId]);
  const [adding, setAdding] = useState(false);
  const [showInError, setShowInError] = useState(false);
  const [retracting, setRetracting] = useState<VitalSet | null>(null);

  const keys = vitalKeys(ref);
  const sets = obs.data ? groupVitals(obs.data, keys) : null;
  const unitOf = (k: string) => (obs.data ?? []).find((o) => (keys.get(o.code) ?? o.code) === k)?.display_unit ?? '';
  const retractedCount = (obs.data ?? []).filter((o) => o.status === 'entered_in_error').length;
  const shown = (sets ?? []).filter((s) => showInError || s.values.size > 0);
  // Columns with no value at all (head circumference for adults) are left out.
  const cols = columnsFor(obs.data ?? [], keys).filter((c) => shown.some((s) => c.keys.some((k) => s.values.has(k) || (showInError && s.retracted.some((o) => keys.get(o.code) === k)))));

  return html`<div class="chart-body">
    <section class="panel flush">
      <div class="panel-head">
        <h2>Vital signs ${sets ? html`<span class="count">${sets.filter((s) => s.values.size).length}</span>` : null}</h2>
        <div class="panel-tools">
          ${retractedCount
            ? html`<label class="toggle small"><input type="checkbox" data-testid="entry-show-in-error" checked=${showInError} onChange=${(e: Event) => setShowInError((e.currentTarget as HTMLInputElement).checked)} /> Show entered in error (${retractedCount})</label>`
            : null}
          ${ctx.canWrite ? html`<button type="button" class="btn btn-primary btn-small" data-testid="vitals-add" onClick=${() => setAdding(true)}>Record vitals</button>` : null}
        </div>
      </div>
      ${!sets
        ? obs.failed ? null : html`<${Spinner} />`
        : shown.length === 0
          ? html`<p class="panel-empty">No vital signs recorded.</p>`
          : html`<div class="table-scroll"><table class="data-table compact-table vitals-table" data-testid="vitals-table">
              <thead><tr>
                <th>Taken</th>
                ${cols.map((c) => html`<th class="num">${c.label}<span class="th-unit">${unitOf(c.keys[0]!)}</span></th>`)}
                <th>By</th><th class="row-actions"></th>
              </tr></thead>
              <tbody>
                ${shown.map(
                  (s) => html`<tr key=${s.id} data-testid="vitals-row" data-group-id=${s.id} data-taken-at=${s.at} class=${s.values.size === 0 ? 'is-in-error' : ''}>
                    <td class="nowrap">${formatLocal(s.at)}</td>
                    ${cols.map((c) => {
                      const v = vitalValue(s.values, c.keys);
                      const gone = showInError ? s.retracted.filter((o) => c.keys.includes(keys.get(o.code) ?? '')) : [];
                      return html`<td class="num" data-vital=${c.keys.join('/')}>
                        ${v ? html`<span class="vital-value">${v.text}</span>` : gone.length ? null : html`<span class="none">—</span>`}
                        ${!v && gone.length
                          ? html`<span class="struck" title=${inErrorText(gone[0]!)}>${gone.map((o) => o.display_value).join('/')}</span>`
                          : null}
                      </td>`;
                    })}
                    <td class="muted small">${s.by}</td>
                    <td class="row-actions">
                      ${ctx.canWrite && s.values.size
                        ? html`<button type="button" class="btn btn-ghost btn-xs btn-danger-text" data-testid="entry-in-error" onClick=${() => setRetracting(s)}>In error…</button>`
                        : null}
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table></div>`}
      ${showInError && sets?.some((s) => s.retracted.length)
        ? html`<ul class="retracted-list small">
            ${sets.flatMap((s) => s.retracted).map((o) => html`<li key=${o.id}><span class="struck">${o.name} ${o.display_value} ${o.display_unit}</span> (${formatLocal(o.effective_at)}) · <span class="in-error-reason">${inErrorText(o)}</span></li>`)}
          </ul>`
        : null}
    </section>
    ${adding && ref
      ? html`<${VitalsDialog} ref_=${ref} onClose=${() => setAdding(false)} onSaved=${() => { setAdding(false); void obs.reload(); }} />`
      : null}
    ${retracting
      ? html`<${VitalsInErrorDialog} set=${retracting} keys=${keys} onClose=${() => setRetracting(null)} onDone=${() => void obs.reload()} />`
      : null}
  </div>`;
}

/** Marks one value of a set (BP counts as one) or the whole set. */
function VitalsInErrorDialog(p: { set: VitalSet; keys: Map<string, string>; onClose: () => void; onDone: () => void }) {
  const groups = columnsFor([...p.set.values.values()], p.keys).flatMap((c) => {
    const obs = c.keys.map((k) => p.set.values.get(k)).filter((o): o is ObservationView => !!o);
    const v = vitalValue(p.set.values, c.keys);
    return obs.length && v ? [{ value: c.keys.join('/'), label: `${c.label} ${v.text} ${v.unit}`, ids: obs.map((o) => o.id) }] : [];
  });
  const all = groups.flatMap((g) => g.ids);
  const [choice, setChoice] = useState(groups.length === 1 ? groups[0]!.value : 'all');
  return html`<${InErrorDialog}
    what=${html`Vital signs taken <strong>${formatLocal(p.set.at)}</strong>`}
    onClose=${p.onClose}
    onConfirm=${async (reason: string) => {
      const ids = choice === 'all' ? all : groups.find((g) => g.value === choice)?.ids ?? [];
      await api.markObservationsInError(ids, reason);
      p.onDone();
    }}
  >
    <${SelectField} label="Which value" name="in_error_value" testid="in-error-value" value=${choice} onValue=${setChoice}
      options=${[...(groups.length > 1 ? [{ value: 'all', label: 'All values of this set' }] : []), ...groups.map((g) => ({ value: g.value, label: g.label }))]} />
  </${InErrorDialog}>`;
}

const FIELDS = [
  'taken_at', 'systolic', 'diastolic', 'pulse', 'respiration', 'temperature', 'temperature_unit', 'spo2', 'height',
  'height_unit', 'weight', 'weight_unit', 'head_circumference', 'head_circumference_unit', 'pain',
] as const;

function VitalsDialog(p: { ref_: ReferenceData; onClose: () => void; onSaved: () => void }) {
  const ctx = useChart();
  const us = p.ref_.units !== 'metric';
  const [v, setV] = useState<VitalsInput>({
    taken_at: nowLocalInput(),
    systolic: '',
    diastolic: '',
    pulse: '',
    respiration: '',
    temperature: '',
    temperature_unit: us ? 'F' : 'C',
    spo2: '',
    height: '',
    height_unit: us ? 'in' : 'cm',
    weight: '',
    weight_unit: us ? 'lb' : 'kg',
    head_circumference: '',
    head_circumference_unit: us ? 'in' : 'cm',
    pain: '',
  });
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(FIELDS);
  const f = form.errors.fields;
  // The backend says whether head circumference is measured at this age.
  const child = ctx.summary?.measures_head_circumference ?? false;
  const set = (k: keyof VitalsInput) => (x: string) => {
    setV((old) => ({ ...old, [k]: x }));
    form.clearField(k);
  };
  const num = (k: keyof VitalsInput, label: string, testid: string, unit: string | null, extra?: { placeholder?: string }) =>
    html`<div class="vital-field">
      <${TextField} label=${label} name=${k} testid=${testid} value=${v[k]} onValue=${set(k)} error=${f[k]} inputMode="decimal" placeholder=${extra?.placeholder} />
      ${unit ? html`<span class="unit-suffix">${unit}</span>` : null}
    </div>`;
  const withUnit = (k: keyof VitalsInput, uk: keyof VitalsInput, label: string, testid: string, units: string[], labels?: string[]) =>
    html`<div class="vital-cell">
      <div class="vital-field with-unit">
        <${TextField} label=${label} name=${k} testid=${testid} value=${v[k]} onValue=${set(k)} error=${f[k] ?? f[uk]} errorElsewhere=${true} inputMode="decimal" />
        <select class="unit-select" aria-label=${`${label} unit`} data-testid=${`${testid}-unit`} value=${v[uk]} onChange=${(e: Event) => set(uk)((e.currentTarget as HTMLSelectElement).value)}>
          ${units.map((u, i) => html`<option key=${u} value=${u}>${labels?.[i] ?? u}</option>`)}
        </select>
      </div>
      <${FieldError} name=${k} error=${f[k]} />
      <${FieldError} name=${uk} error=${f[uk]} />
    </div>`;

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const saved = await api.recordVitals(ctx.patientId, v);
      toast(`Vital signs recorded (${saved.length} values)`, 'success');
      p.onSaved();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<${Modal} title="Record vital signs" testid="vitals-dialog" onClose=${p.onClose} wide=${true}>
    <form onSubmit=${submit} novalidate class="vitals-form">
      <${FormError} error=${form.errors.general} />
      <div class=${`field field-datetime ${f.taken_at ? 'has-error' : ''}`}>
        <label for="f-taken_at">Taken at</label>
        <input id="f-taken_at" type="datetime-local" data-testid="vitals-taken-at" value=${v.taken_at} onInput=${(e: Event) => set('taken_at')((e.currentTarget as HTMLInputElement).value)} aria-invalid=${f.taken_at ? 'true' : undefined} />
        ${f.taken_at ? html`<div class="field-error" data-testid="error-taken_at" role="alert">${f.taken_at}</div>` : null}
      </div>
      <div class="vitals-grid">
        <div class="vital-bp">
          <div class="vital-field">
            <${TextField} label="Systolic" name="systolic" testid="vitals-systolic" value=${v.systolic} onValue=${set('systolic')} error=${f.systolic} errorElsewhere=${true} inputMode="numeric" autoFocus=${true} />
            <span class="bp-slash" aria-hidden="true">/</span>
            <${TextField} label="Diastolic" name="diastolic" testid="vitals-diastolic" value=${v.diastolic} onValue=${set('diastolic')} error=${f.diastolic} errorElsewhere=${true} inputMode="numeric" />
            <span class="unit-suffix">mmHg</span>
          </div>
          <div class="bp-errors">
            <${FieldError} name="systolic" error=${f.systolic} />
            <${FieldError} name="diastolic" error=${f.diastolic} />
          </div>
        </div>
        ${num('pulse', 'Pulse', 'vitals-pulse', '/min')}
        ${num('respiration', 'Respiration', 'vitals-respiration', '/min')}
        ${withUnit('temperature', 'temperature_unit', 'Temperature', 'vitals-temperature', ['F', 'C'], ['°F', '°C'])}
        ${num('spo2', 'SpO₂', 'vitals-spo2', '%')}
        ${withUnit('height', 'height_unit', 'Height', 'vitals-height', ['in', 'cm'])}
        ${withUnit('weight', 'weight_unit', 'Weight', 'vitals-weight', ['lb', 'kg'])}
        ${child ? withUnit('head_circumference', 'head_circumference_unit', 'Head circumference', 'vitals-head', ['in', 'cm']) : null}
        ${num('pain', 'Pain (0–10)', 'vitals-pain', null)}
      </div>
      <p class="muted small">Leave a value empty if it was not taken. BMI is computed from height and weight.</p>
      <div class="modal-actions">
        <button type="button" class="btn btn-ghost" onClick=${p.onClose}>Cancel</button>
        <${Button} kind="primary" type="submit" testid="vitals-save" busy=${busy}>Save vitals</${Button}>
      </div>
    </form>
  </${Modal}>`;
}
