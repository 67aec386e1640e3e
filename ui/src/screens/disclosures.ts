// The practice-wide disclosure log (practice managers): every record that
// left the practice, printed or saved, whoever it was for. Filters and the
// order go to the backend, which checks the dates and applies the 164.528
// rule; this screen shows what it returned.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { Disclosure } from '../bindings/Disclosure';
import type { DisclosurePurpose } from '../bindings/DisclosurePurpose';
import type { LogOrder } from '../bindings/LogOrder';
import { Button, CheckField, FormError, SelectField, TextField, useFormErrors } from '../components/form';
import { formatInstant, optionsOf, purposeText } from '../format';
import { accountingMark } from './records';

/** The backend returns at most this many rows. */
const LIMIT = 2000;
const PURPOSES = optionsOf('disclosure_purpose');

export function DisclosuresScreen() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [purpose, setPurpose] = useState('');
  const [accountableOnly, setAccountableOnly] = useState(false);
  const [text, setText] = useState('');
  const [order, setOrder] = useState<LogOrder>('newest');
  const [rows, setRows] = useState<Disclosure[] | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['from', 'to', 'text']);

  const load = async (o: LogOrder = order) => {
    form.clear();
    setBusy(true);
    try {
      setRows(await api.disclosureLog({
        from,
        to,
        purpose: purpose ? (purpose as DisclosurePurpose) : null,
        accountable_only: accountableOnly,
        text,
        order: o,
      }));
    } catch (e) {
      form.fail(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const sortBy = (o: LogOrder) => {
    setOrder(o);
    void load(o);
  };
  const header = (label: string, on: boolean, next: LogOrder, testid: string) =>
    html`<th aria-sort=${on ? (order === 'oldest' ? 'ascending' : order === 'newest' ? 'descending' : 'ascending') : 'none'}>
      <button type="button" class=${`sort-btn ${on ? 'on' : ''}`} data-testid=${testid} onClick=${() => sortBy(next)}>
        ${label}<span class="sort-mark" aria-hidden="true">${on ? (order === 'newest' ? '▼' : '▲') : '↕'}</span>
      </button>
    </th>`;
  const f = form.errors.fields;
  const when = order === 'newest' || order === 'oldest';
  return html`<div class="screen disclosures-screen">
    <div class="screen-head">
      <div><h1>Disclosure log</h1><p class="muted">Every record printed or saved for someone outside the practice. Those marked “Listed” are in the accounting a patient may ask for (45 CFR 164.528); the rest are logged only.</p></div>
    </div>
    <form class="panel filter-bar" onSubmit=${(e: Event) => { e.preventDefault(); void load(); }} novalidate>
      <${TextField} label="From" name="from" testid="disclosures-from" value=${from} onValue=${setFrom} error=${f.from} placeholder="MM/DD/YYYY" class="field-medium" />
      <${TextField} label="To" name="to" testid="disclosures-to" value=${to} onValue=${setTo} error=${f.to} placeholder="MM/DD/YYYY" class="field-medium" />
      <${SelectField} label="Purpose" name="purpose" testid="disclosures-purpose" value=${purpose} onValue=${setPurpose} placeholder="Any purpose" options=${PURPOSES} class="field-medium" />
      <${TextField} label="Patient or recipient" name="text" testid="disclosures-text" value=${text} onValue=${setText} error=${f.text} />
      <${CheckField} label="Only those in a patient's accounting" name="accountable_only" testid="disclosures-accountable" checked=${accountableOnly} onChecked=${setAccountableOnly} />
      <div class="filter-actions">
        <${Button} kind="primary" type="submit" testid="disclosures-apply" busy=${busy}>Apply</${Button}>
      </div>
    </form>
    <${FormError} error=${form.errors.general} />
    ${rows
      ? html`<div class="panel flush">
          <div class="table-scroll">
            <table class="data-table" data-testid="disclosures-table">
              <thead><tr>
                ${header('When', when, order === 'newest' ? 'oldest' : 'newest', 'disclosures-sort-when')}
                ${header('Patient', order === 'patient', 'patient', 'disclosures-sort-patient')}
                ${header('Recipient', order === 'recipient', 'recipient', 'disclosures-sort-recipient')}
                <th>Purpose</th><th>What was sent</th><th>By</th><th>Accounting</th>
              </tr></thead>
              <tbody>
                ${rows.map((d) => html`<tr key=${d.id} data-testid="disclosures-row">
                  <td class="nowrap">${formatInstant(d.at, true)}</td>
                  <td><a href=${`#/patient/${d.patient_id}/records`}>${d.patient_name}</a><div class="muted small mono">${d.mrn}</div></td>
                  <td><strong>${d.recipient}</strong><div class="muted small">${d.recipient_address.split('\n').join(', ')}</div></td>
                  <td>${purposeText(d)}</td>
                  <td>${d.description}<div class="muted small">${d.page_count} ${d.page_count === 1 ? 'page' : 'pages'} · ${d.method === 'printed' ? 'printed' : d.file_name} · sha256 ${d.sha256.slice(0, 12)}…</div></td>
                  <td>${d.by_name}</td>
                  <td>${accountingMark(d)}</td>
                </tr>`)}
              </tbody>
            </table>
          </div>
          <div class="table-foot muted" data-testid="disclosures-count">${rows.length === 0 ? 'No disclosures match these filters.' : `${rows.length} ${rows.length === 1 ? 'disclosure' : 'disclosures'}${rows.length === LIMIT ? ` (the first ${LIMIT}: narrow the filters to see the rest)` : ''}`}</div>
        </div>`
      : null}
  </div>`;
}
