// A patient's chart: the banner (on every patient screen, with the
// allergies for clinical users), the tabs, and the non-clinical tabs:
// demographics, the edit form (`update_patient` with the version it started
// from), the history of previous versions and records out (`records.ts`). The clinical tabs live in
// `screens/chart/`; they share the chart summary through `ChartCtx`.

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { PatientAppointments } from '../bindings/PatientAppointments';
import type { AppointmentView } from '../bindings/AppointmentView';
import { statusLabel, type Picked } from './appointment';
import { RecallDialog, WaitlistDialog } from './waitlist';
import type { AppointmentTypeView } from '../bindings/AppointmentTypeView';
import type { CalendarView } from '../bindings/CalendarView';
import { html } from '../html';
import * as api from '../api';
import { useApp } from '../app';
import type { PatientChart } from '../bindings/PatientChart';
import type { PatientInput } from '../bindings/PatientInput';
import type { PatientVersion } from '../bindings/PatientVersion';
import type { Patient } from '../bindings/Patient';
import type { PatientPhones } from '../bindings/PatientPhones';
import type { ChartSummary } from '../bindings/ChartSummary';
import type { WireError } from '../bindings/WireError';
import { Button, FormError, Spinner, useFormErrors } from '../components/form';
import { inputFromChart, PATIENT_FIELDS, PatientForm } from '../components/patientForm';
import { capitalize, reportError, toast } from '../components/toast';
import { IconAlert } from '../components/icons';
import {
  CONTACT_LABEL,
  formatDate,
  formatInstant,
  patientBannerName,
  SEX_LABEL,
} from '../format';
import { takeChart, takeSearch } from '../handoff';
import { isClinicalTab, navigate, patientHref, type PatientTab } from '../router';
import { ChartCtx, type ChartContext } from './chart/context';
import { ChartTabs, ClinicalTabBody } from './chart/tabs';
import { Forbidden } from '../components/forbidden';
import { RecordsTab } from './records';
import { BillingTab } from './billing';

/** How long a chart waits for its summary to show both at once (ms). */
const SUMMARY_WAIT_MS = 150;
/** The "Opening chart…" wheel shows only for a slower open than this (ms). */
const SPINNER_DELAY_MS = 300;

export function PatientScreen(p: { id: number; tab: PatientTab; noteId: number | null }) {
  const app = useApp();
  const [chart, setChart] = useState<PatientChart | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const [summary, setSummary] = useState<ChartSummary | null>(null);

  // Emergency access lets a user read this one chart's clinical record too
  // (read only); the backend decides, the UI follows.
  const emergencyFor = (c: PatientChart | null) =>
    !!c && !!app.session.emergency_mrn && app.session.emergency_mrn === c.patient.mrn;
  const clinicalFor = (c: PatientChart | null) => app.can('clinical_read') || emergencyFor(c);
  // The patient whose summary `load` already asked for (the effect below
  // then does not ask again).
  const summaryAsked = useRef<number | null>(null);

  const load = async (fromSearch: string | null) => {
    setError(null);
    let opened: PatientChart;
    try {
      opened = await api.openPatient(p.id, fromSearch);
    } catch (e) {
      setError(api.toWireError(e));
      return;
    }
    if (!clinicalFor(opened)) {
      setChart(opened);
      return;
    }
    // A clinical reader's chart shows the summary (and the banner its
    // allergies): ask for it right after the chart's answer (which the
    // backend audits first) and show both in one render, so that the
    // window paints the chart once instead of a half-filled chart and then
    // the summary. A summary slower than SUMMARY_WAIT_MS does not hold the
    // chart back: the chart shows first and the summary when it comes.
    summaryAsked.current = p.id;
    const asked = api.chartSummary(p.id).then(
      (s) => s,
      (e: unknown) => {
        reportError(e);
        return null;
      },
    );
    let waited = 0;
    const early = await Promise.race([
      asked,
      new Promise<'late'>((resolve) => {
        waited = window.setTimeout(() => resolve('late'), SUMMARY_WAIT_MS);
      }),
    ]);
    window.clearTimeout(waited);
    setChart(opened);
    if (early !== 'late') {
      if (early) setSummary(early);
      return;
    }
    const late = await asked;
    if (late) setSummary(late);
  };

  // Layout effects, not effects: the requests leave as soon as the screen
  // is committed instead of after the next frame has been painted (Preact
  // runs effects after a frame), which took a frame or two off each open.
  useLayoutEffect(() => {
    const handed = takeChart(p.id);
    if (handed) setChart(handed);
    else void load(takeSearch(p.id));
  }, [p.id]);

  const emergency = emergencyFor(chart);
  const clinical = clinicalFor(chart);
  const tab: PatientTab = p.tab === 'default' ? (clinical ? 'summary' : 'demographics') : p.tab;

  const reloadSummary = useCallback(async () => {
    try {
      setSummary(await api.chartSummary(p.id));
    } catch (e) {
      reportError(e);
    }
  }, [p.id]);

  // The summary feeds the Summary tab and the banner's allergies: read it
  // when the chart opens and whenever the Summary tab is shown again:
  // right after the chart's answer, which the backend audits first.
  useLayoutEffect(() => {
    if (!chart || !clinical || !(tab === 'summary' || summary === null)) return;
    if (summaryAsked.current === chart.patient.id) {
      summaryAsked.current = null; // asked with the chart (`load`)
      return;
    }
    void reloadSummary();
  }, [chart?.patient.id, clinical, tab === 'summary']);

  if (error && !chart) {
    return html`<div class="panel empty-panel" role="alert">
      <h1>The chart could not be opened</h1>
      <p class="form-error" data-testid="form-error">${capitalize(error.message)}</p>
      <div class="form-actions left">
        <a class="btn btn-secondary" href="#/patients">Back to search</a>
        ${error.code === 'session_locked' ? html`<${Button} onClick=${() => void load(null)}>Try again</${Button}>` : null}
      </div>
    </div>`;
  }
  if (!chart) return html`<${Spinner} label="Opening chart…" delayMs=${SPINNER_DELAY_MS} />`;
  if (isClinicalTab(tab) && !clinical) return html`<${Forbidden} />`;

  const canEdit = app.can('patient_write');
  const canRelease = app.can('release_records');
  const canBill = app.can('billing_read');
  const ctx: ChartContext = {
    patientId: p.id,
    chart,
    summary,
    reloadSummary,
    canWrite: app.can('clinical_write'),
  };
  return html`<${ChartCtx.Provider} value=${ctx}>
    <div class="screen patient-screen">
      <div class="chart-head" data-testid="chart-head">
        <${PatientBanner} chart=${chart} emergency=${emergency} summary=${clinical ? summary : undefined} />
        <${ChartTabs} patientId=${p.id} tab=${tab} clinical=${clinical} canEdit=${canEdit} canRelease=${canRelease} canBill=${canBill} />
      </div>
      ${tab === 'edit' && canEdit
        ? html`<${EditPatient} chart=${chart} onSaved=${(c: PatientChart) => { setChart(c); navigate(patientHref(p.id, clinical ? 'demographics' : 'default')); }} onReload=${() => load(null)} />`
        : tab === 'history'
          ? html`<${PatientHistory} chart=${chart} />`
          : tab === 'records'
            ? canRelease ? html`<${RecordsTab} patientId=${p.id} />` : html`<${Forbidden} />`
          : tab === 'billing'
            ? canBill ? html`<${BillingTab} patientId=${p.id} />` : html`<${Forbidden} />`
          : isClinicalTab(tab)
            ? html`<${ClinicalTabBody} tab=${tab} noteId=${p.noteId} />`
            : html`<${Demographics} patient=${chart.patient} phones=${chart.phones} />`}
    </div>
  </${ChartCtx.Provider}>`;
}

/** The allergies line of the banner (clinical users): substances in red,
 *  "NKA", or "Allergies not recorded". */
function BannerAllergies(p: { summary: ChartSummary | null }) {
  const s = p.summary;
  if (!s) return html`<div class="banner-allergies is-loading" data-testid="banner-allergies"><span class="banner-allergy-label">Allergies</span> …</div>`;
  if (s.allergy_status === 'listed') {
    return html`<div class="banner-allergies is-listed" data-testid="banner-allergies" data-status=${s.allergy_status}>
      ${IconAlert()}<span><span class="banner-allergy-label">Allergies:</span> ${s.allergies.map((a) => a.label).join(', ')}</span>
    </div>`;
  }
  if (s.allergy_status === 'no_known_allergies') {
    return html`<div class="banner-allergies is-nka" data-testid="banner-allergies" data-status=${s.allergy_status} title="No known allergies">NKA</div>`;
  }
  return html`<div class="banner-allergies is-not-asked" data-testid="banner-allergies" data-status=${s.allergy_status}>Allergies not recorded</div>`;
}

export function PatientBanner(p: { chart: PatientChart; emergency?: boolean; summary?: ChartSummary | null | undefined }) {
  const pt = p.chart.patient;
  const pref = pt.preferred_name && pt.preferred_name !== pt.given_name ? pt.preferred_name : '';
  return html`<section class=${`patient-banner ${p.emergency ? 'is-emergency' : ''}`} data-testid="patient-banner" aria-label="Patient">
    <div class="banner-main">
      <div class="banner-name" data-testid="banner-name">${patientBannerName(pt)}</div>
      ${pref ? html`<div class="banner-preferred">Prefers “${pref}”</div>` : null}
    </div>
    <dl class="banner-facts">
      <div><dt>DOB</dt><dd data-testid="banner-dob">${formatDate(pt.birth_date)}</dd></div>
      <div><dt>Age</dt><dd data-testid="banner-age">${p.chart.age_text}</dd></div>
      <div><dt>Sex</dt><dd data-testid="banner-sex">${SEX_LABEL[pt.sex] ?? pt.sex}</dd></div>
      <div><dt>MRN</dt><dd class="mono" data-testid="banner-mrn">${pt.mrn}</dd></div>
    </dl>
    ${p.summary !== undefined ? html`<${BannerAllergies} summary=${p.summary} />` : null}
    ${p.emergency ? html`<div class="banner-emergency">${IconAlert()} Emergency access · logged and reviewed</div>` : null}
  </section>`;
}

const dash = (s: string) => (s ? s : html`<span class="none">—</span>`);

function Demographics(p: { patient: Patient; phones: PatientPhones }) {
  const pt = p.patient;
  const fullName = [pt.given_name, pt.middle_name, pt.family_name].filter(Boolean).join(' ');
  const address = [pt.address_line1, pt.address_line2, [pt.city, [pt.region, pt.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ')].filter(Boolean);
  const item = (label: string, value: unknown, testid?: string) =>
    html`<div class="kv"><dt>${label}</dt><dd data-testid=${testid}>${value}</dd></div>`;
  return html`<div class="cards">
    <section class="card info-card">
      <h2>Identity</h2>
      <dl>
        ${item('Legal name', fullName)}
        ${item('Preferred name', dash(pt.preferred_name))}
        ${item('Birth date', formatDate(pt.birth_date))}
        ${item('Sex', SEX_LABEL[pt.sex] ?? pt.sex)}
        ${item('Gender identity', dash(pt.gender_identity))}
        ${item('MRN', html`<span class="mono">${pt.mrn}</span>`)}
      </dl>
    </section>
    <section class="card info-card">
      <h2>Contact</h2>
      <dl>
        ${item('Mobile', dash(p.phones.mobile))}
        ${item('Home', dash(p.phones.home))}
        ${item('Work', dash(p.phones.work))}
        ${item('Email', dash(pt.email))}
        ${item('Preferred contact', html`<span class="chip">${CONTACT_LABEL[pt.preferred_contact] ?? pt.preferred_contact}</span>`)}
      </dl>
    </section>
    <section class="card info-card">
      <h2>Address</h2>
      ${address.length ? html`<address>${address.map((l) => html`<div>${l}</div>`)}</address>` : html`<p class="none">No address on file</p>`}
    </section>
    <section class="card info-card">
      <h2>Emergency contact</h2>
      ${pt.emergency_name
        ? html`<dl>
            ${item('Name', pt.emergency_name)}
            ${item('Relationship', dash(pt.emergency_relationship))}
            ${item('Phone', dash(p.phones.emergency))}
          </dl>`
        : html`<p class="none">No emergency contact on file</p>`}
    </section>
    <section class="card info-card record-card">
      <h2>Record</h2>
      <dl>
        ${item('Registered', formatInstant(pt.created_at))}
        ${item('Last changed', formatInstant(pt.updated_at))}
        ${item('Version', String(pt.version))}
      </dl>
    </section>
    ${useApp().can('schedule_read') ? html`<${PatientAppointmentsCard} patient=${pt} />` : null}
  </div>`;
}

/** Upcoming and past appointments and the no-show count (front desk). */
function PatientAppointmentsCard(p: { patient: Patient }) {
  const [data, setData] = useState<PatientAppointments | null>(null);
  const [adding, setAdding] = useState<'waitlist' | 'recall' | null>(null);
  const [types, setTypes] = useState<AppointmentTypeView[]>([]);
  const [calendars, setCalendars] = useState<CalendarView[]>([]);
  const patientId = p.patient.id;
  useEffect(() => {
    api.call({ cmd: 'list_patient_appointments', patient_id: patientId }).then(setData, reportError);
  }, [patientId]);
  const add = (what: 'waitlist' | 'recall') => {
    if (!types.length) {
      api.call({ cmd: 'list_appointment_types' }).then((t) => setTypes(t.filter((x) => x.active)), reportError);
      api.call({ cmd: 'list_calendars' }).then((c) => setCalendars(c.filter((x) => x.active)), reportError);
    }
    setAdding(what);
  };
  const picked: Picked = { id: patientId, name: `${p.patient.family_name}, ${p.patient.given_name}`, mrn: p.patient.mrn };
  const row = (a: AppointmentView) =>
    html`<li key=${a.id} data-testid="patient-appointment" data-status=${a.status}>
      <a href=${`#/schedule/${a.day}`}>${formatDate(a.day)} ${a.start_local.slice(11, 16)}</a> · ${a.type_name} · ${a.calendar_name}
      ${a.status !== 'scheduled' ? html` <span class=${`appt-status status-${a.status}`}>${statusLabel(a.status)}</span>` : null}
    </li>`;
  return html`<section class="card info-card appointments-card" data-testid="patient-appointments">
    <h2>Appointments${data && data.no_shows > 0 ? html` <span class="chip chip-warn" data-testid="patient-no-shows">${data.no_shows} no-show${data.no_shows === 1 ? '' : 's'}</span>` : null}</h2>
    ${data === null
      ? html`<p class="none">Loading…</p>`
      : html`<h3 class="small-head">Upcoming</h3>
          ${data.upcoming.length ? html`<ul class="plain-list">${data.upcoming.map(row)}</ul>` : html`<p class="none">None booked</p>`}
          <h3 class="small-head">Past</h3>
          ${data.past.length ? html`<ul class="plain-list">${data.past.slice(0, 8).map(row)}</ul>` : html`<p class="none">None</p>`}
          ${data.can_book
            ? html`<div class="form-actions left">
                <${Button} testid="patient-add-waitlist" onClick=${() => add('waitlist')}>Add to the waitlist…</${Button}>
                <${Button} testid="patient-add-recall" onClick=${() => add('recall')}>Recall…</${Button}>
              </div>`
            : null}`}
    ${adding === 'waitlist' ? html`<${WaitlistDialog} patient=${picked} types=${types} calendars=${calendars} onClose=${() => setAdding(null)} onSaved=${() => setAdding(null)} />` : null}
    ${adding === 'recall' ? html`<${RecallDialog} patient=${picked} types=${types} calendars=${calendars} onClose=${() => setAdding(null)} onSaved=${() => setAdding(null)} />` : null}
  </section>`;
}

function EditPatient(p: { chart: PatientChart; onSaved: (c: PatientChart) => void; onReload: () => Promise<void> }) {
  const [value, setValue] = useState<PatientInput>(() => inputFromChart(p.chart));
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const form = useFormErrors(PATIENT_FIELDS);
  const version = p.chart.patient.version;

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setConflict(null);
    setBusy(true);
    try {
      const c = await api.updatePatient(p.chart.patient.id, version, value);
      toast('Patient details saved', 'success');
      p.onSaved(c);
    } catch (err) {
      const w = api.toWireError(err);
      if (w.code === 'conflict') setConflict(capitalize(w.message));
      else form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  const reload = async () => {
    await p.onReload();
    setConflict(null);
  };

  // After a reload the chart is newer: start the form from it.
  useEffect(() => {
    setValue(inputFromChart(p.chart));
  }, [p.chart.patient.version]);

  return html`<form class="panel" onSubmit=${submit} novalidate>
    ${conflict
      ? html`<div class="notice notice-error" data-testid="form-error" role="alert">
          <strong>Someone else changed this patient's details while you were editing.</strong>
          <p>Your changes have not been saved. ${conflict}</p>
          <p>Load the current details, then make your changes again.</p>
          <${Button} kind="secondary" testid="patient-reload" onClick=${reload}>Load the current details</${Button}>
        </div>`
      : html`<${FormError} error=${form.errors.general} />`}
    <${PatientForm}
      value=${value}
      onChange=${setValue}
      errors=${form.errors.fields}
      onFieldEdited=${form.clearField}
      actions=${html`
        <a class="btn btn-ghost" href=${patientHref(p.chart.patient.id)}>Cancel</a>
        <${Button} kind="primary" type="submit" testid="reg-submit" busy=${busy}>Save changes</${Button}>
      `}
    />
  </form>`;
}

const FIELD_LABEL: Partial<Record<keyof Patient, string>> = {
  family_name: 'Family name', given_name: 'Given name', middle_name: 'Middle name', preferred_name: 'Preferred name',
  birth_date: 'Birth date', sex: 'Sex', gender_identity: 'Gender identity', address_line1: 'Street address',
  address_line2: 'Address line 2', city: 'City', region: 'State', postal_code: 'ZIP code', phone_mobile: 'Mobile phone',
  phone_home: 'Home phone', phone_work: 'Work phone', email: 'Email', preferred_contact: 'Preferred contact',
  emergency_name: 'Emergency contact', emergency_relationship: 'Relationship', emergency_phone: 'Emergency phone',
};

/** The phone fields and where a version's display text for each is. */
const PHONE_OF: Partial<Record<keyof Patient, keyof PatientPhones>> = {
  phone_mobile: 'mobile',
  phone_home: 'home',
  phone_work: 'work',
  emergency_phone: 'emergency',
};

/** A field of a version as shown; phones as the backend displays them. */
function show(field: keyof Patient, patient: Patient, phones: PatientPhones): string {
  const phone = PHONE_OF[field];
  const s = phone ? phones[phone] : String(patient[field] ?? '');
  if (!s) return '(empty)';
  if (field === 'birth_date') return formatDate(s);
  return s;
}

function PatientHistory(p: { chart: PatientChart }) {
  const [versions, setVersions] = useState<PatientVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .patientHistory(p.chart.patient.id)
      .then((v) => setVersions([...v].sort((a, b) => b.patient.version - a.patient.version)))
      .catch((e) => setError(capitalize(api.toWireError(e).message)));
  }, [p.chart.patient.id, p.chart.patient.version]);

  if (error) return html`<div class="form-error" role="alert">${error}</div>`;
  if (!versions) return html`<${Spinner} label="Loading history…" />`;

  const current = p.chart.patient;
  return html`<div class="panel history" data-testid="history-list">
    <h2>Change history</h2>
    <ol class="timeline">
      <li class="timeline-item current">
        <div class="timeline-head"><strong>Current details</strong> · version ${current.version} · last changed ${formatInstant(current.updated_at)}</div>
      </li>
      ${versions.length === 0 ? html`<li class="timeline-item"><span class="muted">No earlier versions: the details have not been changed since registration (${formatInstant(current.created_at)}).</span></li>` : null}
      ${versions.map((v, i) => {
        const newer = i === 0 ? current : versions[i - 1]!.patient;
        const newerPhones = i === 0 ? p.chart.phones : versions[i - 1]!.phones;
        const changed = (Object.keys(FIELD_LABEL) as (keyof Patient)[]).filter((f) => String(v.patient[f]) !== String(newer[f]));
        return html`<li class="timeline-item" key=${v.patient.version} data-testid="history-version">
          <div class="timeline-head">
            <strong>Version ${v.patient.version}</strong> replaced ${formatInstant(v.replaced_at)} by <strong>${v.replaced_by}</strong>
          </div>
          ${changed.length
            ? html`<table class="diff-table">
                <thead><tr><th>Field</th><th>Before</th><th>After</th></tr></thead>
                <tbody>
                  ${changed.map((f) => html`<tr key=${f}><td>${FIELD_LABEL[f]}</td><td class="diff-old">${show(f, v.patient, v.phones)}</td><td class="diff-new">${show(f, newer, newerPhones)}</td></tr>`)}
                </tbody>
              </table>`
            : html`<div class="muted small">No visible differences.</div>`}
        </li>`;
      })}
    </ol>
  </div>`;
}
