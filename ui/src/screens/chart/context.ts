// What every clinical tab of an open chart shares: the patient, the chart
// summary (also behind the banner's allergies), a way to reload it after a
// change, and whether this user may write clinical records.

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { PatientChart } from '../../bindings/PatientChart';
import type { ChartSummary } from '../../bindings/ChartSummary';

export interface ChartContext {
  patientId: number;
  chart: PatientChart;
  /** `null` until loaded (or when it could not be read). */
  summary: ChartSummary | null;
  /** Reads the summary again (after allergies or other entries change). */
  reloadSummary: () => Promise<void>;
  /** `clinical_write`: add, edit, sign, mark in error. */
  canWrite: boolean;
}

export const ChartCtx = createContext<ChartContext | null>(null);

export function useChart(): ChartContext {
  const c = useContext(ChartCtx);
  if (!c) throw new Error('useChart outside a chart');
  return c;
}
