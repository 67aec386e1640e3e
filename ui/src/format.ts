// Display formatting only: no clinical or business rules live here (ages
// come from the backend as `age_text`; validation comes back as field errors).

import type { PatientSummary } from './bindings/PatientSummary';
import type { Patient } from './bindings/Patient';
import type { Role } from './bindings/Role';
import type { AuditAction } from './bindings/AuditAction';
import type { Sex } from './bindings/Sex';
import type { PreferredContact } from './bindings/PreferredContact';
import type { EntryStatus } from './bindings/EntryStatus';
import type { LabFlag } from './bindings/LabFlag';

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

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A date in local time as MM/DD/YYYY (today by default). */
export function todayText(t: Date = new Date()): string {
  return `${pad2(t.getMonth() + 1)}/${pad2(t.getDate())}/${t.getFullYear()}`;
}

/** A clinic-local moment as stored for observations (`YYYY-MM-DD` or
 *  `YYYY-MM-DDTHH:MM`) → `MM/DD/YYYY` or `MM/DD/YYYY HH:MM`. */
export function formatLocal(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(s);
  if (!m) return s;
  return m[4] ? `${m[2]}/${m[3]}/${m[1]} ${m[4]}:${m[5]}` : `${m[2]}/${m[3]}/${m[1]}`;
}

/** A clinic-local `YYYY-MM-DD[THH:MM]` as a Date (for plots). */
export function parseLocal(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(s);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 12), Number(m[5] ?? 0));
}

/** Now, as a `datetime-local` input's value (`YYYY-MM-DDTHH:MM`). */
export function nowLocalInput(): string {
  const t = new Date();
  return `${t.getFullYear()}-${pad2(t.getMonth() + 1)}-${pad2(t.getDate())}T${pad2(t.getHours())}:${pad2(t.getMinutes())}`;
}

/** `HH:MM` of a moment, for "Saved 10:42". */
export function clockTime(t: Date): string {
  return `${pad2(t.getHours())}:${pad2(t.getMinutes())}`;
}

/** A byte count for people: `340 KB`, `2.4 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
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

// --- the clinical chart (labels of the backend's values) ---------------------

export const ENTRY_STATUS_LABEL: Record<EntryStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  resolved: 'Resolved',
  stopped: 'Stopped',
  completed: 'Completed',
  entered_in_error: 'Entered in error',
};

export type Option = { value: string; label: string };
const options = (labels: Record<string, string>): Option[] =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

export const PROBLEM_STATUSES = options({ active: 'Active', inactive: 'Inactive', resolved: 'Resolved' });
export const MED_STATUSES = options({ active: 'Active', stopped: 'Stopped' });
export const ALLERGY_STATUSES = options({ active: 'Active', inactive: 'Inactive' });

export const ALLERGY_CATEGORY_LABEL: Record<string, string> = {
  drug: 'Drug',
  drug_class: 'Drug class',
  food: 'Food',
  environmental: 'Environmental',
};
export const ALLERGY_CATEGORIES = options(ALLERGY_CATEGORY_LABEL);

export const SEVERITY_LABEL: Record<string, string> = {
  mild: 'Mild',
  moderate: 'Moderate',
  severe: 'Severe',
  unknown: 'Unknown',
};
export const SEVERITIES = options(SEVERITY_LABEL);

export const IMMUNIZATION_KIND_LABEL: Record<string, string> = {
  administered: 'Administered here',
  historical: 'Historical (reported by patient)',
  refused: 'Refused',
};
export const IMMUNIZATION_KINDS = options(IMMUNIZATION_KIND_LABEL);

export const ENCOUNTER_KIND_LABEL: Record<string, string> = {
  office_visit: 'Office visit',
  follow_up: 'Follow-up',
  annual_physical: 'Annual physical',
  telephone: 'Telephone',
  acute: 'Acute visit',
};
export const ENCOUNTER_KINDS = options(ENCOUNTER_KIND_LABEL);

export const DOC_CATEGORY_LABEL: Record<string, string> = {
  letter: 'Letter',
  lab_report: 'Lab report',
  imaging: 'Imaging',
  consent: 'Consent',
  referral: 'Referral',
  other: 'Other',
};
export const DOC_CATEGORIES = options(DOC_CATEGORY_LABEL);

/** The short badge of a lab flag (`H`, `L`, `HH`, `LL`), empty when normal. */
export const LAB_FLAG_BADGE: Record<LabFlag, string> = {
  normal: '',
  low: 'L',
  high: 'H',
  critical_low: 'LL',
  critical_high: 'HH',
  no_range: '',
};

export const LAB_FLAG_LABEL: Record<LabFlag, string> = {
  normal: 'Normal',
  low: 'Low',
  high: 'High',
  critical_low: 'Critically low',
  critical_high: 'Critically high',
  no_range: 'No reference range',
};

/** Whether a flag is critical (shown red and bold). */
export const isCritical = (f: LabFlag | null | undefined) => f === 'critical_low' || f === 'critical_high';

/** Who marked a record entered in error, when, and why:
 *  "Entered in error by Maya Patel on 11/22/2026 09:41: wrong patient". */
export function inErrorText(r: { error_reason: string; error_by: string; error_at: string | null }): string {
  const by = r.error_by ? ` by ${r.error_by}` : '';
  const at = r.error_at ? ` on ${formatInstant(r.error_at)}` : '';
  return `Entered in error${by}${at}: ${r.error_reason || 'no reason given'}`;
}

/** The words for a field of a visit's or document's earlier version. */
const RECORD_FIELD_LABEL: Record<string, string> = {
  date: 'date',
  type: 'type',
  kind: 'type',
  reason: 'reason',
  category: 'category',
  doc_date: 'date',
  description: 'description',
};

/** A field's stored value as shown: dates as MM/DD/YYYY, codes as labels. */
function recordFieldValue(field: string, value: string): string {
  if (field === 'date' || field === 'doc_date') return formatDate(value);
  if (field === 'type' || field === 'kind') return ENCOUNTER_KIND_LABEL[value] ?? value;
  if (field === 'category') return DOC_CATEGORY_LABEL[value] ?? value;
  return value;
}

/** An earlier version's fields on one line: "date 03/01/2026 · type Office visit · reason BP check". */
export function recordFieldsText(fields: { field: string; value: string }[]): string {
  return fields.map((f) => `${RECORD_FIELD_LABEL[f.field] ?? f.field.replace(/_/g, ' ')} ${recordFieldValue(f.field, f.value)}`).join(' · ');
}
