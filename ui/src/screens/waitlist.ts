// The front desk's two work lists (`#/waitlist`): the waitlist (patients who
// want an earlier slot) and the recalls coming due ("see again in 3
// months"), each with "Book…" (the booking closes the entry) and a way to
// close it with a reason. Also the dialogs that add to them (from here and
// from a patient's Appointments card), and the offers of a freed slot that
// the appointment dialog shows after a cancellation. The backend decides
// what matches, what is due and who may change what.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { AppointmentTypeView } from '../bindings/AppointmentTypeView';
import type { AppointmentView } from '../bindings/AppointmentView';
import type { CalendarView } from '../bindings/CalendarView';
import type { RecallList } from '../bindings/RecallList';
import type { RecallView } from '../bindings/RecallView';
import type { TimeOfDay } from '../bindings/TimeOfDay';
import type { WaitlistEntryView } from '../bindings/WaitlistEntryView';
import type { WaitlistOffer } from '../bindings/WaitlistOffer';
import { Button, FormError, Modal, SelectField, TextField, useFormErrors } from '../components/form';
import { reportError, toast } from '../components/toast';
import { formatDate, optionsOf } from '../format';
import { patientHref } from '../router';
import { BookDialog, PatientPick, timeOf, typedLocal, type BookingDraft, type Picked } from './appointment';

const TIMES_OF_DAY = optionsOf('time_of_day');

/** Calendars and types for the forms, read once. */
function useSetup() {
  const [types, setTypes] = useState<AppointmentTypeView[]>([]);
  const [calendars, setCalendars] = useState<CalendarView[]>([]);
  useEffect(() => {
    api.call({ cmd: 'list_appointment_types' }).then((t) => setTypes(t.filter((x) => x.active)), reportError);
    api.call({ cmd: 'list_calendars' }).then((c) => setCalendars(c.filter((x) => x.active)), reportError);
  }, []);
  return { types, calendars };
}

export function WaitlistScreen() {
  const { types, calendars } = useSetup();
  const [waiting, setWaiting] = useState<WaitlistEntryView[] | null>(null);
  const [recalls, setRecalls] = useState<RecallList | null>(null);
  const [days, setDays] = useState('30');
  const [adding, setAdding] = useState<'waitlist' | 'recall' | null>(null);
  const [closing, setClosing] = useState<{ kind: 'waitlist'; entry: WaitlistEntryView } | { kind: 'recall'; recall: RecallView } | null>(null);
  const [draft, setDraft] = useState<BookingDraft | null>(null);

  const load = () => {
    api.call({ cmd: 'list_waitlist' }).then(setWaiting, reportError);
    api.call({ cmd: 'list_recalls', days: Number(days) }).then(setRecalls, reportError);
  };
  useEffect(load, [days]);

  const bookEntry = (e: WaitlistEntryView) =>
    setDraft({
      // A first choice for the form (the backend checks the type is offered there).
      calendar_id: e.calendar_id ?? calendars.find((c) => { const t = types.find((x) => x.id === e.type_id); return !t || t.calendars.length === 0 || t.calendars.includes(c.id); })?.id ?? 0,
      start_local: `${e.earliest_day ?? recalls?.today ?? ''}T09:00`,
      patient: { id: e.patient_id, name: e.patient_name, mrn: e.mrn },
      type_id: e.type_id,
      fills: { kind: 'waitlist', entry_id: e.id, expected_version: e.version },
    });
  const bookRecall = (r: RecallView) =>
    setDraft({
      calendar_id: r.calendar_id ?? calendars[0]?.id ?? 0,
      start_local: `${r.due_day}T09:00`,
      patient: { id: r.patient_id, name: r.patient_name, mrn: r.mrn },
      type_id: r.type_id,
      fills: { kind: 'recall', recall_id: r.id, expected_version: r.version },
    });

  return html`<div class="screen waitlist-screen">
    <div class="screen-head">
      <div>
        <h1>Waitlist and recalls</h1>
        <p class="muted">Patients who want an earlier appointment, and patients due to be seen again.</p>
      </div>
    </div>

    <section class="panel" data-testid="waitlist">
      <div class="panel-head">
        <h2>Waitlist <span class="count">${waiting?.length ?? ''}</span></h2>
        ${recalls?.can_book ? html`<${Button} testid="waitlist-add" onClick=${() => setAdding('waitlist')}>Add to the waitlist…</${Button}>` : null}
      </div>
      ${waiting === null
        ? html`<p class="muted">Loading…</p>`
        : waiting.length === 0
          ? html`<p class="muted">No one is waiting for an earlier appointment.</p>`
          : html`<table class="data-table">
              <thead><tr><th>Added</th><th>Patient</th><th>Phone</th><th>Wants</th><th>Note</th><th></th></tr></thead>
              <tbody>
                ${waiting.map((e) => html`<tr key=${e.id} data-testid="waitlist-row" data-entry-id=${e.id} data-patient-id=${e.patient_id}>
                  <td class="nowrap">${formatDate(e.added.slice(0, 10))} <span class="muted small">(${e.waiting_days} d)</span></td>
                  <td><a href=${patientHref(e.patient_id, 'demographics')}>${e.patient_name}</a> <span class="muted mono small">${e.mrn}</span></td>
                  <td class="nowrap">${e.phone}</td>
                  <td>${e.type_name} · ${e.calendar_name} · ${labelOf(e.time_of_day)}${e.earliest_day ? ` · from ${formatDate(e.earliest_day)}` : ''}${e.before_day ? ` · before ${formatDate(e.before_day)}` : ''}</td>
                  <td>${e.note}</td>
                  <td class="row-actions nowrap">
                    ${e.can_change
                      ? html`<${Button} testid="waitlist-book" onClick=${() => bookEntry(e)}>Book…</${Button}>
                          <${Button} kind="ghost" testid="waitlist-close" onClick=${() => setClosing({ kind: 'waitlist', entry: e })}>Remove…</${Button}>`
                      : null}
                  </td>
                </tr>`)}
              </tbody>
            </table>`}
    </section>

    <section class="panel" data-testid="recalls">
      <div class="panel-head">
        <h2>Recalls due <span class="count">${recalls?.recalls.length ?? ''}</span></h2>
        <${SelectField} label="Due within" name="days" testid="recalls-days" value=${days} onValue=${setDays} class="inline-field"
          options=${[{ value: '7', label: 'a week' }, { value: '30', label: '30 days' }, { value: '90', label: '90 days' }, { value: '365', label: 'a year' }]} />
        ${recalls?.can_book ? html`<${Button} testid="recall-add" onClick=${() => setAdding('recall')}>Add a recall…</${Button}>` : null}
      </div>
      ${recalls === null
        ? html`<p class="muted">Loading…</p>`
        : recalls.recalls.length === 0
          ? html`<p class="muted">No recall is due by ${formatDate(recalls.until)}.</p>`
          : html`<table class="data-table">
              <thead><tr><th>Due</th><th>Patient</th><th>Phone</th><th>For</th><th>Book as</th><th></th></tr></thead>
              <tbody>
                ${recalls.recalls.map((r) => html`<tr key=${r.id} data-testid="recall-row" data-recall-id=${r.id} data-patient-id=${r.patient_id} class=${r.overdue ? 'is-overdue' : ''}>
                  <td class="nowrap">${formatDate(r.due_day)}${r.overdue ? html` <span class="chip chip-warn">overdue</span>` : null}</td>
                  <td><a href=${patientHref(r.patient_id, 'demographics')}>${r.patient_name}</a> <span class="muted mono small">${r.mrn}</span></td>
                  <td class="nowrap">${r.phone}</td>
                  <td>${r.reason}</td>
                  <td>${[r.type_name, r.calendar_name].filter(Boolean).join(' · ')}</td>
                  <td class="row-actions nowrap">
                    ${r.can_change
                      ? html`<${Button} testid="recall-book" onClick=${() => bookRecall(r)}>Book…</${Button}>
                          <${Button} kind="ghost" testid="recall-close" onClick=${() => setClosing({ kind: 'recall', recall: r })}>Close…</${Button}>`
                      : null}
                  </td>
                </tr>`)}
              </tbody>
            </table>`}
    </section>

    ${adding === 'waitlist'
      ? html`<${WaitlistDialog} patient=${null} types=${types} calendars=${calendars} onClose=${() => setAdding(null)} onSaved=${() => { setAdding(null); load(); }} />`
      : null}
    ${adding === 'recall'
      ? html`<${RecallDialog} patient=${null} types=${types} calendars=${calendars} onClose=${() => setAdding(null)} onSaved=${() => { setAdding(null); load(); }} />`
      : null}
    ${closing ? html`<${CloseDialog} what=${closing} onClose=${() => setClosing(null)} onClosed=${() => { setClosing(null); load(); }} />` : null}
    ${draft
      ? html`<${BookDialog} draft=${draft} calendars=${calendars} types=${types} canOverride=${recalls?.can_override ?? false}
          onClose=${() => setDraft(null)}
          onBooked=${(a: AppointmentView) => { setDraft(null); toast(`Booked ${a.patient_name}, ${formatDate(a.day)} ${timeOf(a.start_local)}`, 'success'); load(); }} />`
      : null}
  </div>`;
}

function labelOf(t: TimeOfDay): string {
  return TIMES_OF_DAY.find((o) => o.value === t)?.label ?? t;
}

/** Puts a patient (given, or chosen here) on the waitlist. */
export function WaitlistDialog(p: { patient: Picked | null; types: AppointmentTypeView[]; calendars: CalendarView[]; onClose: () => void; onSaved: () => void }) {
  const [patient, setPatient] = useState<Picked | null>(p.patient);
  const [typeId, setTypeId] = useState('');
  const [calendarId, setCalendarId] = useState('');
  const [timeOfDay, setTimeOfDay] = useState<TimeOfDay>('any');
  const [earliest, setEarliest] = useState('');
  const [before, setBefore] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['patient_id', 'type_id', 'calendar_id', 'time_of_day', 'earliest', 'before', 'note']);
  useEffect(() => {
    if (!typeId && p.types[0]) setTypeId(String(p.types[0].id));
  }, [p.types]);
  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    if (!patient) {
      form.setErrors({ fields: { patient_id: 'Choose the patient' }, general: null });
      return;
    }
    setBusy(true);
    try {
      await api.call({
        cmd: 'add_to_waitlist',
        form: { patient_id: patient.id, type_id: Number(typeId), calendar_id: calendarId ? Number(calendarId) : null, time_of_day: timeOfDay, earliest, before, note },
      });
      toast(`${patient.name} is on the waitlist`, 'success');
      p.onSaved();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title="Add to the waitlist" testid="waitlist-dialog" onClose=${p.onClose}>
    <form onSubmit=${submit}>
      <${PatientPick} picked=${patient} onPick=${setPatient} error=${form.errors.fields.patient_id} testid="waitlist" />
      <div class="form-row">
        <${SelectField} label="Type" name="type_id" testid="waitlist-type" value=${typeId} onValue=${setTypeId} error=${form.errors.fields.type_id}
          options=${p.types.map((t) => ({ value: String(t.id), label: `${t.name} (${t.minutes} min)` }))} />
        <${SelectField} label="Calendar" name="calendar_id" testid="waitlist-calendar" value=${calendarId} onValue=${setCalendarId} error=${form.errors.fields.calendar_id}
          options=${[{ value: '', label: 'Any calendar' }, ...p.calendars.map((c) => ({ value: String(c.id), label: c.name }))]} />
      </div>
      <div class="form-row">
        <${SelectField} label="Time of day" name="time_of_day" testid="waitlist-time" value=${timeOfDay} onValue=${(v: string) => setTimeOfDay(v as TimeOfDay)} options=${TIMES_OF_DAY} />
        <${TextField} label="From (optional)" name="earliest" testid="waitlist-earliest" value=${earliest} onValue=${setEarliest} error=${form.errors.fields.earliest} hint="MM/DD/YYYY" />
        <${TextField} label="Before (optional)" name="before" testid="waitlist-before" value=${before} onValue=${setBefore} error=${form.errors.fields.before} hint="the visit they hold" />
      </div>
      <${TextField} label="Note (optional)" name="note" testid="waitlist-note" value=${note} onValue=${setNote} error=${form.errors.fields.note} />
      <${FormError} error=${form.errors.general} />
      <div class="form-actions">
        <${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}>
        <${Button} kind="primary" type="submit" testid="waitlist-save" busy=${busy}>Add</${Button}>
      </div>
    </form>
  </${Modal}>`;
}

/** Adds a recall for a patient (given, or chosen here). */
export function RecallDialog(p: { patient: Picked | null; types: AppointmentTypeView[]; calendars: CalendarView[]; onClose: () => void; onSaved: () => void }) {
  const [patient, setPatient] = useState<Picked | null>(p.patient);
  const [months, setMonths] = useState('3');
  const [due, setDue] = useState('');
  const [reason, setReason] = useState('');
  const [typeId, setTypeId] = useState('');
  const [calendarId, setCalendarId] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['patient_id', 'after_months', 'due', 'reason', 'type_id', 'calendar_id']);
  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    if (!patient) {
      form.setErrors({ fields: { patient_id: 'Choose the patient' }, general: null });
      return;
    }
    setBusy(true);
    try {
      const r = await api.call({
        cmd: 'add_recall',
        form: {
          patient_id: patient.id,
          after_months: months ? Number(months) : null,
          due: months ? '' : due,
          reason,
          type_id: typeId ? Number(typeId) : null,
          calendar_id: calendarId ? Number(calendarId) : null,
        },
      });
      toast(`Recall for ${patient.name}, due ${formatDate(r.due_day)}`, 'success');
      p.onSaved();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title="Recall" testid="recall-dialog" onClose=${p.onClose}>
    <form onSubmit=${submit}>
      <${PatientPick} picked=${patient} onPick=${setPatient} error=${form.errors.fields.patient_id} testid="recall" />
      <div class="form-row">
        <${SelectField} label="See again" name="after_months" testid="recall-months" value=${months} onValue=${setMonths} error=${form.errors.fields.after_months}
          options=${[{ value: '1', label: 'in 1 month' }, { value: '3', label: 'in 3 months' }, { value: '6', label: 'in 6 months' }, { value: '12', label: 'in a year' }, { value: '', label: 'on a date…' }]} />
        ${months ? null : html`<${TextField} label="Due" name="due" testid="recall-due" value=${due} onValue=${setDue} error=${form.errors.fields.due} hint="MM/DD/YYYY" />`}
      </div>
      <${TextField} label="For" name="reason" testid="recall-reason" value=${reason} onValue=${setReason} error=${form.errors.fields.reason} placeholder="Blood pressure check" />
      <div class="form-row">
        <${SelectField} label="Type (optional)" name="type_id" testid="recall-type" value=${typeId} onValue=${setTypeId} error=${form.errors.fields.type_id}
          options=${[{ value: '', label: 'Chosen when booked' }, ...p.types.map((t) => ({ value: String(t.id), label: t.name }))]} />
        <${SelectField} label="Calendar (optional)" name="calendar_id" testid="recall-calendar" value=${calendarId} onValue=${setCalendarId} error=${form.errors.fields.calendar_id}
          options=${[{ value: '', label: 'Any' }, ...p.calendars.map((c) => ({ value: String(c.id), label: c.name }))]} />
      </div>
      <${FormError} error=${form.errors.general} />
      <div class="form-actions">
        <${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}>
        <${Button} kind="primary" type="submit" testid="recall-save" busy=${busy}>Add the recall</${Button}>
      </div>
    </form>
  </${Modal}>`;
}

/** Closes a waitlist entry or a recall, with the reason. */
function CloseDialog(p: { what: { kind: 'waitlist'; entry: WaitlistEntryView } | { kind: 'recall'; recall: RecallView }; onClose: () => void; onClosed: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['reason', 'status']);
  const w = p.what;
  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      if (w.kind === 'waitlist') await api.call({ cmd: 'close_waitlist_entry', entry_id: w.entry.id, expected_version: w.entry.version, reason });
      else await api.call({ cmd: 'close_recall', recall_id: w.recall.id, expected_version: w.recall.version, reason });
      p.onClosed();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  const name = w.kind === 'waitlist' ? w.entry.patient_name : w.recall.patient_name;
  return html`<${Modal} title=${w.kind === 'waitlist' ? `Take ${name} off the waitlist` : `Close the recall of ${name}`} testid="list-close-dialog" onClose=${p.onClose}>
    <form onSubmit=${submit}>
      <p class="muted">Nothing is deleted: the entry stays, closed, with the reason.</p>
      <${TextField} label="Why" name="reason" testid="list-close-reason" value=${reason} onValue=${setReason} error=${form.errors.fields.reason ?? form.errors.fields.status} placeholder="No longer needed; could not reach" />
      <${FormError} error=${form.errors.general} />
      <div class="form-actions">
        <${Button} kind="ghost" onClick=${p.onClose}>Back</${Button}>
        <${Button} kind="primary" type="submit" testid="list-close-submit" busy=${busy}>Close it</${Button}>
      </div>
    </form>
  </${Modal}>`;
}

/** The waitlist patients who could take the time a cancelled appointment
 *  held, each bookable in one click (the booking closes the entry); closes
 *  itself at once when there are none. */
export function WaitlistOffersDialog(p: { appointmentId: number; onClose: () => void; onDone: () => void }) {
  const [offers, setOffers] = useState<WaitlistOffer[] | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const form = useFormErrors(['conflicts', 'fills', 'start']);
  useEffect(() => {
    api.call({ cmd: 'waitlist_offers', appointment_id: p.appointmentId }).then(
      (o) => (o.length ? setOffers(o) : p.onClose()),
      () => p.onClose(),
    );
  }, [p.appointmentId]);
  if (offers === null) return null;
  const book = async (o: WaitlistOffer) => {
    form.clear();
    setBusy(o.entry.id);
    try {
      await api.call({
        cmd: 'book_appointment',
        patient_id: o.entry.patient_id,
        calendar_id: o.calendar_id,
        type_id: o.entry.type_id,
        room_id: null,
        start: o.start_local,
        minutes: null,
        reason: o.entry.note,
        repeat: null,
        override_reason: '',
        fills: { kind: 'waitlist', entry_id: o.entry.id, expected_version: o.entry.version },
      });
      toast(`Booked ${o.entry.patient_name} from the waitlist`, 'success');
      p.onDone();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(null);
    }
  };
  return html`<${Modal} title="Offer the time to the waitlist" testid="waitlist-offers" onClose=${p.onClose}>
    <p>This time is free: ${offers.length} ${offers.length === 1 ? 'patient' : 'patients'} on the waitlist could take it, longest waiting first.</p>
    <ul class="plain-list">
      ${offers.map((o) => html`<li key=${o.entry.id} data-testid="waitlist-offer" data-entry-id=${o.entry.id}>
        <strong>${o.entry.patient_name}</strong> <span class="muted">${o.entry.phone} · ${o.entry.type_name} · waiting ${o.entry.waiting_days} d</span>
        <${Button} kind="primary" testid="waitlist-offer-book" busy=${busy === o.entry.id} onClick=${() => void book(o)}>Book at ${typedLocal(o.start_local)}</${Button}>
      </li>`)}
    </ul>
    <${FormError} error=${form.errors.fields.conflicts ?? form.errors.fields.fills ?? form.errors.general} />
    <div class="form-actions"><${Button} kind="ghost" testid="waitlist-offers-close" onClick=${p.onClose}>Not now</${Button}></div>
  </${Modal}>`;
}
