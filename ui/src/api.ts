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
