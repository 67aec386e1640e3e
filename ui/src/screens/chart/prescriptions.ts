// Prescriptions: written here (the safety checks run on save), printed to a
// PDF in the practice's export folder (`PrintPrescription`), and the
// patient's disclosure log, which records every print.

import { useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import type { ChartEntry } from '../../bindings/ChartEntry';
import { CheckField, Spinner, TextField } from '../../components/form';
import { EntryList, StatusChip } from '../../components/entryList';
import { EntryDialog } from '../../components/entryForm';
import { DrugField } from '../../components/drugField';
import { reportError, toast } from '../../components/toast';
import { formatDate, formatInstant } from '../../format';
import { useChart } from './context';
import { useEntries, useLoad } from './data';

export function PrescriptionsTab() {
  const ctx = useChart();
  const { entries, reload, put } = useEntries(ctx.patientId, 'prescription');
  const disclosures = useLoad(() => api.listDisclosures(ctx.patientId), [ctx.patientId]);
  const [editing, setEditing] = useState<ChartEntry | 'new' | null>(null);
  const [printing, setPrinting] = useState<number | null>(null);
  const [printed, setPrinted] = useState<{ entryId: number; path: string } | null>(null);
  const det = (e: ChartEntry) => (e.details.section === 'prescription' ? e.details : null);

  const print = async (e: ChartEntry) => {
    setPrinting(e.id);
    try {
      const f = await api.printPrescription(e.id);
      setPrinted({ entryId: e.id, path: f.path });
      toast(`Prescription saved as ${f.path}`, 'success');
      void disclosures.reload();
    } catch (err) {
      reportError(err);
    } finally {
      setPrinting(null);
    }
  };

  return html`<div class="chart-body">
    ${printed
      ? html`<div class="notice notice-ok printed-note" role="status">
          <strong>Printed to PDF:</strong> <span class="mono" data-testid="rx-printed">${printed.path}</span>
          <div class="muted small">Open it from the export folder to print on paper. The print is recorded in the disclosure log below.</div>
        </div>`
      : null}
    <${EntryList}
      title="Prescriptions"
      noun="prescription"
      testid="prescription-list"
      entries=${entries}
      onChanged=${put}
      empty="No prescriptions written."
      sort=${(a: ChartEntry, b: ChartEntry) => (b.effective_date ?? '').localeCompare(a.effective_date ?? '') || b.id - a.id}
      toolbar=${ctx.canWrite ? html`<button type="button" class="btn btn-primary btn-small" data-testid="rx-new" onClick=${() => setEditing('new')}>New prescription</button>` : null}
      rowActions=${(e: ChartEntry) =>
        e.actions.print
          ? html`<button type="button" class="btn btn-secondary btn-xs" data-testid="rx-print" disabled=${printing === e.id} onClick=${() => print(e)}>
              ${printing === e.id ? html`<span class="spinner" aria-hidden="true"></span>` : null}Print
            </button>`
          : null}
      columns=${[
        {
          head: 'Drug',
          cell: (e: ChartEntry) => html`<span class="entry-label">${e.label}</span>${det(e) ? html` <span class="muted">${[det(e)!.strength, det(e)!.form].filter(Boolean).join(' ')}</span>` : null}`,
        },
        { head: 'Directions', cell: (e: ChartEntry) => det(e)?.directions ?? '' },
        { head: 'Qty', class: 'nowrap', cell: (e: ChartEntry) => (det(e) ? `${det(e)!.quantity} ${det(e)!.quantity_unit}` : '') },
        { head: 'Refills', class: 'nowrap right', cell: (e: ChartEntry) => String(det(e)?.refills ?? '') },
        { head: 'Substitution', cell: (e: ChartEntry) => (det(e)?.substitution_allowed ? 'Allowed' : html`<strong>Dispense as written</strong>`) },
        { head: 'Written', class: 'nowrap', cell: (e: ChartEntry) => html`${e.effective_date ? formatDate(e.effective_date) : ''}<div class="muted small">${det(e)?.prescriber_name ?? ''}${det(e)?.prescriber_credentials ? `, ${det(e)!.prescriber_credentials}` : ''}</div>` },
        { head: 'Status', cell: (e: ChartEntry) => html`<${StatusChip} status=${e.status} />` },
      ]}
    />
    <section class="panel flush" data-testid="disclosure-log">
      <div class="panel-head"><h2>Disclosure log</h2><span class="muted small">Every print or export of this patient's information</span></div>
      ${!disclosures.data
        ? disclosures.failed ? null : html`<${Spinner} />`
        : disclosures.data.length === 0
          ? html`<p class="panel-empty">Nothing has been printed or exported for this patient.</p>`
          : html`<div class="table-scroll"><table class="data-table compact-table">
              <thead><tr><th>When</th><th>What</th><th>To</th><th>File</th><th>By</th></tr></thead>
              <tbody>
                ${[...disclosures.data].sort((a, b) => b.at.localeCompare(a.at)).map(
                  (d) => html`<tr key=${d.id} data-testid="disclosure-row" data-kind=${d.kind}>
                    <td class="nowrap">${formatInstant(d.at)}</td>
                    <td>${d.description}</td>
                    <td>${d.recipient}</td>
                    <td class="mono small">${d.file_name}</td>
                    <td>${d.by_name}</td>
                  </tr>`,
                )}
              </tbody>
            </table></div>`}
    </section>
    ${editing
      ? html`<${PrescriptionDialog}
          editing=${editing === 'new' ? null : editing}
          onSaved=${(e: ChartEntry) => { put(e); setEditing(null); }}
          onClose=${() => setEditing(null)}
          onReload=${reload}
        />`
      : null}
  </div>`;
}

const FIELDS = ['drug', 'strength', 'form', 'directions', 'quantity', 'quantity_unit', 'refills', 'substitution_allowed'] as const;

function PrescriptionDialog(p: { editing: ChartEntry | null; onSaved: (e: ChartEntry) => void; onClose: () => void; onReload: () => void }) {
  const ctx = useChart();
  const e = p.editing;
  const d = e && e.details.section === 'prescription' ? e.details : null;
  const [v, setV] = useState({
    drug: e?.label ?? '',
    strength: d?.strength ?? '',
    form: d?.form ?? '',
    directions: d?.directions ?? '',
    quantity: d ? String(d.quantity) : '',
    quantity_unit: d?.quantity_unit ?? 'tablets',
    refills: d ? String(d.refills) : '0',
  });
  const [substitution, setSubstitution] = useState(d ? d.substitution_allowed : true);
  const set = (k: keyof typeof v, clear: (n: string) => void) => (x: string) => {
    setV((old) => ({ ...old, [k]: x }));
    clear(k);
  };

  return html`<${EntryDialog}
    title=${e ? 'Edit prescription' : 'New prescription'}
    testid="rx-dialog"
    saveTestid="rx-save"
    patientId=${ctx.patientId}
    editing=${e}
    fields=${FIELDS}
    wide=${true}
    build=${() => ({ section: 'prescription', ...v, substitution_allowed: substitution })}
    onSaved=${p.onSaved}
    onClose=${p.onClose}
    onReload=${p.onReload}
    render=${(f: Record<string, string>, clear: (n: string) => void) => html`
      <div class="grid-med">
        <${DrugField} label="Drug" name="drug" testid="rx-drug" patientId=${ctx.patientId} saved=${e?.label} value=${v.drug} onValue=${set('drug', clear)} error=${f.drug} autoFocus=${!e} />
        <${TextField} label="Strength" name="strength" testid="rx-strength" value=${v.strength} onValue=${set('strength', clear)} error=${f.strength} placeholder="500 mg" />
        <${TextField} label="Form" name="form" testid="rx-form" value=${v.form} onValue=${set('form', clear)} error=${f.form} placeholder="capsule" />
      </div>
      <${TextField} label="Directions (sig)" name="directions" testid="rx-directions" required=${true} value=${v.directions} onValue=${set('directions', clear)} error=${f.directions} placeholder="Take 1 capsule by mouth three times daily for 10 days" />
      <div class="grid-4">
        <${TextField} label="Quantity" name="quantity" testid="rx-quantity" required=${true} value=${v.quantity} onValue=${set('quantity', clear)} error=${f.quantity} inputMode="numeric" />
        <${TextField} label="Unit" name="quantity_unit" testid="rx-quantity-unit" required=${true} value=${v.quantity_unit} onValue=${set('quantity_unit', clear)} error=${f.quantity_unit} />
        <${TextField} label="Refills" name="refills" testid="rx-refills" value=${v.refills} onValue=${set('refills', clear)} error=${f.refills} inputMode="numeric" />
      </div>
      <${CheckField} label=${html`<strong>Substitution allowed</strong> <span class="muted">(untick for “dispense as written”)</span>`} name="substitution_allowed" testid="rx-substitution" checked=${substitution} onChecked=${setSubstitution} error=${f.substitution_allowed} />
    `}
  />`;
}
