import { describe, expect, it } from 'vitest';
import type { PatientChart } from './bindings/PatientChart';
import { forgetHandoffs, handOffChart, handOffSearch, lastSearch, takeChart, takeSearch } from './handoff';

describe('handoff', () => {
  it('gives the search that found a patient once, and only for that patient', () => {
    handOffSearch(3, 'nguy');
    expect(takeSearch(4)).toBeNull();
    handOffSearch(3, 'nguy');
    expect(takeSearch(3)).toBe('nguy');
    expect(takeSearch(3)).toBeNull();
  });

  it('gives a chart the backend already returned once', () => {
    const chart = { patient: { id: 8 }, age_years: 40, age_text: '40 y' } as unknown as PatientChart;
    handOffChart(chart);
    expect(takeChart(9)).toBeNull();
    expect(takeChart(8)).toBe(chart);
    expect(takeChart(8)).toBeNull();
  });

  it('forgets the search, its hand-off and any chart when the session ends', () => {
    const chart = { patient: { id: 5 }, age_years: 40, age_text: '40 y' } as unknown as PatientChart;
    lastSearch.query = 'okafor';
    handOffSearch(5, 'okafor');
    handOffChart(chart);
    forgetHandoffs();
    expect(lastSearch.query).toBe('');
    expect(takeSearch(5)).toBeNull();
    expect(takeChart(5)).toBeNull();
  });
});
