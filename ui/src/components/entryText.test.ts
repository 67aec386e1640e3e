import { describe, expect, it } from 'vitest';
import { entryDetailText } from './entryText';
import { capitalize } from './toast';

describe('entryDetailText', () => {
  it('describes a medication: strength and form, the sig, dates and prescriber', () => {
    expect(
      entryDetailText(
        { section: 'medication', strength: '10 mg', form: 'tablet', dose: '1 tab', route: 'by mouth', frequency: 'daily', stop: '2026-12-31', prescriber: 'Dr Patel', last_reconciled: null },
        '2024-03-02',
      ),
    ).toBe('10 mg tablet · 1 tab by mouth daily · since 03/02/2024 · stop 12/31/2026 · by Dr Patel');
  });

  it('describes a problem, leaving out what is empty', () => {
    expect(entryDetailText({ section: 'problem', comment: '' }, null)).toBe('');
    expect(entryDetailText({ section: 'problem', comment: 'diet controlled' }, '2019-05-01')).toBe('onset 05/01/2019 · diet controlled');
  });

  it('describes an allergy and the no-known-allergies statement', () => {
    expect(entryDetailText({ section: 'allergy', category: 'drug', reaction: 'hives', severity: 'severe', no_known_allergies: false }, null)).toBe('Drug · hives · Severe');
    expect(entryDetailText({ section: 'allergy', category: 'food', reaction: '', severity: 'unknown', no_known_allergies: false }, null)).toBe('Food');
    expect(entryDetailText({ section: 'allergy', category: '', reaction: '', severity: '', no_known_allergies: true }, '2026-01-10')).toBe('recorded 01/10/2026');
  });

  it('describes an immunization and a prescription', () => {
    expect(
      entryDetailText({ section: 'immunization', kind: 'historical', lot: 'FL2291', manufacturer: 'Sanofi', site: 'left deltoid', route: 'IM', dose_number: '2', note: '' }, '2025-10-14'),
    ).toBe('10/14/2025 · Historical (reported by patient) · dose 2 · lot FL2291 · Sanofi · left deltoid, IM');
    expect(
      entryDetailText(
        { section: 'prescription', strength: '20 mg', form: 'tablet', directions: 'Take 1 tablet daily', quantity: 90, quantity_unit: 'tablets', refills: 1, substitution_allowed: false, prescriber_name: 'Maya Patel', prescriber_credentials: 'MD' },
        '2026-10-02',
      ),
    ).toBe('20 mg tablet · Take 1 tablet daily · #90 tablets · 1 refill · dispense as written · written 10/02/2026');
  });
});

describe('capitalize', () => {
  it('makes a backend message a sentence', () => {
    expect(capitalize('the username or password is wrong')).toBe('The username or password is wrong.');
    expect(capitalize('already done!')).toBe('Already done!');
    expect(capitalize('')).toBe('');
  });
});
