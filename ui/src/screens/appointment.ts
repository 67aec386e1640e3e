// One appointment's dialog (its details, the status changes the backend
// offers, check-in, move, its room, cancel, its history) and the booking
// dialog (patient, calendar, type, room, time, repeat, and "find the next
// free slot"). Rooms are offered only when the practice has set some up.
// The backend checks everything: conflicts come back as field errors on
// `conflicts`, and a user who may override is offered the reason box.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { AppointmentView } from '../bindings/AppointmentView';
import type { AppointmentEvent } from '../bindings/AppointmentEvent';
import type { AppointmentStatus } from '../bindings/AppointmentStatus';
import type { AppointmentTypeView } from '../bindings/AppointmentTypeView';
import type { CalendarView } from '../bindings/CalendarView';
import type { PatientSummary } from '../bindings/PatientSummary';
import type { RepeatUnit } from '../bindings/RepeatUnit';
import type { SeriesScope } from '../bindings/SeriesScope';
import type { Fills } from '../bindings/Fills';
import type { RoomView } from '../bindings/RoomView';
import { Button, CheckField, FormError, Modal, SelectField, TextField, useFormErrors } from '../components/form';
import { formatDate, formatInstant, optionsOf } from '../format';
import { VALUE_SETS } from '../bindings/valueSets';
import { patientHref } from '../router';

const SCOPES = optionsOf('series_scope');

export function statusLabel(s: AppointmentStatus): string {
  return VALUE_SETS.appointment_status.find((o) => o.value === s)?.label ?? s;
}

/** `YYYY-MM-DDTHH:MM` as the form shows it: `MM/DD/YYYY HH:MM`. */
export function typedLocal(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s);
  return m ? `${m[2]}/${m[3]}/${m[1]} ${m[4]}:${m[5]}` : s;
}

export function timeOf(s: string): string {
  return s.slice(11, 16);
}

/** The practice's rooms in use (empty while loading, or when it books
 *  none). */
function useRooms(): RoomView[] {
  const [rooms, setRooms] = useState<RoomView[]>([]);
  useEffect(() => {
    let live = true;
    api.call({ cmd: 'list_rooms' }).then(
      (r) => live && setRooms(r.filter((x) => x.active)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return rooms;
}

function roomOptions(rooms: RoomView[]) {
  return rooms.map((r) => ({ value: String(r.id), label: r.name }));
}

export function AppointmentDialog(p: {
  appointment: AppointmentView;
  onClose: () => void;
  onChanged: () => void;
  /** After a cancellation (the schedule then offers the time to the waitlist). */
  onCancelled?: (id: number) => void;
  checkIn?: boolean;
}) {
  const a = p.appointment;
  const [mode, setMode] = useState<'view' | 'move' | 'room' | 'cancel' | 'check_in'>(p.checkIn && a.actions.can_check_in ? 'check_in' : 'view');
  const rooms = useRooms();
  const [roomId, setRoomId] = useState(a.room_id !== null ? String(a.room_id) : '');
  const [history, setHistory] = useState<AppointmentEvent[] | null>(null);
  const [start, setStart] = useState(typedLocal(a.start_local));
  const [reason, setReason] = useState('');
  const [scope, setScope] = useState<SeriesScope>('this');
  const [confirmed, setConfirmed] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['start', 'reason', 'demographics_confirmed', 'override_reason', 'conflicts', 'status', 'room_id']);

  useEffect(() => {
    api.call({ cmd: 'appointment_history', appointment_id: a.id }).then(setHistory, () => setHistory([]));
  }, [a.id, a.version]);

  const run = async (f: () => Promise<unknown>) => {
    form.clear();
    setBusy(true);
    try {
      await f();
      p.onChanged();
    } catch (e) {
      form.fail(e);
    } finally {
      setBusy(false);
    }
  };
  const setStatus = (status: AppointmentStatus) =>
    run(() => api.call({ cmd: 'set_appointment_status', appointment_id: a.id, expected_version: a.version, status }));

  return html`<${Modal} title=${`${a.patient_name} · ${a.type_name}`} testid="appointment-dialog" onClose=${p.onClose}>
    <dl class="appt-facts">
      <div><dt>When</dt><dd data-testid="appointment-when">${formatDate(a.day)} ${timeOf(a.start_local)}–${timeOf(a.end_local)} (${a.minutes} min)</dd></div>
      <div><dt>Calendar</dt><dd>${a.calendar_name}</dd></div>
      ${a.room_name ? html`<div><dt>Room</dt><dd data-testid="appointment-room">${a.room_name}</dd></div>` : null}
      <div><dt>Status</dt><dd><span class=${`appt-status status-${a.status}`} data-testid="appointment-status">${statusLabel(a.status)}</span>
        ${a.late_cancel ? html` <span class="chip chip-warn">late cancellation</span>` : null}</dd></div>
      <div><dt>Patient</dt><dd><a href=${patientHref(a.patient_id, 'default')} data-testid="appointment-patient">${a.patient_name}</a> <span class="muted mono">MRN ${a.mrn}</span></dd></div>
      ${a.reason ? html`<div><dt>Reason</dt><dd>${a.reason}</dd></div>` : null}
      ${a.series ? html`<div><dt>Series</dt><dd>Visit ${Number(a.series.index) + 1} of a recurring series</dd></div>` : null}
      ${a.override_reason ? html`<div><dt>Booked over a conflict</dt><dd>${a.override_reason}</dd></div>` : null}
      ${a.cancel_reason ? html`<div><dt>Cancelled</dt><dd>${a.cancel_reason}</dd></div>` : null}
      ${a.arrived_at ? html`<div><dt>Arrived</dt><dd>${formatInstant(a.arrived_at)}${a.waiting_minutes !== null ? ` · waiting ${a.waiting_minutes} min` : ''}</dd></div>` : null}
    </dl>
    <${FormError} error=${form.errors.general} />
    ${form.errors.fields.status ? html`<p class="form-error" role="alert" data-testid="error-status">${form.errors.fields.status}</p>` : null}

    ${mode === 'view'
      ? html`<div class="form-actions left appt-actions">
          ${a.actions.can_check_in ? html`<${Button} kind="primary" testid="appointment-check-in" onClick=${() => setMode('check_in')}>Check in…</${Button}>` : null}
          ${a.actions.next.map(
            (s) => html`<${Button} key=${s} testid=${`appointment-set-${s}`} busy=${busy} onClick=${() => void setStatus(s)}>${statusLabel(s)}</${Button}>`,
          )}
          ${a.actions.can_move ? html`<${Button} testid="appointment-move" onClick=${() => setMode('move')}>Move…</${Button}>` : null}
          ${a.actions.can_change_room && (rooms.length > 0 || a.room_id !== null)
            ? html`<${Button} testid="appointment-room-change" onClick=${() => setMode('room')}>Room…</${Button}>`
            : null}
          ${a.actions.can_cancel ? html`<${Button} kind="danger" testid="appointment-cancel" onClick=${() => setMode('cancel')}>Cancel appointment…</${Button}>` : null}
        </div>`
      : null}

    ${mode === 'check_in'
      ? html`<form class="appt-subform" onSubmit=${(e: Event) => {
          e.preventDefault();
          void run(() => api.call({ cmd: 'check_in', appointment_id: a.id, expected_version: a.version, demographics_confirmed: confirmed }));
        }}>
          <p>Ask the patient to confirm their address, phone numbers and insurance before checking them in. Check-in opens the visit in ${a.calendar_name}'s chart list.</p>
          <${CheckField} label="Details confirmed with the patient" name="demographics_confirmed" testid="check-in-confirmed" checked=${confirmed} onChecked=${setConfirmed} error=${form.errors.fields.demographics_confirmed} />
          <div class="form-actions left">
            <${Button} kind="primary" type="submit" testid="check-in-submit" busy=${busy}>Check in</${Button}>
            <${Button} kind="ghost" onClick=${() => setMode('view')}>Back</${Button}>
          </div>
        </form>`
      : null}

    ${mode === 'move'
      ? html`<form class="appt-subform" onSubmit=${(e: Event) => {
          e.preventDefault();
          void run(() => api.call({ cmd: 'move_appointment', appointment_id: a.id, expected_version: a.version, start, calendar_id: null, minutes: null, scope, override_reason: overrideReason }));
        }}>
          <${TextField} label="New date and time" name="start" testid="move-start" value=${start} onValue=${setStart} error=${form.errors.fields.start} hint="MM/DD/YYYY HH:MM, 24-hour" />
          ${a.series ? html`<${SelectField} label="Apply to" name="scope" testid="move-scope" value=${scope} onValue=${(v: string) => setScope(v as SeriesScope)} options=${SCOPES} />` : null}
          <${Conflicts} error=${form.errors.fields.conflicts} reason=${overrideReason} onReason=${setOverrideReason} reasonError=${form.errors.fields.override_reason} canOverride=${a.actions.can_override} />
          <div class="form-actions left">
            <${Button} kind="primary" type="submit" testid="move-submit" busy=${busy}>Move</${Button}>
            <${Button} kind="ghost" onClick=${() => setMode('view')}>Back</${Button}>
          </div>
        </form>`
      : null}

    ${mode === 'room'
      ? html`<form class="appt-subform" onSubmit=${(e: Event) => {
          e.preventDefault();
          void run(() => api.call({ cmd: 'set_appointment_room', appointment_id: a.id, expected_version: a.version, room_id: roomId ? Number(roomId) : null, override_reason: overrideReason }));
        }}>
          <${SelectField} label="Room" name="room_id" testid="room-choice" value=${roomId} onValue=${setRoomId} placeholder="No room" options=${roomOptions(rooms)} error=${form.errors.fields.room_id} />
          <${Conflicts} error=${form.errors.fields.conflicts} reason=${overrideReason} onReason=${setOverrideReason} reasonError=${form.errors.fields.override_reason} canOverride=${a.actions.can_override} />
          <div class="form-actions left">
            <${Button} kind="primary" type="submit" testid="room-submit" busy=${busy}>Save room</${Button}>
            <${Button} kind="ghost" onClick=${() => setMode('view')}>Back</${Button}>
          </div>
        </form>`
      : null}

    ${mode === 'cancel'
      ? html`<form class="appt-subform" onSubmit=${(e: Event) => {
          e.preventDefault();
          void run(async () => {
            await api.call({ cmd: 'cancel_appointment', appointment_id: a.id, expected_version: a.version, reason, scope });
            p.onCancelled?.(a.id);
          });
        }}>
          <${TextField} label="Why is it cancelled?" name="reason" testid="cancel-reason" value=${reason} onValue=${setReason} error=${form.errors.fields.reason} placeholder="Patient called; provider away…" />
          ${a.series ? html`<${SelectField} label="Cancel" name="scope" testid="cancel-scope" value=${scope} onValue=${(v: string) => setScope(v as SeriesScope)} options=${SCOPES} />` : null}
          <div class="form-actions left">
            <${Button} kind="danger" type="submit" testid="cancel-submit" busy=${busy}>Cancel appointment</${Button}>
            <${Button} kind="ghost" onClick=${() => setMode('view')}>Back</${Button}>
          </div>
        </form>`
      : null}

    <h3 class="appt-history-head">History</h3>
    ${history === null
      ? html`<p class="muted">Loading…</p>`
      : html`<ol class="appt-history" data-testid="appointment-history">
          ${history.map((h, i) => html`<li key=${i}><strong>${h.what}</strong> · ${formatInstant(h.at)} · ${h.by}${h.detail ? html` — <span class="muted">${h.detail}</span>` : null}</li>`)}
        </ol>`}
  </${Modal}>`;
}

/** The conflicts the backend found, and (for a user who may) the reason
 *  to book over them. */
function Conflicts(p: { error: string | undefined; reason: string; onReason: (v: string) => void; reasonError?: string | undefined; canOverride: boolean }) {
  if (!p.error) return null;
  return html`<div class="conflicts" role="alert" data-testid="booking-conflicts">
    <strong>This time conflicts:</strong>
    <p>${p.error}</p>
    ${p.canOverride
      ? html`<${TextField} label="Book anyway: reason (recorded)" name="override_reason" testid="override-reason" value=${p.reason} onValue=${p.onReason} error=${p.reasonError} placeholder="Urgent; approved by Dr …" />`
      : null}
  </div>`;
}

/** A patient chosen in a form. */
export interface Picked {
  id: number;
  /** "Family, Given". */
  name: string;
  mrn: string;
}

export function pickedOf(p: PatientSummary): Picked {
  return { id: p.id, name: `${p.family_name}, ${p.given_name}`, mrn: p.mrn };
}

export interface BookingDraft {
  calendar_id: number;
  start_local: string;
  patient?: Picked | null;
  type_id?: number | null;
  /** The waitlist entry or recall the booking fills (closed with it). */
  fills?: Fills | null;
}

/** Finds a patient by name, MRN or birth date, or shows the one chosen. */
export function PatientPick(p: { picked: Picked | null; onPick: (x: Picked | null) => void; error?: string | undefined; testid: string; autoFocus?: boolean }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<PatientSummary[]>([]);
  useEffect(() => {
    if (p.picked || query.trim().length < 2) {
      setFound([]);
      return;
    }
    let live = true;
    api.searchPatients(query, 8).then((r) => live && setFound(r), () => undefined);
    return () => {
      live = false;
    };
  }, [query, p.picked]);
  if (p.picked) {
    return html`<div class="field"><label>Patient</label>
      <div class="picked" data-testid=${`${p.testid}-patient`}>${p.picked.name} <span class="muted mono">MRN ${p.picked.mrn}</span>
        <button type="button" class="link-btn" onClick=${() => p.onPick(null)}>change</button></div></div>`;
  }
  return html`<div class="patient-pick">
    <${TextField} label="Patient" name="patient_id" testid=${`${p.testid}-patient-search`} value=${query} onValue=${setQuery} error=${p.error} placeholder="Name, MRN or birth date" autoFocus=${p.autoFocus ?? true} />
    ${found.length
      ? html`<ul class="pick-list" role="listbox">
          ${found.map((f) => html`<li key=${f.id}><button type="button" data-testid=${`${p.testid}-patient-option`} data-patient-id=${f.id} onClick=${() => p.onPick(pickedOf(f))}>
            ${f.family_name}, ${f.given_name} <span class="muted">${formatDate(f.birth_date)} · MRN ${f.mrn}</span></button></li>`)}
        </ul>`
      : null}
  </div>`;
}

const REPEATS: { value: '' | RepeatUnit; label: string }[] = [
  { value: '', label: 'Does not repeat' },
  { value: 'weeks', label: 'Every N weeks' },
  { value: 'months_by_date', label: 'Every N months, same date' },
  { value: 'months_by_weekday', label: 'Every N months, same weekday (“second Tuesday”)' },
  { value: 'months_last_weekday', label: 'Every N months, last such weekday' },
];

export function BookDialog(p: {
  draft: BookingDraft;
  calendars: CalendarView[];
  types: AppointmentTypeView[];
  canOverride: boolean;
  onClose: () => void;
  onBooked: (first: AppointmentView) => void;
}) {
  const [patient, setPatient] = useState<Picked | null>(p.draft.patient ?? null);
  const [calendarId, setCalendarId] = useState(String(p.draft.calendar_id));
  const [typeId, setTypeId] = useState(String(p.draft.type_id ?? p.types.find((t) => t.active)?.id ?? ''));
  const rooms = useRooms();
  const [roomId, setRoomId] = useState('');
  const [start, setStart] = useState(typedLocal(p.draft.start_local));
  const [reason, setReason] = useState('');
  const [repeat, setRepeat] = useState<'' | RepeatUnit>('');
  const [every, setEvery] = useState('1');
  const [count, setCount] = useState('');
  const [until, setUntil] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [slotNote, setSlotNote] = useState<string | null>(null);
  const form = useFormErrors(['patient_id', 'calendar_id', 'type_id', 'room_id', 'start', 'minutes', 'reason', 'repeat.every', 'repeat.until', 'repeat', 'ends', 'override_reason', 'conflicts', 'fills']);

  const findSlot = async () => {
    form.clear();
    setSlotNote(null);
    try {
      const s = await api.call({ cmd: 'find_next_slot', calendar_id: Number(calendarId), type_id: Number(typeId), after: start });
      if (s) setStart(typedLocal(s.start_local));
      setSlotNote(s ? `Next free: ${typedLocal(s.start_local)}` : 'No free time in the next 90 days');
    } catch (e) {
      form.fail(e);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    if (!patient) {
      form.setErrors({ fields: { patient_id: 'Choose the patient' }, general: null });
      return;
    }
    setBusy(true);
    try {
      const booked = await api.call({
        cmd: 'book_appointment',
        patient_id: patient.id,
        calendar_id: Number(calendarId),
        type_id: Number(typeId),
        room_id: roomId ? Number(roomId) : null,
        start,
        minutes: null,
        reason,
        repeat: repeat
          ? { unit: repeat, every: Number(every) || 0, count: count.trim() ? Number(count) || 0 : null, until }
          : null,
        override_reason: overrideReason,
        fills: p.draft.fills ?? null,
      });
      const first = booked.appointments[0];
      if (first) p.onBooked(first);
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<${Modal} title="Book an appointment" testid="book-dialog" onClose=${p.onClose} wide=${true}>
    <form onSubmit=${submit} class="book-form">
      ${p.draft.fills
        ? html`<p class="notice" data-testid="book-fills">Booking this closes the patient's ${p.draft.fills.kind === 'waitlist' ? 'waitlist entry' : 'recall'}.</p>`
        : null}
      ${p.draft.fills && patient
        ? html`<div class="field"><label>Patient</label><div class="picked" data-testid="book-patient">${patient.name} <span class="muted mono">MRN ${patient.mrn}</span></div></div>`
        : html`<${PatientPick} picked=${patient} onPick=${setPatient} error=${form.errors.fields.patient_id} testid="book" />`}
      <${FormError} error=${form.errors.fields.fills ?? null} />
      <div class="form-row">
        <${SelectField} label="Calendar" name="calendar_id" testid="book-calendar" value=${calendarId} onValue=${setCalendarId}
          options=${p.calendars.filter((c) => c.active).map((c) => ({ value: String(c.id), label: c.name }))} error=${form.errors.fields.calendar_id} />
        <${SelectField} label="Type" name="type_id" testid="book-type" value=${typeId} onValue=${setTypeId}
          options=${p.types.filter((t) => t.active).map((t) => ({ value: String(t.id), label: `${t.name} (${t.minutes} min)` }))} error=${form.errors.fields.type_id} />
        ${rooms.length
          ? html`<${SelectField} label="Room" name="room_id" testid="book-room" value=${roomId} onValue=${setRoomId} placeholder="No room" options=${roomOptions(rooms)} error=${form.errors.fields.room_id} />`
          : null}
      </div>
      <div class="form-row">
        <${TextField} label="Date and time" name="start" testid="book-start" value=${start} onValue=${setStart} error=${form.errors.fields.start} hint="MM/DD/YYYY HH:MM, 24-hour" />
        <div class="field field-button"><label aria-hidden="true"> </label><${Button} testid="book-find-slot" onClick=${() => void findSlot()}>Find the next free slot</${Button}></div>
      </div>
      ${slotNote ? html`<p class="muted" data-testid="book-slot-note">${slotNote}</p>` : null}
      <${TextField} label="Reason (optional)" name="reason" testid="book-reason" value=${reason} onValue=${setReason} error=${form.errors.fields.reason} />
      <div class="form-row">
        <${SelectField} label="Repeat" name="repeat" testid="book-repeat" value=${repeat} onValue=${(v: string) => setRepeat(v as '' | RepeatUnit)} options=${REPEATS} error=${form.errors.fields.repeat} />
        ${repeat
          ? html`<${TextField} label="Every" name="repeat.every" testid="book-every" value=${every} onValue=${setEvery} error=${form.errors.fields['repeat.every']} inputMode="numeric" />
              <${TextField} label="Number of visits" name="count" testid="book-count" value=${count} onValue=${setCount} error=${form.errors.fields.ends} hint="or an end date" inputMode="numeric" />
              <${TextField} label="Until" name="repeat.until" testid="book-until" value=${until} onValue=${setUntil} error=${form.errors.fields['repeat.until']} hint="MM/DD/YYYY; neither: the practice's horizon" />`
          : null}
      </div>
      <${Conflicts} error=${form.errors.fields.conflicts} reason=${overrideReason} onReason=${setOverrideReason} reasonError=${form.errors.fields.override_reason} canOverride=${p.canOverride} />
      <${FormError} error=${form.errors.fields.conflicts && Object.keys(form.errors.fields).length === 1 ? null : form.errors.general} />
      <div class="form-actions">
        <${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}>
        <${Button} kind="primary" type="submit" testid="book-submit" busy=${busy}>${overrideReason.trim() ? 'Book over the conflict' : 'Book'}</${Button}>
      </div>
    </form>
  </${Modal}>`;
}
