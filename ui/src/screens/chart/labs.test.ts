import { describe, expect, it } from 'vitest';
import type { LabTest } from '../../bindings/LabTest';
import { labGroups, rangeText } from './labs';

const test = (loinc: string, name: string, unit: string, panel: string, range_text = ''): LabTest => ({
  loinc, loinc_name: name, name, short_name: name, unit, decimals: 1, low: null, high: null,
  critical_low: null, critical_high: null, range_text, panel, source: '',
});

describe('lab tests', () => {
  it('groups the catalogue by panel in catalogue order, for the picker', () => {
    const groups = labGroups([
      test('2345-7', 'Glucose', 'mg/dL', 'Basic metabolic panel'),
      test('718-7', 'Hemoglobin', 'g/dL', 'CBC'),
      test('2823-3', 'Potassium', 'mmol/L', 'Basic metabolic panel'),
      test('9999-9', 'Something', 'U/L', ''),
    ]);
    expect(groups.map((g) => g.label)).toEqual(['Basic metabolic panel', 'CBC', 'Other tests']);
    expect(groups[0]!.options).toEqual([
      { value: '2345-7', label: 'Glucose (mg/dL)' },
      { value: '2823-3', label: 'Potassium (mmol/L)' },
    ]);
  });

  it('shows the backend’s range text, or says there is none', () => {
    expect(rangeText(test('4548-4', 'Hemoglobin A1c', '%', 'Diabetes', '4.0–5.6 %'))).toBe('4.0–5.6 %');
    expect(rangeText(test('9999-9', 'Something', 'U/L', ''))).toBe('no reference range');
  });
});
