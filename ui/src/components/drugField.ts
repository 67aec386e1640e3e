// A drug name input (medications, prescriptions) with the offline drug list
// as suggestions. When the user leaves the field or picks a listed name, it
// asks the backend's `CheckDrug` once and shows what it found under the
// field (`drug-warning`), or that the drug is not in the offline list
// (`drug-unknown`). The real check runs again when the entry is saved.

import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { DrugCheck } from '../bindings/DrugCheck';
import { useReference } from '../reference';
import { TextField } from './form';
import { FindingList } from './entryForm';

export function DrugField(p: {
  label: string;
  name: string;
  testid: string;
  patientId: number;
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
  autoFocus?: boolean;
  /** The name already saved (when editing): not checked again, as the
   *  entry itself would count against it. */
  saved?: string;
}) {
  const ref = useReference();
  const [check, setCheck] = useState<{ drug: string; result: DrugCheck } | null>(null);
  const seq = useRef(0);
  const listId = `${p.name}-drug-names`;
  const names = ref?.drugs ?? [];

  const run = async (drug: string) => {
    const d = drug.trim();
    if (!d || d === check?.drug || d === p.saved?.trim()) return;
    const mine = ++seq.current;
    try {
      const result = await api.checkDrug(p.patientId, d);
      if (mine === seq.current) setCheck({ drug: d, result });
    } catch {
      // Optional help: the save runs the checks and reports any failure.
    }
  };

  // A name picked from the list is checked at once.
  useEffect(() => {
    const d = p.value.trim().toLowerCase();
    if (d && names.some((n) => n.name.toLowerCase() === d)) void run(p.value);
    if (check && check.drug.toLowerCase() !== d) setCheck(null);
  }, [p.value, names.length]);

  const r = check?.result;
  return html`<div class="drug-field">
    <${TextField} label=${p.label} name=${p.name} testid=${p.testid} required=${true} value=${p.value} onValue=${p.onValue} error=${p.error} list=${listId} autoFocus=${p.autoFocus} onBlur=${() => void run(p.value)} hint=${r?.known && r.generic && r.generic.toLowerCase() !== p.value.trim().toLowerCase() ? `Generic: ${r.generic}` : undefined} />
    <datalist id=${listId}>
      ${names.map((n) => html`<option key=${n.name} value=${n.name}>${n.brand ? `${n.generic} (brand)` : n.classes.join(', ')}</option>`)}
    </datalist>
    ${r && !r.known
      ? html`<div class="drug-note drug-unknown" data-testid="drug-unknown">Not in the offline drug list: no allergy or interaction checks were run.</div>`
      : null}
    ${r && r.findings.length
      ? html`<div class="drug-warning" data-testid="drug-warning" role="alert"><${FindingList} findings=${r.findings} itemTestid="drug-finding" /></div>`
      : null}
  </div>`;
}
