// Patient search, the front desk's home: results as you type, arrow keys to
// move, Enter to open. Each row's name is a real link to the chart
// (`search-result-open`); a click anywhere on the row opens it too.
//
// Every keystroke asks at once (no fixed debounce): the round trip is a few
// milliseconds. Answers are numbered and only the answer to the latest query
// is shown. While an answer is still on its way, newer keystrokes are held
// and only the last of them is asked when it arrives, so a fast typist never
// queues a backlog of stale searches. The backend audits every search (who
// searched for what, how many were shown) and, when a result is opened
// (`open_patient` with `from_search`), the search that found it.

import { memo } from 'preact/compat';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { PatientSummary } from '../bindings/PatientSummary';
import { useApp } from '../app';
import { formatDate, patientListName, SEX_LABEL } from '../format';
import { handOffSearch, lastSearch } from '../handoff';
import { navigate, patientHref } from '../router';
import { capitalize } from '../components/toast';
import { IconSearch, IconUserPlus } from '../components/icons';

/** Rows asked for per search (the table's page): a screenful and a half.
 *  More rows cost every keystroke their layout and paint (measured in
 *  BENCHMARKS.md), and a front desk that has not found the patient in the
 *  first 25 types another letter rather than scrolling. */
const LIMIT = 25;
/** The spinner shows only when an answer takes longer than this, so that
 *  fast answers do not make it flicker at every keystroke. */
const SPINNER_DELAY_MS = 150;

export function PatientSearch() {
  const app = useApp();
  const [query, setQuery] = useState(lastSearch.query);
  const [results, setResults] = useState<PatientSummary[] | null>(null);
  const [active, setActive] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The number of the latest query; an answer to an older one is dropped.
  const seq = useRef(0);
  // Whether an answer is on its way, and the newest query held meanwhile.
  const inFlight = useRef(false);
  const held = useRef<{ q: string; n: number } | null>(null);
  // The query whose answer is on screen: what opening a row is audited with.
  const shown = useRef('');
  const spinnerTimer = useRef<number | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);

  const stopSpinner = () => {
    window.clearTimeout(spinnerTimer.current);
    spinnerTimer.current = undefined;
    setLoading(false);
  };

  const send = (q: string, n: number) => {
    inFlight.current = true;
    api.searchPatients(q, LIMIT).then(
      (rows) => {
        if (n !== seq.current) return; // a newer search is under way
        shown.current = q;
        setResults(rows);
        setActive(0);
        setError(null);
        stopSpinner();
      },
      (e: unknown) => {
        if (n !== seq.current) return;
        const err = api.toWireError(e);
        if (!api.isSessionTrouble(err)) setError(capitalize(err.message));
        stopSpinner();
      },
    ).finally(() => {
      inFlight.current = false;
      const next = held.current;
      held.current = null;
      if (next && next.n === seq.current) send(next.q, next.n);
    });
  };

  /** Shows `raw` in the box and asks for its results (or clears them). */
  const search = (raw: string) => {
    setQuery(raw);
    lastSearch.query = raw;
    const q = raw.trim();
    const n = ++seq.current;
    held.current = null;
    if (!q) {
      stopSpinner();
      setResults(null);
      setError(null);
      return;
    }
    if (spinnerTimer.current === undefined) {
      spinnerTimer.current = window.setTimeout(() => setLoading(true), SPINNER_DELAY_MS);
    }
    if (inFlight.current) held.current = { q, n };
    else send(q, n);
  };

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
    // Back on the search screen: show the last search's results again.
    if (lastSearch.query.trim()) search(lastSearch.query);
    return () => {
      seq.current++; // drop any answer still on its way
      held.current = null;
      window.clearTimeout(spinnerTimer.current);
    };
  }, []);

  // One function for the component's life, so that the memoized table
  // below is not rendered again at every keystroke.
  const queryNow = useRef(query);
  queryNow.current = query;
  const open = useCallback((p: PatientSummary) => {
    handOffSearch(p.id, shown.current || queryNow.current.trim());
    navigate(patientHref(p.id));
  }, []);

  // Keep the highlighted row in view.
  useEffect(() => {
    const row = document.querySelectorAll<HTMLElement>('#search-results tbody tr')[active];
    row?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const onKey = (e: KeyboardEvent) => {
    const n = results?.length ?? 0;
    if (e.key === 'ArrowDown' && n) {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, n - 1));
    } else if (e.key === 'ArrowUp' && n) {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && n && results) {
      e.preventDefault();
      const p = results[active];
      if (p) open(p);
    } else if (e.key === 'Escape') {
      search('');
    }
  };

  return html`<div class="screen search-screen">
    <div class="screen-head">
      <div>
        <h1>Find a patient</h1>
        <p class="muted">Search by name (any order), birth date (MM/DD/YYYY), MRN or phone.</p>
      </div>
      ${app.can('patient_write')
        ? html`<a class="btn btn-secondary" href="#/register">${IconUserPlus()}<span>Register patient</span></a>`
        : null}
    </div>
    <div class="search-box">
      ${IconSearch()}
      <input
        ref=${input}
        type="search"
        data-testid="patient-search"
        class="search-input"
        placeholder="e.g. nguyen an · 03/14/1962 · MRN 000123 · 503 555 0134"
        aria-label="Search patients"
        aria-controls="search-results"
        autocomplete="off"
        spellcheck=${false}
        value=${query}
        onInput=${(e: Event) => search((e.currentTarget as HTMLInputElement).value)}
        onKeyDown=${onKey}
      />
      ${loading ? html`<span class="spinner search-spinner" aria-label="Searching"></span>` : null}
    </div>
    ${error ? html`<div class="form-error" role="alert"><span class="form-error-icon">!</span><span>${error}</span></div>` : null}
    <div class="search-results" id="search-results" data-testid="search-results">
      ${results === null
        ? html`<div class="empty-state">
            <div class="empty-icon">${IconSearch()}</div>
            <h2>Start typing to search</h2>
            <p>Search by name (any order), birth date (MM/DD/YYYY), MRN or phone.</p>
            <ul class="hint-list">
              <li><kbd>↑</kbd> <kbd>↓</kbd> move through the results</li>
              <li><kbd>Enter</kbd> opens the highlighted chart</li>
              <li><kbd>Esc</kbd> clears the search</li>
            </ul>
          </div>`
        : results.length === 0
          ? html`<div class="empty-state">
              <h2>No patients match “${query.trim()}”</h2>
              <p>Check the spelling, try the birth date or phone number, or register a new patient.</p>
              ${app.can('patient_write') ? html`<a class="btn btn-primary" href="#/register">Register a new patient</a>` : null}
            </div>`
          : html`<${ResultsTable} results=${results} active=${active} open=${open} setActive=${setActive} />`}
    </div>
  </div>`;
}

/** The result rows. Memoized: typing re-renders the search screen, but the
 *  rows only when an answer (or the highlighted row) changes. Rows are keyed
 *  by position, not by patient: a new answer rewrites the text of the rows
 *  already on screen instead of removing them and building 50 new ones
 *  (the rows hold no state of their own). */
const ResultsTable = memo(function ResultsTable(props: {
  results: PatientSummary[];
  active: number;
  open: (p: PatientSummary) => void;
  setActive: (i: number) => void;
}) {
  const { results, active, open, setActive } = props;
  return html`<div class="table-wrap">
    <table class="data-table results-table" role="grid" aria-label="Search results">
      <thead>
        <tr><th>Name</th><th>Birth date</th><th>Age</th><th>Sex</th><th>MRN</th><th>Phone</th></tr>
      </thead>
      <tbody>
        ${results.map(
          (p, i) => html`<tr
            key=${i}
            class=${i === active ? 'active' : ''}
            aria-selected=${i === active ? 'true' : 'false'}
            data-testid="search-result"
            data-patient-id=${p.id}
            onClick=${() => open(p)}
            onMouseEnter=${() => setActive(i)}
          >
            <td class="name-cell">
              <a
                class="result-open"
                href=${patientHref(p.id)}
                data-testid="search-result-open"
                data-patient-id=${p.id}
                onClick=${(e: Event) => {
                  // The row's own click would open the chart a second time.
                  e.preventDefault();
                  e.stopPropagation();
                  open(p);
                }}
                onFocus=${() => setActive(i)}
                >${patientListName(p)}</a
              >
            </td>
            <td class="nowrap">${formatDate(p.birth_date)}</td>
            <td class="nowrap">${p.age_text}</td>
            <td>${SEX_LABEL[p.sex] ?? p.sex}</td>
            <td class="mono">${p.mrn}</td>
            <td class="nowrap">${p.phone_display}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    <div class="table-foot muted">${results.length === LIMIT ? `Showing the first ${LIMIT} matches: add more to the search to narrow it.` : `${results.length} ${results.length === 1 ? 'match' : 'matches'}`}</div>
  </div>`;
});
