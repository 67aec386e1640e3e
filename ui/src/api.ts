// The gateway to the backend: the only module that calls Tauri.
//
// The shell has exactly one command, `api`, taking a `Request` (the Rust
// enum, tagged by `cmd`) and resolving to a `Response` (tagged by `kind`,
// payload in `data`), or rejecting with a `WireError`. Each function here
// sends one request and checks that the answer is the kind it expects.
//
// Failures always reject with a `WireError` (anything else is wrapped as
// `internal`). `session_locked` and `not_logged_in` are also reported to
// the listener set with `onSessionTrouble`, so the app can show the lock
// overlay or return to the login screen wherever the call came from.

import { invoke } from '@tauri-apps/api/core';
import type { Request } from './bindings/Request';
import type { Response } from './bindings/Response';
import type { WireError } from './bindings/WireError';
import type { AppStatus } from './bindings/AppStatus';
import type { SetupResult } from './bindings/SetupResult';
import type { SessionInfo } from './bindings/SessionInfo';
import type { PatientSummary } from './bindings/PatientSummary';
import type { PatientChart } from './bindings/PatientChart';
import type { PatientInput } from './bindings/PatientInput';
import type { RegisterOutcome } from './bindings/RegisterOutcome';
import type { PatientVersion } from './bindings/PatientVersion';
import type { UserAccount } from './bindings/UserAccount';
import type { UserName } from './bindings/UserName';
import type { Role } from './bindings/Role';
import type { Settings } from './bindings/Settings';
import type { ChainReport } from './bindings/ChainReport';
import type { AuditFilter } from './bindings/AuditFilter';
import type { AuditRecord } from './bindings/AuditRecord';
import type { ChartSummary } from './bindings/ChartSummary';
import type { ChartEntry } from './bindings/ChartEntry';
import type { EntryInput } from './bindings/EntryInput';
import type { SaveOutcome } from './bindings/SaveOutcome';
import type { EntryVersionView } from './bindings/EntryVersionView';
import type { Section } from './bindings/Section';
import type { CodeHit } from './bindings/CodeHit';
import type { ReferenceData } from './bindings/ReferenceData';
import type { DrugCheck } from './bindings/DrugCheck';
import type { VitalsInput } from './bindings/VitalsInput';
import type { LabInput } from './bindings/LabInput';
import type { ObservationKind } from './bindings/ObservationKind';
import type { ObservationView } from './bindings/ObservationView';
import type { TrendSeries } from './bindings/TrendSeries';
import type { NoteView } from './bindings/NoteView';
import type { NoteSummary } from './bindings/NoteSummary';
import type { NoteBody } from './bindings/NoteBody';
import type { NoteTemplate } from './bindings/NoteTemplate';
import type { DocumentView } from './bindings/DocumentView';
import type { DocumentContent } from './bindings/DocumentContent';
import type { PrintedFile } from './bindings/PrintedFile';
import type { Disclosure } from './bindings/Disclosure';
import type { HistoryRef } from './bindings/HistoryRef';
import type { RecordVersion } from './bindings/RecordVersion';

type Kind = Response['kind'];
type DataOf<K extends Kind> = Extract<Response, { kind: K }> extends { data: infer D } ? D : undefined;

type TroubleListener = (err: WireError) => void;
let troubleListener: TroubleListener | null = null;

/** Called for every `session_locked` / `not_logged_in` failure. */
export function onSessionTrouble(listener: TroubleListener | null): void {
  troubleListener = listener;
}

/** Whether an unknown rejection is a backend `WireError`. */
export function isWireError(e: unknown): e is WireError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/** Any rejection as a `WireError`. */
export function toWireError(e: unknown): WireError {
  if (isWireError(e)) {
    return { code: e.code, message: e.message, fields: Array.isArray(e.fields) ? e.fields : [] };
  }
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : 'Unexpected error';
  return { code: 'internal', message, fields: [] };
}

/** Errors the app handles globally (the lock overlay, the login screen). */
export function isSessionTrouble(err: WireError): boolean {
  return err.code === 'session_locked' || err.code === 'not_logged_in';
}

async function call<K extends Kind>(request: Request, kind: K): Promise<DataOf<K>> {
  let res: Response;
  try {
    res = await invoke<Response>('api', { request });
  } catch (e) {
    const err = toWireError(e);
    if (isSessionTrouble(err) && troubleListener) troubleListener(err);
    throw err;
  }
  if (!res || res.kind !== kind) {
    const err: WireError = {
      code: 'internal',
      message: `Unexpected answer from the backend (${res ? res.kind : 'nothing'} instead of ${kind})`,
      fields: [],
    };
    throw err;
  }
  return ('data' in res ? res.data : undefined) as DataOf<K>;
}

// --- practice and key -------------------------------------------------------

export const status = (): Promise<AppStatus> => call({ cmd: 'status' }, 'status');

export const setupPractice = (args: {
  practice_name: string;
  admin_username: string;
  admin_full_name: string;
  admin_password: string;
  passphrase: string | null;
}): Promise<SetupResult> => call({ cmd: 'setup_practice', ...args }, 'setup');

export const unlockWithPassphrase = (passphrase: string): Promise<AppStatus> =>
  call({ cmd: 'unlock_with_passphrase', passphrase }, 'status');

export const unlockWithRecovery = (code: string, new_passphrase: string | null): Promise<AppStatus> =>
  call({ cmd: 'unlock_with_recovery', code, new_passphrase }, 'status');

// --- session ------------------------------------------------------------------

export const login = (username: string, password: string): Promise<SessionInfo> =>
  call({ cmd: 'login', username, password }, 'session');

export const logout = (): Promise<undefined> => call({ cmd: 'logout' }, 'done');

export const lockSession = (): Promise<undefined> => call({ cmd: 'lock_session' }, 'done');

export const resumeSession = (password: string): Promise<SessionInfo> =>
  call({ cmd: 'resume_session', password }, 'session');

export const heartbeat = (): Promise<undefined> => call({ cmd: 'heartbeat' }, 'done');

export const changeOwnPassword = (current_password: string, new_password: string): Promise<undefined> =>
  call({ cmd: 'change_own_password', current_password, new_password }, 'done');

// --- patients -----------------------------------------------------------------

export const searchPatients = (query: string, limit = 50): Promise<PatientSummary[]> =>
  call({ cmd: 'search_patients', query, limit }, 'patients');

export const openPatient = (patient_id: number, from_search: string | null): Promise<PatientChart> =>
  call({ cmd: 'open_patient', patient_id, from_search }, 'chart');

export const checkDuplicates = (patient: PatientInput): Promise<PatientSummary[]> =>
  call({ cmd: 'check_duplicates', patient }, 'patients');

export const registerPatient = (patient: PatientInput, acknowledge_duplicates: boolean): Promise<RegisterOutcome> =>
  call({ cmd: 'register_patient', patient, acknowledge_duplicates }, 'registered');

export const updatePatient = (
  patient_id: number,
  expected_version: number,
  patient: PatientInput,
): Promise<PatientChart> => call({ cmd: 'update_patient', patient_id, expected_version, patient }, 'chart');

export const patientHistory = (patient_id: number): Promise<PatientVersion[]> =>
  call({ cmd: 'patient_history', patient_id }, 'history');

export const emergencyAccess = (mrn: string, reason: string): Promise<PatientChart> =>
  call({ cmd: 'emergency_access', mrn, reason }, 'chart');

// --- users ----------------------------------------------------------------------

export const listUsers = (): Promise<UserAccount[]> => call({ cmd: 'list_users' }, 'users');

export const listUserNames = (): Promise<UserName[]> => call({ cmd: 'list_user_names' }, 'user_names');

export const createUser = (args: {
  username: string;
  full_name: string;
  credentials: string;
  password: string;
  roles: Role[];
  can_emergency_access: boolean;
}): Promise<UserAccount> => call({ cmd: 'create_user', ...args }, 'user');

export const updateUser = (args: {
  user_id: number;
  full_name: string;
  credentials: string;
  roles: Role[];
  can_emergency_access: boolean;
}): Promise<UserAccount> => call({ cmd: 'update_user', ...args }, 'user');

export const setUserDisabled = (user_id: number, disabled: boolean): Promise<UserAccount> =>
  call({ cmd: 'set_user_disabled', user_id, disabled }, 'user');

export const resetPassword = (user_id: number, new_password: string): Promise<undefined> =>
  call({ cmd: 'reset_password', user_id, new_password }, 'done');

// --- settings and audit -------------------------------------------------------

export const getSettings = (): Promise<Settings> => call({ cmd: 'get_settings' }, 'settings');

export const updateSettings = (settings: Settings): Promise<Settings> =>
  call({ cmd: 'update_settings', settings }, 'settings');

export const verifyAudit = (): Promise<ChainReport> => call({ cmd: 'verify_audit' }, 'audit_chain');

export const auditReport = (filter: AuditFilter): Promise<AuditRecord[]> =>
  call({ cmd: 'audit_report', filter }, 'audit');

// --- the clinical chart ---------------------------------------------------------

export const chartSummary = (patient_id: number): Promise<ChartSummary> =>
  call({ cmd: 'chart_summary', patient_id }, 'chart_summary');

export const listEntries = (patient_id: number, section: Section): Promise<ChartEntry[]> =>
  call({ cmd: 'list_entries', patient_id, section }, 'entries');

/** Adds (`entry_id` null, version 0) or edits an entry; may answer `needs_override`. */
export const saveEntry = (args: {
  patient_id: number;
  entry_id: number | null;
  expected_version: number;
  entry: EntryInput;
  override_reason: string | null;
}): Promise<SaveOutcome> => call({ cmd: 'save_entry', ...args }, 'entry_saved');

export const reconcileMedication = (
  entry_id: number,
  expected_version: number,
  still_taking: boolean,
  note = '',
): Promise<ChartEntry> =>
  call({ cmd: 'reconcile_medication', entry_id, expected_version, still_taking, note }, 'entry');

export const entryHistory = (entry_id: number): Promise<EntryVersionView[]> =>
  call({ cmd: 'entry_history', entry_id }, 'entry_history');

// "Entered in error": one request, whose answer depends on the record's type.
export const markEntryInError = (id: number, expected_version: number, reason: string): Promise<ChartEntry> =>
  call({ cmd: 'mark_entered_in_error', record: { type: 'entry', id, expected_version }, reason }, 'entry');

export const markObservationInError = (id: number, reason: string): Promise<ObservationView[]> =>
  call({ cmd: 'mark_entered_in_error', record: { type: 'observation', id }, reason }, 'observations');

export const markNoteInError = (id: number, reason: string): Promise<NoteView> =>
  call({ cmd: 'mark_entered_in_error', record: { type: 'note', id }, reason }, 'note');

export const markDocumentInError = (id: number, reason: string): Promise<DocumentView[]> =>
  call({ cmd: 'mark_entered_in_error', record: { type: 'document', id }, reason }, 'documents');

export const searchCodes = (query: string, limit = 25): Promise<CodeHit[]> =>
  call({ cmd: 'search_codes', query, limit }, 'codes');

export const getReferenceData = (): Promise<ReferenceData> => call({ cmd: 'get_reference_data' }, 'reference');

export const checkDrug = (patient_id: number, drug: string): Promise<DrugCheck> =>
  call({ cmd: 'check_drug', patient_id, drug }, 'drug_check');

export const recordVitals = (patient_id: number, vitals: VitalsInput): Promise<ObservationView[]> =>
  call({ cmd: 'record_vitals', patient_id, vitals }, 'observations');

export const recordLab = (patient_id: number, lab: LabInput, replaces: number | null): Promise<ObservationView[]> =>
  call({ cmd: 'record_lab', patient_id, lab, replaces }, 'observations');

export const listObservations = (patient_id: number, kind: ObservationKind): Promise<ObservationView[]> =>
  call({ cmd: 'list_observations', patient_id, kind }, 'observations');

export const trend = (patient_id: number, codes: string[], from: string, to: string): Promise<TrendSeries[]> =>
  call({ cmd: 'trend', patient_id, codes, from, to }, 'trend');

// --- notes and templates ------------------------------------------------------

export const startEncounter = (args: {
  patient_id: number;
  date: string;
  kind: string;
  reason: string;
  template_id: number | null;
}): Promise<NoteView> => call({ cmd: 'start_encounter', ...args }, 'note');

export const listNotes = (patient_id: number): Promise<NoteSummary[]> => call({ cmd: 'list_notes', patient_id }, 'notes');

export const getNote = (note_id: number): Promise<NoteView> => call({ cmd: 'get_note', note_id }, 'note');

export const saveNoteDraft = (note_id: number, expected_version: number, body: NoteBody): Promise<NoteView> =>
  call({ cmd: 'save_note_draft', note_id, expected_version, body }, 'note');

export const signNote = (note_id: number, expected_version: number, password: string): Promise<NoteView> =>
  call({ cmd: 'sign_note', note_id, expected_version, password }, 'note');

export const addAddendum = (note_id: number, text: string, password: string): Promise<NoteView> =>
  call({ cmd: 'add_addendum', note_id, text, password }, 'note');

/** Corrects a draft note's visit (date, type, reason); `expected_version` is
 *  the note's `encounter_version`. */
export const updateVisit = (args: {
  note_id: number;
  expected_version: number;
  date: string;
  kind: string;
  reason: string;
}): Promise<NoteView> => call({ cmd: 'update_visit', ...args }, 'note');

export const listTemplates = (): Promise<NoteTemplate[]> => call({ cmd: 'list_templates' }, 'templates');

export const saveTemplate = (args: {
  template_id: number | null;
  expected_version: number;
  name: string;
  body: NoteBody;
  active: boolean;
}): Promise<NoteTemplate[]> => call({ cmd: 'save_template', ...args }, 'templates');

// --- documents, prescriptions, disclosures -------------------------------------

export const attachDocument = (args: {
  patient_id: number;
  file_name: string;
  mime: string;
  data_base64: string;
  category: string;
  doc_date: string;
  description: string;
}): Promise<DocumentView[]> => call({ cmd: 'attach_document', ...args }, 'documents');

export const listDocuments = (patient_id: number): Promise<DocumentView[]> =>
  call({ cmd: 'list_documents', patient_id }, 'documents');

export const getDocument = (document_id: number): Promise<DocumentContent> =>
  call({ cmd: 'get_document', document_id }, 'document');

/** Corrects a document's category, date or description (not once it is in error). */
export const updateDocument = (args: {
  document_id: number;
  expected_version: number;
  category: string;
  doc_date: string;
  description: string;
}): Promise<DocumentView[]> => call({ cmd: 'update_document', ...args }, 'documents');

/** The replaced states of a visit's or a document's description, oldest first. */
export const recordHistory = (record: HistoryRef): Promise<RecordVersion[]> =>
  call({ cmd: 'record_history', record }, 'record_history');

export const printPrescription = (entry_id: number): Promise<PrintedFile> =>
  call({ cmd: 'print_prescription', entry_id }, 'printed');

export const listDisclosures = (patient_id: number): Promise<Disclosure[]> =>
  call({ cmd: 'list_disclosures', patient_id }, 'disclosures');
