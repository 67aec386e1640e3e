import { describe, expect, it } from 'vitest';
import { isClinicalTab, noteHref, parseRoute, patientHref } from './router';

describe('parseRoute', () => {
  it.each([
    ['', { name: 'home' }],
    ['#/', { name: 'home' }],
    ['#/patients', { name: 'patients' }],
    ['#/patients/', { name: 'patients' }],
    ['#/register', { name: 'register' }],
    ['#/templates', { name: 'templates' }],
    ['#/admin/users', { name: 'users' }],
    ['#/admin/settings', { name: 'settings' }],
    ['#/admin/audit', { name: 'audit' }],
    ['#/admin/disclosures', { name: 'disclosures' }],
    ['#/emergency', { name: 'emergency' }],
    ['#/account', { name: 'account' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('reads a chart, its tabs and a note', () => {
    expect(parseRoute('#/patient/12')).toEqual({ name: 'patient', id: 12, tab: 'default', noteId: null });
    expect(parseRoute('#/patient/12/labs')).toEqual({ name: 'patient', id: 12, tab: 'labs', noteId: null });
    expect(parseRoute('#/patient/12/history')).toEqual({ name: 'patient', id: 12, tab: 'history', noteId: null });
    expect(parseRoute('#/patient/12/billing')).toEqual({ name: 'patient', id: 12, tab: 'billing', noteId: null });
    expect(parseRoute('#/admin/billing')).toEqual({ name: 'billing' });
    expect(parseRoute('#/patient/12/notes/7')).toEqual({ name: 'patient', id: 12, tab: 'notes', noteId: 7 });
  });

  it.each(['#/patient/0', '#/patient/-3', '#/patient/abc', '#/patient/1.5', '#/patient/12/invoices', '#/patient/12/notes/x', '#/admin', '#/nowhere'])(
    'treats %s as unknown',
    (hash) => {
      expect(parseRoute(hash).name).toBe('unknown');
    },
  );
});

describe('links', () => {
  it('builds the addresses the router reads back', () => {
    expect(patientHref(5)).toBe('#/patient/5');
    expect(patientHref(5, 'trends')).toBe('#/patient/5/trends');
    expect(noteHref(5, 9)).toBe('#/patient/5/notes/9');
    for (const href of [patientHref(5), patientHref(5, 'demographics'), noteHref(5, 9)]) {
      expect(parseRoute(href)).toMatchObject({ name: 'patient', id: 5 });
    }
  });

  it('knows which tabs are clinical', () => {
    expect(isClinicalTab('summary')).toBe(true);
    expect(isClinicalTab('prescriptions')).toBe(true);
    expect(isClinicalTab('demographics')).toBe(false);
    expect(isClinicalTab('default')).toBe(false);
  });
});
