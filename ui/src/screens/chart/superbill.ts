// A visit's superbill (encounter form), under its note: the visit's
// charges so far, and for a clinician who may enter charges the services
// the practice prices and the patient's problems to mark. The marked
// services become the visit's charges all at once (or, when one is
// refused, none, the refusal shown on its line). Prices, diagnoses and
// every "may" come from the backend.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import type { Superbill } from '../../bindings/Superbill';
import type { PlaceOfService } from '../../bindings/PlaceOfService';
import { Button, CheckField, FormError, SelectField, TextField, useFormErrors } from '../../components/form';
import { reportError, toast } from '../../components/toast';
import { formatMoney, optionsOf } from '../../format';

const PLACES = optionsOf('place_of_service');

export function SuperbillPanel(p: { patientId: number; encounterId: number }) {
  const [sb, setSb] = useState<Superbill | null>(null);
  const [codes, setCodes] = useState<string[]>([]);
  const [dx, setDx] = useState<string[]>([]);
  const [other, setOther] = useState('');
  const [place, setPlace] = useState<PlaceOfService>('11');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['lines', 'diagnoses', 'encounter_id']);
  const load = async () => {
    try {
      setSb(await api.call({ cmd: 'get_superbill', patient_id: p.patientId, encounter_id: p.encounterId }));
    } catch (e) {
      reportError(e);
    }
  };
  useEffect(() => {
    void load();
  }, [p.encounterId]);
  if (!sb) return null;
  const toggle = (list: string[], set: (v: string[]) => void, v: string, on: boolean) => set(on ? [...list, v] : list.filter((x) => x !== v));
  const enter = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const typed = other.split(/[\s,]+/).filter(Boolean);
      setSb(await api.call({
        cmd: 'enter_visit_charges',
        patient_id: p.patientId,
        encounter_id: p.encounterId,
        form: { lines: codes.map((code) => ({ code, units: 1, modifiers: [] })), diagnoses: [...dx, ...typed], place },
      }));
      setCodes([]);
      setDx([]);
      setOther('');
      toast('Charges entered for the visit', 'success');
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  // Refusals of one line ("lines.1.code") shown together.
  const lineErrors = Object.entries(form.errors.fields).filter(([k]) => k.startsWith('lines.')).map(([k, v]) => {
    const i = Number(k.split('.')[1]);
    return `${codes[i] ?? ''}: ${v}`;
  });
  return html`<section class="panel superbill" data-testid="superbill">
    <div class="panel-head"><h2>Superbill · charges for this visit</h2><span class="muted">${sb.provider_name}</span></div>
    ${sb.charges.length
      ? html`<table class="data-table"><thead><tr><th>Code</th><th>Description</th><th>Dx</th><th class="num">Amount</th></tr></thead><tbody>
          ${sb.charges.map((c) => html`<tr key=${c.id} class=${c.status === 'void' ? 'inactive' : ''} data-testid="superbill-charge">
            <td class="mono">${c.code}${c.modifiers.length ? `-${c.modifiers.join('-')}` : ''}</td><td>${c.description}${c.status === 'void' ? ' (void)' : ''}</td>
            <td class="mono small">${c.diagnoses.join(', ')}</td><td class="num">${formatMoney(c.amount)}</td></tr>`)}
          <tr class="total-row"><th colspan="3">Charged for the visit</th><td class="num" data-testid="superbill-total">${formatMoney(sb.total)}</td></tr>
        </tbody></table>`
      : html`<p class="muted">No charges for this visit yet.</p>`}
    ${sb.can_enter
      ? html`<form class="superbill-form" onSubmit=${enter}>
          <div class="superbill-columns">
            <fieldset><legend>Services</legend>
              ${sb.services.length
                ? sb.services.map((s) => html`<${CheckField} key=${s.code} name=${`service-${s.code}`} testid=${`superbill-service-${s.code}`}
                    label=${`${s.code} ${s.description} · ${formatMoney(s.price)}`} checked=${codes.includes(s.code)} onChecked=${(on: boolean) => toggle(codes, setCodes, s.code, on)} />`)
                : html`<p class="muted">The fee schedule is empty (billing set-up).</p>`}
            </fieldset>
            <fieldset><legend>Diagnoses (up to four, primary first)</legend>
              ${sb.diagnoses.map((d) => html`<${CheckField} key=${d.code} name=${`dx-${d.code}`} testid=${`superbill-dx-${d.code}`}
                  label=${`${d.code} ${d.label}`} checked=${dx.includes(d.code)} onChecked=${(on: boolean) => toggle(dx, setDx, d.code, on)} />`)}
              <${TextField} label="Other diagnoses (ICD-10-CM)" name="other" testid="superbill-other-dx" value=${other} onValue=${setOther} placeholder="I10, J06.9" error=${form.errors.fields.diagnoses} />
            </fieldset>
          </div>
          <${SelectField} label="Place of service" name="place" testid="superbill-place" value=${place} onValue=${(v: string) => setPlace(v as PlaceOfService)} options=${PLACES} />
          <${FormError} error=${lineErrors.length ? lineErrors.join('; ') : form.errors.fields.lines ?? form.errors.fields.encounter_id ?? form.errors.general} testid="superbill-error" />
          <div class="form-actions"><${Button} kind="primary" type="submit" testid="superbill-enter" busy=${busy} disabled=${!codes.length}>Enter charges</${Button}></div>
        </form>`
      : null}
  </section>`;
}
