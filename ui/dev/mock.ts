// Development only: runs the UI in a plain browser against an in-memory
// fake of the backend, to look at screens without building the desktop app.
// `npm run dev`, then open /dev/mock.html?phase=active&user=desk#/patients.
// Not part of the production build (vite builds index.html only).

import { mockIPC } from '@tauri-apps/api/mocks';
import { mockChart } from './mockChart';

const params = new URLSearchParams(location.search);
let phase = params.get('phase') ?? 'logged_out';
const userKind = params.get('user') ?? 'desk';

const permissionsByUser: Record<string, string[]> = {
  desk: ['patient_read', 'patient_write'],
  admin: ['audit_read', 'settings_admin', 'user_admin'],
  doctor: ['clinical_read', 'clinical_write', 'patient_read', 'patient_write'],
};
const users = [
  { id: 1, username: 'admin', full_name: 'Alex Morgan', credentials: '', roles: ['administrator'], can_emergency_access: false, disabled: false, locked_until: null, failed_attempts: 0 },
  { id: 2, username: 'desk', full_name: 'Dana Whitfield', credentials: '', roles: ['front_desk'], can_emergency_access: false, disabled: false, locked_until: null, failed_attempts: 0 },
  { id: 3, username: 'doctor', full_name: 'Priya Raman', credentials: 'MD', roles: ['clinician'], can_emergency_access: true, disabled: false, locked_until: null, failed_attempts: 0 },
  { id: 4, username: 'billing', full_name: 'Sam Ortiz', credentials: '', roles: ['billing'], can_emergency_access: false, disabled: true, locked_until: null, failed_attempts: 0 },
];
const me = users.find((u) => u.username === userKind) ?? users[1]!;

const names = [
  ['Nguyen', 'An', 'Annie'], ['Nguyen', 'Bao', ''], ['Garcia', 'Maria', ''], ['Smith', 'John', 'Jack'],
  ['Okafor', 'Chidi', ''], ['Johansson', 'Erik', ''], ['Patel', 'Riya', ''], ['Kowalski', 'Anna', 'Ania'],
];
const patients = names.map(([f, g, p], i) => ({
  id: i + 1, mrn: String(100230 + i * 7).padStart(8, '0'), version: 1 + (i % 3),
  family_name: f, given_name: g, middle_name: i % 2 ? 'Lee' : '', preferred_name: p,
  birth_date: `19${50 + i * 6}-0${(i % 9) + 1}-1${i}`, sex: i % 2 ? 'male' : 'female', gender_identity: '',
  address_line1: `${120 + i} NW Glisan St`, address_line2: i % 3 ? '' : 'Apt 4B', city: 'Portland', region: 'OR', postal_code: '97209',
  phone_mobile: `50355501${30 + i}`, phone_home: '', phone_work: '', email: i % 2 ? '' : `${g!.toLowerCase()}@example.org`,
  preferred_contact: 'phone', emergency_name: i % 2 ? '' : 'Tom Nguyen', emergency_relationship: 'Spouse', emergency_phone: '5035550188',
  created_at: '2025-03-02T17:04:00Z', updated_at: '2026-01-12T21:40:00Z',
}));
const summary = (p: (typeof patients)[number]) => ({
  id: p.id, mrn: p.mrn, family_name: p.family_name, given_name: p.given_name, preferred_name: p.preferred_name,
  birth_date: p.birth_date, sex: p.sex, phone: p.phone_mobile, age_text: `${2026 - Number(p.birth_date.slice(0, 4))} y`,
});
const chart = (p: (typeof patients)[number]) => ({ patient: p, age_years: 40, age_text: `${2026 - Number(p.birth_date.slice(0, 4))} y` });

const session = () => ({
  user: me, permissions: permissionsByUser[userKind] ?? [], idle_lock_seconds: Number(params.get('idle') ?? 600),
  locked: phase === 'locked', emergency_mrn: null,
});
const status = () => ({
  phase, practice_name: 'Riverside Family Medicine', keyring: { available: params.get('keyring') === '1', detail: 'no Secret Service on the session bus' },
  passphrase_set: true, data_dir: '/home/clinic/.local/share/chartroom', session: phase === 'active' || phase === 'locked' ? session() : null,
  problem: phase === 'cannot_open' ? { code: 'cannot_open_database', message: 'the database file is damaged: file is not a database', fields: [] } : null,
});
const fail = (code: string, message: string, fields: { field: string; message: string }[] = []) => {
  throw { code, message, fields };
};

// The backend answers each command with its answer alone (its type is
// `Answers[cmd]`); the cases below say which kind they mean for reading.
mockIPC((cmd, args) => {
  if (cmd !== 'api') return undefined;
  const req = (args as { request: Record<string, unknown> }).request;
  const a = answer(req);
  // Through JSON, as from the real backend: fresh objects every time.
  return a && 'data' in a ? JSON.parse(JSON.stringify(a.data)) : null;
});

function answer(req: Record<string, unknown>): { kind: string; data?: unknown } | undefined {
  const chartAnswer = mockChart(req);
  if (chartAnswer) return chartAnswer;
  switch (req.cmd) {
    case 'status':
      return { kind: 'status', data: status() };
    case 'login':
      if (req.password !== 'chartroom-demo') fail('wrong_password', 'the username or password is wrong');
      phase = 'active';
      return { kind: 'session', data: session() };
    case 'logout':
      phase = 'logged_out';
      return { kind: 'done' };
    case 'lock_session':
      phase = 'locked';
      return { kind: 'done' };
    case 'resume_session':
      if (req.password !== 'chartroom-demo') fail('wrong_password', 'the username or password is wrong');
      phase = 'active';
      return { kind: 'session', data: session() };
    case 'heartbeat':
      return { kind: 'done' };
    case 'setup_practice':
      if (!req.practice_name) fail('validation', 'please correct the highlighted fields', [{ field: 'practice_name', message: 'Practice name is required' }, { field: 'admin_password', message: 'Password must be at least 10 characters' }]);
      return { kind: 'setup', data: { recovery_code: 'K7QF-2M9D-XH4T-PW8R-6CJN-3VBZ', key_storage: 'passphrase', practice_id: 'pr_4f2a9c' } };
    case 'search_patients': {
      const q = String(req.query).toLowerCase();
      return { kind: 'patients', data: patients.filter((p) => `${p.family_name} ${p.given_name} ${p.mrn}`.toLowerCase().includes(q)).map(summary) };
    }
    case 'open_patient':
    case 'emergency_access': {
      const p = patients.find((x) => x.id === req.patient_id || x.mrn === req.mrn) ?? fail('not_found', 'no such patient');
      return { kind: 'chart', data: chart(p!) };
    }
    case 'register_patient': {
      const pi = req.patient as Record<string, string>;
      const fields = [];
      if (!pi.family_name) fields.push({ field: 'family_name', message: 'Family name is required' });
      if (!pi.birth_date) fields.push({ field: 'birth_date', message: 'Birth date is required' });
      if (!pi.sex) fields.push({ field: 'sex', message: 'Sex is required' });
      if (fields.length) fail('validation', 'please correct the highlighted fields', fields);
      if (!req.acknowledge_duplicates) return { kind: 'registered', data: { outcome: 'possible_duplicates', candidates: patients.slice(0, 2).map(summary) } };
      return { kind: 'registered', data: { outcome: 'registered', chart: chart(patients[0]!) } };
    }
    case 'update_patient':
      fail('conflict', 'the patient was changed by someone else since you opened it');
      return undefined;
    case 'patient_history': {
      const p = patients.find((x) => x.id === req.patient_id)!;
      return { kind: 'history', data: [{ patient: { ...p, version: p.version - 1, phone_mobile: '5035550100', city: 'Beaverton' }, replaced_at: '2026-01-12T21:40:00Z', replaced_by: 'desk' }] };
    }
    case 'list_users':
      return { kind: 'users', data: users };
    case 'list_user_names':
      return { kind: 'user_names', data: users.map((u) => ({ id: u.id, username: u.username, full_name: u.full_name })) };
    case 'get_settings':
      return { kind: 'settings', data: { practice_name: 'Riverside Family Medicine', idle_lock_minutes: 10, units: 'us', export_dir: '/home/clinic/Chartroom/exports', practice_address: '120 NW Glisan St\nPortland, OR 97209', practice_phone: '(503) 555-0100', practice_fax: '(503) 555-0101', practice_npi: '1234567893', practice_tax_id: '12-3456789', has_logo: false } };
    case 'update_settings':
      return { kind: 'settings', data: req.settings };
    case 'verify_audit':
      return { kind: 'audit_chain', data: { records: 1423, first_broken: params.get('broken') ? { id: 812, reason: 'hash does not match the record' } : null } };
    case 'audit_report': {
      const actions = ['login', 'query', 'read', 'update', 'create', 'failed_login', 'emergency_access', 'lock', 'unlock'];
      return {
        kind: 'audit',
        data: Array.from({ length: 24 }, (_, i) => ({
          id: 1423 - i, at: new Date(Date.UTC(2026, 0, 14, 17, 59 - i * 2)).toISOString(), user_id: (i % 3) + 1,
          username: users[i % 3]!.username, patient_id: i % 2 ? (i % 8) + 1 : null, action: actions[i % actions.length],
          category: i % 2 ? 'demographics' : 'security', record_id: i % 2 ? `patient/${(i % 8) + 1}` : '', detail: i % 2 ? 'opened from search "nguy"' : 'session event',
          emergency: actions[i % actions.length] === 'emergency_access',
        })),
      };
    }
    default:
      fail('internal', `the mock does not know ${String(req.cmd)}`);
  }
  return undefined;
}

await import('../src/main');
