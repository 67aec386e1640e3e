// Billing set-up and the day's close: the fee schedule (the practice's own
// prices and short descriptions per code and level; a new price ends the
// old one the day before), the payers claims are mailed to, and today's
// postings added up with the close that makes them final, and a batch of
// statements for every guarantor owing more than an amount, the A/R aging
// by payer and by guarantor, charges and collections by provider, and how
// paper claims are filled (offsets, items 12, 13, 25, 27, clinicians' NPIs). Which panels
// show follows the user's permissions; every rule is the backend's.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { FeeView } from '../bindings/FeeView';
import type { PayerView } from '../bindings/PayerView';
import type { DayReport } from '../bindings/DayReport';
import type { PriceLevel } from '../bindings/PriceLevel';
import type { PlanType } from '../bindings/PlanType';
import { ClaimSetupPanel } from './claims';
import type { SheetOutput } from '../bindings/SheetOutput';
import { Button, CheckField, FormError, Modal, SelectField, TextField, useFormErrors } from '../components/form';
import { reportError, toast } from '../components/toast';
import { formatDate, formatMoney, optionsOf, PAYMENT_METHOD_LABEL, PRICE_LEVEL_LABEL, sheetDoneText } from '../format';
import { useApp } from '../app';
import { SheetDialog, useSheetOutput } from '../components/sheetOutput';
import type { ArAging } from '../bindings/ArAging';
import type { Aging } from '../bindings/Aging';
import type { AgingRow } from '../bindings/AgingRow';
import type { ProviderLine } from '../bindings/ProviderLine';
import type { ProviderReport } from '../bindings/ProviderReport';

const LEVELS = optionsOf('price_level');
const PLAN_TYPES = optionsOf('plan_type');

export function BillingSetupScreen() {
  const app = useApp();
  const setup = app.can('billing_setup');
  const closer = app.can('close_day');
  const statements = app.can('statements');
  const reports = app.can('billing_reports');
  const [fees, setFees] = useState<FeeView[]>([]);
  const [payers, setPayers] = useState<PayerView[]>([]);
  const [day, setDay] = useState<DayReport | null>(null);
  const [addFee, setAddFee] = useState(false);
  const [editPayer, setEditPayer] = useState<PayerView | 'new' | null>(null);
  const [printDay, setPrintDay] = useState(false);
  const load = async () => {
    try {
      if (setup) {
        const [f, p] = await Promise.all([api.call({ cmd: 'list_fees' }), api.call({ cmd: 'list_payers' })]);
        setFees(f);
        setPayers(p);
      }
      if (closer) setDay(await api.call({ cmd: 'get_day_report', day: '' }));
    } catch (e) {
      reportError(e);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const close = async () => {
    try {
      setDay(await api.call({ cmd: 'close_day', day: '' }));
      toast('The day is closed', 'success');
    } catch (e) {
      reportError(e);
    }
  };
  return html`<div class="screen setup-screen">
    <div class="screen-head"><h1>Billing</h1></div>
    ${closer && day
      ? html`<section class="panel" data-testid="billing-day">
          <div class="panel-head"><h2>The day: ${formatDate(day.day)}</h2>
            <div class="head-actions"><${Button} testid="day-print" onClick=${() => setPrintDay(true)}>Print…</${Button}>
            ${day.can_close ? html`<${Button} kind="primary" testid="day-close" onClick=${() => void close()}>Close the day…</${Button}>` : null}</div></div>
          <table class="data-table"><tbody>
            <tr><th>Charges</th><td class="num" data-testid="day-charges">${formatMoney(day.charges)}</td></tr>
            ${day.payments.map((t) => html`<tr key=${t.method}><th>Payments: ${PAYMENT_METHOD_LABEL[t.method] ?? t.method}</th><td class="num">${formatMoney(t.amount)}</td></tr>`)}
            <tr><th>Payments in all</th><td class="num" data-testid="day-payments">${formatMoney(day.payments_total)}</td></tr>
            <tr><th>Adjustments</th><td class="num">${formatMoney(day.adjustments)}</td></tr>
            <tr><th>Refunds</th><td class="num">${formatMoney(day.refunds)}</td></tr>
            <tr><th>Net on the ledger (${day.entries} entries)</th><td class="num" data-testid="day-net">${formatMoney(day.net)}</td></tr>
          </tbody></table>
          ${day.closed ? html`<p class="notice" data-testid="day-closed">${day.closed}: its postings are final.</p>` : null}
          ${printDay ? html`<${SheetDialog} title="Print the daily close" testid="day-dialog" run=${(output: SheetOutput) => api.call({ cmd: 'print_day_report', day: day.day, output })} onClose=${() => setPrintDay(false)} />` : null}
        </section>`
      : null}
    ${reports ? html`<${ArAgingPanel} /><${ProviderReportPanel} />` : null}
    ${statements ? html`<${StatementBatchPanel} />` : null}

    ${setup
      ? html`<section class="panel" data-testid="setup-fees">
          <div class="panel-head"><h2>Fee schedule</h2><${Button} kind="primary" testid="fee-add" onClick=${() => setAddFee(true)}>Set a price…</${Button}></div>
          ${fees.length
            ? html`<table class="data-table"><thead><tr><th>Code</th><th>Description</th><th>Level</th><th class="num">Price</th><th>From</th><th>To</th></tr></thead><tbody>
                ${fees.map((f) => html`<tr key=${f.id} class=${f.to_day ? 'inactive' : ''} data-testid="fee-row">
                  <td class="mono">${f.code}</td><td>${f.description}</td><td>${PRICE_LEVEL_LABEL[f.level] ?? f.level}</td><td class="num">${formatMoney(f.price)}</td>
                  <td>${formatDate(f.from_day)}</td><td>${f.to_day ? formatDate(f.to_day) : ''}</td></tr>`)}
              </tbody></table>`
            : html`<p class="muted">No prices yet: charges need a price for their code.</p>`}
        </section>
        <section class="panel" data-testid="setup-payers">
          <div class="panel-head"><h2>Payers</h2><${Button} kind="primary" testid="payer-add" onClick=${() => setEditPayer('new')}>Add payer…</${Button}></div>
          ${payers.length
            ? html`<table class="data-table"><thead><tr><th>Name</th><th>Payer ID</th><th>Claims to</th><th></th></tr></thead><tbody>
                ${payers.map((x) => html`<tr key=${x.id} class=${x.active ? '' : 'inactive'} data-testid="payer-row">
                  <td>${x.name}</td><td class="mono">${x.payer_code}</td><td>${x.address_line1}, ${x.city} ${x.region} ${x.postal_code}</td>
                  <td><${Button} testid="payer-edit" onClick=${() => setEditPayer(x)}>Edit…</${Button}></td></tr>`)}
              </tbody></table>`
            : html`<p class="muted">No payers yet.</p>`}
        </section>`
      : null}
    ${addFee ? html`<${FeeDialog} onClose=${() => setAddFee(false)} onDone=${() => { setAddFee(false); toast('Price saved', 'success'); void load(); }} />` : null}
    ${setup ? html`<${ClaimSetupPanel} />` : null}
    ${editPayer ? html`<${PayerDialog} payer=${editPayer === 'new' ? null : editPayer} onClose=${() => setEditPayer(null)} onDone=${() => { setEditPayer(null); toast('Payer saved', 'success'); void load(); }} />` : null}
  </div>`;
}

function FeeDialog(p: { onClose: () => void; onDone: () => void }) {
  const [code, setCode] = useState('');
  const [level, setLevel] = useState<PriceLevel>('standard');
  const [description, setDescription] = useState('');
  const [price, setPrice] = useState('');
  const [from, setFrom] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['code', 'level', 'description', 'price', 'from']);
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.call({ cmd: 'save_fee', form: { code, level, description, price, from } });
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title="Set a price" testid="fee-dialog" onClose=${p.onClose}>
    <form onSubmit=${save}>
      <div class="form-row">
        <${TextField} label="Code (CPT/HCPCS)" name="code" testid="fee-code" value=${code} onValue=${setCode} error=${form.errors.fields.code} placeholder="99213" />
        <${SelectField} label="Level" name="level" testid="fee-level" value=${level} onValue=${(v: string) => setLevel(v as PriceLevel)} options=${LEVELS} />
      </div>
      <${TextField} label="The practice's short description" name="description" testid="fee-description" value=${description} onValue=${setDescription} error=${form.errors.fields.description} />
      <div class="form-row">
        <${TextField} label="Price" name="price" testid="fee-price" value=${price} onValue=${setPrice} error=${form.errors.fields.price} inputMode="decimal" />
        <${TextField} label="From" name="from" testid="fee-from" value=${from} onValue=${setFrom} error=${form.errors.fields.from} hint="MM/DD/YYYY; empty: today" />
      </div>
      <${FormError} error=${form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="fee-save" busy=${busy}>Save</${Button}></div>
    </form>
  </${Modal}>`;
}

function PayerDialog(p: { payer: PayerView | null; onClose: () => void; onDone: () => void }) {
  const x = p.payer;
  const [name, setName] = useState(x?.name ?? '');
  const [code, setCode] = useState(x?.payer_code ?? '');
  const [line1, setLine1] = useState(x?.address_line1 ?? '');
  const [city, setCity] = useState(x?.city ?? '');
  const [region, setRegion] = useState(x?.region ?? '');
  const [postal, setPostal] = useState(x?.postal_code ?? '');
  const [phone, setPhone] = useState(x?.phone ?? '');
  const [active, setActive] = useState(x?.active ?? true);
  const [planType, setPlanType] = useState<PlanType>(x?.plan_type ?? 'group_health');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['name', 'payer_code', 'address_line1', 'city', 'region', 'postal_code', 'phone', 'plan_type']);
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.call({
        cmd: 'save_payer',
        id: x?.id ?? null,
        expected_version: x?.version ?? 0,
        form: { name, payer_code: code, address_line1: line1, address_line2: x?.address_line2 ?? '', city, region, postal_code: postal, phone, plan_type: planType, active },
      });
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${x ? `Edit ${x.name}` : 'Add a payer'} testid="payer-dialog" onClose=${p.onClose}>
    <form onSubmit=${save}>
      <div class="form-row">
        <${TextField} label="Name" name="name" testid="payer-name" value=${name} onValue=${setName} error=${form.errors.fields.name} />
        <${TextField} label="Payer ID" name="payer_code" testid="payer-code" value=${code} onValue=${setCode} error=${form.errors.fields.payer_code} />
      </div>
      <${SelectField} label="Plan type (claim item 1)" name="plan_type" testid="payer-plan-type" value=${planType} onValue=${(v: string) => setPlanType(v as PlanType)} options=${PLAN_TYPES} error=${form.errors.fields.plan_type} />
      <${TextField} label="Claims mailing address" name="address_line1" testid="payer-address" value=${line1} onValue=${setLine1} error=${form.errors.fields.address_line1} />
      <div class="form-row">
        <${TextField} label="City" name="city" testid="payer-city" value=${city} onValue=${setCity} error=${form.errors.fields.city} />
        <${TextField} label="State" name="region" testid="payer-region" value=${region} onValue=${setRegion} error=${form.errors.fields.region} />
        <${TextField} label="ZIP code" name="postal_code" testid="payer-postal" value=${postal} onValue=${setPostal} error=${form.errors.fields.postal_code} />
      </div>
      <${TextField} label="Phone" name="phone" value=${phone} onValue=${setPhone} error=${form.errors.fields.phone} />
      <${CheckField} label="Active" name="active" checked=${active} onChecked=${setActive} />
      <${FormError} error=${form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="payer-save" busy=${busy}>Save</${Button}></div>
    </form>
  </${Modal}>`;
}

/** Statements for every guarantor whose amount due is more than an amount. */
function StatementBatchPanel() {
  const out = useSheetOutput();
  const [moreThan, setMoreThan] = useState('0.00');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const form = useFormErrors(['more_than', 'printer']);
  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setDone(null);
    setBusy(true);
    try {
      const r = await api.call({ cmd: 'print_statements', more_than: moreThan, output: out.output });
      const left = r.without_address ? ` ${r.without_address} guarantor${r.without_address === 1 ? '' : 's'} without a postal address left out.` : '';
      setDone(`${r.statements} statement${r.statements === 1 ? '' : 's'}, ${formatMoney(r.total_due)} due in all: ${sheetDoneText(r.done)}${left}`);
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="panel" data-testid="statement-batch">
    <h2>Statements</h2>
    <form onSubmit=${submit}>
      <${TextField} label="Every guarantor owing more than" name="more_than" testid="statement-batch-more-than" value=${moreThan} onValue=${setMoreThan} error=${form.errors.fields.more_than} />
      ${out.fields(form.errors.fields.printer)}
      <${FormError} error=${form.errors.general} />
      ${done ? html`<p class="form-ok" role="status" data-testid="statement-batch-done">${done}</p>` : null}
      <div class="form-actions"><${Button} kind="primary" type="submit" testid="statement-batch-submit" busy=${busy}>${out.submitLabel} statements</${Button}></div>
    </form>
  </section>`;
}

function agingCells(a: Aging, total: number) {
  return [a.current, a.days_31_60, a.days_61_90, a.days_91_120, a.over_120, total].map((v, i) => html`<td class="num" key=${i}>${formatMoney(v)}</td>`);
}

/** Accounts receivable aged by the day of service, by payer and by
 *  guarantor, with its print. */
function ArAgingPanel() {
  const [r, setR] = useState<ArAging | null>(null);
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    api.call({ cmd: 'get_ar_aging' }).then(setR, reportError);
  }, []);
  if (!r) return null;
  const head = (first: string) => html`<thead><tr><th>${first}</th><th class="num">0-30</th><th class="num">31-60</th><th class="num">61-90</th><th class="num">91-120</th><th class="num">Over 120</th><th class="num">Total</th></tr></thead>`;
  const row = (x: AgingRow, testid: string) => html`<tr key=${`${x.payer_id ?? ''}-${x.account_id ?? ''}`} data-testid=${testid}>
    <td>${x.name}${x.credit ? html` <span class="chip">credit ${formatMoney(x.credit)}</span>` : null}</td>${agingCells(x.aging, x.total)}</tr>`;
  return html`<section class="panel" data-testid="ar-aging">
    <div class="panel-head"><h2>Accounts receivable as of ${formatDate(r.as_of)}</h2>
      ${r.can_print ? html`<${Button} testid="ar-aging-print" onClick=${() => setPrinting(true)}>Print…</${Button}>` : null}</div>
    <p>Owed by payers <strong data-testid="ar-insurance-total">${formatMoney(r.insurance_total)}</strong> · by guarantors <strong data-testid="ar-patient-total">${formatMoney(r.patient_total)}</strong> · credit held ${formatMoney(r.credit_total)} · in all <strong data-testid="ar-total">${formatMoney(r.total)}</strong></p>
    <table class="data-table">${head('Payer')}<tbody>
      ${r.payers.map((x) => row(x, 'ar-payer-row'))}
      <tr class="total-row"><th>All payers</th>${agingCells(r.insurance, r.insurance_total)}</tr>
    </tbody></table>
    <table class="data-table">${head('Guarantor')}<tbody>
      ${r.guarantors.map((x) => row(x, 'ar-guarantor-row'))}
      <tr class="total-row"><th>All guarantors${r.guarantor_count > r.guarantors.length ? ` (${r.guarantor_count}; the ${r.guarantors.length} owing most shown, the printed report has all)` : ''}</th>${agingCells(r.patients, r.patient_total)}</tr>
    </tbody></table>
    ${printing ? html`<${SheetDialog} title="Print A/R aging" testid="ar-aging-dialog" run=${(output: SheetOutput) => api.call({ cmd: 'print_ar_aging', output })} onClose=${() => setPrinting(false)} />` : null}
  </section>`;
}

/** Charges and collections by rendering provider over a period (the
 *  backend's default: this month so far). */
function ProviderReportPanel() {
  const [r, setR] = useState<ProviderReport | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [printing, setPrinting] = useState(false);
  const form = useFormErrors(['from', 'to']);
  const show = async (e?: Event) => {
    e?.preventDefault();
    form.clear();
    try {
      const report = await api.call({ cmd: 'get_provider_report', from, to });
      setR(report);
      setFrom(formatDate(report.from));
      setTo(formatDate(report.to));
    } catch (err) {
      form.fail(err);
    }
  };
  useEffect(() => {
    void show();
  }, []);
  const row = (l: ProviderLine, total: boolean) => html`<tr key=${l.user_id ?? 'total'} class=${total ? 'total-row' : ''} data-testid=${total ? 'provider-total' : 'provider-row'}>
    <td>${l.name}</td><td class="num">${l.patients}</td><td class="num">${l.lines}</td><td class="num">${formatMoney(l.charges)}</td>
    <td class="num">${formatMoney(l.insurance_paid)}</td><td class="num">${formatMoney(l.patient_paid)}</td><td class="num">${formatMoney(l.adjustments)}</td><td class="num">${formatMoney(l.collected)}</td></tr>`;
  return html`<section class="panel" data-testid="provider-report">
    <div class="panel-head"><h2>Charges and collections by provider</h2>
      ${r?.can_print ? html`<${Button} testid="provider-report-print" onClick=${() => setPrinting(true)}>Print…</${Button}>` : null}</div>
    <form class="inline-form" onSubmit=${show}>
      <${TextField} label="From" name="from" testid="provider-report-from" value=${from} onValue=${setFrom} error=${form.errors.fields.from} />
      <${TextField} label="To" name="to" testid="provider-report-to" value=${to} onValue=${setTo} error=${form.errors.fields.to} />
      <${Button} type="submit" testid="provider-report-show">Show</${Button}>
    </form>
    <${FormError} error=${form.errors.general} />
    ${r
      ? html`<table class="data-table"><thead><tr><th>Provider</th><th class="num">Patients</th><th class="num">Lines</th><th class="num">Charges</th><th class="num">Insurance paid</th><th class="num">Patients paid</th><th class="num">Written off</th><th class="num">Collected</th></tr></thead>
          <tbody>${r.providers.map((l) => row(l, false))}${row(r.total, true)}</tbody></table>`
      : null}
    ${printing && r ? html`<${SheetDialog} title="Print charges and collections" testid="provider-report-dialog" run=${(output: SheetOutput) => api.call({ cmd: 'print_provider_report', from: r.from, to: r.to, output })} onClose=${() => setPrinting(false)} />` : null}
  </section>`;
}
