import { describe, expect, it } from 'vitest';
import type { ObservationView } from '../../bindings/ObservationView';
import type { ReferenceData } from '../../bindings/ReferenceData';
import { groupVitals, vitalKeys, vitalsLine, vitalValue } from './vitals';

const ref = {
  vitals: [
    { code: '8480-6', key: 'systolic' },
    { code: '8462-4', key: 'diastolic' },
    { code: '8867-4', key: 'pulse' },
    { code: '29463-7', key: 'weight' },
  ],
} as unknown as ReferenceData;

let nextId = 1;
function obs(code: string, display_value: string, display_unit: string, at: string, group_id: number | null, status: ObservationView['status'] = 'final'): ObservationView {
  return {
    id: nextId++, kind: 'vital', code, name: `name of ${code}`, value: Number(display_value), unit: display_unit,
    display_value, display_unit, flag: null, reference_range: '', effective_at: at, group_id, replaces_id: null,
    comment: '', status, error_reason: '', error_at: null, error_by: '', recorded_by: 'Maya Patel',
  };
}

describe('vital signs', () => {
  it('keys vitals by code from the reference lists, none without them', () => {
    expect(vitalKeys(ref).get('8480-6')).toBe('systolic');
    expect(vitalKeys(null).size).toBe(0);
  });

  it('groups values into the sets they were recorded in, newest first', () => {
    nextId = 100;
    const older = [obs('8480-6', '148', 'mmHg', '2024-03-10T09:12', null), obs('8462-4', '92', 'mmHg', '2024-03-10T09:12', 100)];
    const newer = [
      obs('8480-6', '128', 'mmHg', '2025-01-02T10:00', null),
      obs('8462-4', '82', 'mmHg', '2025-01-02T10:00', 102),
      obs('8867-4', '72', '/min', '2025-01-02T10:00', 102, 'entered_in_error'),
    ];
    const sets = groupVitals([...older, ...newer], vitalKeys(ref));
    expect(sets.map((s) => s.id)).toEqual([102, 100]);
    expect([...sets[0]!.values.keys()]).toEqual(['systolic', 'diastolic']);
    expect(sets[0]!.retracted.map((o) => o.code)).toEqual(['8867-4']);
    expect(sets[0]!.by).toBe('Maya Patel');
  });

  it('shows blood pressure as one value and leaves out what was not taken', () => {
    nextId = 200;
    const set = groupVitals(
      [obs('8480-6', '128', 'mmHg', '2025-01-02T10:00', null), obs('8462-4', '82', 'mmHg', '2025-01-02T10:00', 200), obs('29463-7', '180.2', 'lb', '2025-01-02T10:00', 200)],
      vitalKeys(ref),
    )[0]!;
    expect(vitalValue(set.values, ['systolic', 'diastolic'])).toEqual({ text: '128/82', unit: 'mmHg' });
    expect(vitalValue(set.values, ['pulse'])).toBeNull();
    expect(vitalsLine(set, vitalKeys(ref))).toEqual([
      { label: 'BP', text: '128/82', unit: 'mmHg' },
      { label: 'Weight', text: '180.2', unit: 'lb' },
    ]);
  });

  it('shows half a blood pressure with a question mark', () => {
    nextId = 300;
    const set = groupVitals([obs('8480-6', '128', 'mmHg', '2025-01-02T10:00', null)], vitalKeys(ref))[0]!;
    expect(vitalValue(set.values, ['systolic', 'diastolic'])).toEqual({ text: '128/?', unit: 'mmHg' });
  });

  it('without the reference lists, shows one column per code by its name', () => {
    nextId = 400;
    const set = groupVitals([obs('8867-4', '72', '/min', '2025-01-02T10:00', null)], vitalKeys(null))[0]!;
    expect(vitalsLine(set, vitalKeys(null))).toEqual([{ label: 'name of 8867-4', text: '72', unit: '/min' }]);
  });
});
