// Records out (users who may release records: clinicians and practice
// managers): compose a referral packet, a chart summary or the patient's
// own copy; preview its pages (drawn by the backend from the PDF itself);
// save it to a chosen file or print it; and the patient's accounting of
// disclosures. What may be released, the recipient's address, the pages
// and the 164.528 rule are the backend's: this screen only asks.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { RecordChoices } from '../bindings/RecordChoices';
import type { RecordPreview } from '../bindings/RecordPreview';
import type { RecordRequest } from '../bindings/RecordRequest';
import type { Recipient } from '../bindings/Recipient';
import type { ReferralProvider } from '../bindings/ReferralProvider';
import type { Printer } from '../bindings/Printer';
import type { Accounting } from '../bindings/Accounting';
import type { Released } from '../bindings/Released';
import type { Disclosure } from '../bindings/Disclosure';
import type { PacketKind } from '../bindings/PacketKind';
import type { RecordSection } from '../bindings/RecordSection';
import type { DisclosurePurpose } from '../bindings/DisclosurePurpose';
import type { ReleaseMethod } from '../bindings/ReleaseMethod';
import { Button, CheckField, FormError, Modal, SelectField, Spinner, TextAreaField, TextField, useFormErrors } from '../components/form';
import { reportError, toast } from '../components/toast';
import { formatDate, formatInstant, optionsOf, purposeText } from '../format';
import { VALUE_SETS } from '../bindings/valueSets';

const KINDS = optionsOf('packet_kind').filter((o) => ['referral', 'summary', 'patient_copy'].includes(o.value));
const SECTIONS = VALUE_SETS.record_section;
const PURPOSES = optionsOf('disclosure_purpose');
const DEFAULT_SECTIONS: Record<string, RecordSection[]> = {
  referral: ['problems', 'medications', 'allergies', 'vitals', 'notes'],
  summary: ['demographics', 'problems', 'medications', 'allergies', 'immunizations'],
  patient_copy: SECTIONS.map((s) => s.value as RecordSection),
};
const FIELDS = [
  'kind', 'sections', 'from', 'to', 'note_ids', 'document_ids', 'trend_codes', 'paper',
  'letter.reason', 'letter.question', 'letter.sender', 'recipient.provider_id', 'recipient.name', 'recipient.address',
  'purpose_detail', 'output.path', 'printer',
];

export function RecordsTab(p: { patientId: number }) {
  const [choices, setChoices] = useState<RecordChoices | null>(null);
  const [providers, setProviders] = useState<ReferralProvider[]>([]);
  const [kind, setKind] = useState<PacketKind>('referral');
  const [sections, setSections] = useState<RecordSection[]>(DEFAULT_SECTIONS.referral ?? []);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [notes, setNotes] = useState<number[]>([]);
  const [docs, setDocs] = useState<number[]>([]);
  const [plots, setPlots] = useState<string[]>([]);
  const [providerId, setProviderId] = useState('');
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [reason, setReason] = useState('');
  const [question, setQuestion] = useState('');
  const [sender, setSender] = useState('');
  const [purpose, setPurpose] = useState<DisclosurePurpose>('treatment');
  const [detail, setDetail] = useState('');
  const [preview, setPreview] = useState<RecordPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [path, setPath] = useState('');
  const [printers, setPrinters] = useState<Printer[] | null>(null);
  const [printer, setPrinter] = useState('');
  const [done, setDone] = useState<Released | null>(null);
  // The address-book dialog: closed, adding (null) or editing a provider.
  const [editing, setEditing] = useState<ReferralProvider | null | undefined>(undefined);
  const [accountingNonce, setAccountingNonce] = useState(0);
  const form = useFormErrors(FIELDS);

  useEffect(() => {
    api.recordChoices(p.patientId).then((c) => {
      setChoices(c);
      setSender(c.default_sender === null ? '' : String(c.default_sender));
      // The last two signed notes, as a referral usually carries.
      setNotes(c.notes.slice(0, 2).map((n) => n.id));
    }, reportError);
    api.referralProviders().then(setProviders, reportError);
  }, [p.patientId]);

  const chooseKind = (k: string) => {
    setKind(k as PacketKind);
    setSections(DEFAULT_SECTIONS[k] ?? []);
    setPurpose(k === 'patient_copy' ? 'patient_request' : 'treatment');
    setPreview(null);
  };
  const toggle = <T,>(list: T[], set: (v: T[]) => void, v: T) => (on: boolean) => {
    set(on ? [...list, v] : list.filter((x) => x !== v));
    setPreview(null);
  };

  const request = (): RecordRequest => ({
    patient_id: p.patientId,
    kind,
    sections,
    from,
    to,
    note_ids: sections.includes('notes') ? notes : [],
    document_ids: sections.includes('documents') ? docs : [],
    trend_codes: sections.includes('vitals') || sections.includes('labs') ? plots : [],
    paper: 'letter',
    letter: kind === 'referral' ? { reason, question, sender: sender ? Number(sender) : null } : null,
  });
  const recipient = (): Recipient => ({
    provider_id: providerId ? Number(providerId) : null,
    name: providerId ? '' : name,
    address: providerId ? '' : address,
  });

  const show = async (page: number) => {
    form.clear();
    setBusy(true);
    try {
      const pv = await api.previewRecord({ request: request(), recipient: recipient(), page });
      setPreview(pv);
      if (!path) setPath(pv.suggested_path);
      if (printers === null) api.listPrinters().then(setPrinters, () => setPrinters([]));
    } catch (e) {
      form.fail(e);
    } finally {
      setBusy(false);
    }
  };

  const release = async (method: ReleaseMethod) => {
    form.clear();
    setBusy(true);
    try {
      const r = await api.releaseRecord({
        request: request(),
        recipient: recipient(),
        purpose,
        purpose_detail: detail,
        output: { method, path, printer },
      });
      setDone(r);
      setAccountingNonce((n) => n + 1);
      toast(method === 'printed' ? `Sent to the printer (${r.print_job ?? 'job queued'})` : `Saved to ${r.path ?? ''}`);
    } catch (e) {
      form.fail(e);
    } finally {
      setBusy(false);
    }
  };

  if (!choices) return html`<${Spinner} />`;
  const f = form.errors.fields;
  const chosenProvider = providers.find((x) => String(x.id) === providerId);
  return html`<div class="records-tab" data-testid="records-tab">
    <div class="records-grid">
      <form class="panel records-form" onSubmit=${(e: Event) => { e.preventDefault(); void show(1); }} novalidate>
        <h2>Release records</h2>
        <${FormError} error=${form.errors.general} />
        <${SelectField} label="What to send" name="kind" testid="records-kind" value=${kind} onValue=${chooseKind} options=${KINDS} error=${f.kind} />
        <fieldset class="records-sections">
          <legend>Sections</legend>
          ${SECTIONS.map((s) => html`<${CheckField} key=${s.value} name=${`section-${s.value}`} testid=${`records-section-${s.value}`} label=${s.label}
            checked=${sections.includes(s.value as RecordSection)} onChecked=${toggle(sections, setSections, s.value as RecordSection)} />`)}
          ${f.sections ? html`<div class="field-error" role="alert">${f.sections}</div>` : null}
        </fieldset>
        <div class="field-row">
          <${TextField} label="From" name="from" testid="records-from" value=${from} onValue=${setFrom} error=${f.from} placeholder="MM/DD/YYYY" class="field-medium" />
          <${TextField} label="To" name="to" testid="records-to" value=${to} onValue=${setTo} error=${f.to} placeholder="MM/DD/YYYY" class="field-medium" />
        </div>
        ${sections.includes('vitals') || sections.includes('labs')
          ? html`<fieldset class="records-choices"><legend>Trend plots</legend>
              ${choices.measures.filter((m) => sections.includes(m.section)).map((m) => html`<${CheckField} key=${m.code} name=${`plot-${m.code}`} testid=${`records-plot-${m.code}`}
                label=${`${m.name} (${m.values} values)`} checked=${plots.includes(m.code)} onChecked=${toggle(plots, setPlots, m.code)} />`)}
              ${f.trend_codes ? html`<div class="field-error" role="alert">${f.trend_codes}</div>` : null}
            </fieldset>`
          : null}
        ${sections.includes('notes')
          ? html`<fieldset class="records-choices"><legend>Notes</legend>
              ${choices.notes.length === 0 ? html`<p class="muted">No signed notes.</p>` : null}
              ${choices.notes.map((n) => html`<${CheckField} key=${n.id} name=${`note-${n.id}`} testid=${`records-note-${n.id}`}
                label=${`${formatDate(n.encounter_date)} · ${n.reason || n.encounter_kind} · ${n.provider}`} checked=${notes.includes(n.id)} onChecked=${toggle(notes, setNotes, n.id)} />`)}
            </fieldset>`
          : null}
        ${sections.includes('documents')
          ? html`<fieldset class="records-choices"><legend>Documents</legend>
              ${choices.documents.length === 0 ? html`<p class="muted">No attached documents.</p>` : null}
              ${choices.documents.map((d) => html`<${CheckField} key=${d.id} name=${`doc-${d.id}`} testid=${`records-doc-${d.id}`}
                label=${`${formatDate(d.doc_date)} · ${d.description || d.file_name}`} checked=${docs.includes(d.id)} onChecked=${toggle(docs, setDocs, d.id)} />`)}
            </fieldset>`
          : null}
        <fieldset class="records-recipient">
          <legend>Recipient</legend>
          <${SelectField} label="From the address book" name="recipient.provider_id" testid="records-provider" value=${providerId}
            onValue=${(v: string) => { setProviderId(v); setPreview(null); }} placeholder=${kind === 'patient_copy' ? 'The patient' : 'Typed in below'}
            options=${providers.filter((x) => x.active).map((x) => ({ value: String(x.id), label: `${x.name}${x.specialty ? ` · ${x.specialty}` : ''}` }))} error=${f['recipient.provider_id']} />
          ${chosenProvider
            ? html`<p class="muted small" data-testid="records-provider-address">${chosenProvider.practice}${chosenProvider.practice ? ', ' : ''}${chosenProvider.address.split('\n').join(', ')}</p>`
            : html`<${TextField} label="Name" name="recipient.name" testid="records-recipient-name" value=${name} onValue=${setName} error=${f['recipient.name']} />
              <${TextAreaField} label="Address" name="recipient.address" testid="records-recipient-address" rows=${3} value=${address} onValue=${setAddress} error=${f['recipient.address']} />`}
          <div class="form-actions left">
            <${Button} testid="records-add-provider" onClick=${() => setEditing(null)}>Add to the address book…</${Button}>
            ${chosenProvider ? html`<${Button} testid="records-edit-provider" title=${`Edit ${chosenProvider.name} in the address book`} onClick=${() => setEditing(chosenProvider)}>Edit…</${Button}>` : null}
          </div>
        </fieldset>
        ${kind === 'referral'
          ? html`<${TextAreaField} label="Reason for referral" name="letter.reason" testid="records-reason" rows=${2} required=${true} value=${reason} onValue=${setReason} error=${f['letter.reason']} />
            <${TextAreaField} label="Question for the consultant" name="letter.question" testid="records-question" rows=${2} value=${question} onValue=${setQuestion} error=${f['letter.question']} />
            <${SelectField} label="Signed by" name="letter.sender" testid="records-sender" value=${sender} onValue=${(v: string) => { setSender(v); setPreview(null); }}
              placeholder="Choose the physician" options=${choices.senders.map((x) => ({ value: String(x.user_id), label: x.name }))} error=${f['letter.sender']} />`
          : null}
        <div class="field-row">
          <${SelectField} label="Purpose" name="purpose" testid="records-purpose" value=${purpose} onValue=${(v: string) => setPurpose(v as DisclosurePurpose)} options=${PURPOSES} class="field-medium" />
          ${purpose === 'other' ? html`<${TextField} label="Purpose, in words" name="purpose_detail" testid="records-purpose-detail" value=${detail} onValue=${setDetail} error=${f.purpose_detail} />` : null}
        </div>
        <div class="form-actions left">
          <${Button} kind="primary" type="submit" testid="records-preview" busy=${busy}>Preview</${Button}>
        </div>
      </form>
      <div class="panel records-preview">
        ${preview
          ? html`              <img class="preview-page" data-testid="records-preview-image" alt=${`Page ${preview.page} of ${preview.page_count}`}
                src=${`data:image/png;base64,${preview.png_base64}`} width=${preview.width_px} height=${preview.height_px} />
<div class="preview-head">
                <${Button} testid="records-page-prev" disabled=${preview.page <= 1 || busy} onClick=${() => void show(preview.page - 1)}>‹</${Button}>
                <span data-testid="records-page-count">Page ${preview.page} of ${preview.page_count}</span>
                <${Button} testid="records-page-next" disabled=${preview.page >= preview.page_count || busy} onClick=${() => void show(preview.page + 1)}>›</${Button}>
              </div>
              <div class="records-output">
                <${TextField} label="Save as" name="output.path" testid="records-path" value=${path} onValue=${setPath} error=${f['output.path']} mono=${true} hint="A PDF file outside Chartroom's data folder; an existing file is never replaced." />
                <div class="form-actions left">
                  <${Button} testid="records-save" busy=${busy} onClick=${() => void release('saved')}>Save PDF</${Button}>
                  <${SelectField} label="Printer" name="printer" testid="records-printer" value=${printer} onValue=${setPrinter} error=${f.printer} placeholder="The default printer"
                    options=${(printers ?? []).map((x) => ({ value: x.name, label: x.name + (x.is_default ? ' (default)' : '') }))} class="field-medium" />
                  <${Button} kind="primary" testid="records-print" busy=${busy} onClick=${() => void release('printed')}>Print</${Button}>
                </div>
                ${done ? html`<p class="saved-note" role="status" data-testid="records-done">✓ ${done.disclosure.description} · ${done.path ?? `print job ${done.print_job ?? ''}`} · recorded in the disclosure log</p>` : null}
              </div>`
          : html`<p class="muted">Choose what to send and press Preview: the pages are drawn from the PDF that will be printed or saved.</p>`}
      </div>
    </div>
    <${AccountingPanel} patientId=${p.patientId} nonce=${accountingNonce} />
    ${editing !== undefined
      ? html`<${ProviderDialog} existing=${editing} onClose=${() => setEditing(undefined)} onSaved=${(x: ReferralProvider) => {
          setProviders([...providers.filter((o) => o.id !== x.id), x]);
          setProviderId(x.active ? String(x.id) : '');
          setPreview(null);
          setEditing(undefined);
        }} />`
      : null}
  </div>`;
}

/** Whether 164.528 lists a disclosure in the patient's accounting (the
 *  backend's `accountable`), as both logs mark it. */
export function accountingMark(d: Disclosure) {
  return d.accountable ? html`<span class="badge badge-warn">Listed</span>` : html`<span class="muted">Logged only</span>`;
}

/** The patient's disclosures of the last six years, each marked whether it
 *  is part of the accounting they receive, and that accounting as a PDF. */
function AccountingPanel(p: { patientId: number; nonce: number }) {
  const [acc, setAcc] = useState<Accounting | null>(null);
  const [path, setPath] = useState('');
  const form = useFormErrors(['output.path', 'printer']);
  useEffect(() => {
    api.accounting(p.patientId).then(setAcc, reportError);
  }, [p.patientId, p.nonce]);
  const save = async () => {
    form.clear();
    try {
      const r = await api.releaseAccounting({ patient_id: p.patientId, output: { method: 'saved', path, printer: '' } });
      toast(`Saved to ${r.path ?? ''}`);
      setAcc(await api.accounting(p.patientId));
    } catch (e) {
      form.fail(e);
    }
  };
  if (!acc) return null;
  return html`<section class="panel accounting-panel" data-testid="records-accounting">
    <h2>Accounting of disclosures <span class="muted small">since ${formatDate(acc.since)}</span></h2>
    <p class="muted small">${acc.accountable} of ${acc.disclosures.length} are in the accounting the patient receives (45 CFR 164.528: disclosures for treatment, payment and operations, and to the patient, are logged but not listed).</p>
    <table class="data-table">
      <thead><tr><th>Date</th><th>Recipient</th><th>Purpose</th><th>What was sent</th><th>By</th><th>In the accounting</th></tr></thead>
      <tbody>
        ${acc.disclosures.map((d) => html`<tr key=${d.id} data-testid=${`accounting-row-${d.id}`}>
          <td>${formatInstant(d.at)}</td>
          <td><strong>${d.recipient}</strong><div class="muted small">${d.recipient_address.split('\n').join(', ')}</div></td>
          <td>${purposeText(d)}</td>
          <td>${d.description}<div class="muted small">${d.method === 'printed' ? 'Printed' : d.file_name} · sha256 ${d.sha256.slice(0, 12)}…</div></td>
          <td>${d.by_name}</td>
          <td>${accountingMark(d)}</td>
        </tr>`)}
      </tbody>
    </table>
    <div class="field-row">
      <${TextField} label="Save the patient's accounting as" name="output.path" testid="accounting-path" value=${path} onValue=${setPath} error=${form.errors.fields['output.path']} mono=${true} />
      <${Button} testid="accounting-save" onClick=${() => void save()}>Save PDF for the patient</${Button}>
    </div>
    <${FormError} error=${form.errors.general} />
  </section>`;
}

/** Adds a provider to the referral address book, or edits one (and takes
 *  them out of the list by unticking "active": nothing is deleted). */
function ProviderDialog(p: { existing: ReferralProvider | null; onClose: () => void; onSaved: (x: ReferralProvider) => void }) {
  const e0 = p.existing;
  const [v, setV] = useState({
    name: e0?.name ?? '', specialty: e0?.specialty ?? '', practice: e0?.practice ?? '', address: e0?.address ?? '',
    phone: e0?.phone ?? '', fax: e0?.fax ?? '', npi: e0?.npi ?? '', active: e0?.active ?? true,
  });
  const form = useFormErrors(['name', 'specialty', 'practice', 'address', 'phone', 'fax', 'npi']);
  const set = (k: keyof typeof v) => (x: string) => setV({ ...v, [k]: x });
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    try {
      p.onSaved(await api.saveReferralProvider({ provider_id: e0?.id ?? null, expected_version: e0?.version ?? 0, provider: v }));
    } catch (err) {
      form.fail(err);
    }
  };
  const f = form.errors.fields;
  return html`<${Modal} title=${e0 ? `Edit ${e0.name}` : 'Add to the referral address book'} testid="provider-dialog" onClose=${p.onClose} wide=${true}><form onSubmit=${save} novalidate>
    <${FormError} error=${form.errors.general} />
    <${TextField} label="Name" name="name" testid="provider-name" required=${true} value=${v.name} onValue=${set('name')} error=${f.name} />
    <div class="field-row">
      <${TextField} label="Specialty" name="specialty" testid="provider-specialty" value=${v.specialty} onValue=${set('specialty')} error=${f.specialty} />
      <${TextField} label="Practice" name="practice" testid="provider-practice" value=${v.practice} onValue=${set('practice')} error=${f.practice} />
    </div>
    <${TextAreaField} label="Address" name="address" testid="provider-address" rows=${3} value=${v.address} onValue=${set('address')} error=${f.address} />
    <div class="field-row">
      <${TextField} label="Phone" name="phone" testid="provider-phone" type="tel" value=${v.phone} onValue=${set('phone')} error=${f.phone} />
      <${TextField} label="Fax" name="fax" testid="provider-fax" type="tel" value=${v.fax} onValue=${set('fax')} error=${f.fax} />
      <${TextField} label="NPI" name="npi" testid="provider-npi" value=${v.npi} onValue=${set('npi')} error=${f.npi} />
    </div>
    ${e0
      ? html`<${CheckField} label="Active (offered when sending records)" name="active" testid="provider-active" checked=${v.active} onChecked=${(on: boolean) => setV({ ...v, active: on })} />
        <p class="muted small">Last changed by ${e0.updated_by} on ${formatInstant(e0.updated_at)}; earlier versions are kept.</p>`
      : null}
    <div class="form-actions">
      <${Button} onClick=${p.onClose}>Cancel</${Button}>
      <${Button} kind="primary" type="submit" testid="provider-save">${e0 ? 'Save' : 'Add'}</${Button}>
    </div>
  </form></${Modal}>`;
}
