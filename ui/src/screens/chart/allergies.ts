// Allergies: substances (drug and class names suggested from the offline
// drug list, which the safety checks read), reaction and severity, or the
// statement "no known allergies". Every change reloads the banner.

import { useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import type { ChartEntry } from '../../bindings/ChartEntry';
import { Button, FormError, SelectField, TextField, useFormErrors } from '../../components/form';
import { EntryList, StatusChip } from '../../components/entryList';
import { EntryDialog } from '../../components/entryForm';
import { toast } from '../../components/toast';
import { ALLERGY_CATEGORIES, ALLERGY_CATEGORY_LABEL, ALLERGY_STATUSES, formatDate, SEVERITIES, SEVERITY_LABEL } from '../../format';
import { useReference } from '../../reference';
import { useChart } from './context';
import { useEntries } from './data';

const isNka = (e: ChartEntry) => e.details.section === 'allergy' && e.details.no_known_allergies;

export function AllergiesTab() {
  const ctx = useChart();
  const { entries, reload, put } = useEntries(ctx.patientId, 'allergy');
  const [editing, setEditing] = useState<ChartEntry | 'new' | null>(null);
  const [nkaBusy, setNkaBusy] = useState(false);
  const nka = useFormErrors([]);

  // Saving an allergy can retire "no known allergies": read both again.
  const changed = async () => {
    await Promise.all([reload(), ctx.reloadSummary()]);
  };

  const active = (entries ?? []).filter((e) => e.status === 'active');
  const listed = active.filter((e) => !isNka(e));
  const nkaRecorded = active.some(isNka);

  const recordNka = async () => {
    nka.clear();
    setNkaBusy(true);
    try {
      const out = await api.saveEntry({ patient_id: ctx.patientId, entry_id: null, expected_version: 0, entry: { section: 'no_known_allergies' }, override_reason: null });
      if (out.outcome === 'saved') toast('No known allergies recorded', 'success');
      await changed();
    } catch (e) {
      nka.fail(e);
    } finally {
      setNkaBusy(false);
    }
  };

  const statusLine = !entries
    ? null
    : listed.length
      ? html`<span class="allergy-line is-listed">${listed.length} active ${listed.length === 1 ? 'allergy' : 'allergies'}</span>`
      : nkaRecorded
        ? html`<span class="allergy-line is-nka">No known allergies (asked and recorded)</span>`
        : html`<span class="allergy-line is-not-asked">Allergies not recorded yet: ask the patient.</span>`;

  return html`<div class="chart-body">
    <${EntryList}
      title="Allergies"
      noun="allergy"
      testid="allergy-list"
      entries=${entries}
      onEdit=${(e: ChartEntry) => setEditing(e)}
      onChanged=${(e: ChartEntry) => { put(e); void ctx.reloadSummary(); }}
      empty="No allergies recorded."
      sort=${(a: ChartEntry, b: ChartEntry) => Number(b.status === 'active') - Number(a.status === 'active') || a.label.localeCompare(b.label)}
      toolbar=${ctx.canWrite
        ? html`${entries && !listed.length && !nkaRecorded
            ? html`<${Button} kind="secondary" class="btn-small" testid="allergy-nka" busy=${nkaBusy} onClick=${recordNka}>Record no known allergies</${Button}>`
            : null}
          <button type="button" class="btn btn-primary btn-small" data-testid="allergy-add" onClick=${() => setEditing('new')}>Add allergy</button>`
        : null}
      columns=${[
        { head: 'Substance', cell: (e: ChartEntry) => html`<span class=${`entry-label ${isNka(e) ? '' : 'allergy-name'}`}>${e.label}</span>` },
        { head: 'Category', cell: (e: ChartEntry) => (e.details.section === 'allergy' && !isNka(e) ? ALLERGY_CATEGORY_LABEL[e.details.category] ?? e.details.category : '') },
        { head: 'Reaction', cell: (e: ChartEntry) => (e.details.section === 'allergy' ? e.details.reaction : '') },
        {
          head: 'Severity',
          cell: (e: ChartEntry) =>
            e.details.section === 'allergy' && e.details.severity
              ? html`<span class=${`severity severity-${e.details.severity}`}>${SEVERITY_LABEL[e.details.severity] ?? e.details.severity}</span>`
              : '',
        },
        { head: 'Status', cell: (e: ChartEntry) => html`<${StatusChip} status=${e.status} />` },
        { head: 'Recorded', class: 'nowrap muted', cell: (e: ChartEntry) => formatDate(e.updated_at.slice(0, 10)) },
      ]}
    >
      <div class="panel-status">
        ${statusLine}
        <${FormError} error=${nka.errors.general} />
      </div>
    </${EntryList}>
    ${editing
      ? html`<${AllergyDialog}
          editing=${editing === 'new' ? null : editing}
          onSaved=${() => { setEditing(null); void changed(); }}
          onClose=${() => setEditing(null)}
          onReload=${reload}
        />`
      : null}
  </div>`;
}

const FIELDS = ['substance', 'category', 'reaction', 'severity', 'status'] as const;

function AllergyDialog(p: { editing: ChartEntry | null; onSaved: (e: ChartEntry) => void; onClose: () => void; onReload: () => void }) {
  const ctx = useChart();
  const ref = useReference();
  const e = p.editing;
  const d = e && e.details.section === 'allergy' ? e.details : null;
  const [substance, setSubstance] = useState(e?.label ?? '');
  const [category, setCategory] = useState(d?.category || 'drug');
  const [reaction, setReaction] = useState(d?.reaction ?? '');
  const [severity, setSeverity] = useState(d?.severity || 'unknown');
  const [status, setStatus] = useState<string>(e && e.status !== 'entered_in_error' ? e.status : 'active');

  // Drug names and class names, each once.
  const suggestions = ref
    ? [...new Set([...ref.drugs.map((x) => x.name), ...ref.drugs.flatMap((x) => x.classes)])].sort((a, b) => a.localeCompare(b))
    : [];

  return html`<${EntryDialog}
    title=${e ? 'Edit allergy' : 'Add allergy'}
    testid="allergy-dialog"
    saveTestid="allergy-save"
    patientId=${ctx.patientId}
    editing=${e}
    fields=${FIELDS}
    build=${() => ({ section: 'allergy', substance, category, reaction, severity, status })}
    onSaved=${p.onSaved}
    onClose=${p.onClose}
    onReload=${p.onReload}
    render=${(f: Record<string, string>, clear: (n: string) => void) => html`
      <${TextField} label="Substance" name="substance" testid="allergy-substance" required=${true} value=${substance} onValue=${(v: string) => { setSubstance(v); clear('substance'); }} error=${f.substance} list="allergy-substances" autoFocus=${true} hint="A drug, a drug class (e.g. penicillins), a food or something in the environment." />
      <datalist id="allergy-substances">${suggestions.map((s) => html`<option key=${s} value=${s} />`)}</datalist>
      <div class="grid-2">
        <${SelectField} label="Category" name="category" testid="allergy-category" value=${category} onValue=${setCategory} options=${ALLERGY_CATEGORIES} error=${f.category} />
        <${SelectField} label="Severity" name="severity" testid="allergy-severity" value=${severity} onValue=${setSeverity} options=${SEVERITIES} error=${f.severity} />
      </div>
      <${TextField} label="Reaction" name="reaction" testid="allergy-reaction" value=${reaction} onValue=${setReaction} error=${f.reaction} placeholder="e.g. hives, anaphylaxis, GI upset" />
      <${SelectField} label="Status" name="status" testid="allergy-status" value=${status} onValue=${setStatus} options=${ALLERGY_STATUSES} error=${f.status} class="field-medium" />
    `}
  />`;
}
