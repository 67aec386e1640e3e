// The one list of chart entries (problems, medications, allergies,
// immunizations, prescriptions): a table whose rows carry `entry-row` with
// the entry's id, status and label; per row Edit, History and "Entered in
// error"; retracted rows struck through with their reason, hidden until
// "show entered in error" is ticked. Sections pass their columns and extras.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { ChartEntry } from '../bindings/ChartEntry';
import { Spinner } from './form';
import { EntryHistoryDialog, InErrorDialog } from './chartDialogs';
import { ENTRY_STATUS_LABEL } from '../format';

export interface Column {
  head: string;
  cell: (e: ChartEntry) => ComponentChildren;
  class?: string;
}

/** The status of an entry as a small coloured chip. */
export function StatusChip(p: { status: ChartEntry['status']; label?: string }) {
  return html`<span class=${`chip status-chip status-${p.status}`}>${p.label ?? ENTRY_STATUS_LABEL[p.status] ?? p.status}</span>`;
}

export function EntryList(p: {
  title: string;
  /** What the section calls one entry ("problem"), for dialogs. */
  noun: string;
  entries: ChartEntry[] | null;
  columns: Column[];
  /** Edits a row. A row has an Edit button only where the backend allows
   *  it (`actions.edit`), and "In error…" only where `actions.retract`. */
  onEdit?: (e: ChartEntry) => void;
  /** After a row was marked entered in error. */
  onChanged: (e: ChartEntry) => void;
  /** Buttons before Edit/History on a row. */
  rowActions?: (e: ChartEntry) => ComponentChildren;
  /** Buttons in the panel's head (Add...). */
  toolbar?: ComponentChildren;
  /** Above the table (status lines, notices). */
  children?: ComponentChildren;
  empty: string;
  /** Order of rows; newest change first by default. */
  sort?: (a: ChartEntry, b: ChartEntry) => number;
  testid?: string;
}) {
  const [showInError, setShowInError] = useState(false);
  const [history, setHistory] = useState<ChartEntry | null>(null);
  const [retracting, setRetracting] = useState<ChartEntry | null>(null);

  const all = p.entries ?? [];
  const inError = all.filter((e) => e.status === 'entered_in_error').length;
  const rows = all
    .filter((e) => showInError || e.status !== 'entered_in_error')
    .sort(p.sort ?? ((a, b) => b.updated_at.localeCompare(a.updated_at)));

  return html`<section class="panel flush entry-panel" data-testid=${p.testid}>
    <div class="panel-head">
      <h2>${p.title}${p.entries ? html` <span class="count">${all.length - inError}</span>` : null}</h2>
      <div class="panel-tools">
        ${inError > 0 || showInError
          ? html`<label class="toggle small">
              <input type="checkbox" data-testid="entry-show-in-error" checked=${showInError} onChange=${(e: Event) => setShowInError((e.currentTarget as HTMLInputElement).checked)} />
              Show entered in error (${inError})
            </label>`
          : null}
        ${p.toolbar}
      </div>
    </div>
    ${p.children}
    ${!p.entries
      ? html`<${Spinner} />`
      : rows.length === 0
        ? html`<p class="panel-empty">${p.empty}</p>`
        : html`<div class="table-scroll"><table class="data-table compact-table entry-table">
            <thead><tr>${p.columns.map((c) => html`<th class=${c.class}>${c.head}</th>`)}<th class="row-actions"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              ${rows.map((e) => {
                const retracted = e.status === 'entered_in_error';
                return html`<tr key=${e.id} data-testid="entry-row" data-entry-id=${e.id} data-status=${e.status} data-label=${e.label} class=${retracted ? 'is-in-error' : ''}>
                  ${p.columns.map(
                    (c, i) => html`<td class=${c.class}>
                      ${c.cell(e)}
                      ${i === 0 && retracted ? html`<span class="in-error-reason">Entered in error: ${e.error_reason || 'no reason given'}</span>` : null}
                      ${i === 0 && e.override_reasons.length && !retracted
                        ? html`<span class="override-note" title="Saved despite a safety warning">Warning overridden: ${e.override_reasons.join('; ')}</span>`
                        : null}
                    </td>`,
                  )}
                  <td class="row-actions">
                    ${!retracted && p.rowActions ? p.rowActions(e) : null}
                    ${e.actions.edit && p.onEdit
                      ? html`<button type="button" class="btn btn-ghost btn-xs" data-testid="entry-edit" onClick=${() => p.onEdit?.(e)}>Edit</button>`
                      : null}
                    <button type="button" class="btn btn-ghost btn-xs" data-testid="entry-history" onClick=${() => setHistory(e)}>History</button>
                    ${e.actions.retract
                      ? html`<button type="button" class="btn btn-ghost btn-xs btn-danger-text" data-testid="entry-in-error" title="Mark entered in error" onClick=${() => setRetracting(e)}>In error…</button>`
                      : null}
                  </td>
                </tr>`;
              })}
            </tbody>
          </table></div>`}
    ${history ? html`<${EntryHistoryDialog} entryId=${history.id} title=${history.label} onClose=${() => setHistory(null)} />` : null}
    ${retracting
      ? html`<${InErrorDialog}
          what=${html`<strong>${retracting.label}</strong> <span class="muted">(${p.noun})</span>`}
          onConfirm=${async (reason: string) => {
            const e = await api.markEntryInError(retracting.id, retracting.version, reason);
            p.onChanged(e);
          }}
          onClose=${() => setRetracting(null)}
        />`
      : null}
  </section>`;
}
