// The audit log: filters sent to the backend, sorting done here on the rows
// it returned, and the hash-chain check.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { AuditAction } from '../bindings/AuditAction';
import type { AuditRecord } from '../bindings/AuditRecord';
import type { ChainReport } from '../bindings/ChainReport';
import type { UserName } from '../bindings/UserName';
import { Button, FormError, useFormErrors } from '../components/form';
import { ACTION_LABEL, ACTIONS, formatInstant } from '../format';

type SortKey = 'id' | 'at' | 'username' | 'action' | 'category' | 'patient_id' | 'record_id' | 'detail';
const LIMIT = 1000;

export function AuditScreen() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [userId, setUserId] = useState('');
  const [patientId, setPatientId] = useState('');
  const [action, setAction] = useState('');
  const [users, setUsers] = useState<UserName[]>([]);
  const [rows, setRows] = useState<AuditRecord[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: 'at', asc: false });
  const [chain, setChain] = useState<ChainReport | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [sealing, setSealing] = useState(false);
  const [seal, setSeal] = useState<string | null>(null);
  const form = useFormErrors(['from', 'to', 'user_id', 'patient_id', 'action']);

  const apply = async (e?: Event) => {
    e?.preventDefault();
    form.clear();
    setBusy(true);
    try {
      // Dates and the patient id go as typed: the backend checks them and
      // turns the clinic's days into instants.
      const list = await api.auditReport({
        from,
        to,
        user_id: userId ? Number(userId) : null,
        patient_id: patientId,
        action: action ? (action as AuditAction) : null,
        oldest_first: false,
        limit: LIMIT,
      });
      setRows(list);
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    api.listUserNames().then(setUsers).catch(form.fail);
    void apply();
  }, []);

  const verify = async () => {
    setVerifying(true);
    setChain(null);
    try {
      setChain(await api.verifyAudit());
      // The verification is itself audited: show its row.
      void apply();
    } catch (err) {
      form.fail(err);
    } finally {
      setVerifying(false);
    }
  };

  const printSeal = async () => {
    setSealing(true);
    try {
      const f = await api.printAuditSeal();
      setSeal(f.path);
      void apply();
    } catch (err) {
      form.fail(err);
    } finally {
      setSealing(false);
    }
  };

  const sorted = useMemo(() => {
    if (!rows) return null;
    const k = sort.key;
    const val = (r: AuditRecord): string | number => {
      // Instants compare as times: RFC 3339 text with more or fewer
      // fractional digits does not sort as a string.
      if (k === 'at') return Date.parse(r.at) || 0;
      const v = r[k];
      return v === null || v === undefined ? '' : typeof v === 'number' ? v : String(v).toLowerCase();
    };
    return [...rows].sort((a, b) => {
      const x = val(a);
      const y = val(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return (sort.asc ? c : -c) || (sort.asc ? a.id - b.id : b.id - a.id);
    });
  }, [rows, sort]);

  const header = (key: SortKey, label: string) => {
    const on = sort.key === key;
    return html`<th aria-sort=${on ? (sort.asc ? 'ascending' : 'descending') : 'none'}>
      <button type="button" class=${`sort-btn ${on ? 'on' : ''}`} data-testid=${`audit-sort-${key}`} onClick=${() => setSort({ key, asc: on ? !sort.asc : key !== 'at' && key !== 'id' })}>
        ${label}<span class="sort-mark" aria-hidden="true">${on ? (sort.asc ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>`;
  };

  const f = form.errors.fields;
  const userLabel = (r: AuditRecord) => {
    const u = users.find((x) => x.id === r.user_id);
    return u ? html`<span title=${u.full_name}>${r.username}</span>` : r.username || html`<span class="none">—</span>`;
  };

  return html`<div class="screen audit-screen">
    <div class="screen-head">
      <div><h1>Audit log</h1><p class="muted">Every access to patient data and every security event, in a tamper-evident chain.</p></div>
      <div class="verify-box">
        <div class="verify-actions">
          <${Button} testid="audit-verify" busy=${verifying} onClick=${verify}>Verify chain</${Button}>
          <${Button} testid="audit-print-seal" kind="ghost" busy=${sealing} onClick=${printSeal} title="Print the newest record and its hash, to keep away from the computer and check the log against later">Print audit seal</${Button}>
        </div>
        ${chain
          ? chain.first_broken
            ? html`<div class="verify-result broken" data-testid="audit-verify-result" role="alert">✗ BROKEN at record ${chain.first_broken.id}: ${chain.first_broken.reason}</div>`
            : html`<div class="verify-result ok" data-testid="audit-verify-result" role="status">✓ Chain intact: ${chain.records} records</div>`
          : null}
        ${seal
          ? html`<div class="verify-result ok" data-testid="audit-seal-printed" role="status">Seal printed to <span class="mono" data-testid="audit-seal-path">${seal}</span>. Keep the page away from the computer.</div>`
          : null}
      </div>
    </div>
    <form class="panel filter-bar" onSubmit=${apply} novalidate>
      <div class=${`field ${f.from ? 'has-error' : ''}`}>
        <label for="af-from">From</label>
        <input id="af-from" type="text" inputmode="numeric" placeholder="MM/DD/YYYY" autocomplete="off" data-testid="audit-filter-from" value=${from} aria-invalid=${f.from ? 'true' : undefined} onInput=${(e: Event) => setFrom((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class=${`field ${f.to ? 'has-error' : ''}`}>
        <label for="af-to">To</label>
        <input id="af-to" type="text" inputmode="numeric" placeholder="MM/DD/YYYY" autocomplete="off" data-testid="audit-filter-to" value=${to} aria-invalid=${f.to ? 'true' : undefined} onInput=${(e: Event) => setTo((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="af-user">User</label>
        <select id="af-user" data-testid="audit-filter-user" value=${userId} onChange=${(e: Event) => setUserId((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">All users</option>
          ${users.map((u) => html`<option key=${u.id} value=${String(u.id)}>${u.full_name} (${u.username})</option>`)}
        </select>
      </div>
      <div class=${`field field-small ${f.patient_id ? 'has-error' : ''}`}>
        <label for="af-patient">Patient id</label>
        <input id="af-patient" type="text" inputmode="numeric" data-testid="audit-filter-patient" value=${patientId} aria-invalid=${f.patient_id ? 'true' : undefined} onInput=${(e: Event) => setPatientId((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="af-action">Action</label>
        <select id="af-action" data-testid="audit-filter-action" value=${action} onChange=${(e: Event) => setAction((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">All actions</option>
          ${ACTIONS.map((a) => html`<option key=${a} value=${a}>${ACTION_LABEL[a]}</option>`)}
        </select>
      </div>
      <div class="filter-actions">
        <${Button} kind="primary" type="submit" testid="audit-apply" busy=${busy}>Apply</${Button}>
        <button type="button" class="btn btn-ghost" onClick=${() => { setFrom(''); setTo(''); setUserId(''); setPatientId(''); setAction(''); }}>Clear</button>
      </div>
      ${Object.entries(f).map(([k, m]) => html`<div class="field-error filter-error" key=${k} data-testid=${`error-${k}`}>${m}</div>`)}
    </form>
    <${FormError} error=${form.errors.general} />
    ${sorted
      ? html`<div class="panel flush">
          <div class="table-scroll">
            <table class="data-table audit-table" data-testid="audit-table">
              <thead><tr>
                ${header('id', '#')}${header('at', 'When')}${header('username', 'User')}${header('action', 'Action')}${header('category', 'Category')}${header('patient_id', 'Patient')}${header('record_id', 'Record')}${header('detail', 'Detail')}
              </tr></thead>
              <tbody>
                ${sorted.map(
                  (r) => html`<tr key=${r.id} data-testid="audit-row" class=${r.emergency ? 'emergency-row' : ''}>
                    <td class="mono muted">${r.id}</td>
                    <td class="nowrap">${formatInstant(r.at, true)}</td>
                    <td>${userLabel(r)}</td>
                    <td class="nowrap"><span class=${`chip action-${r.action}`}>${ACTION_LABEL[r.action] ?? r.action}</span>${r.emergency && r.action !== 'emergency_access' ? html` <span class="chip chip-danger" title="Done under emergency access">Emergency</span>` : null}</td>
                    <td>${r.category}</td>
                    <td class="mono">${r.patient_id ?? html`<span class="none">—</span>`}</td>
                    <td class="mono small">${r.record_id}</td>
                    <td class="detail-cell">${r.detail}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
          <div class="table-foot muted">${sorted.length === 0 ? 'No records match these filters.' : `${sorted.length} records${sorted.length === LIMIT ? ` (the newest ${LIMIT}: narrow the filters to see older ones)` : ''}`}</div>
        </div>`
      : null}
  </div>`;
}
