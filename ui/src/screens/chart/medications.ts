// The medication list: what the patient takes (from any prescriber), with
// the "still taking?" reconciliation per active row. Saving runs the
// allergy and interaction checks (the safety dialog of `EntryDialog`).

import { useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import type { ChartEntry } from '../../bindings/ChartEntry';
import { SelectField, TextField } from '../../components/form';
import { EntryList, StatusChip } from '../../components/entryList';
import { EntryDialog } from '../../components/entryForm';
import { DrugField } from '../../components/drugField';
import { reportError, toast } from '../../components/toast';
import { formatDate, MED_STATUSES } from '../../format';
import { useChart } from './context';
import { useEntries } from './data';

const none = html`<span class="none">—</span>`;

export function MedicationsTab() {
  const ctx = useChart();
  const { entries, reload, put } = useEntries(ctx.patientId, 'medication');
  const [editing, setEditing] = useState<ChartEntry | 'new' | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const reconcile = async (e: ChartEntry, stillTaking: boolean) => {
    setBusy(e.id);
    try {
      put(await api.reconcileMedication(e.id, e.version, stillTaking));
      toast(stillTaking ? `${e.label}: still taking` : `${e.label} stopped`, 'success');
    } catch (err) {
      const w = api.toWireError(err);
      if (w.code === 'conflict') {
        toast('This medication was changed by someone else; the list has been reloaded.', 'error');
        void reload();
      } else {
        reportError(err);
      }
    } finally {
      setBusy(null);
    }
  };

  return html`<div class="chart-body">
    <${EntryList}
      title="Medications"
      noun="medication"
      testid="medication-list"
      entries=${entries}
      onEdit=${(e: ChartEntry) => setEditing(e)}
      onChanged=${put}
      empty="No medications recorded."
      sort=${(a: ChartEntry, b: ChartEntry) => Number(b.status === 'active') - Number(a.status === 'active') || a.label.localeCompare(b.label)}
      toolbar=${ctx.canWrite ? html`<button type="button" class="btn btn-primary btn-small" data-testid="med-add" onClick=${() => setEditing('new')}>Add medication</button>` : null}
      columns=${[
        {
          head: 'Medication',
          cell: (e: ChartEntry) => {
            const d = e.details.section === 'medication' ? e.details : null;
            return html`<span class="entry-label">${e.label}</span>${d && (d.strength || d.form) ? html` <span class="muted">${[d.strength, d.form].filter(Boolean).join(' ')}</span>` : null}`;
          },
        },
        {
          head: 'Directions',
          cell: (e: ChartEntry) => {
            const d = e.details.section === 'medication' ? e.details : null;
            const sig = d ? [d.dose, d.route, d.frequency].filter(Boolean).join(' ') : '';
            return sig || none;
          },
        },
        {
          head: 'Dates',
          class: 'nowrap',
          cell: (e: ChartEntry) => {
            const stop = e.details.section === 'medication' ? e.details.stop : null;
            const start = e.effective_date ? formatDate(e.effective_date) : '';
            if (!start && !stop) return none;
            return html`${start ? html`<div>${stop ? start : `since ${start}`}</div>` : null}${stop ? html`<div class="muted small">stop ${formatDate(stop)}</div>` : null}`;
          },
        },
        { head: 'Prescriber', cell: (e: ChartEntry) => (e.details.section === 'medication' && e.details.prescriber ? e.details.prescriber : none) },
        { head: 'Status', cell: (e: ChartEntry) => html`<${StatusChip} status=${e.status} />` },
        {
          head: 'Still taking?',
          class: 'reconcile-cell',
          cell: (e: ChartEntry) => html`
            ${e.details.section === 'medication' && e.details.last_reconciled
              ? html`<div class="small" data-testid="med-last-reconciled">${e.details.last_reconciled}</div>`
              : html`<div class="none small">not reconciled</div>`}
            ${e.actions.reconcile
              ? html`<div class="reconcile" role="group" aria-label="Still taking?">
                  <button type="button" class="btn btn-secondary btn-xs" data-testid="med-still-taking" disabled=${busy === e.id} onClick=${() => reconcile(e, true)} title="Reconciled today: the patient still takes it">Still taking</button>
                  <button type="button" class="btn btn-secondary btn-xs" data-testid="med-stopped" disabled=${busy === e.id} onClick=${() => reconcile(e, false)} title="Reconciled today: the patient no longer takes it (stops it today)">Stopped</button>
                </div>`
              : null}`,
        },
      ]}
    />
    ${editing
      ? html`<${MedicationDialog}
          editing=${editing === 'new' ? null : editing}
          onSaved=${(e: ChartEntry) => { put(e); setEditing(null); }}
          onClose=${() => setEditing(null)}
          onReload=${reload}
        />`
      : null}
  </div>`;
}

const FIELDS = ['name', 'strength', 'form', 'dose', 'route', 'frequency', 'start', 'stop', 'prescriber', 'status'] as const;

function MedicationDialog(p: { editing: ChartEntry | null; onSaved: (e: ChartEntry) => void; onClose: () => void; onReload: () => void }) {
  const ctx = useChart();
  const e = p.editing;
  const d = e && e.details.section === 'medication' ? e.details : null;
  const [v, setV] = useState({
    name: e?.label ?? '',
    strength: d?.strength ?? '',
    form: d?.form ?? '',
    dose: d?.dose ?? '',
    route: d?.route ?? '',
    frequency: d?.frequency ?? '',
    start: e?.effective_date ? formatDate(e.effective_date) : '',
    stop: d?.stop ? formatDate(d.stop) : '',
    prescriber: d?.prescriber ?? '',
    status: e && e.status !== 'entered_in_error' ? e.status : 'active',
  });
  const set = (k: keyof typeof v, clear: (n: string) => void) => (x: string) => {
    setV((old) => ({ ...old, [k]: x }));
    clear(k);
  };

  return html`<${EntryDialog}
    title=${e ? 'Edit medication' : 'Add medication'}
    testid="med-dialog"
    saveTestid="med-save"
    patientId=${ctx.patientId}
    editing=${e}
    fields=${FIELDS}
    wide=${true}
    build=${() => ({ section: 'medication', ...v })}
    onSaved=${p.onSaved}
    onClose=${p.onClose}
    onReload=${p.onReload}
    render=${(f: Record<string, string>, clear: (n: string) => void) => html`
      <div class="grid-med">
        <${DrugField} label="Medication" name="name" testid="med-name" patientId=${ctx.patientId} saved=${e?.label} value=${v.name} onValue=${set('name', clear)} error=${f.name} autoFocus=${!e} />
        <${TextField} label="Strength" name="strength" testid="med-strength" value=${v.strength} onValue=${set('strength', clear)} error=${f.strength} placeholder="10 mg" />
        <${TextField} label="Form" name="form" testid="med-form" value=${v.form} onValue=${set('form', clear)} error=${f.form} placeholder="tablet" />
      </div>
      <div class="grid-3">
        <${TextField} label="Dose" name="dose" testid="med-dose" value=${v.dose} onValue=${set('dose', clear)} error=${f.dose} placeholder="1 tablet" />
        <${TextField} label="Route" name="route" testid="med-route" value=${v.route} onValue=${set('route', clear)} error=${f.route} placeholder="by mouth" />
        <${TextField} label="Frequency" name="frequency" testid="med-frequency" value=${v.frequency} onValue=${set('frequency', clear)} error=${f.frequency} placeholder="once daily" />
      </div>
      <div class="grid-4">
        <${TextField} label="Start" name="start" testid="med-start" value=${v.start} onValue=${set('start', clear)} error=${f.start} placeholder="MM/DD/YYYY" inputMode="numeric" />
        <${TextField} label="Stop" name="stop" testid="med-stop" value=${v.stop} onValue=${set('stop', clear)} error=${f.stop} placeholder="MM/DD/YYYY" inputMode="numeric" />
        <${TextField} label="Prescriber" name="prescriber" testid="med-prescriber" value=${v.prescriber} onValue=${set('prescriber', clear)} error=${f.prescriber} placeholder="Outside prescriber" />
        <${SelectField} label="Status" name="status" testid="med-status" value=${v.status} onValue=${set('status', clear)} options=${MED_STATUSES} error=${f.status} />
      </div>
    `}
  />`;
}
