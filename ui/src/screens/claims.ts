// Paper claims (CMS-1500) on a patient's billing tab, and how the practice
// fills them on the billing screen. The tab lists the patient's claims
// (status, lines, what the practice must set before one can print) and the
// charges pending with a payer that no claim asks for yet; billing makes a
// claim from chosen charges, prints it on the red form or plain paper,
// marks an answer the EOB did not carry, and sends a claim again. What may
// be done, and why not, comes from the backend.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { PatientClaims } from '../bindings/PatientClaims';
import type { ClaimView } from '../bindings/ClaimView';
import type { Claimable } from '../bindings/Claimable';
import type { ClaimStatus } from '../bindings/ClaimStatus';
import type { ClaimPaperChoice } from '../bindings/ClaimPaperChoice';
import type { ClaimSetup } from '../bindings/ClaimSetup';
import type { ChargeId } from '../bindings/ChargeId';
import { Button, CheckField, FormError, Modal, SelectField, TextField, useFormErrors } from '../components/form';
import { useSheetOutput } from '../components/sheetOutput';
import { reportError, toast } from '../components/toast';
import { CLAIM_STATUS_LABEL, formatDate, formatMoney, sheetDoneText } from '../format';

/** The patient's claims and what could be claimed. `onChanged` reloads
 *  the tab (a printed claim bills its charges). */
export function ClaimsPanel(p: { patientId: number; onChanged: () => void }) {
  const [claims, setClaims] = useState<PatientClaims | null>(null);
  const [dialog, setDialog] = useState<
    | { kind: 'print'; claim: ClaimView }
    | { kind: 'status'; claim: ClaimView }
    | { kind: 'resubmit'; claim: ClaimView }
    | null
  >(null);
  const load = async () => {
    try {
      setClaims(await api.call({ cmd: 'get_claims', patient_id: p.patientId }));
    } catch (e) {
      reportError(e);
    }
  };
  useEffect(() => {
    void load();
  }, [p.patientId]);
  if (!claims) return null;
  if (!claims.claims.length && !claims.claimable.length) return null;
  // The tab reloads, and with it this panel (it is keyed by the load).
  const changed = p.onChanged;
  return html`<section class="panel" data-testid="billing-claims">
    <div class="panel-head"><h2>Insurance claims</h2></div>
    ${claims.claimable.map((c) => html`<${ClaimableCharges} key=${c.payer_id} c=${c} patientId=${p.patientId} canClaim=${claims.can_claim}
        onMade=${(v: ClaimView) => { toast(`Claim ${v.id} made: print it to send it`, 'success'); changed(); }} />`)}
    ${claims.claims.length
      ? html`<table class="data-table" data-testid="claims-table"><thead><tr><th>Claim</th><th>Payer</th><th>Status</th><th>Lines</th><th class="num">Total</th><th>Made</th><th></th></tr></thead><tbody>
          ${claims.claims.map((c) => html`<tr key=${c.id} class=${c.status === 'resubmitted' ? 'inactive' : ''} data-testid="claim-row" data-status=${c.status}>
            <td class="mono">${c.id}${c.original_claim_id ? html`<div class="small muted">replaces ${c.original_claim_id}</div>` : null}</td>
            <td>${c.payer_name}</td>
            <td><span class="chip" data-testid="claim-status">${CLAIM_STATUS_LABEL[c.status] ?? c.status}</span>
              ${c.status_note ? html`<div class="small muted">${c.status_note}</div>` : null}
              ${c.missing.length ? html`<ul class="small muted" data-testid="claim-missing">${c.missing.map((m) => html`<li key=${m}>Needs: ${m}</li>`)}</ul>` : null}</td>
            <td class="small">${c.lines.map((l) => html`<div key=${l.charge_id}>${`${formatDate(l.service_day)} ${l.code}${l.modifiers.length ? `-${l.modifiers.join('-')}` : ''} · dx ${l.pointers} · ${formatMoney(l.amount)}${l.paid ? ` · paid ${formatMoney(l.paid)}` : ''}${l.void ? ' · void' : ''}`}</div>`)}
              <div class="muted">ICD-10: ${c.diagnoses.join(' ')} · ${c.forms} form${c.forms === 1 ? '' : 's'}</div></td>
            <td class="num">${formatMoney(c.total)}</td>
            <td class="nowrap">${formatDate(c.created_day)}${c.print_count ? html`<div class="small muted">printed ${c.print_count}×</div>` : null}</td>
            <td class="nowrap">
              ${c.can_print ? html`<${Button} testid="claim-print" onClick=${() => setDialog({ kind: 'print', claim: c })}>Print…</${Button}>` : null}
              ${c.next_statuses.length ? html`<${Button} testid="claim-mark" onClick=${() => setDialog({ kind: 'status', claim: c })}>Mark…</${Button}>` : null}
              ${c.can_resubmit ? html`<${Button} testid="claim-resubmit" onClick=${() => setDialog({ kind: 'resubmit', claim: c })}>Send again…</${Button}>` : null}
            </td></tr>`)}
        </tbody></table>`
      : null}
    ${dialog?.kind === 'print' ? html`<${PrintClaimDialog} claim=${dialog.claim} onClose=${() => { setDialog(null); changed(); }} />` : null}
    ${dialog?.kind === 'status' ? html`<${ClaimStatusDialog} claim=${dialog.claim} onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); toast('Claim updated', 'success'); changed(); }} />` : null}
    ${dialog?.kind === 'resubmit' ? html`<${ResubmitDialog} claim=${dialog.claim} onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); toast('A new claim replaces it: print it to send it', 'success'); changed(); }} />` : null}
  </section>`;
}

/** Charges pending with one payer, to choose for a claim. */
function ClaimableCharges(p: { c: Claimable; patientId: number; canClaim: boolean; onMade: (v: ClaimView) => void }) {
  const [chosen, setChosen] = useState<ChargeId[]>(p.c.charges.map((x) => x.charge_id));
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['charge_ids', 'payer_id']);
  const make = async () => {
    form.clear();
    setBusy(true);
    try {
      p.onMade(await api.call({ cmd: 'create_claim', patient_id: p.patientId, payer_id: p.c.payer_id, charge_ids: chosen }));
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: ChargeId, on: boolean) => setChosen(on ? [...chosen, id] : chosen.filter((x) => x !== id));
  return html`<div class="claimable" data-testid="claimable">
    <p><strong>Not yet claimed from ${p.c.payer_name}</strong></p>
    ${p.c.charges.map((x) => html`<${CheckField} key=${x.charge_id} name=${`claim-charge-${x.charge_id}`} testid="claimable-charge"
        label=${`${formatDate(x.service_day)} ${x.code}${x.modifiers.length ? `-${x.modifiers.join('-')}` : ''} · pending ${formatMoney(x.pending)}`}
        checked=${chosen.includes(x.charge_id)} onChecked=${(on: boolean) => toggle(x.charge_id, on)} />`)}
    <${FormError} error=${form.errors.fields.charge_ids ?? form.errors.fields.payer_id ?? form.errors.general} testid="claim-create-error" />
    ${p.canClaim ? html`<${Button} kind="primary" testid="claim-create" busy=${busy} disabled=${!chosen.length} onClick=${() => void make()}>Make claim to ${p.c.payer_name}</${Button}>` : null}
  </div>`;
}

function PrintClaimDialog(p: { claim: ClaimView; onClose: () => void }) {
  const out = useSheetOutput();
  const [paper, setPaper] = useState<ClaimPaperChoice>('preprinted');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const form = useFormErrors(['printer', 'claim', 'offset_left_pt']);
  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setDone(null);
    setBusy(true);
    try {
      const r = await api.call({ cmd: 'print_claim', claim_id: p.claim.id, paper, output: out.output });
      setDone(sheetDoneText(r.done));
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${`Print claim ${p.claim.id} to ${p.claim.payer_name}`} testid="claim-dialog" onClose=${p.onClose}>
    <form onSubmit=${submit}>
      <${SelectField} label="Paper" name="paper" testid="claim-paper" value=${paper} onValue=${(v: string) => setPaper(v as ClaimPaperChoice)}
        options=${[{ value: 'preprinted', label: 'The red CMS-1500 form (the data only)' }, { value: 'plain', label: 'Plain paper (the form drawn)' }]} />
      ${out.fields(form.errors.fields.printer)}
      <p class="muted small">${p.claim.forms} form${p.claim.forms === 1 ? '' : 's'}; each print is logged as a disclosure to ${p.claim.payer_name}.</p>
      <${FormError} error=${form.errors.fields.claim ?? form.errors.fields.offset_left_pt ?? form.errors.general} />
      ${done ? html`<p class="form-ok" role="status" data-testid="claim-dialog-done">${done}</p>` : null}
      <div class="form-actions"><${Button} kind="ghost" testid="claim-dialog-close" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="claim-dialog-submit" busy=${busy}>${out.submitLabel}</${Button}></div>
    </form>
  </${Modal}>`;
}

function ClaimStatusDialog(p: { claim: ClaimView; onClose: () => void; onDone: () => void }) {
  const [status, setStatus] = useState<ClaimStatus>(p.claim.next_statuses[0] ?? 'denied');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['status', 'note']);
  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.call({ cmd: 'set_claim_status', claim_id: p.claim.id, expected_version: p.claim.version, status, note });
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${`Mark claim ${p.claim.id}`} testid="claim-status-dialog" onClose=${p.onClose}>
    <form onSubmit=${submit}>
      <${SelectField} label="Status" name="status" testid="claim-status-select" value=${status} onValue=${(v: string) => setStatus(v as ClaimStatus)}
        options=${p.claim.next_statuses.map((s) => ({ value: s, label: CLAIM_STATUS_LABEL[s] ?? s }))} error=${form.errors.fields.status} />
      <${TextField} label="Note (e.g. the payer's reason)" name="note" testid="claim-status-note" value=${note} onValue=${setNote} error=${form.errors.fields.note} />
      <${FormError} error=${form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="claim-status-save" busy=${busy}>Save</${Button}></div>
    </form>
  </${Modal}>`;
}

function ResubmitDialog(p: { claim: ClaimView; onClose: () => void; onDone: () => void }) {
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['payer_reference', 'claim_id']);
  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.call({ cmd: 'resubmit_claim', claim_id: p.claim.id, expected_version: p.claim.version, payer_reference: reference });
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${`Send claim ${p.claim.id} again`} testid="claim-resubmit-dialog" onClose=${p.onClose}>
    <form onSubmit=${submit}>
      <p class="muted">A new claim replaces this one (item 22, code 7). Voided lines are replaced by the lines that corrected them.</p>
      <${TextField} label="The payer's number for this claim (from its EOB)" name="payer_reference" testid="claim-payer-reference" value=${reference} onValue=${setReference} error=${form.errors.fields.payer_reference} />
      <${FormError} error=${form.errors.fields.claim_id ?? form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="claim-resubmit-save" busy=${busy}>Make the new claim</${Button}></div>
    </form>
  </${Modal}>`;
}

/** How the practice fills its claims: offsets for the red form, items
 *  12, 13, 25 and 27, and each clinician's NPI (item 24J). */
export function ClaimSetupPanel() {
  const [setup, setSetup] = useState<ClaimSetup | null>(null);
  const [top, setTop] = useState('0');
  const [left, setLeft] = useState('0');
  const [ein, setEin] = useState(true);
  const [assign, setAssign] = useState(true);
  const [sof, setSof] = useState(false);
  const [npis, setNpis] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['offset_top_pt', 'offset_left_pt', 'npi', 'user_id']);
  const show = (s: ClaimSetup) => {
    setSetup(s);
    setTop(String(s.settings.offset_top_pt));
    setLeft(String(s.settings.offset_left_pt));
    setEin(s.settings.tax_id_is_ein);
    setAssign(s.settings.accept_assignment);
    setSof(s.settings.signatures_on_file);
    setNpis(Object.fromEntries(s.providers.map((x) => [x.user_id, x.npi])));
  };
  useEffect(() => {
    api.call({ cmd: 'get_claim_setup' }).then(show, reportError);
  }, []);
  if (!setup) return null;
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      show(await api.call({
        cmd: 'save_claim_settings',
        settings: { offset_top_pt: Number(top) || 0, offset_left_pt: Number(left) || 0, tax_id_is_ein: ein, accept_assignment: assign, signatures_on_file: sof },
      }));
      toast('Claim settings saved', 'success');
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  const saveNpi = async (userId: number) => {
    form.clear();
    try {
      show(await api.call({ cmd: 'set_provider_npi', user_id: userId, npi: npis[userId] ?? '' }));
      toast('NPI saved', 'success');
    } catch (err) {
      form.fail(err);
    }
  };
  return html`<section class="panel" data-testid="setup-claims">
    <div class="panel-head"><h2>Paper claims (CMS-1500)</h2></div>
    <p class="muted">Tax id ${setup.tax_id || html`<strong>not set</strong>`} · practice NPI ${setup.practice_npi || html`<strong>not set</strong>`} (administration, practice settings).</p>
    <form onSubmit=${save}>
      <div class="form-row">
        <${TextField} label="Move down on the red form (points, 72 to the inch)" name="offset_top_pt" testid="claim-offset-top" value=${top} onValue=${setTop} error=${form.errors.fields.offset_top_pt} />
        <${TextField} label="Move right (points)" name="offset_left_pt" testid="claim-offset-left" value=${left} onValue=${setLeft} error=${form.errors.fields.offset_left_pt} />
      </div>
      <${CheckField} label="The tax id is an EIN (item 25; otherwise an SSN)" name="tax_id_is_ein" checked=${ein} onChecked=${setEin} />
      <${CheckField} label="Accept assignment (item 27)" name="accept_assignment" checked=${assign} onChecked=${setAssign} />
      <${CheckField} label="Every patient's signed release and assignment is on file (items 12 and 13)" name="signatures_on_file" testid="claim-sof" checked=${sof} onChecked=${setSof} />
      <${FormError} error=${form.errors.general} />
      ${setup.can_edit ? html`<div class="form-actions"><${Button} kind="primary" type="submit" testid="claim-settings-save" busy=${busy}>Save</${Button}></div>` : null}
    </form>
    <h3>Clinicians' NPIs (item 24J)</h3>
    <table class="data-table"><tbody>
      ${setup.providers.map((x) => html`<tr key=${x.user_id} data-testid="provider-npi-row">
        <th>${x.name}</th>
        <td><input class="mono" aria-label=${`NPI of ${x.name}`} data-testid="provider-npi" value=${npis[x.user_id] ?? ''} onInput=${(e: Event) => setNpis({ ...npis, [x.user_id]: (e.currentTarget as HTMLInputElement).value })} /></td>
        <td>${setup.can_edit ? html`<${Button} testid="provider-npi-save" onClick=${() => void saveNpi(x.user_id)}>Save NPI</${Button}>` : null}</td></tr>`)}
    </tbody></table>
    ${form.errors.fields.npi ? html`<p class="field-error" role="alert" data-testid="provider-npi-error">${form.errors.fields.npi}</p>` : null}
  </section>`;
}
