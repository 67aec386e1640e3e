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
import type { Disclosure } from './bindings/Disclosure';
import type { SheetDone } from './bindings/SheetDone';
import { VALUE_SETS, type Option, type ValueSetName } from './bindings/valueSets';

/** `YYYY-MM-DD` → `MM/DD/YYYY` (US clinic convention). */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[2]}/${m[3]}/${m[1]}` : iso;
}

/** Integer cents as US dollars: `$1,234.50`, `-$3.05` (the backend's
 *  `Money` display). */
export function formatMoney(cents: number): string {
  const abs = Math.abs(Math.trunc(cents));
  const dollars = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
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

// Labels and lists of the backend's value sets come from the generated
// `bindings/valueSets.ts`: the UI keeps no copy of any list.

/** The labels of a value set, by code. */
function labels<K extends string>(set: ValueSetName): Record<K, string> {
  return Object.fromEntries(VALUE_SETS[set].map((o) => [o.value, o.label])) as Record<K, string>;
}

/** A value set's options, in the backend's order. */
export function optionsOf(set: ValueSetName): Option[] {
  return VALUE_SETS[set].map((o) => ({ value: o.value, label: o.label }));
}

/** A disclosure's purpose as the logs show it, with the user's words. */
export function purposeText(d: Disclosure): string {
  const label = VALUE_SETS.disclosure_purpose.find((o) => o.value === d.purpose)?.label ?? d.purpose;
  return d.purpose_detail ? `${label}: ${d.purpose_detail}` : label;
}

export const SEX_LABEL = labels<Sex>('sex');
export const PAYMENT_METHOD_LABEL = labels<string>('payment_method');
export const PRICE_LEVEL_LABEL = labels<string>('price_level');
export const COVERAGE_RANK_LABEL = labels<string>('coverage_rank');
export const CLAIM_STATUS_LABEL = labels<string>('claim_status');
export const SEXES = VALUE_SETS.sex.map((o) => o.value) as Sex[];

export const CONTACT_LABEL = labels<PreferredContact>('preferred_contact');
export const CONTACTS = VALUE_SETS.preferred_contact.map((o) => o.value) as PreferredContact[];

export const ROLE_LABEL = labels<Role>('role');
export const ROLES = VALUE_SETS.role.map((o) => o.value) as Role[];

export const ACTION_LABEL = labels<AuditAction>('audit_action');
export const ACTIONS = VALUE_SETS.audit_action.map((o) => o.value) as AuditAction[];

export function rolesText(roles: Role[]): string {
  return roles.map((r) => ROLE_LABEL[r] ?? r).join(', ');
}

/** `F`, `M`, ... for compact tables. */
export function sexShort(s: Sex): string {
  return (SEX_LABEL[s] ?? s).charAt(0);
}

// --- the clinical chart (labels of the backend's values) ---------------------

export const ENTRY_STATUS_LABEL = labels<EntryStatus>('entry_status');

export type { Option };

export const PROBLEM_STATUSES = optionsOf('problem_status');
export const MED_STATUSES = optionsOf('medication_status');
export const ALLERGY_STATUSES = optionsOf('allergy_status');

export const ALLERGY_CATEGORY_LABEL = labels<string>('allergy_category');
export const ALLERGY_CATEGORIES = optionsOf('allergy_category');

export const SEVERITY_LABEL = labels<string>('reaction_severity');
export const SEVERITIES = optionsOf('reaction_severity');

export const IMMUNIZATION_KIND_LABEL = labels<string>('immunization_kind');
export const IMMUNIZATION_KINDS = optionsOf('immunization_kind');

export const ENCOUNTER_KIND_LABEL = labels<string>('encounter_kind');
export const ENCOUNTER_KINDS = optionsOf('encounter_kind');

export const DOC_CATEGORY_LABEL = labels<string>('document_category');
export const DOC_CATEGORIES = optionsOf('document_category');

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

/** "2 patients, 3 pages saved to /path. Each patient is in the disclosure log." */
export function sheetDoneText(r: SheetDone): string {
  const patients = `${r.patients} patient${r.patients === 1 ? '' : 's'}`;
  const pages = `${r.pages} page${r.pages === 1 ? '' : 's'}`;
  const where = r.method === 'printed' ? `sent to the printer (job ${r.job ?? ''})` : `saved to ${r.path ?? ''}`;
  return `${patients}, ${pages} ${where}. Each patient is in the disclosure log.`;
}
