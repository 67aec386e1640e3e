// Things one screen hands to the next without a round trip: the search text
// that found a patient (audited by `open_patient`), and a chart the backend
// already returned (registration, emergency access), so it is not opened twice.

import type { PatientChart } from './bindings/PatientChart';

let pendingSearch: { id: number; query: string } | null = null;
const charts = new Map<number, PatientChart>();

export function handOffSearch(id: number, query: string): void {
  pendingSearch = { id, query };
}

/** The search that led to `id`, once. */
export function takeSearch(id: number): string | null {
  const p = pendingSearch;
  pendingSearch = null;
  return p && p.id === id ? p.query : null;
}

export function handOffChart(chart: PatientChart): void {
  charts.set(chart.patient.id, chart);
}

export function takeChart(id: number): PatientChart | null {
  const c = charts.get(id) ?? null;
  charts.delete(id);
  return c;
}

/** The last search, so coming back to the search screen keeps it. */
export const lastSearch = { query: '' };

/** Forgets everything handed over: called when a session ends, so that the
 *  next user finds an empty search box and nothing of the last one's. */
export function forgetHandoffs(): void {
  pendingSearch = null;
  charts.clear();
  lastSearch.query = '';
}
