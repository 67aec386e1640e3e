import { describe, expect, it } from 'vitest';
import type { Patient } from './bindings/Patient';
import type { AuditAction } from './bindings/AuditAction';
import {
  ACTION_LABEL,
  ACTIONS,
  clockTime,
  formatDate,
  formatMoney,
  formatInstant,
  formatLocal,
  formatSize,
  sheetDoneText,
  inErrorText,
  isCritical,
  LAB_FLAG_BADGE,
  parseLocal,
  patientBannerName,
  patientListName,
  recordFieldsText,
  rolesText,
  sexShort,
  todayText,
} from './format';

describe('dates', () => {
  it('shows stored dates as MM/DD/YYYY and leaves anything else alone', () => {
    expect(formatDate('1962-03-14')).toBe('03/14/1962');
    expect(formatDate('2026-11-22T09:41:00Z')).toBe('11/22/2026');
    expect(formatDate('unknown')).toBe('unknown');
    expect(formatDate('')).toBe('');
  });

  it('shows instants in the clinic’s local time, across daylight saving', () => {
    expect(formatInstant('2026-01-14T17:59:00Z')).toBe('01/14/2026 09:59');
    expect(formatInstant('2026-07-01T16:05:09Z', true)).toBe('07/01/2026 09:05:09');
    expect(formatInstant('2026-01-01T07:30:00Z')).toBe('12/31/2025 23:30');
    expect(formatInstant('not a time')).toBe('not a time');
  });

  it('shows clinic-local moments as typed, with or without the time', () => {
    expect(formatLocal('2024-03-10')).toBe('03/10/2024');
    expect(formatLocal('2024-03-10T09:12')).toBe('03/10/2024 09:12');
    expect(formatLocal('soon')).toBe('soon');
  });

  it('reads clinic-local moments for plots (a date alone is noon)', () => {
    expect(parseLocal('2024-03-10T09:12')).toEqual(new Date(2024, 2, 10, 9, 12));
    expect(parseLocal('2024-03-10')).toEqual(new Date(2024, 2, 10, 12, 0));
    expect(parseLocal('03/10/2024')).toBeNull();
  });

  it('writes local days and clock times with leading zeros', () => {
    expect(todayText(new Date(2026, 0, 5, 23, 59))).toBe('01/05/2026');
    expect(clockTime(new Date(2026, 0, 5, 7, 4))).toBe('07:04');
  });
});

describe('sizes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1 KB'],
    [340 * 1024, '340 KB'],
    [2.4 * 1024 * 1024, '2.4 MB'],
    [15 * 1024 * 1024, '15.0 MB'],
  ])('%d bytes → %s', (n, shown) => {
    expect(formatSize(n)).toBe(shown);
  });
});

describe('names', () => {
  it('lists a patient as Family, Given with a different preferred name quoted', () => {
    expect(patientListName({ family_name: 'Nguyen', given_name: 'An', preferred_name: 'Annie' })).toBe('Nguyen, An "Annie"');
    expect(patientListName({ family_name: 'Nguyen', given_name: 'An', preferred_name: 'An' })).toBe('Nguyen, An');
    expect(patientListName({ family_name: 'Smith', given_name: 'John', preferred_name: '' })).toBe('Smith, John');
  });

  it('shows the banner name with the family name in capitals and the middle name', () => {
    const p = { family_name: 'Núñez', given_name: 'María', middle_name: 'José' } as Patient;
    expect(patientBannerName(p)).toBe('NÚÑEZ, María José');
    expect(patientBannerName({ ...p, middle_name: '' })).toBe('NÚÑEZ, María');
  });
});

describe('labels', () => {
  it('names every audit action', () => {
    const actions: AuditAction[] = ['create', 'read', 'query', 'emergency_access', 'settings_change'];
    for (const a of actions) expect(ACTIONS).toContain(a);
    expect(ACTION_LABEL.query).toBe('Search');
    expect(new Set(ACTIONS).size).toBe(ACTIONS.length);
  });

  it('joins roles and shortens sexes', () => {
    expect(rolesText(['front_desk', 'clinician'])).toBe('Front desk, Clinician');
    expect(rolesText([])).toBe('');
    expect(sexShort('female')).toBe('F');
    expect(sexShort('unknown')).toBe('U');
  });

  it('marks only critical lab flags as critical, and badges only abnormal ones', () => {
    expect(isCritical('critical_low')).toBe(true);
    expect(isCritical('critical_high')).toBe(true);
    expect(isCritical('high')).toBe(false);
    expect(isCritical(null)).toBe(false);
    expect(isCritical(undefined)).toBe(false);
    expect(LAB_FLAG_BADGE.normal).toBe('');
    expect(LAB_FLAG_BADGE.no_range).toBe('');
    expect(LAB_FLAG_BADGE.critical_high).toBe('HH');
  });
});

describe('records', () => {
  it('says who marked a record entered in error, when and why', () => {
    expect(inErrorText({ error_reason: 'wrong patient', error_by: 'Maya Patel', error_at: '2026-11-22T17:41:00Z' })).toBe(
      'Entered in error by Maya Patel on 11/22/2026 09:41: wrong patient',
    );
    expect(inErrorText({ error_reason: '', error_by: '', error_at: null })).toBe('Entered in error: no reason given');
  });

  it('words an earlier version of a visit or document', () => {
    expect(
      recordFieldsText([
        { field: 'date', value: '2026-03-01' },
        { field: 'kind', value: 'office_visit' },
        { field: 'reason', value: 'BP check' },
      ]),
    ).toBe('date 03/01/2026 · type Office visit · reason BP check');
    expect(
      recordFieldsText([
        { field: 'category', value: 'lab_report' },
        { field: 'doc_date', value: '2025-12-24' },
        { field: 'page_count', value: '3' },
      ]),
    ).toBe('category Lab report · date 12/24/2025 · page count 3');
    expect(recordFieldsText([{ field: 'type', value: 'house_call' }])).toBe('type house_call');
  });
});

describe('formatMoney', () => {
  it('shows integer cents as dollars the way the backend prints them', () => {
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(5)).toBe('$0.05');
    expect(formatMoney(123450)).toBe('$1,234.50');
    expect(formatMoney(-305)).toBe('-$3.05');
    expect(formatMoney(100000000000)).toBe('$1,000,000,000.00');
  });
});

describe('sheetDoneText', () => {
  it('says where a saved sheet went and that each patient is logged', () => {
    expect(sheetDoneText({ method: 'saved', path: '/x/statement.pdf', job: null, pages: 1, patients: 2 })).toBe(
      '2 patients, 1 page saved to /x/statement.pdf. Each patient is in the disclosure log.',
    );
  });
  it('names the print job of a printed one', () => {
    expect(sheetDoneText({ method: 'printed', path: null, job: 'ChartroomPDF-7', pages: 3, patients: 1 })).toBe(
      '1 patient, 3 pages sent to the printer (job ChartroomPDF-7). Each patient is in the disclosure log.',
    );
  });
});
