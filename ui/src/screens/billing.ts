// A patient's billing tab: who owes what (the patient's share apart from
// what is pending with insurers, and credit not yet applied), the account's
// ledger with its running balance, its charges and payments, the guarantor
// and coverage; and the forms that change them: take a payment, enter (or,
// until it is claimed, edit) a charge, post an insurer's EOB, apply credit, void a charge, reverse a
// payment, refund credit, add coverage; and its paper claims (./claims).
// Every figure and every "may" comes
// from the backend; amounts are integer cents on the wire.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { LedgerView } from '../bindings/LedgerView';
import type { PatientBilling } from '../bindings/PatientBilling';
import type { ChargeView } from '../bindings/ChargeView';
import type { PaymentView } from '../bindings/PaymentView';
import type { PayerView } from '../bindings/PayerView';
import type { PaymentMethod } from '../bindings/PaymentMethod';
import type { PlaceOfService } from '../bindings/PlaceOfService';
import type { CoverageRank } from '../bindings/CoverageRank';
import type { SubscriberRelationship } from '../bindings/SubscriberRelationship';
import type { AdjustmentGroup } from '../bindings/AdjustmentGroup';
import type { StatementPreview } from '../bindings/StatementPreview';
import type { SheetOutput } from '../bindings/SheetOutput';
import { SheetDialog } from '../components/sheetOutput';
import { ClaimsPanel } from './claims';
import { Button, FormError, Modal, SelectField, TextField, useFormErrors } from '../components/form';
import { reportError, toast } from '../components/toast';
import { COVERAGE_RANK_LABEL, formatDate, formatMoney, optionsOf, PAYMENT_METHOD_LABEL } from '../format';

const METHODS = optionsOf('payment_method').filter((o) => o.value !== 'insurance');
const PLACES = optionsOf('place_of_service');
const RANKS = optionsOf('coverage_rank');
const RELATIONSHIPS = optionsOf('subscriber_relationship');

export function BillingTab(p: { patientId: number }) {
  const [ledger, setLedger] = useState<LedgerView | null>(null);
  const [billing, setBilling] = useState<PatientBilling | null>(null);
  const [statement, setStatement] = useState<StatementPreview | null>(null);
  // Bumped on every load, so the claims panel reloads with the ledger (an
  // EOB posted answers a claim; a charge entered can be claimed).
  const [claimsKey, setClaimsKey] = useState(0);
  // A long ledger opens on its newest entries; "show all" asks for every one.
  const [showAll, setShowAll] = useState(false);
  const [dialog, setDialog] = useState<
    | { kind: 'payment' }
    | { kind: 'charge' }
    | { kind: 'eob' }
    | { kind: 'coverage' }
    | { kind: 'void'; charge: ChargeView }
    | { kind: 'edit'; charge: ChargeView }
    | { kind: 'correct'; charge: ChargeView }
    | { kind: 'reverse'; payment: PaymentView }
    | { kind: 'refund'; payment: PaymentView }
    | { kind: 'statement' }
    | { kind: 'receipt'; payment: PaymentView }
    | null
  >(null);
  const load = async () => {
    try {
      const [l, b] = await Promise.all([
        api.call({ cmd: 'get_ledger', patient_id: p.patientId, all: showAll }),
        api.call({ cmd: 'get_patient_billing', patient_id: p.patientId }),
      ]);
      setLedger(l);
      setBilling(b);
      setClaimsKey((k) => k + 1);
      // A statement exists once the patient has an account (a first charge
      // or payment opens it).
      setStatement(l.account.id ? await api.call({ cmd: 'get_statement', patient_id: p.patientId }) : null);
    } catch (e) {
      reportError(e);
    }
  };
  useEffect(() => {
    void load();
  }, [p.patientId, showAll]);
  const done = (message: string) => {
    setDialog(null);
    toast(message, 'success');
    void load();
  };
  if (!ledger || !billing) return html`<p class="muted">Loading…</p>`;
  const a = ledger.actions;
  const applyCredit = async () => {
    try {
      await api.call({ cmd: 'apply_credit', patient_id: p.patientId });
      toast('Credit applied', 'success');
      // The statement's figures change with the ledger's.
      void load();
    } catch (e) {
      reportError(e);
    }
  };
  return html`<div class="billing-tab" data-testid="billing-tab">
    <section class="panel billing-summary" data-testid="billing-summary">
      <div class="figure"><span class="figure-label">Balance</span><strong data-testid="billing-balance">${formatMoney(ledger.balance)}</strong></div>
      <div class="figure"><span class="figure-label">Patient owes</span><strong data-testid="billing-patient-due">${formatMoney(ledger.patient_due)}</strong></div>
      <div class="figure"><span class="figure-label">Pending with insurance (not due)</span>
        <strong data-testid="billing-pending">${ledger.pending.length ? ledger.pending.map((x) => `${x.payer_name} ${formatMoney(x.amount)}`).join(' · ') : formatMoney(0)}</strong></div>
      <div class="figure"><span class="figure-label">Credit</span><strong data-testid="billing-credit">${formatMoney(ledger.unapplied)}</strong></div>
      <div class="head-actions">
        ${a.can_take_payment ? html`<${Button} kind="primary" testid="billing-take-payment" onClick=${() => setDialog({ kind: 'payment' })}>Take payment…</${Button}>` : null}
        ${a.can_apply_credit ? html`<${Button} testid="billing-apply-credit" onClick=${() => void applyCredit()}>Apply credit</${Button}>` : null}
        ${a.can_enter_charge ? html`<${Button} testid="billing-enter-charge" onClick=${() => setDialog({ kind: 'charge' })}>Enter charge…</${Button}>` : null}
        ${a.can_post_insurance ? html`<${Button} testid="billing-post-eob" onClick=${() => setDialog({ kind: 'eob' })}>Post EOB…</${Button}>` : null}
      </div>
    </section>

    ${statement ? html`<${StatementPanel} s=${statement} onPrint=${() => setDialog({ kind: 'statement' })} />` : null}

    <${ClaimsPanel} key=${claimsKey} patientId=${p.patientId} onChanged=${() => void load()} />

    <section class="panel" data-testid="billing-account">
      <div class="panel-head"><h2>Guarantor and coverage</h2>
        ${billing.can_edit ? html`<${Button} testid="billing-add-coverage" onClick=${() => setDialog({ kind: 'coverage' })}>Add coverage…</${Button}>` : null}</div>
      <p><strong>${billing.account.name}</strong>${billing.account.address_line1 ? html` · ${billing.account.address_line1}, ${billing.account.city} ${billing.account.region} ${billing.account.postal_code}` : null}</p>
      ${billing.coverage.length
        ? html`<table class="data-table"><thead><tr><th>Rank</th><th>Payer</th><th>Member ID</th><th>Copay</th><th>From</th><th>To</th></tr></thead><tbody>
            ${billing.coverage.map((c) => html`<tr key=${c.id} class=${c.active ? '' : 'inactive'} data-testid="coverage-row">
              <td>${COVERAGE_RANK_LABEL[c.rank] ?? c.rank}</td><td>${c.payer_name}</td><td class="mono">${c.member_id}</td><td class="num">${formatMoney(c.copay)}</td>
              <td>${formatDate(c.from_day)}</td><td>${c.to_day ? formatDate(c.to_day) : ''}</td></tr>`)}
          </tbody></table>`
        : html`<p class="muted">No insurance on file: charges are self-pay.</p>`}
    </section>

    <section class="panel" data-testid="billing-ledger">
      <div class="panel-head"><h2>Ledger</h2>
        ${ledger.rows.length < ledger.rows_total
          ? html`<span class="muted" data-testid="ledger-shown">The newest ${ledger.rows.length} of ${ledger.rows_total} entries</span>
              <${Button} testid="ledger-show-all" onClick=${() => setShowAll(true)}>Show all</${Button}>`
          : null}</div>
      ${ledger.rows.length
        ? html`<table class="data-table ledger-table"><thead><tr><th>Day</th><th>What</th><th>Whose</th><th class="num">Amount</th><th class="num">Balance</th></tr></thead><tbody>
            ${ledger.rows.map((r) => html`<tr key=${r.id} data-testid="ledger-row" data-kind=${r.kind}>
              <td class="nowrap">${formatDate(r.day)}</td><td>${r.description}</td><td>${r.party}</td>
              <td class="num">${formatMoney(r.amount)}</td><td class="num">${formatMoney(r.balance)}</td></tr>`)}
          </tbody></table>`
        : html`<p class="muted">Nothing billed or paid yet.</p>`}
    </section>

    <section class="panel" data-testid="billing-charges">
      <h2>Charges</h2>
      ${ledger.rows.length < ledger.rows_total ? html`<p class="muted">Those with something still owed, and those of the entries shown.</p>` : null}
      ${ledger.charges.length
        ? html`<table class="data-table"><thead><tr><th>Day</th><th>Code</th><th>Description</th><th>Dx</th><th class="num">Amount</th><th>Owed</th><th></th></tr></thead><tbody>
            ${ledger.charges.map((c) => html`<tr key=${c.id} class=${c.status === 'void' ? 'inactive' : ''} data-testid="charge-row">
              <td class="nowrap">${formatDate(c.service_day)}</td><td class="mono">${c.code}${c.modifiers.length ? `-${c.modifiers.join('-')}` : ''}</td>
              <td>${c.description}${c.status === 'void' ? html` <span class="chip">void</span>` : null}</td><td class="mono small">${c.diagnoses.join(', ')}</td>
              <td class="num">${formatMoney(c.amount)}</td>
              <td>${c.owed.map((o) => html`<div key=${o.party}>${o.party} ${formatMoney(o.amount)}</div>`)}</td>
              <td class="nowrap">${c.can_edit ? html`<${Button} testid="charge-edit" onClick=${() => setDialog({ kind: 'edit', charge: c })}>Edit…</${Button}>` : null}
                ${c.can_void && !c.can_edit ? html`<${Button} testid="charge-correct" onClick=${() => setDialog({ kind: 'correct', charge: c })}>Correct…</${Button}>` : null}
                ${c.can_void ? html`<${Button} testid="charge-void" onClick=${() => setDialog({ kind: 'void', charge: c })}>Void…</${Button}>` : null}</td></tr>`)}
          </tbody></table>`
        : html`<p class="muted">No charges.</p>`}
    </section>

    <section class="panel" data-testid="billing-payments">
      <h2>Payments</h2>
      ${ledger.payments.length
        ? html`<table class="data-table"><thead><tr><th>Day</th><th>Paid by</th><th>How</th><th class="num">Amount</th><th class="num">Credit</th><th></th></tr></thead><tbody>
            ${ledger.payments.map((x) => html`<tr key=${x.id} class=${x.reversed ? 'inactive' : ''} data-testid="payment-row">
              <td class="nowrap">${formatDate(x.received_day)}</td><td>${x.paid_by}</td>
              <td>${PAYMENT_METHOD_LABEL[x.method] ?? x.method}${x.reference ? ` ${x.reference}` : ''}${x.reversed ? html` <span class="chip">reversed: ${x.reversed_reason}</span>` : null}</td>
              <td class="num">${formatMoney(x.amount)}</td><td class="num">${formatMoney(x.unapplied)}</td>
              <td class="nowrap">${x.can_print_receipt ? html`<${Button} testid="payment-receipt" onClick=${() => setDialog({ kind: 'receipt', payment: x })}>Receipt…</${Button}>` : null}
                ${x.can_refund ? html`<${Button} testid="payment-refund" onClick=${() => setDialog({ kind: 'refund', payment: x })}>Refund…</${Button}>` : null}
                ${x.can_reverse ? html`<${Button} testid="payment-reverse" onClick=${() => setDialog({ kind: 'reverse', payment: x })}>Reverse…</${Button}>` : null}</td></tr>`)}
          </tbody></table>`
        : html`<p class="muted">No payments.</p>`}
    </section>

    ${dialog?.kind === 'payment' ? html`<${PaymentDialog} patientId=${p.patientId} onClose=${() => setDialog(null)} onDone=${() => done('Payment taken')} />` : null}
    ${dialog?.kind === 'charge' ? html`<${ChargeDialog} patientId=${p.patientId} onClose=${() => setDialog(null)} onDone=${() => done('Charge entered')} />` : null}
    ${dialog?.kind === 'edit' ? html`<${ChargeDialog} patientId=${p.patientId} charge=${dialog.charge} onClose=${() => setDialog(null)} onDone=${() => done('Charge saved')} />` : null}
    ${dialog?.kind === 'correct' ? html`<${ChargeDialog} patientId=${p.patientId} charge=${dialog.charge} correct=${true} onClose=${() => setDialog(null)} onDone=${() => done('Charge corrected by a new line')} />` : null}
    ${dialog?.kind === 'eob' ? html`<${EobDialog} patientId=${p.patientId} ledger=${ledger} onClose=${() => setDialog(null)} onDone=${() => done('EOB posted')} />` : null}
    ${dialog?.kind === 'coverage' ? html`<${CoverageDialog} patientId=${p.patientId} onClose=${() => setDialog(null)} onDone=${() => done('Coverage saved')} />` : null}
    ${dialog?.kind === 'void' ? html`<${ReasonDialog} title=${`Void ${dialog.charge.code}`} testid="void-dialog" label="Why is it voided?" submit="Void charge"
        run=${(reason: string) => api.call({ cmd: 'void_charge', charge_id: dialog.charge.id, expected_version: dialog.charge.version, reason })}
        onClose=${() => setDialog(null)} onDone=${() => done('Charge voided')} />` : null}
    ${dialog?.kind === 'reverse' ? html`<${ReasonDialog} title="Reverse payment" testid="reverse-dialog" label="Why is it reversed?" submit="Reverse payment"
        run=${(reason: string) => api.call({ cmd: 'reverse_payment', payment_id: dialog.payment.id, reason })}
        onClose=${() => setDialog(null)} onDone=${() => done('Payment reversed')} />` : null}
    ${dialog?.kind === 'refund' ? html`<${RefundDialog} payment=${dialog.payment} onClose=${() => setDialog(null)} onDone=${() => done('Refund recorded')} />` : null}
    ${dialog?.kind === 'statement' ? html`<${SheetDialog} title="Print statement" testid="statement-dialog"
        run=${async (output: SheetOutput) => (await api.call({ cmd: 'print_statement', patient_id: p.patientId, output })).done}
        onClose=${() => { setDialog(null); void load(); }} />` : null}
    ${dialog?.kind === 'receipt' ? html`<${SheetDialog} title="Print receipt" testid="receipt-dialog"
        run=${(output: SheetOutput) => api.call({ cmd: 'print_receipt', payment_id: dialog.payment.id, output })}
        onClose=${() => setDialog(null)} />` : null}
  </div>`;
}

/** The guarantor's statement as it would go out today: what is due, its
 *  aging, what is pending with insurance (not due), and those sent. */
function StatementPanel(p: { s: StatementPreview; onPrint: () => void }) {
  const s = p.s;
  const ages: [string, number][] = [
    ['0-30 days', s.aging.current],
    ['31-60 days', s.aging.days_31_60],
    ['61-90 days', s.aging.days_61_90],
    ['91-120 days', s.aging.days_91_120],
    ['Over 120 days', s.aging.over_120],
  ];
  return html`<section class="panel" data-testid="billing-statement">
    <div class="panel-head"><h2>Statement to ${s.account.name}</h2>
      ${s.can_print ? html`<${Button} testid="billing-print-statement" onClick=${p.onPrint}>Print statement…</${Button}>` : null}</div>
    ${s.missing ? html`<p class="muted" data-testid="statement-missing">${s.missing}.</p>` : null}
    <div class="billing-summary">
      <div class="figure"><span class="figure-label">Amount due</span><strong data-testid="statement-amount-due">${formatMoney(s.amount_due)}</strong></div>
      <div class="figure"><span class="figure-label">Owed on visits</span><strong>${formatMoney(s.patient_due)}</strong></div>
      ${s.owed_on_account ? html`<div class="figure"><span class="figure-label">Owed on the account (a payment reversed after its refund)</span><strong>${formatMoney(s.owed_on_account)}</strong></div>` : null}
      <div class="figure"><span class="figure-label">Less credit</span><strong>${formatMoney(s.credit)}</strong></div>
      <div class="figure"><span class="figure-label">Pending with insurance (not due)</span><strong>${formatMoney(s.pending)}</strong></div>
    </div>
    <table class="data-table" data-testid="statement-aging" aria-label="What is owed on visits by how long, before credit"><thead><tr>${ages.map(([label]) => html`<th class="num" key=${label}>${label}</th>`)}</tr></thead>
      <tbody><tr>${ages.map(([label, amount]) => html`<td class="num" key=${label}>${formatMoney(amount)}</td>`)}</tr></tbody></table>
    ${s.history.length
      ? html`<h3>Sent</h3><table class="data-table"><thead><tr><th>Statement date</th><th class="num">Amount due</th><th class="num">Pending</th><th>How</th><th>By</th></tr></thead><tbody>
          ${s.history.map((h) => html`<tr key=${h.id} data-testid="statement-history-row">
            <td>${formatDate(h.statement_day)}</td><td class="num">${formatMoney(h.amount_due)}</td><td class="num">${formatMoney(h.pending)}</td>
            <td>${h.method === 'printed' ? 'Printed' : 'Saved as PDF'}</td><td>${h.by}</td></tr>`)}
        </tbody></table>`
      : html`<p class="muted">No statement sent yet.</p>`}
  </section>`;
}

function PaymentDialog(p: { patientId: number; onClose: () => void; onDone: () => void }) {
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [apply, setApply] = useState<'oldest' | 'credit'>('oldest');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['method', 'amount', 'reference', 'note', 'apply', 'day']);
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.call({ cmd: 'take_payment', patient_id: p.patientId, method, reference, amount, note: '', apply: { kind: apply } });
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title="Take a payment" testid="payment-dialog" onClose=${p.onClose}>
    <form onSubmit=${save}>
      <div class="form-row">
        <${TextField} label="Amount" name="amount" testid="payment-amount" value=${amount} onValue=${setAmount} error=${form.errors.fields.amount} inputMode="decimal" placeholder="25.00" />
        <${SelectField} label="Method" name="method" testid="payment-method" value=${method} onValue=${(v: string) => setMethod(v as PaymentMethod)} options=${METHODS} error=${form.errors.fields.method} />
      </div>
      <${TextField} label="Check number or card reference" name="reference" testid="payment-reference" value=${reference} onValue=${setReference} error=${form.errors.fields.reference} />
      <${SelectField} label="Apply to" name="apply" testid="payment-apply" value=${apply} onValue=${(v: string) => setApply(v as 'oldest' | 'credit')}
        options=${[{ value: 'oldest', label: 'What the patient owes, oldest first' }, { value: 'credit', label: 'Keep as credit (copay before the charges, prepayment)' }]} />
      <${FormError} error=${form.errors.fields.day ?? form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="payment-save" busy=${busy}>Take payment</${Button}></div>
    </form>
  </${Modal}>`;
}

/** Enters a charge, edits `charge` (until it is claimed) or, with
 *  `correct`, corrects it by a new line (the old one voided, with a
 *  reason). */
function ChargeDialog(p: { patientId: number; charge?: ChargeView; correct?: boolean; onClose: () => void; onDone: () => void }) {
  const c = p.charge;
  const [reason, setReason] = useState('');
  const [code, setCode] = useState(c?.code ?? '');
  const [units, setUnits] = useState(String(c?.units ?? 1));
  const [modifiers, setModifiers] = useState(c?.modifiers.join(', ') ?? '');
  const [diagnoses, setDiagnoses] = useState(c?.diagnoses.join(', ') ?? '');
  const [day, setDay] = useState(c ? formatDate(c.service_day) : '');
  const [place, setPlace] = useState<PlaceOfService>(c?.place ?? '11');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['code', 'units', 'modifiers', 'diagnoses', 'service_day', 'place', 'rendering_user_id', 'encounter_id', 'day', 'status', 'reason']);
  const list = (s: string) => s.split(/[\s,]+/).filter(Boolean);
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const form = { encounter_id: c?.encounter_id ?? null, service_day: day, code, modifiers: list(modifiers), units: Number(units) || 0, place, diagnoses: list(diagnoses), rendering_user_id: c?.rendering_user_id ?? null };
      if (c && p.correct) await api.call({ cmd: 'correct_charge', charge_id: c.id, expected_version: c.version, reason, form });
      else if (c) await api.call({ cmd: 'edit_charge', charge_id: c.id, expected_version: c.version, form });
      else await api.call({ cmd: 'enter_charge', patient_id: p.patientId, form });
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${c ? `${p.correct ? 'Correct' : 'Edit'} ${c.code} of ${formatDate(c.service_day)}` : 'Enter a charge'} testid="charge-dialog" onClose=${p.onClose} wide=${true}>
    <form onSubmit=${save}>
      ${p.correct ? html`<p class="muted">The charge is voided and the corrected line entered in its place; a claim sent again asks for the new line.</p>
        <${TextField} label="What is corrected" name="reason" testid="charge-reason" value=${reason} onValue=${setReason} error=${form.errors.fields.reason} />` : null}
      <div class="form-row">
        <${TextField} label="Procedure code (CPT/HCPCS)" name="code" testid="charge-code" value=${code} onValue=${setCode} error=${form.errors.fields.code} placeholder="99213" />
        <${TextField} label="Units" name="units" testid="charge-units" value=${units} onValue=${setUnits} error=${form.errors.fields.units} inputMode="numeric" />
        <${TextField} label="Modifiers" name="modifiers" testid="charge-modifiers" value=${modifiers} onValue=${setModifiers} error=${form.errors.fields.modifiers} placeholder="25, 59" />
      </div>
      <${TextField} label="Diagnoses (ICD-10-CM, up to four, in pointer order)" name="diagnoses" testid="charge-diagnoses" value=${diagnoses} onValue=${setDiagnoses} error=${form.errors.fields.diagnoses} placeholder="I10, E11.9" />
      <div class="form-row">
        <${TextField} label="Day of service" name="service_day" testid="charge-day" value=${day} onValue=${setDay} error=${form.errors.fields.service_day} hint="MM/DD/YYYY; empty: today" />
        <${SelectField} label="Place of service" name="place" testid="charge-place" value=${place} onValue=${(v: string) => setPlace(v as PlaceOfService)} options=${PLACES} />
      </div>
      <${FormError} error=${form.errors.fields.rendering_user_id ?? form.errors.fields.day ?? form.errors.fields.status ?? form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="charge-save" busy=${busy}>${c ? 'Save charge' : 'Enter charge'}</${Button}></div>
    </form>
  </${Modal}>`;
}

/** One line of the EOB form: a charge pending with the payer chosen, what
 *  the payer paid, what it wrote off (a group other than PR, and the
 *  reason code the EOB gives) and what it moved to the patient (PR, with
 *  its reason). */
interface EobRow {
  charge_id: number;
  label: string;
  pending: number;
  paid: string;
  co: string;
  group: AdjustmentGroup;
  reason: string;
  pr: string;
  prReason: string;
}

/** Write-off groups: every adjustment group but the patient's share. */
const WRITE_OFF_GROUPS = optionsOf('adjustment_group').filter((o) => o.value !== 'pr');
const PATIENT_SHARE_REASONS = optionsOf('patient_share_reason');

function EobDialog(p: { patientId: number; ledger: LedgerView; onClose: () => void; onDone: () => void }) {
  const payers = new Map<number, string>();
  for (const c of p.ledger.charges) for (const o of c.owed) if (o.payer_id !== null) payers.set(o.payer_id, o.party);
  const first = [...payers.keys()][0] ?? null;
  const [payer, setPayer] = useState<number | null>(first);
  const rowsFor = (id: number | null): EobRow[] =>
    p.ledger.charges.flatMap((c) =>
      c.owed
        .filter((o) => o.payer_id === id)
        .map((o) => ({
          charge_id: c.id,
          label: `${formatDate(c.service_day)} ${c.code} ${c.description}`,
          pending: o.amount,
          paid: '',
          co: '',
          group: 'co' as AdjustmentGroup,
          reason: '45',
          pr: '',
          prReason: '2',
        })),
    );
  const [rows, setRows] = useState<EobRow[]>(rowsFor(first));
  const [reference, setReference] = useState('');
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors([
    'reference',
    'amount',
    'lines',
    'day',
    ...rows.flatMap((_, i) => [`lines.${i}.paid`, `lines.${i}.charge_id`, ...[0, 1].flatMap((k) => [`lines.${i}.adjustments.${k}.amount`, `lines.${i}.adjustments.${k}.reason_code`])]),
  ]);
  const set = (i: number, k: 'paid' | 'co' | 'group' | 'reason' | 'pr' | 'prReason', v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    if (payer === null) return;
    setBusy(true);
    try {
      await api.call({
        cmd: 'post_insurance_payment',
        patient_id: p.patientId,
        payer_id: payer,
        reference,
        amount,
        lines: rows
          .filter((r) => r.paid.trim() || r.co.trim() || r.pr.trim())
          .map((r) => ({
            charge_id: r.charge_id,
            paid: r.paid.trim() || '0',
            adjustments: [
              ...(r.co.trim() ? [{ group: r.group, reason_code: r.reason, amount: r.co }] : []),
              ...(r.pr.trim() ? [{ group: 'pr' as const, reason_code: r.prReason, amount: r.pr }] : []),
            ],
          })),
      });
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  const lineError = (i: number) =>
    form.errors.fields[`lines.${i}.paid`] ??
    form.errors.fields[`lines.${i}.charge_id`] ??
    form.errors.fields[`lines.${i}.adjustments.0.amount`] ??
    form.errors.fields[`lines.${i}.adjustments.0.reason_code`] ??
    form.errors.fields[`lines.${i}.adjustments.1.amount`] ??
    form.errors.fields[`lines.${i}.adjustments.1.reason_code`];
  return html`<${Modal} title="Post an insurer's EOB" testid="eob-dialog" onClose=${p.onClose} wide=${true}>
    ${payer === null
      ? html`<p class="muted">Nothing is pending with an insurer on this account.</p>`
      : html`<form onSubmit=${save}>
          <div class="form-row">
            <${SelectField} label="Payer" name="payer_id" testid="eob-payer" value=${String(payer)} onValue=${(v: string) => { setPayer(Number(v)); setRows(rowsFor(Number(v))); }}
              options=${[...payers].map(([id, name]) => ({ value: String(id), label: name }))} />
            <${TextField} label="Check or EFT number" name="reference" testid="eob-reference" value=${reference} onValue=${setReference} error=${form.errors.fields.reference} />
            <${TextField} label="Check amount for these lines" name="amount" testid="eob-amount" value=${amount} onValue=${setAmount} error=${form.errors.fields.amount} inputMode="decimal" />
          </div>
          <table class="data-table eob-table"><thead><tr><th>Line</th><th class="num">Pending</th><th>Paid</th><th>Written off: amount, group, reason</th><th>Patient's share: amount, reason</th></tr></thead><tbody>
            ${rows.map((r, i) => html`<tr key=${r.charge_id} data-testid="eob-line">
              <td>${r.label}${lineError(i) ? html`<div class="field-error" role="alert" data-testid="eob-line-error">${lineError(i)}</div>` : null}</td>
              <td class="num">${formatMoney(r.pending)}</td>
              <td><input class="input-compact" data-testid="eob-paid" value=${r.paid} onInput=${(e: Event) => set(i, 'paid', (e.currentTarget as HTMLInputElement).value)} inputmode="decimal" aria-label="Paid" /></td>
              <td><div class="eob-adjust">
                <input class="input-compact" data-testid="eob-co" value=${r.co} onInput=${(e: Event) => set(i, 'co', (e.currentTarget as HTMLInputElement).value)} inputmode="decimal" aria-label="Written off" />
                <select class="input-compact" data-testid="eob-co-group" aria-label="Adjustment group" value=${r.group} onChange=${(e: Event) => set(i, 'group', (e.currentTarget as HTMLSelectElement).value)}>
                  ${WRITE_OFF_GROUPS.map((o) => html`<option key=${o.value} value=${o.value} title=${o.label}>${o.value.toUpperCase()}</option>`)}</select>
                <input class="input-code" data-testid="eob-co-reason" value=${r.reason} onInput=${(e: Event) => set(i, 'reason', (e.currentTarget as HTMLInputElement).value)} aria-label="Reason code" />
              </div></td>
              <td><div class="eob-adjust">
                <input class="input-compact" data-testid="eob-pr" value=${r.pr} onInput=${(e: Event) => set(i, 'pr', (e.currentTarget as HTMLInputElement).value)} inputmode="decimal" aria-label="Patient's share" />
                <select class="input-compact eob-reason" data-testid="eob-pr-reason" aria-label="Patient share reason" value=${r.prReason} onChange=${(e: Event) => set(i, 'prReason', (e.currentTarget as HTMLSelectElement).value)}>
                  ${PATIENT_SHARE_REASONS.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}</select>
              </div></td>
            </tr>`)}
          </tbody></table>
          <${FormError} error=${form.errors.fields.lines ?? form.errors.fields.day ?? form.errors.general} />
          <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="eob-save" busy=${busy}>Post</${Button}></div>
        </form>`}
  </${Modal}>`;
}

function CoverageDialog(p: { patientId: number; onClose: () => void; onDone: () => void }) {
  const [payers, setPayers] = useState<PayerView[]>([]);
  const [payer, setPayer] = useState('');
  const [rank, setRank] = useState<CoverageRank>('primary');
  const [member, setMember] = useState('');
  const [group, setGroup] = useState('');
  const [relationship, setRelationship] = useState<SubscriberRelationship>('self');
  const [subscriber, setSubscriber] = useState('');
  const [copay, setCopay] = useState('');
  const [from, setFrom] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['payer_id', 'member_id', 'group_number', 'subscriber_name', 'subscriber_birth_date', 'copay', 'from', 'to']);
  useEffect(() => {
    api.call({ cmd: 'list_payers' }).then((x) => {
      const active = x.filter((y) => y.active);
      setPayers(active);
      setPayer(String(active[0]?.id ?? ''));
    }, reportError);
  }, []);
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.call({
        cmd: 'save_coverage',
        id: null,
        expected_version: 0,
        form: { patient_id: p.patientId, payer_id: Number(payer), rank, member_id: member, group_number: group, relationship, subscriber_name: subscriber, subscriber_birth_date: '', copay, from, to: '' },
      });
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title="Add coverage" testid="coverage-dialog" onClose=${p.onClose}>
    <form onSubmit=${save}>
      <div class="form-row">
        <${SelectField} label="Payer" name="payer_id" testid="coverage-payer" value=${payer} onValue=${setPayer} options=${payers.map((x) => ({ value: String(x.id), label: x.name }))} error=${form.errors.fields.payer_id} />
        <${SelectField} label="Rank" name="rank" testid="coverage-rank" value=${rank} onValue=${(v: string) => setRank(v as CoverageRank)} options=${RANKS} />
      </div>
      <div class="form-row">
        <${TextField} label="Member ID" name="member_id" testid="coverage-member" value=${member} onValue=${setMember} error=${form.errors.fields.member_id} />
        <${TextField} label="Group" name="group_number" testid="coverage-group" value=${group} onValue=${setGroup} error=${form.errors.fields.group_number} />
      </div>
      <div class="form-row">
        <${SelectField} label="Patient is the subscriber's" name="relationship" testid="coverage-relationship" value=${relationship} onValue=${(v: string) => setRelationship(v as SubscriberRelationship)} options=${RELATIONSHIPS} />
        <${TextField} label="Subscriber (if not the patient)" name="subscriber_name" testid="coverage-subscriber" value=${subscriber} onValue=${setSubscriber} error=${form.errors.fields.subscriber_name} />
      </div>
      <div class="form-row">
        <${TextField} label="Copay" name="copay" testid="coverage-copay" value=${copay} onValue=${setCopay} error=${form.errors.fields.copay} inputMode="decimal" />
        <${TextField} label="From" name="from" testid="coverage-from" value=${from} onValue=${setFrom} error=${form.errors.fields.from} hint="MM/DD/YYYY; empty: today" />
      </div>
      <${FormError} error=${form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="coverage-save" busy=${busy}>Save</${Button}></div>
    </form>
  </${Modal}>`;
}

function ReasonDialog(p: { title: string; testid: string; label: string; submit: string; run: (reason: string) => Promise<unknown>; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['reason', 'status', 'payment_id', 'day']);
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await p.run(reason);
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${p.title} testid=${p.testid} onClose=${p.onClose}>
    <form onSubmit=${save}>
      <${TextField} label=${p.label} name="reason" testid="reason-text" value=${reason} onValue=${setReason} error=${form.errors.fields.reason} />
      <${FormError} error=${form.errors.fields.status ?? form.errors.fields.payment_id ?? form.errors.fields.day ?? form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="danger" type="submit" testid="reason-submit" busy=${busy}>${p.submit}</${Button}></div>
    </form>
  </${Modal}>`;
}

function RefundDialog(p: { payment: PaymentView; onClose: () => void; onDone: () => void }) {
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('check');
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['amount', 'method', 'reference', 'reason', 'payment_id', 'day']);
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.call({ cmd: 'refund_credit', payment_id: p.payment.id, amount, method, reference, reason });
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${`Refund credit (${formatMoney(p.payment.unapplied)} available)`} testid="refund-dialog" onClose=${p.onClose}>
    <form onSubmit=${save}>
      <div class="form-row">
        <${TextField} label="Amount" name="amount" testid="refund-amount" value=${amount} onValue=${setAmount} error=${form.errors.fields.amount} inputMode="decimal" />
        <${SelectField} label="Method" name="method" value=${method} onValue=${(v: string) => setMethod(v as PaymentMethod)} options=${METHODS} error=${form.errors.fields.method} />
      </div>
      <${TextField} label="Check number" name="reference" value=${reference} onValue=${setReference} error=${form.errors.fields.reference} />
      <${TextField} label="Reason" name="reason" value=${reason} onValue=${setReason} error=${form.errors.fields.reason} />
      <${FormError} error=${form.errors.fields.payment_id ?? form.errors.fields.day ?? form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="refund-save" busy=${busy}>Refund</${Button}></div>
    </form>
  </${Modal}>`;
}
