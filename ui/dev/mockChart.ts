// Development only: the clinical chart's commands for dev/mock.ts, over a
// small in-memory chart (patient 1 has data; the others are empty). Just
// enough behaviour to look at the screens: no real validation or checks.

type Req = Record<string, unknown>;
type Answer = { kind: string; data?: unknown } | undefined;

const fail = (code: string, message: string, fields: { field: string; message: string }[] = []) => {
  throw { code, message, fields };
};
const now = () => new Date().toISOString();
const today = () => new Date().toISOString().slice(0, 10);
let nextId = 500;

type VitalRow = [code: string, key: string, name: string, si_unit: string, display_unit: string, target_low: number | null, target_high: number | null];
const vitalsDefs = ([
  ['8480-6', 'systolic', 'Systolic blood pressure', 'mm[Hg]', 'mmHg', 90, 130],
  ['8462-4', 'diastolic', 'Diastolic blood pressure', 'mm[Hg]', 'mmHg', 60, 80],
  ['8867-4', 'pulse', 'Pulse', '/min', '/min', 60, 100],
  ['9279-1', 'respiration', 'Respiratory rate', '/min', '/min', 12, 20],
  ['8310-5', 'temperature', 'Temperature', 'Cel', '°F', 97, 100],
  ['59408-5', 'spo2', 'Oxygen saturation', '%', '%', 95, 100],
  ['8302-2', 'height', 'Height', 'cm', 'in', null, null],
  ['29463-7', 'weight', 'Weight', 'kg', 'lb', null, null],
  ['39156-5', 'bmi', 'Body mass index', 'kg/m2', 'kg/m2', 18.5, 25],
  ['9843-4', 'head_circumference', 'Head circumference', 'cm', 'in', null, null],
  ['72514-3', 'pain', 'Pain score', '{score}', '/10', null, null],
] as VitalRow[]).map(([code, key, name, si_unit, display_unit, target_low, target_high]) => ({ code, key, name, si_unit, display_unit, target_low, target_high }));

const labs = [
  ['4548-4', 'Hemoglobin A1c', 'HbA1c', '%', 1, 4.0, 5.6, null, null, 'Diabetes'],
  ['2345-7', 'Glucose', 'Glucose', 'mg/dL', 0, 70, 99, 40, 400, 'Basic metabolic panel'],
  ['2823-3', 'Potassium', 'K', 'mmol/L', 1, 3.5, 5.1, 2.5, 6.5, 'Basic metabolic panel'],
  ['2160-0', 'Creatinine', 'Creat', 'mg/dL', 2, 0.6, 1.3, null, null, 'Basic metabolic panel'],
  ['2093-3', 'Cholesterol, total', 'Chol', 'mg/dL', 0, null, 200, null, null, 'Lipid panel'],
  ['13457-7', 'LDL cholesterol (calculated)', 'LDL', 'mg/dL', 0, null, 100, null, null, 'Lipid panel'],
  ['718-7', 'Hemoglobin', 'Hgb', 'g/dL', 1, 12.0, 17.5, 7.0, 20.0, 'CBC'],
].map(([loinc, name, short_name, unit, decimals, low, high, critical_low, critical_high, panel]) => ({
  loinc, loinc_name: name, name, short_name, unit, decimals, low, high, critical_low, critical_high, panel, source: 'typical adult range',
  range_text: low !== null && high !== null ? `${low}–${high} ${unit}` : high !== null ? `≤ ${high} ${unit}` : '',
}));

type DrugRow = [name: string, generic: string, classes: string[], brand: boolean];
const drugs = ([
  ['amoxicillin', 'amoxicillin', ['penicillins'], false], ['Amoxil', 'amoxicillin', ['penicillins'], true],
  ['lisinopril', 'lisinopril', ['ACE inhibitors'], false], ['Zestril', 'lisinopril', ['ACE inhibitors'], true],
  ['metformin', 'metformin', ['biguanides'], false], ['atorvastatin', 'atorvastatin', ['statins'], false],
  ['warfarin', 'warfarin', ['vitamin K antagonists'], false], ['ibuprofen', 'ibuprofen', ['NSAIDs'], false],
  ['penicillin V', 'penicillin V', ['penicillins'], false], ['sulfamethoxazole-trimethoprim', 'sulfamethoxazole-trimethoprim', ['sulfonamide antibiotics'], false],
] as DrugRow[]).map(([name, generic, classes, brand]) => ({ name, generic, classes, brand }));

const vaccines = [
  ['140', 'Influenza, seasonal, injectable, preservative free', true], ['115', 'Tdap', true], ['187', 'zoster recombinant', true],
  ['208', 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose', true], ['33', 'pneumococcal polysaccharide PPV23', true],
  ['03', 'MMR', true], ['08', 'Hep B, adolescent or pediatric', true], ['09', 'Td (adult), adsorbed', false], ['88', 'influenza, unspecified formulation', false],
].map(([cvx, short_name, active]) => ({ cvx, short_name, full_name: short_name, active, notes: '' }));

type Entry = Record<string, unknown> & { id: number; patient_id: number; section: string; status: string; label: string; version: number };
const entries: Entry[] = [];
const history = new Map<number, unknown[]>();
const entry = (patient_id: number, section: string, status: string, label: string, code: string, effective_date: string | null, details: Record<string, unknown>, extra: Partial<Entry> = {}) => {
  const e: Entry = {
    id: nextId++, patient_id, section, status, label, code, effective_date, details: { section, ...details }, error_reason: '', version: 1,
    updated_at: '2026-10-02T16:20:00Z', updated_by: 'Priya Raman', override_reasons: [], ...extra,
  };
  entries.push(e);
  history.set(e.id, [{ version: 1, status, label, code, effective_date, details: e.details, error_reason: '', change: 'created', saved_at: e.updated_at, saved_by: 'Priya Raman' }]);
  return e;
};
entry(1, 'problem', 'active', 'Essential (primary) hypertension', 'I10', '2019-04-12', { comment: 'Home readings 130s/80s' });
entry(1, 'problem', 'active', 'Type 2 diabetes mellitus without complications', 'E11.9', '2021-08-03', { comment: '' });
entry(1, 'problem', 'active', 'Hyperlipidemia, unspecified', 'E78.5', '2020-01-20', { comment: '' });
entry(1, 'problem', 'resolved', 'Acute bronchitis, unspecified', 'J20.9', '2025-02-01', { comment: 'Resolved after 3 weeks' });
entry(1, 'problem', 'entered_in_error', 'Asthma, unspecified', 'J45.909', null, { comment: '' }, { error_reason: 'wrong patient' });
const med = (label: string, strength: string, dose: string, frequency: string, start: string, status = 'active', last: string | null = null) =>
  entry(1, 'medication', status, label, '', start, { strength, form: 'tablet', dose, route: 'by mouth', frequency, stop: status === 'stopped' ? '2025-06-01' : null, prescriber: 'Dr. Raman', last_reconciled: last });
med('lisinopril', '20 mg', '1 tablet', 'once daily', '2019-04-12', 'active', '10/02/2026 still taking');
med('metformin', '1000 mg', '1 tablet', 'twice daily with meals', '2021-08-03');
med('atorvastatin', '40 mg', '1 tablet', 'at bedtime', '2020-01-20');
med('ibuprofen', '400 mg', '1 tablet', 'as needed', '2024-11-01', 'stopped');
entry(1, 'allergy', 'active', 'Penicillin', '', null, { category: 'drug_class', reaction: 'hives', severity: 'moderate', no_known_allergies: false });
entry(1, 'allergy', 'active', 'Sulfa drugs', '', null, { category: 'drug_class', reaction: 'rash', severity: 'mild', no_known_allergies: false });
entry(1, 'immunization', 'completed', 'Influenza, seasonal, injectable, preservative free', '140', '2025-10-14', { kind: 'administered', lot: 'FL2291', manufacturer: 'Sanofi', site: 'left deltoid', route: 'IM', dose_number: '', note: '' });
entry(1, 'immunization', 'completed', 'Tdap', '115', '2019-03-02', { kind: 'historical', lot: '', manufacturer: '', site: '', route: '', dose_number: '', note: 'per patient, given at pharmacy' });
entry(1, 'immunization', 'completed', 'zoster recombinant', '187', '2026-05-10', { kind: 'refused', lot: '', manufacturer: '', site: '', route: '', dose_number: '', note: 'wants to wait until next visit' });
entry(1, 'prescription', 'active', 'lisinopril', '', '2026-10-02', { strength: '20 mg', form: 'tablet', directions: 'Take 1 tablet by mouth once daily', quantity: 90, quantity_unit: 'tablets', refills: 3, substitution_allowed: true, prescriber_name: 'Priya Raman', prescriber_credentials: 'MD' });

type Obs = Record<string, unknown> & { id: number; patient_id: number; kind: string; code: string; status: string; effective_at: string; group_id: number | null };
const observations: Obs[] = [];
const vital = (patient_id: number, at: string, vals: Record<string, number>) => {
  let first: number | null = null;
  for (const [key, v] of Object.entries(vals)) {
    const d = vitalsDefs.find((x) => x.key === key)!;
    const id = nextId++;
    observations.push({
      id, patient_id, kind: 'vital', code: d.code, name: d.name, value: v, unit: d.si_unit, display_value: key === 'temperature' || key === 'weight' || key === 'height' || key === 'bmi' ? v.toFixed(1) : String(v),
      display_unit: d.display_unit, flag: null, reference_range: '', effective_at: at, group_id: first, replaces_id: null, comment: '', status: 'final', error_reason: '', error_at: null, error_by: '', recorded_by: 'Maya Chen',
    });
    if (first === null) first = id;
  }
};
vital(1, '2024-03-10T09:12', { systolic: 148, diastolic: 92, pulse: 80, weight: 212.4 });
vital(1, '2024-11-02T10:40', { systolic: 142, diastolic: 88, pulse: 76, temperature: 98.4, weight: 208.0 });
vital(1, '2025-05-20T08:55', { systolic: 136, diastolic: 84, pulse: 74, weight: 203.6 });
vital(1, '2026-01-15T14:05', { systolic: 131, diastolic: 83, pulse: 72, respiration: 16, temperature: 98.2, spo2: 97, weight: 201.2 });
vital(1, '2026-10-02T09:31', { systolic: 128, diastolic: 82, pulse: 70, respiration: 14, temperature: 98.6, spo2: 98, height: 70.0, weight: 198.4, bmi: 28.5, pain: 2 });
const flagOf = (t: (typeof labs)[number], v: number) =>
  t.critical_low !== null && v < (t.critical_low as number) ? 'critical_low'
    : t.critical_high !== null && v > (t.critical_high as number) ? 'critical_high'
      : t.low !== null && v < (t.low as number) ? 'low'
        : t.high !== null && v > (t.high as number) ? 'high' : 'normal';
const lab = (patient_id: number, at: string, loinc: string, v: number, comment = '') => {
  const t = labs.find((x) => x.loinc === loinc)!;
  const o: Obs = {
    id: nextId++, patient_id, kind: 'lab', code: loinc, name: t.name, value: v, unit: t.unit, display_value: v.toFixed(t.decimals as number), display_unit: t.unit,
    flag: flagOf(t, v), reference_range: t.low !== null && t.high !== null ? `${(t.low as number).toFixed(t.decimals as number)}–${(t.high as number).toFixed(t.decimals as number)} ${t.unit}` : t.high !== null ? `≤ ${t.high} ${t.unit}` : '',
    effective_at: at, group_id: null, replaces_id: null, comment, status: 'final', error_reason: '', error_at: null, error_by: '', recorded_by: 'Maya Chen',
  };
  observations.push(o);
  return o;
};
lab(1, '2024-03-08', '4548-4', 8.1); lab(1, '2024-09-12', '4548-4', 7.4); lab(1, '2025-03-14', '4548-4', 7.0); lab(1, '2025-09-30', '4548-4', 6.8); lab(1, '2026-09-28', '4548-4', 7.2, 'fasting');
lab(1, '2026-09-28', '2345-7', 132); lab(1, '2026-09-28', '2823-3', 6.8, 'hemolyzed? repeat'); lab(1, '2026-09-28', '2160-0', 1.1); lab(1, '2026-09-28', '13457-7', 96);

type Note = Record<string, unknown> & { id: number; patient_id: number; status: string; version: number; body: Record<string, string>; addenda: Note[] };
const notes: Note[] = [];
const note = (patient_id: number, date: string, kind: string, reason: string, status: string, body: Partial<Record<string, string>>) => {
  const n: Note = {
    id: nextId++, patient_id, encounter_id: nextId++, encounter_date: date, encounter_kind: kind, reason, encounter_version: 1, provider: 'Priya Raman', kind: 'soap', status,
    body: { subjective: '', objective: '', assessment: '', plan: '', text: '', ...body }, version: 1,
    signed_at: status === 'signed' ? `${date}T18:42:00Z` : null, signed_by: status === 'signed' ? 'Priya Raman' : '', hash_ok: true,
    content_hash: '9f2c4e1a7b', error_reason: '', created_by: 'Priya Raman', updated_at: now(), addenda: [],
  };
  notes.push(n);
  return n;
};
note(1, '2026-10-02', 'follow_up', 'Follow-up hypertension and diabetes', 'signed', {
  subjective: 'Feels well. Home BP 125-135/80-85. No chest pain, no dyspnea. Adherent to meds.',
  objective: 'BP 128/82, P 70, BMI 28.5. Heart RRR, lungs clear. Feet: normal monofilament.',
  assessment: 'Hypertension, controlled. Type 2 diabetes, A1c 7.2 (up from 6.8).',
  plan: 'Continue lisinopril 20 mg. Diet review; recheck A1c in 3 months. Repeat potassium (hemolyzed sample).',
});
note(1, '2026-11-20', 'telephone', 'Potassium result call', 'draft', { subjective: 'Called patient about potassium 6.8 (sample hemolyzed).' });
note(1, '2025-02-01', 'acute', 'Cough for 10 days', 'entered_in_error', { assessment: 'Acute bronchitis' });
notes[2]!.error_reason = 'written in the wrong chart';

const templates = [
  { id: 1, name: 'Hypertension follow-up', active: true, version: 1, body: { subjective: 'Home BP readings:\nSymptoms (headache, chest pain, dyspnea):\nMedication adherence:', objective: 'BP:  P:\nHeart:\nLungs:', assessment: 'Hypertension, ', plan: 'Continue current regimen.\nRecheck in 3 months.', text: '' } },
  { id: 2, name: 'Annual physical', active: true, version: 1, body: { subjective: 'Interval history:', objective: 'General:', assessment: 'Health maintenance.', plan: 'Screening due:', text: '' } },
  { id: 3, name: 'Old diabetes template', active: false, version: 2, body: { subjective: 'Glucose log:', objective: '', assessment: '', plan: '', text: '' } },
];
const documents: Record<string, unknown>[] = [
  { id: 901, patient_id: 1, category: 'letter', doc_date: '2026-09-15', description: 'Cardiology consult letter, Dr. Lee', file_name: 'lee-consult.pdf', mime: 'application/pdf', size: 184320, status: 'final', error_reason: '', error_at: null, error_by: '', version: 1, added_at: '2026-09-16T15:02:00Z', added_by: 'Dana Whitfield' },
  { id: 902, patient_id: 1, category: 'imaging', doc_date: '2026-08-02', description: 'Chest X-ray report', file_name: 'cxr.png', mime: 'image/png', size: 52000, status: 'final', error_reason: '', error_at: null, error_by: '', version: 1, added_at: '2026-08-03T10:00:00Z', added_by: 'Dana Whitfield' },
];
// A one-page PDF and a small PNG, generated here (nothing is fetched).
const PDF = btoa('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj 4 0 obj<</Length 88>>stream\nBT /F1 20 Tf 72 700 Td (Cardiology consult letter) Tj 0 -30 Td /F1 12 Tf (Dear Dr. Raman, ...) Tj ET\nendstream endobj 5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF');
const disclosures: Record<string, unknown>[] = [];
/** Replaced states of visits (`visit/<note id>`) and documents (`document/<id>`). */
const recordHistory = new Map<string, { version: number; fields: { field: string; value: string }[]; replaced_at: string; replaced_by: string }[]>();
const keepHistory = (key: string, version: number, fields: [string, unknown][]) =>
  recordHistory.set(key, [...(recordHistory.get(key) ?? []), { version, fields: fields.map(([field, value]) => ({ field, value: String(value) })), replaced_at: now(), replaced_by: 'Priya Raman' }]);
const typedDate = (s: unknown) => {
  const d = /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(String(s).trim());
  return d ? `${d[3]}-${d[1]}-${d[2]}` : null;
};

const view = (e: Entry) => e;
const forPatient = <T extends { patient_id: number }>(list: T[], id: unknown) => list.filter((x) => x.patient_id === id);

function summary(pid: number) {
  const es = forPatient(entries, pid);
  const allergies = es.filter((e) => e.section === 'allergy' && e.status === 'active' && !(e.details as { no_known_allergies: boolean }).no_known_allergies);
  const nka = es.some((e) => e.section === 'allergy' && e.status === 'active' && (e.details as { no_known_allergies: boolean }).no_known_allergies);
  const vit = forPatient(observations, pid).filter((o) => o.kind === 'vital' && o.status === 'final');
  const last = vit.map((o) => o.effective_at).sort().pop();
  const latest = new Map<string, Obs>();
  for (const o of forPatient(observations, pid).filter((o) => o.kind === 'lab' && o.status === 'final').sort((a, b) => a.effective_at.localeCompare(b.effective_at))) latest.set(o.code, o);
  return {
    allergy_status: allergies.length ? 'listed' : nka ? 'no_known_allergies' : 'not_asked',
    allergies: allergies.map(view),
    problems: es.filter((e) => e.section === 'problem' && e.status === 'active').map(view),
    medications: es.filter((e) => e.section === 'medication' && e.status === 'active').map(view),
    immunizations: es.filter((e) => e.section === 'immunization' && e.status !== 'entered_in_error').map(view),
    prescriptions: es.filter((e) => e.section === 'prescription' && e.status !== 'entered_in_error').slice(0, 5).map(view),
    last_vitals: vit.filter((o) => o.effective_at === last),
    recent_labs: [...latest.values()].reverse().slice(0, 12),
    recent_notes: noteSummaries(pid).slice(0, 5),
    care_due: [],
  };
}

function noteSummaries(pid: number) {
  return forPatient(notes, pid).map((n) => ({
    id: n.id, encounter_date: n.encounter_date, encounter_kind: n.encounter_kind, reason: n.reason, provider: n.provider, status: n.status,
    preview: (n.body.assessment || n.body.subjective || '').split('\n')[0], addenda: n.addenda.length,
  })).sort((a, b) => String(b.encounter_date).localeCompare(String(a.encounter_date)));
}

function labelOf(input: Record<string, unknown>): string {
  return String(input.name ?? input.substance ?? input.drug ?? input.description ?? vaccines.find((v) => v.cvx === input.cvx)?.short_name ?? '');
}

export function mockChart(req: Req): Answer {
  switch (req.cmd) {
    case 'get_reference_data':
      return { kind: 'reference', data: { vaccines, labs, drugs, vitals: vitalsDefs, units: 'us' } };
    case 'get_chart_summary':
      return { kind: 'chart_summary', data: summary(req.patient_id as number) };
    case 'list_entries':
      return { kind: 'entries', data: forPatient(entries, req.patient_id).filter((e) => e.section === req.section) };
    case 'search_codes': {
      const all = [
        { code: 'I10', description: 'Essential (primary) hypertension', billable: true, score: 9 },
        { code: 'E11.9', description: 'Type 2 diabetes mellitus without complications', billable: true, score: 8 },
        { code: 'E11', description: 'Type 2 diabetes mellitus', billable: false, score: 7 },
        { code: 'E78.5', description: 'Hyperlipidemia, unspecified', billable: true, score: 6 },
        { code: 'J45.909', description: 'Unspecified asthma, uncomplicated', billable: true, score: 5 },
      ];
      const q = String(req.query).toLowerCase();
      return { kind: 'codes', data: all.filter((c) => q === 'htn' ? c.code === 'I10' : `${c.code} ${c.description}`.toLowerCase().includes(q)) };
    }
    case 'check_drug': {
      const d = String(req.drug).toLowerCase();
      const known = drugs.some((x) => x.name.toLowerCase() === d);
      const findings = d.includes('amox') || d.includes('penicillin')
        ? [{ kind: 'allergy', severity: 'major', drug: req.drug, conflicts_with: 'Penicillin', message: `${String(req.drug)} is a penicillin; the patient is allergic to Penicillin (penicillins).`, detail: 'Avoid unless allergy has been evaluated.', source: 'AAAAI/ACAAI Drug allergy practice parameter 2022' }]
        : [];
      return { kind: 'drug_check', data: { known, generic: known ? d : null, findings } };
    }
    case 'save_entry': {
      const input = req.entry as Record<string, unknown>;
      const label = labelOf(input);
      if (input.section === 'problem' && !input.code) fail('validation', 'please correct the highlighted fields', [{ field: 'code', message: 'Choose an ICD-10-CM code from the search' }]);
      if ((input.section === 'medication' || input.section === 'prescription') && !label) fail('validation', 'please correct the highlighted fields', [{ field: input.section === 'medication' ? 'name' : 'drug', message: 'Medication is required' }]);
      if ((input.section === 'medication' || input.section === 'prescription') && /amox|penicillin/i.test(label) && req.override_reason === null) {
        return { kind: 'entry_saved', data: { outcome: 'needs_override', findings: [
          { kind: 'allergy', severity: 'major', drug: label, conflicts_with: 'Penicillin', message: `${label} is a penicillin; the patient is allergic to Penicillin (penicillins).`, detail: 'Cross-reactivity is expected within the class.', source: 'AAAAI/ACAAI Drug allergy practice parameter 2022' },
          { kind: 'interaction', severity: 'moderate', drug: label, conflicts_with: 'warfarin', message: `${label} may raise the INR of a patient taking warfarin.`, detail: '', source: 'Coumadin prescribing information' },
        ] } };
      }
      if (req.override_reason !== null && !String(req.override_reason).trim()) fail('validation', 'please correct the highlighted fields', [{ field: 'override_reason', message: 'Give the reason for going ahead despite the warning' }]);
      const section = input.section === 'no_known_allergies' ? 'allergy' : String(input.section);
      const details: Record<string, unknown> = { ...input, section };
      if (section === 'allergy') details.no_known_allergies = input.section === 'no_known_allergies';
      if (section === 'prescription') Object.assign(details, { quantity: Number(input.quantity), refills: Number(input.refills), prescriber_name: 'Priya Raman', prescriber_credentials: 'MD' });
      const status = section === 'immunization' ? 'completed' : section === 'prescription' ? 'active' : String(input.status ?? 'active');
      if (req.entry_id !== null) {
        const e = entries.find((x) => x.id === req.entry_id)!;
        if (e.version !== req.expected_version) fail('conflict', 'the entry was changed by someone else');
        Object.assign(e, { label, status, details, version: e.version + 1, updated_at: now() });
        (history.get(e.id) as unknown[]).push({ version: e.version, status, label, code: e.code, effective_date: e.effective_date, details, error_reason: '', change: 'edited', saved_at: now(), saved_by: 'Priya Raman' });
        return { kind: 'entry_saved', data: { outcome: 'saved', entry: e } };
      }
      const e = entry(req.patient_id as number, section, status, input.section === 'no_known_allergies' ? 'No known allergies' : label, String(input.code ?? input.cvx ?? ''), today(), details,
        { override_reasons: req.override_reason ? [String(req.override_reason)] : [] });
      return { kind: 'entry_saved', data: { outcome: 'saved', entry: e } };
    }
    case 'reconcile_medication': {
      const e = entries.find((x) => x.id === req.entry_id)!;
      Object.assign(e, { version: e.version + 1, status: req.still_taking ? 'active' : 'stopped', details: { ...(e.details as object), last_reconciled: `${today()} ${req.still_taking ? 'still taking' : 'no longer taking'}` } });
      return { kind: 'entry', data: e };
    }
    case 'entry_history':
      return { kind: 'entry_history', data: history.get(req.entry_id as number) ?? [] };
    case 'mark_entered_in_error': {
      const r = req.record as { type: string; id: number };
      if (!String(req.reason).trim()) fail('validation', 'please correct the highlighted fields', [{ field: 'reason', message: 'Say why this is entered in error' }]);
      if (r.type === 'entry') {
        const e = entries.find((x) => x.id === r.id)!;
        Object.assign(e, { status: 'entered_in_error', error_reason: req.reason, version: e.version + 1 });
        return { kind: 'entry', data: e };
      }
      if (r.type === 'observation') {
        const o = observations.find((x) => x.id === r.id)!;
        Object.assign(o, { status: 'entered_in_error', error_reason: req.reason, error_at: now(), error_by: 'Priya Raman' });
        return { kind: 'observations', data: [o] };
      }
      if (r.type === 'note') {
        const n = notes.find((x) => x.id === r.id)!;
        Object.assign(n, { status: 'entered_in_error', error_reason: req.reason });
        return { kind: 'note', data: n };
      }
      const d = documents.find((x) => x.id === r.id)!;
      Object.assign(d, { status: 'entered_in_error', error_reason: req.reason, error_at: now(), error_by: 'Priya Raman' });
      return { kind: 'documents', data: [d] };
    }
    case 'list_observations':
      return { kind: 'observations', data: forPatient(observations, req.patient_id).filter((o) => o.kind === req.kind).sort((a, b) => b.effective_at.localeCompare(a.effective_at)) };
    case 'record_vitals': {
      const v = req.vitals as Record<string, string>;
      const fields = [];
      if (v.systolic && Number(v.systolic) > 300) fields.push({ field: 'systolic', message: `Systolic blood pressure of ${v.systolic} mmHg is not plausible (expected 40 to 300 mmHg)` });
      if (v.temperature && v.temperature_unit === 'C' && Number(v.temperature) > 45) fields.push({ field: 'temperature', message: `Temperature of ${v.temperature} °C is not plausible; did you mean °F?` });
      if (fields.length) fail('validation', 'please correct the highlighted fields', fields);
      const vals: Record<string, number> = {};
      for (const k of ['systolic', 'diastolic', 'pulse', 'respiration', 'temperature', 'spo2', 'height', 'weight', 'pain']) if (v[k]) vals[k] = Number(v[k]);
      if (!Object.keys(vals).length) fail('validation', 'please correct the highlighted fields', [{ field: 'vitals', message: 'Enter at least one vital sign' }]);
      vital(req.patient_id as number, v.taken_at!, vals);
      return { kind: 'observations', data: observations.slice(-Object.keys(vals).length) };
    }
    case 'record_lab': {
      const l = req.lab as Record<string, string>;
      if (!l.loinc || !l.value) fail('validation', 'please correct the highlighted fields', [...(!l.loinc ? [{ field: 'loinc', message: 'Choose a test from the list' }] : []), ...(!l.value ? [{ field: 'value', message: 'Result "" is not a number' }] : [])]);
      if (req.replaces) Object.assign(observations.find((o) => o.id === req.replaces)!, { status: 'entered_in_error', error_reason: 'corrected by a new entry', error_at: now(), error_by: 'Priya Raman' });
      const d = /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(l.collected_on!);
      return { kind: 'observations', data: [lab(req.patient_id as number, d ? `${d[3]}-${d[1]}-${d[2]}` : String(l.collected_on), l.loinc!, Number(l.value), l.comment)] };
    }
    case 'trend': {
      const codes = req.codes as string[];
      return {
        kind: 'trend',
        data: codes.map((code) => {
          const vd = vitalsDefs.find((v) => v.code === code);
          const lt = labs.find((t) => t.loinc === code);
          const pts = forPatient(observations, req.patient_id).filter((o) => o.code === code && o.status === 'final' && (!req.from || o.effective_at >= String(req.from))).sort((a, b) => a.effective_at.localeCompare(b.effective_at));
          return {
            code, name: vd?.name ?? lt?.name ?? code, unit: vd?.display_unit ?? lt?.unit ?? '',
            range_low: vd ? vd.target_low : lt?.low ?? null, range_high: vd ? vd.target_high : lt?.high ?? null,
            points: pts.map((o) => ({ at: o.effective_at, value: o.value, flag: o.flag })),
          };
        }),
      };
    }
    case 'list_notes':
      return { kind: 'notes', data: noteSummaries(req.patient_id as number) };
    case 'get_note':
      return { kind: 'note', data: notes.find((n) => n.id === req.note_id) ?? fail('not_found', 'no such note') };
    case 'start_encounter': {
      if (!String(req.reason).trim()) fail('validation', 'please correct the highlighted fields', [{ field: 'reason', message: 'Reason for visit is required' }]);
      const t = templates.find((x) => x.id === req.template_id);
      const d = /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(String(req.date));
      return { kind: 'note', data: note(req.patient_id as number, d ? `${d[3]}-${d[1]}-${d[2]}` : String(req.date), String(req.kind), String(req.reason), 'draft', t ? { ...t.body } : {}) };
    }
    case 'save_note_draft': {
      const n = notes.find((x) => x.id === req.note_id)!;
      if (n.version !== req.expected_version) fail('conflict', 'the note was changed since it was opened');
      Object.assign(n, { body: req.body, version: n.version + 1, updated_at: now() });
      return { kind: 'note', data: n };
    }
    case 'sign_note': {
      if (req.password !== 'chartroom-demo') fail('wrong_password', 'the password is wrong');
      const n = notes.find((x) => x.id === req.note_id)!;
      Object.assign(n, { status: 'signed', signed_at: now(), signed_by: 'Priya Raman', version: n.version + 1 });
      return { kind: 'note', data: n };
    }
    case 'add_addendum': {
      if (req.password !== 'chartroom-demo') fail('wrong_password', 'the password is wrong');
      const n = notes.find((x) => x.id === req.note_id)!;
      n.addenda.push({ ...n, id: nextId++, kind: 'addendum', body: { subjective: '', objective: '', assessment: '', plan: '', text: String(req.text) }, signed_at: now(), addenda: [] });
      return { kind: 'note', data: n };
    }
    case 'list_templates':
      return { kind: 'templates', data: templates };
    case 'save_template': {
      if (!String(req.name).trim()) fail('validation', 'please correct the highlighted fields', [{ field: 'name', message: 'Template name is required (up to 80 characters)' }]);
      const t = templates.find((x) => x.id === req.template_id);
      if (t) Object.assign(t, { name: req.name, body: req.body, active: req.active, version: t.version + 1 });
      else templates.push({ id: nextId++, name: String(req.name), body: req.body as (typeof templates)[number]['body'], active: !!req.active, version: 1 });
      return { kind: 'templates', data: templates };
    }
    case 'update_visit': {
      const n = notes.find((x) => x.id === req.note_id) ?? fail('not_found', 'no such note');
      if (n.status !== 'draft') fail('record_locked', "the visit's note is signed; say what was wrong in an addendum");
      const date = typedDate(req.date);
      const fields = [];
      if (!date) fields.push({ field: 'date', message: `"${String(req.date)}" is not a date; use MM/DD/YYYY` });
      if (!String(req.reason).trim()) fields.push({ field: 'reason', message: 'Reason for visit is required' });
      if (fields.length) fail('validation', 'please correct the highlighted fields', fields);
      if (n.encounter_version !== req.expected_version) fail('conflict', 'the visit was changed since it was opened');
      keepHistory(`visit/${n.id}`, n.encounter_version as number, [['date', n.encounter_date], ['type', n.encounter_kind], ['reason', n.reason]]);
      Object.assign(n, { encounter_date: date, encounter_kind: req.kind, reason: String(req.reason).trim(), encounter_version: (n.encounter_version as number) + 1 });
      return { kind: 'note', data: n };
    }
    case 'update_document': {
      const d = documents.find((x) => x.id === req.document_id) ?? fail('not_found', 'no such document');
      if (d.status === 'entered_in_error') fail('record_locked', 'the document is entered in error');
      const date = typedDate(req.doc_date);
      const fields = [];
      if (!date) fields.push({ field: 'doc_date', message: `"${String(req.doc_date)}" is not a date; use MM/DD/YYYY` });
      if (!String(req.description).trim()) fields.push({ field: 'description', message: 'Describe the document (who sent it, what it is)' });
      if (fields.length) fail('validation', 'please correct the highlighted fields', fields);
      if (d.version !== req.expected_version) fail('conflict', 'the document was changed since it was opened');
      keepHistory(`document/${String(d.id)}`, d.version as number, [['category', d.category], ['date', d.doc_date], ['description', d.description]]);
      Object.assign(d, { category: req.category, doc_date: date, description: String(req.description).trim(), version: (d.version as number) + 1 });
      return { kind: 'documents', data: [d] };
    }
    case 'record_history': {
      const r = req.record as { type: string; note_id?: number; id?: number };
      return { kind: 'record_history', data: recordHistory.get(r.type === 'visit' ? `visit/${String(r.note_id)}` : `document/${String(r.id)}`) ?? [] };
    }
    case 'list_documents':
      return { kind: 'documents', data: forPatient(documents as { patient_id: number }[], req.patient_id) };
    case 'get_document': {
      const d = documents.find((x) => x.id === req.document_id)!;
      const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
      return { kind: 'document', data: { document: d, data_base64: d.mime === 'application/pdf' ? PDF : png } };
    }
    case 'attach_document': {
      const fields = [];
      if (!req.data_base64) fields.push({ field: 'file', message: 'The file is empty' });
      if (!String(req.description).trim()) fields.push({ field: 'description', message: 'Describe the document (who sent it, what it is)' });
      if (fields.length) fail('validation', 'please correct the highlighted fields', fields);
      const d = { id: nextId++, patient_id: req.patient_id, category: req.category, doc_date: today(), description: req.description, file_name: req.file_name, mime: req.mime, size: Math.round(String(req.data_base64).length * 0.75), status: 'final', error_reason: '', error_at: null, error_by: '', version: 1, added_at: now(), added_by: 'Priya Raman' };
      documents.push(d);
      return { kind: 'documents', data: [d] };
    }
    case 'print_prescription': {
      const path = `/home/clinic/Chartroom/exports/rx-00100230-${today().replace(/-/g, '')}-${String(req.entry_id)}.pdf`;
      disclosures.push({ id: nextId++, patient_id: 1, kind: 'prescription', record_id: `entry/${String(req.entry_id)}`, recipient: 'patient / pharmacy (printed)', description: 'Prescription lisinopril 20 mg', file_name: path.split('/').pop(), at: now(), by_name: 'Priya Raman' });
      return { kind: 'printed', data: { path, file_name: path.split('/').pop(), bytes: 18213 } };
    }
    case 'list_disclosures':
      return { kind: 'disclosures', data: forPatient(disclosures as { patient_id: number }[], req.patient_id) };
    default:
      return undefined;
  }
}
