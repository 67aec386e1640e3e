// The problem list: ICD-10-CM coded problems. Adding one searches the codes
// as the user types (`SearchCodes`, debounced) and picks one; the wording,
// status, onset and comment go with it.

import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import type { ChartEntry } from '../../bindings/ChartEntry';
import type { CodeHit } from '../../bindings/CodeHit';
import { FieldError, SelectField, TextAreaField, TextField } from '../../components/form';
import { EntryList, StatusChip } from '../../components/entryList';
import { EntryDialog } from '../../components/entryForm';
import { formatDate, PROBLEM_STATUSES } from '../../format';
import { useChart } from './context';
import { useEntries } from './data';

const STATUS_ORDER: Record<string, number> = { active: 0, inactive: 1, resolved: 2, entered_in_error: 3 };

export function ProblemsTab() {
  const ctx = useChart();
  const { entries, reload, put } = useEntries(ctx.patientId, 'problem');
  const [editing, setEditing] = useState<ChartEntry | 'new' | null>(null);

  return html`<div class="chart-body">
    <${EntryList}
      title="Problems"
      noun="problem"
      testid="problem-list"
      entries=${entries}
      onEdit=${(e: ChartEntry) => setEditing(e)}
      onChanged=${put}
      empty="No problems recorded."
      sort=${(a: ChartEntry, b: ChartEntry) => (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9) || a.label.localeCompare(b.label)}
      toolbar=${ctx.canWrite ? html`<button type="button" class="btn btn-primary btn-small" data-testid="problem-add" onClick=${() => setEditing('new')}>Add problem</button>` : null}
      columns=${[
        { head: 'Problem', cell: (e: ChartEntry) => html`<span class="entry-label">${e.label}</span>` },
        { head: 'ICD-10', class: 'nowrap', cell: (e: ChartEntry) => html`<span class="mono">${e.code}</span>` },
        { head: 'Status', cell: (e: ChartEntry) => html`<${StatusChip} status=${e.status} />` },
        { head: 'Onset', class: 'nowrap', cell: (e: ChartEntry) => (e.effective_date ? formatDate(e.effective_date) : html`<span class="none">—</span>`) },
        { head: 'Comment', cell: (e: ChartEntry) => (e.details.section === 'problem' ? e.details.comment : '') },
      ]}
    />
    ${editing
      ? html`<${ProblemDialog}
          editing=${editing === 'new' ? null : editing}
          onSaved=${(e: ChartEntry) => { put(e); setEditing(null); }}
          onClose=${() => setEditing(null)}
          onReload=${reload}
        />`
      : null}
  </div>`;
}

const FIELDS = ['code', 'description', 'status', 'onset', 'comment'] as const;
const SEARCH_DEBOUNCE_MS = 150;

function ProblemDialog(p: { editing: ChartEntry | null; onSaved: (e: ChartEntry) => void; onClose: () => void; onReload: () => void }) {
  const ctx = useChart();
  const e = p.editing;
  const [selected, setSelected] = useState<{ code: string; description: string } | null>(e ? { code: e.code, description: e.label } : null);
  const [description, setDescription] = useState(e?.label ?? '');
  const [status, setStatus] = useState<string>(e && e.status !== 'entered_in_error' ? e.status : 'active');
  const [onset, setOnset] = useState(e?.effective_date ? formatDate(e.effective_date) : '');
  const [comment, setComment] = useState(e && e.details.section === 'problem' ? e.details.comment : '');

  const pick = (hit: CodeHit) => {
    // The wording follows the code until the user writes their own.
    if (!description.trim() || description === selected?.description) setDescription(hit.description);
    setSelected({ code: hit.code, description: hit.description });
  };

  return html`<${EntryDialog}
    title=${e ? 'Edit problem' : 'Add problem'}
    testid="problem-dialog"
    saveTestid="problem-save"
    patientId=${ctx.patientId}
    editing=${e}
    fields=${FIELDS}
    wide=${true}
    build=${() => ({ section: 'problem', code: selected?.code ?? '', description, status, onset, comment })}
    onSaved=${p.onSaved}
    onClose=${p.onClose}
    onReload=${p.onReload}
    render=${(f: Record<string, string>, clear: (n: string) => void) => html`
    <${CodeSearch} onPick=${(h: CodeHit) => { pick(h); clear('code'); }} autoFocus=${!e} />
    ${selected
      ? html`<div class="code-selected" data-testid="problem-selected" data-code=${selected.code}>
          <span class="mono code-chip">${selected.code}</span> ${selected.description}
        </div>`
      : html`<div class="code-selected is-empty">No code chosen yet: search above and click a result.</div>`}
    <${FieldError} name="code" error=${f.code} />
    <${TextField} label="Description (as it will read on the problem list)" name="description" testid="problem-description" value=${description} onValue=${(v: string) => { setDescription(v); clear('description'); }} error=${f.description} hint="Leave as is to use the code's title." />
    <div class="grid-3">
      <${SelectField} label="Status" name="status" testid="problem-status" value=${status} onValue=${setStatus} options=${PROBLEM_STATUSES} error=${f.status} />
      <${TextField} label="Onset" name="onset" testid="problem-onset" value=${onset} onValue=${(v: string) => { setOnset(v); clear('onset'); }} error=${f.onset} placeholder="MM/DD/YYYY" inputMode="numeric" />
    </div>
    <${TextAreaField} label="Comment" name="comment" testid="problem-comment" rows=${2} value=${comment} onValue=${setComment} error=${f.comment} />
  `}
  />`;
}

/** ICD-10-CM search as you type; out-of-order answers are ignored. */
function CodeSearch(p: { onPick: (h: CodeHit) => void; autoFocus?: boolean }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<CodeHit[] | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const q = query.trim();
    const mine = ++seq.current;
    if (!q) {
      setHits(null);
      setLoading(false);
      return undefined;
    }
    setLoading(true);
    const t = window.setTimeout(async () => {
      try {
        const rows = await api.searchCodes(q, 25);
        if (mine === seq.current) setHits(rows);
      } catch {
        if (mine === seq.current) setHits([]);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(t);
  }, [query]);

  return html`<div class="code-search">
    <${TextField} label="Search ICD-10-CM (words, abbreviations or a code)" name="code_search" testid="problem-code-search" value=${query} onValue=${setQuery} placeholder="e.g. htn, type 2 diabetes, E11.9" autoFocus=${p.autoFocus} />
    ${loading ? html`<span class="spinner code-spinner" aria-hidden="true"></span>` : null}
    ${hits
      ? html`<div class="code-results" role="listbox" aria-label="Codes">
          ${hits.length === 0 ? html`<div class="code-empty muted">No codes match “${query.trim()}”.</div>` : null}
          ${hits.map(
            (h) => html`<button type="button" key=${h.code} role="option" class=${`code-result ${h.billable ? 'is-billable' : 'is-header'}`} data-testid="code-result" data-code=${h.code} onClick=${() => p.onPick(h)} title=${h.billable ? 'Billable code' : 'Category: not billable; pick a more specific code for claims'}>
              <span class="mono code-chip">${h.code}</span>
              <span class="code-desc">${h.description}</span>
              ${h.billable ? html`<span class="chip chip-ok">billable</span>` : html`<span class="chip">category</span>`}
            </button>`,
          )}
        </div>`
      : null}
  </div>`;
}
