// Display formatting only: no clinical or business rules live here (ages
// come from the backend as `age_text`; validation comes back as field errors).

import type { PatientSummary } from './bindings/PatientSummary';
import type { Patient } from './bindings/Patient';
import type { Role } from './bindings/Role';
import type { AuditAction } from './bindings/AuditAction';
import type { Sex } from './bindings/Sex';
import type { PreferredContact } from './bindings/PreferredContact';

/** Stored phones are digits (with `+` for international): `5035550134` → `(503) 555-0134`. */
export function formatPhone(phone: string): string {
  if (!phone) return '';
  if (phone.startsWith('+')) return phone;
  const d = phone.replace(/\D/g, '');
  if (d.length === 10) return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
  if (d.length === 11 && d.startsWith('1')) return `(${d.slice(1, 4)}) ${d.slice(4, 7)}-${d.slice(7)}`;
  return phone;
}

/** `YYYY-MM-DD` → `MM/DD/YYYY` (US clinic convention). */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[2]}/${m[3]}/${m[1]}` : iso;
}

/** An instant (RFC 3339, UTC) in the clinic's local time. */
export function formatInstant(iso: string, seconds = false): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}${seconds ? `:${pad(t.getSeconds())}` : ''}`;
  return `${pad(t.getMonth() + 1)}/${pad(t.getDate())}/${t.getFullYear()} ${time}`;
}

/** Today's date in local time, as MM/DD/YYYY. */
export function todayText(): string {
  const t = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(t.getMonth() + 1)}/${pad(t.getDate())}/${t.getFullYear()}`;
}

type Named = Pick<PatientSummary, 'family_name' | 'given_name' | 'preferred_name'> & { middle_name?: string };

/** `Family, Given "Preferred"` as lists show it. */
export function patientListName(p: Named): string {
  const pref = p.preferred_name && p.preferred_name !== p.given_name ? ` "${p.preferred_name}"` : '';
  return `${p.family_name}, ${p.given_name}${pref}`;
}

/** `FAMILY, Given Middle` for the banner. */
export function patientBannerName(p: Patient): string {
  const given = [p.given_name, p.middle_name].filter(Boolean).join(' ');
  return `${p.family_name.toUpperCase()}, ${given}`;
}

export const SEX_LABEL: Record<Sex, string> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Unknown',
};
export const SEXES = Object.keys(SEX_LABEL) as Sex[];

export const CONTACT_LABEL: Record<PreferredContact, string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  mail: 'Mail',
};
export const CONTACTS = Object.keys(CONTACT_LABEL) as PreferredContact[];

export const ROLE_LABEL: Record<Role, string> = {
  front_desk: 'Front desk',
  clinician: 'Clinician',
  billing: 'Billing',
  practice_manager: 'Practice manager',
  administrator: 'Administrator',
};
export const ROLES = Object.keys(ROLE_LABEL) as Role[];

// A Record over the union makes the compiler insist on every action.
export const ACTION_LABEL: Record<AuditAction, string> = {
  create: 'Create',
  read: 'Read',
  update: 'Update',
  mark_in_error: 'Mark in error',
  print: 'Print',
  export: 'Export',
  query: 'Search',
  login: 'Login',
  logout: 'Logout',
  failed_login: 'Failed login',
  lock: 'Lock',
  unlock: 'Unlock',
  permission_change: 'Permission change',
  emergency_access: 'Emergency access',
  setup: 'Set up',
  backup: 'Backup',
  verify: 'Verify',
  settings_change: 'Settings change',
};
export const ACTIONS = Object.keys(ACTION_LABEL) as AuditAction[];

export function rolesText(roles: Role[]): string {
  return roles.map((r) => ROLE_LABEL[r] ?? r).join(', ');
}

/** `F`, `M`, ... for compact tables. */
export function sexShort(s: Sex): string {
  return (SEX_LABEL[s] ?? s).charAt(0);
}
