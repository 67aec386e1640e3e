// Immunizations: doses given here, doses the patient reports (historical)
// and refusals, each with its CVX vaccine code from the reference list.

import { useState } from 'preact/hooks';
import { html } from '../../html';
import type { ChartEntry } from '../../bindings/ChartEntry';
import { SelectField, TextAreaField, TextField } from '../../components/form';
import { EntryList } from '../../components/entryList';
import { EntryDialog } from '../../components/entryForm';
import { formatDate, IMMUNIZATION_KINDS, todayText } from '../../format';
import { useReference } from '../../reference';
import { useChart } from './context';
import { useEntries } from './data';

/** How a dose was recorded, as a chip: refusals and reported doses stand out. */
export function ImmunizationKind(p: { kind: string }) {
  if (p.kind === 'refused') return html`<span class="chip chip-danger imm-kind" data-kind="refused">Refused</span>`;
  if (p.kind === 'historical') return html`<span class="chip chip-warn imm-kind" data-kind="historical">Historical (reported by patient)</span>`;
  return html`<span class="chip chip-ok imm-kind" data-kind=${p.kind}>Administered</span>`;
}

export function ImmunizationsTab() {
  const ctx = useChart();
  const { entries, reload, put } = useEntries(ctx.patientId, 'immunization');
  const [editing, setEditing] = useState<ChartEntry | 'new' | null>(null);
  const det = (e: ChartEntry) => (e.details.section === 'immunization' ? e.details : null);

  return html`<div class="chart-body">
    <${EntryList}
      title="Immunizations"
      noun="immunization"
      testid="immunization-list"
      entries=${entries}
      onEdit=${(e: ChartEntry) => setEditing(e)}
      onChanged=${put}
      empty="No immunizations recorded."
      sort=${(a: ChartEntry, b: ChartEntry) => (b.effective_date ?? '').localeCompare(a.effective_date ?? '')}
      toolbar=${ctx.canWrite ? html`<button type="button" class="btn btn-primary btn-small" data-testid="imm-add" onClick=${() => setEditing('new')}>Record immunization</button>` : null}
      columns=${[
        { head: 'Vaccine', cell: (e: ChartEntry) => html`<span class="entry-label">${e.label}</span> <span class="mono muted small">CVX ${e.code}</span>` },
        { head: 'Date', class: 'nowrap', cell: (e: ChartEntry) => (e.effective_date ? formatDate(e.effective_date) : '') },
        { head: 'Record', cell: (e: ChartEntry) => html`<${ImmunizationKind} kind=${det(e)?.kind ?? ''} />` },
        { head: 'Dose', class: 'nowrap', cell: (e: ChartEntry) => det(e)?.dose_number || html`<span class="none">—</span>` },
        { head: 'Lot / maker', cell: (e: ChartEntry) => [det(e)?.lot, det(e)?.manufacturer].filter(Boolean).join(' · ') },
        { head: 'Site / route', cell: (e: ChartEntry) => [det(e)?.site, det(e)?.route].filter(Boolean).join(' · ') },
        { head: 'Note', cell: (e: ChartEntry) => det(e)?.note ?? '' },
      ]}
    />
    ${editing
      ? html`<${ImmunizationDialog}
          editing=${editing === 'new' ? null : editing}
          onSaved=${(e: ChartEntry) => { put(e); setEditing(null); }}
          onClose=${() => setEditing(null)}
          onReload=${reload}
        />`
      : null}
  </div>`;
}

const FIELDS = ['cvx', 'kind', 'date', 'lot', 'manufacturer', 'site', 'route', 'dose_number', 'note'] as const;

function ImmunizationDialog(p: { editing: ChartEntry | null; onSaved: (e: ChartEntry) => void; onClose: () => void; onReload: () => void }) {
  const ctx = useChart();
  const ref = useReference();
  const e = p.editing;
  const d = e && e.details.section === 'immunization' ? e.details : null;
  const [v, setV] = useState({
    cvx: e?.code ?? '',
    kind: d?.kind ?? 'administered',
    date: e?.effective_date ? formatDate(e.effective_date) : todayText(),
    lot: d?.lot ?? '',
    manufacturer: d?.manufacturer ?? '',
    site: d?.site ?? '',
    route: d?.route ?? '',
    dose_number: d?.dose_number ?? '',
    note: d?.note ?? '',
  });
  const set = (k: keyof typeof v, clear: (n: string) => void) => (x: string) => {
    setV((old) => ({ ...old, [k]: x }));
    clear(k);
  };
  const vaccines = ref?.vaccines ?? [];
  const opt = (x: (typeof vaccines)[number]) => ({ value: x.cvx, label: `${x.short_name} (CVX ${x.cvx})` });
  const byName = (a: (typeof vaccines)[number], b: (typeof vaccines)[number]) => a.short_name.localeCompare(b.short_name);

  return html`<${EntryDialog}
    title=${e ? 'Edit immunization' : 'Record immunization'}
    testid="imm-dialog"
    saveTestid="imm-save"
    patientId=${ctx.patientId}
    editing=${e}
    fields=${FIELDS}
    wide=${true}
    build=${() => ({ section: 'immunization', ...v })}
    onSaved=${p.onSaved}
    onClose=${p.onClose}
    onReload=${p.onReload}
    render=${(f: Record<string, string>, clear: (n: string) => void) => html`
      <${SelectField} label="Vaccine" name="cvx" testid="imm-vaccine" required=${true} value=${v.cvx} onValue=${set('cvx', clear)} error=${f.cvx}
        placeholder=${ref ? 'Choose a vaccine…' : 'Loading vaccines…'} options=${[]}
        groups=${[
          { label: 'Current vaccines', options: vaccines.filter((x) => x.active).sort(byName).map(opt) },
          { label: 'Historical or unspecified (past doses only)', options: vaccines.filter((x) => !x.active).sort(byName).map(opt) },
        ]} />
      <div class="grid-3">
        <${SelectField} label="Record type" name="kind" testid="imm-kind" value=${v.kind} onValue=${set('kind', clear)} options=${IMMUNIZATION_KINDS} error=${f.kind} />
        <${TextField} label="Date" name="date" testid="imm-date" required=${true} value=${v.date} onValue=${set('date', clear)} error=${f.date} placeholder="MM/DD/YYYY" inputMode="numeric" />
        <${TextField} label="Dose number" name="dose_number" testid="imm-dose-number" value=${v.dose_number} onValue=${set('dose_number', clear)} error=${f.dose_number} inputMode="numeric" placeholder="1–10" />
      </div>
      <div class="grid-4">
        <${TextField} label="Lot" name="lot" testid="imm-lot" required=${v.kind === 'administered'} value=${v.lot} onValue=${set('lot', clear)} error=${f.lot} />
        <${TextField} label="Manufacturer" name="manufacturer" testid="imm-manufacturer" value=${v.manufacturer} onValue=${set('manufacturer', clear)} error=${f.manufacturer} />
        <${TextField} label="Site" name="site" testid="imm-site" value=${v.site} onValue=${set('site', clear)} error=${f.site} placeholder="left deltoid" />
        <${TextField} label="Route" name="route" testid="imm-route" value=${v.route} onValue=${set('route', clear)} error=${f.route} placeholder="IM" />
      </div>
      <${TextAreaField} label=${v.kind === 'refused' ? 'Note (why the patient refused)' : 'Note'} name="note" testid="imm-note" required=${v.kind === 'refused'} rows=${2} value=${v.note} onValue=${set('note', clear)} error=${f.note} />
    `}
  />`;
}
