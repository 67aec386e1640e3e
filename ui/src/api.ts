// The gateway to the backend: the only module that calls Tauri.
//
// The shell has exactly one command, `api`, taking a `Request` (the Rust
// enum, tagged by `cmd`) and resolving to that command's answer, or
// rejecting with a `WireError`. Both the requests and the answer of each
// command are generated from Rust (`bindings/Request.ts`,
// `bindings/Answers.ts`), so nothing here says by hand what comes back.
//
// Failures always reject with a `WireError` (anything else is wrapped as
// `internal`). `session_locked` and `not_logged_in` are also reported to
// the listener set with `onSessionTrouble`, so the app can show the lock
// overlay or return to the login screen wherever the call came from.

import { invoke } from '@tauri-apps/api/core';
import type { Request } from './bindings/Request';
import type { Answers } from './bindings/Answers';
import type { WireError } from './bindings/WireError';
import type { PatientInput } from './bindings/PatientInput';
import type { Role } from './bindings/Role';
import type { Settings } from './bindings/Settings';
import type { AuditQuery } from './bindings/AuditQuery';
import type { EntryInput } from './bindings/EntryInput';
import type { Section } from './bindings/Section';
import type { VitalsInput } from './bindings/VitalsInput';
import type { LabInput } from './bindings/LabInput';
import type { ObservationKind } from './bindings/ObservationKind';
import type { NoteBody } from './bindings/NoteBody';

/** A command's wire name. */
export type Cmd = Request['cmd'];
/** The request of command `C`. */
export type RequestOf<C extends Cmd> = Extract<Request, { cmd: C }>;
/** The one answer type command `C` returns (generated from Rust). */
export type AnswerOf<C extends Cmd> = Answers[C];

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

/** Sends one command; resolves to its answer as declared in Rust. */
export async function call<C extends Cmd>(request: RequestOf<C>): Promise<AnswerOf<C>> {
  try {
    return await invoke<AnswerOf<C>>('api', { request });
  } catch (e) {
    const err = toWireError(e);
    if (isSessionTrouble(err) && troubleListener) troubleListener(err);
    throw err;
  }
}

// --- practice and key -------------------------------------------------------

export const status = () => call({ cmd: 'status' });

export const setupPractice = (args: {
  practice_name: string;
  admin_username: string;
  admin_full_name: string;
  admin_password: string;
  passphrase: string | null;
}) => call({ cmd: 'setup_practice', ...args });

export const unlockWithPassphrase = (passphrase: string) =>
  call({ cmd: 'unlock_with_passphrase', passphrase });

export const unlockWithRecovery = (code: string, new_passphrase: string | null) =>
  call({ cmd: 'unlock_with_recovery', code, new_passphrase });

// --- session ------------------------------------------------------------------

export const login = (username: string, password: string) =>
  call({ cmd: 'login', username, password });

export const logout = () => call({ cmd: 'logout' });

export const lockSession = () => call({ cmd: 'lock_session' });

export const resumeSession = (password: string) =>
  call({ cmd: 'resume_session', password });

export const heartbeat = () => call({ cmd: 'heartbeat' });

export const changeOwnPassword = (current_password: string, new_password: string) =>
  call({ cmd: 'change_own_password', current_password, new_password });

// --- patients -----------------------------------------------------------------

export const searchPatients = (query: string, limit = 50) =>
  call({ cmd: 'search_patients', query, limit });

export const openPatient = (patient_id: number, from_search: string | null) =>
  call({ cmd: 'open_patient', patient_id, from_search });

export const checkDuplicates = (patient: PatientInput) =>
  call({ cmd: 'check_duplicates', patient });

export const registerPatient = (patient: PatientInput, acknowledge_duplicates: boolean) =>
  call({ cmd: 'register_patient', patient, acknowledge_duplicates });

export const updatePatient = (
  patient_id: number,
  expected_version: number,
  patient: PatientInput,
) => call({ cmd: 'update_patient', patient_id, expected_version, patient });

export const patientHistory = (patient_id: number) =>
  call({ cmd: 'patient_history', patient_id });

export const emergencyAccess = (mrn: string, reason: string) =>
  call({ cmd: 'emergency_access', mrn, reason });

// --- users ----------------------------------------------------------------------

export const listUsers = () => call({ cmd: 'list_users' });

export const listUserNames = () => call({ cmd: 'list_user_names' });

export const createUser = (args: {
  username: string;
  full_name: string;
  credentials: string;
  password: string;
  roles: Role[];
  can_emergency_access: boolean;
}) => call({ cmd: 'create_user', ...args });

export const updateUser = (args: {
  user_id: number;
  full_name: string;
  credentials: string;
  roles: Role[];
  can_emergency_access: boolean;
}) => call({ cmd: 'update_user', ...args });

export const setUserDisabled = (user_id: number, disabled: boolean) =>
  call({ cmd: 'set_user_disabled', user_id, disabled });

export const resetPassword = (user_id: number, new_password: string) =>
  call({ cmd: 'reset_password', user_id, new_password });

// --- settings and audit -------------------------------------------------------

export const getSettings = () => call({ cmd: 'get_settings' });

export const updateSettings = (settings: Settings) =>
  call({ cmd: 'update_settings', settings });
export const setPracticeLogo = (image_base64: string | null) =>
  call({ cmd: 'set_practice_logo', image_base64 });

export const verifyAudit = () => call({ cmd: 'verify_audit' });

export const printAuditSeal = () => call({ cmd: 'print_audit_seal' });

export const auditReport = (filter: AuditQuery) =>
  call({ cmd: 'audit_report', filter });

// --- the clinical chart ---------------------------------------------------------

export const chartSummary = (patient_id: number) =>
  call({ cmd: 'get_chart_summary', patient_id });

export const listEntries = (patient_id: number, section: Section) =>
  call({ cmd: 'list_entries', patient_id, section });

/** Adds (`entry_id` null, version 0) or edits an entry; may answer `needs_override`. */
export const saveEntry = (args: {
  patient_id: number;
  entry_id: number | null;
  expected_version: number;
  entry: EntryInput;
  override_reason: string | null;
}) => call({ cmd: 'save_entry', ...args });

export const reconcileMedication = (
  entry_id: number,
  expected_version: number,
  still_taking: boolean,
  note = '',
) =>
  call({ cmd: 'reconcile_medication', entry_id, expected_version, still_taking, note });

export const entryHistory = (entry_id: number) =>
  call({ cmd: 'entry_history', entry_id });

// "Entered in error": one command per kind of record, each with its answer.
export const markEntryInError = (id: number, expected_version: number, reason: string) =>
  call({ cmd: 'mark_entry_in_error', entry_id: id, expected_version, reason });

export const markObservationInError = (id: number, reason: string) =>
  call({ cmd: 'mark_observation_in_error', observation_id: id, reason });

/** Retracts several values of one patient (a vitals set) in one transaction. */
export const markObservationsInError = (observation_ids: number[], reason: string) =>
  call({ cmd: 'mark_observations_in_error', observation_ids, reason });

export const markNoteInError = (id: number, reason: string) =>
  call({ cmd: 'mark_note_in_error', note_id: id, reason });

export const markDocumentInError = (id: number, reason: string) =>
  call({ cmd: 'mark_document_in_error', document_id: id, reason });

export const searchCodes = (query: string, limit = 25) =>
  call({ cmd: 'search_codes', query, limit });

export const getReferenceData = () => call({ cmd: 'get_reference_data' });

export const checkDrug = (patient_id: number, drug: string) =>
  call({ cmd: 'check_drug', patient_id, drug });

export const recordVitals = (patient_id: number, vitals: VitalsInput) =>
  call({ cmd: 'record_vitals', patient_id, vitals });

export const recordLab = (patient_id: number, lab: LabInput, replaces: number | null) =>
  call({ cmd: 'record_lab', patient_id, lab, replaces });

export const listObservations = (patient_id: number, kind: ObservationKind) =>
  call({ cmd: 'list_observations', patient_id, kind });

export const trend = (patient_id: number, codes: string[], from: string, to: string) =>
  call({ cmd: 'trend', patient_id, codes, from, to });

// --- notes and templates ------------------------------------------------------

export const startEncounter = (args: {
  patient_id: number;
  date: string;
  kind: string;
  reason: string;
  template_id: number | null;
}) => call({ cmd: 'start_encounter', ...args });

export const listNotes = (patient_id: number) => call({ cmd: 'list_notes', patient_id });

export const getNote = (note_id: number) => call({ cmd: 'get_note', note_id });

export const saveNoteDraft = (note_id: number, expected_version: number, body: NoteBody) =>
  call({ cmd: 'save_note_draft', note_id, expected_version, body });

export const signNote = (note_id: number, expected_version: number, password: string) =>
  call({ cmd: 'sign_note', note_id, expected_version, password });

export const addAddendum = (note_id: number, text: string, password: string) =>
  call({ cmd: 'add_addendum', note_id, text, password });

/** Corrects a draft note's visit (date, type, reason); `expected_version` is
 *  the note's `encounter_version`. */
export const updateVisit = (args: {
  note_id: number;
  expected_version: number;
  date: string;
  kind: string;
  reason: string;
}) => call({ cmd: 'update_visit', ...args });

export const listTemplates = () => call({ cmd: 'list_templates' });

export const saveTemplate = (args: {
  template_id: number | null;
  expected_version: number;
  name: string;
  body: NoteBody;
  active: boolean;
}) => call({ cmd: 'save_template', ...args });

// --- documents, prescriptions, disclosures -------------------------------------

export const attachDocument = (args: {
  patient_id: number;
  file_name: string;
  mime: string;
  data_base64: string;
  category: string;
  doc_date: string;
  description: string;
}) => call({ cmd: 'attach_document', ...args });

export const listDocuments = (patient_id: number) =>
  call({ cmd: 'list_documents', patient_id });

export const getDocument = (document_id: number) =>
  call({ cmd: 'get_document', document_id });

/** Corrects a document's category, date or description (not once it is in error). */
export const updateDocument = (args: {
  document_id: number;
  expected_version: number;
  category: string;
  doc_date: string;
  description: string;
}) => call({ cmd: 'update_document', ...args });

/** The replaced states of a visit (date, type, reason), oldest first. */
export const visitHistory = (note_id: number) => call({ cmd: 'visit_history', note_id });

/** The replaced states of a document's description, oldest first. */
export const documentHistory = (document_id: number) => call({ cmd: 'document_history', document_id });

export const printPrescription = (entry_id: number) =>
  call({ cmd: 'print_prescription', entry_id });

export const listDisclosures = (patient_id: number) =>
  call({ cmd: 'list_disclosures', patient_id });

// --- background jobs ------------------------------------------------------------

/** Starts an encrypted backup into `folder`; answers at once with the job. */
export const startBackup = (folder: string) => call({ cmd: 'start_backup', folder });

/** Where a background job stands. */
export const jobStatus = (job_id: number) => call({ cmd: 'job_status', job_id });

// --- records out -------------------------------------------------------------

export const recordChoices = (patient_id: number) => call({ cmd: 'get_record_choices', patient_id });
export const previewRecord = (args: Omit<RequestOf<'preview_record'>, 'cmd'>) =>
  call({ cmd: 'preview_record', ...args });
export const releaseRecord = (args: Omit<RequestOf<'release_record'>, 'cmd'>) =>
  call({ cmd: 'release_record', ...args });
export const listPrinters = () => call({ cmd: 'list_printers' });
export const referralProviders = () => call({ cmd: 'list_referral_providers' });
export const saveReferralProvider = (args: Omit<RequestOf<'save_referral_provider'>, 'cmd'>) =>
  call({ cmd: 'save_referral_provider', ...args });
export const accounting = (patient_id: number) => call({ cmd: 'get_accounting', patient_id });
export const releaseAccounting = (args: Omit<RequestOf<'release_accounting'>, 'cmd'>) =>
  call({ cmd: 'release_accounting', ...args });
export const disclosureLog = (query: RequestOf<'disclosure_log'>['query']) =>
  call({ cmd: 'disclosure_log', query });
