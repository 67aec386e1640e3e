// Hash routing: `#/patients`, `#/register`, `#/patient/<id>` and its tabs
// (`#/patient/<id>/<tab>`, `billing` among them, a note at `#/patient/<id>/notes/<noteId>`),
// `#/templates`, `#/admin/users`, `#/admin/settings`, `#/admin/audit`,
// `#/admin/disclosures`, `#/admin/scheduling`, `#/admin/billing`, `#/schedule` (optionally
// `#/schedule/<YYYY-MM-DD>`), `#/today`, `#/waitlist`,
// `#/emergency`, `#/account`.

import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'home' }
  | { name: 'patients' }
  | { name: 'register' }
  | { name: 'patient'; id: number; tab: PatientTab; noteId: number | null }
  | { name: 'templates' }
  | { name: 'users' }
  | { name: 'settings' }
  | { name: 'audit' }
  | { name: 'disclosures' }
  | { name: 'scheduling' }
  | { name: 'billing' }
  | { name: 'schedule'; day: string | null }
  | { name: 'today' }
  | { name: 'waitlist' }
  | { name: 'emergency' }
  | { name: 'account' }
  | { name: 'unknown'; path: string };

/** The chart's clinical tabs (need `clinical_read`). */
export const CLINICAL_TABS = [
  'summary', 'problems', 'medications', 'allergies', 'immunizations', 'vitals', 'labs', 'trends', 'notes',
  'documents', 'prescriptions',
] as const;
export type ClinicalTab = (typeof CLINICAL_TABS)[number];

/** `default` is `#/patient/<id>`: the summary for clinical users, the
 *  demographics for everyone else. */
export type PatientTab = 'default' | 'demographics' | 'edit' | 'history' | 'records' | 'billing' | ClinicalTab;

const PATIENT_TABS: readonly string[] = ['demographics', 'edit', 'history', 'records', 'billing', ...CLINICAL_TABS];

export function isClinicalTab(tab: PatientTab): tab is ClinicalTab {
  return (CLINICAL_TABS as readonly string[]).includes(tab);
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case undefined:
      return { name: 'home' };
    case 'patients':
      return { name: 'patients' };
    case 'register':
      return { name: 'register' };
    case 'patient': {
      const id = Number(parts[1]);
      if (!Number.isInteger(id) || id <= 0) return { name: 'unknown', path };
      const tab = parts[2] === undefined ? 'default' : parts[2];
      if (!PATIENT_TABS.includes(tab) && tab !== 'default') return { name: 'unknown', path };
      const noteId = tab === 'notes' && parts[3] !== undefined ? Number(parts[3]) : null;
      if (noteId !== null && !(Number.isInteger(noteId) && noteId > 0)) return { name: 'unknown', path };
      return { name: 'patient', id, tab: tab as PatientTab, noteId };
    }
    case 'templates':
      return { name: 'templates' };
    case 'admin':
      if (parts[1] === 'users') return { name: 'users' };
      if (parts[1] === 'settings') return { name: 'settings' };
      if (parts[1] === 'audit') return { name: 'audit' };
      if (parts[1] === 'disclosures') return { name: 'disclosures' };
      if (parts[1] === 'scheduling') return { name: 'scheduling' };
      if (parts[1] === 'billing') return { name: 'billing' };
      return { name: 'unknown', path };
    case 'schedule': {
      const day = parts[1] ?? null;
      if (day !== null && !/^\d{4}-\d{2}-\d{2}$/.test(day)) return { name: 'unknown', path };
      return { name: 'schedule', day };
    }
    case 'today':
      return { name: 'today' };
    case 'waitlist':
      return { name: 'waitlist' };
    case 'emergency':
      return { name: 'emergency' };
    case 'account':
      return { name: 'account' };
    default:
      return { name: 'unknown', path };
  }
}

export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    // A change made between the first render and this subscription.
    on();
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const patientHref = (id: number, tab: PatientTab = 'default') =>
  tab === 'default' ? `#/patient/${id}` : `#/patient/${id}/${tab}`;

export const noteHref = (patientId: number, noteId: number) => `#/patient/${patientId}/notes/${noteId}`;
