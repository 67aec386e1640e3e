// The practice manager's set-up of scheduling: calendars (a clinician's
// own, or a line such as nurse visits whose visits open under a named
// clinician) with their working week typed one line a day; appointment
// types; rooms, for a practice that books them; closures (vacation,
// holidays, meetings). Nothing is deleted here: a calendar, type or room
// is taken out of use, a closure withdrawn.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { CalendarView } from '../bindings/CalendarView';
import type { Clinician } from '../bindings/Clinician';
import type { AppointmentTypeView } from '../bindings/AppointmentTypeView';
import type { ClosureView } from '../bindings/ClosureView';
import type { RoomView } from '../bindings/RoomView';
import type { WeekHoursForm } from '../bindings/WeekHoursForm';
import type { EncounterKind } from '../bindings/EncounterKind';
import type { ClosureKind } from '../bindings/ClosureKind';
import { Button, CheckField, FormError, Modal, SelectField, TextField, useFormErrors } from '../components/form';
import { reportError, toast } from '../components/toast';
import { ENCOUNTER_KINDS, optionsOf } from '../format';
import { typedLocal } from './appointment';

const DAYS: { key: keyof WeekHoursForm; label: string }[] = [
  { key: 'mon', label: 'Monday' },
  { key: 'tue', label: 'Tuesday' },
  { key: 'wed', label: 'Wednesday' },
  { key: 'thu', label: 'Thursday' },
  { key: 'fri', label: 'Friday' },
  { key: 'sat', label: 'Saturday' },
  { key: 'sun', label: 'Sunday' },
];
const CLOSURE_KINDS = optionsOf('closure_kind');

export function SchedulingSetupScreen() {
  const [calendars, setCalendars] = useState<CalendarView[] | null>(null);
  const [clinicians, setClinicians] = useState<Clinician[]>([]);
  const [types, setTypes] = useState<AppointmentTypeView[]>([]);
  const [closures, setClosures] = useState<ClosureView[]>([]);
  const [rooms, setRooms] = useState<RoomView[]>([]);
  const [editRoom, setEditRoom] = useState<RoomView | 'new' | null>(null);
  const [editCal, setEditCal] = useState<CalendarView | 'new' | null>(null);
  const [editType, setEditType] = useState<AppointmentTypeView | 'new' | null>(null);
  const [editClosure, setEditClosure] = useState<ClosureView | 'new' | null>(null);

  const load = async () => {
    try {
      const [c, u, t, k, r] = await Promise.all([
        api.call({ cmd: 'list_calendars' }),
        api.call({ cmd: 'list_clinicians' }),
        api.call({ cmd: 'list_appointment_types' }),
        // Empty bounds: from the clinic's today, for a year.
        api.call({ cmd: 'list_closures', from: '', to: '' }),
        api.call({ cmd: 'list_rooms' }),
      ]);
      setCalendars(c);
      setClinicians(u);
      setTypes(t);
      setClosures(k);
      setRooms(r);
    } catch (e) {
      reportError(e);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const name = (id: number | null) => (id === null ? 'Whole practice' : calendars?.find((c) => c.id === id)?.name ?? `#${id}`);

  return html`<div class="screen setup-screen">
    <div class="screen-head"><h1>Calendars and appointment types</h1></div>

    <section class="panel" data-testid="setup-calendars">
      <div class="panel-head"><h2>Calendars</h2><${Button} kind="primary" testid="calendar-add" onClick=${() => setEditCal('new')}>Add calendar…</${Button}></div>
      ${calendars === null
        ? html`<p class="muted">Loading…</p>`
        : calendars.length === 0
          ? html`<p class="muted">No calendars yet.</p>`
          : html`<table class="data-table"><thead><tr><th>Name</th><th>Visits open for</th><th>Week</th><th></th></tr></thead><tbody>
              ${calendars.map((c) => html`<tr key=${c.id} class=${c.active ? '' : 'inactive'} data-testid="calendar-row">
                <td><span class="type-dot" style=${`background:${c.colour}`}></span>${c.name}${c.active ? '' : html` <span class="chip">inactive</span>`}</td>
                <td>${c.chart_user_name}</td>
                <td class="small">${c.week.filter((d) => d.hours !== 'closed').map((d) => html`<div key=${d.day}>${d.day.slice(0, 3)} ${d.hours}</div>`)}</td>
                <td><${Button} testid="calendar-edit" onClick=${() => setEditCal(c)}>Edit…</${Button}></td>
              </tr>`)}
            </tbody></table>`}
    </section>

    <section class="panel" data-testid="setup-types">
      <div class="panel-head"><h2>Appointment types</h2><${Button} kind="primary" testid="type-add" onClick=${() => setEditType('new')}>Add type…</${Button}></div>
      <table class="data-table"><thead><tr><th>Name</th><th>Length</th><th>Offered on</th><th></th></tr></thead><tbody>
        ${types.map((t) => html`<tr key=${t.id} class=${t.active ? '' : 'inactive'} data-testid="type-row">
          <td><span class="type-dot" style=${`background:${t.colour}`}></span>${t.name}${t.active ? '' : html` <span class="chip">inactive</span>`}</td>
          <td class="num">${t.minutes} min</td>
          <td>${t.calendars.length ? t.calendars.map(name).join(', ') : 'Every calendar'}</td>
          <td><${Button} testid="type-edit" onClick=${() => setEditType(t)}>Edit…</${Button}></td>
        </tr>`)}
      </tbody></table>
    </section>

    <section class="panel" data-testid="setup-rooms">
      <div class="panel-head"><h2>Rooms</h2><${Button} kind="primary" testid="room-add" onClick=${() => setEditRoom('new')}>Add room…</${Button}></div>
      ${rooms.length
        ? html`<table class="data-table"><thead><tr><th>Name</th><th></th></tr></thead><tbody>
            ${rooms.map((r) => html`<tr key=${r.id} class=${r.active ? '' : 'inactive'} data-testid="room-row">
              <td>${r.name}${r.active ? '' : html` <span class="chip">not in use</span>`}</td>
              <td><${Button} testid="room-edit" onClick=${() => setEditRoom(r)}>Edit…</${Button}></td>
            </tr>`)}
          </tbody></table>`
        : html`<p class="muted">None: appointments are booked without rooms. Add rooms if the practice books them (exam rooms, a procedure room).</p>`}
    </section>

    <section class="panel" data-testid="setup-closures">
      <div class="panel-head"><h2>Closures in the coming year</h2><${Button} kind="primary" testid="closure-add" onClick=${() => setEditClosure('new')}>Add closure…</${Button}></div>
      ${closures.length
        ? html`<table class="data-table"><thead><tr><th>From</th><th>To</th><th>Who</th><th>What</th><th></th></tr></thead><tbody>
            ${closures.map((k) => html`<tr key=${k.id} data-testid="closure-row">
              <td class="nowrap">${typedLocal(k.start_local)}</td><td class="nowrap">${typedLocal(k.end_local)}</td>
              <td>${name(k.calendar_id)}</td><td>${k.label || k.kind}</td>
              <td><${Button} testid="closure-edit" onClick=${() => setEditClosure(k)}>Edit…</${Button}></td>
            </tr>`)}
          </tbody></table>`
        : html`<p class="muted">None.</p>`}
    </section>

    ${editCal ? html`<${CalendarDialog} calendar=${editCal === 'new' ? null : editCal} clinicians=${clinicians} onClose=${() => setEditCal(null)} onSaved=${() => { setEditCal(null); toast('Calendar saved', 'success'); void load(); }} />` : null}
    ${editType && calendars ? html`<${TypeDialog} type=${editType === 'new' ? null : editType} calendars=${calendars} onClose=${() => setEditType(null)} onSaved=${() => { setEditType(null); toast('Appointment type saved', 'success'); void load(); }} />` : null}
    ${editRoom ? html`<${RoomDialog} room=${editRoom === 'new' ? null : editRoom} onClose=${() => setEditRoom(null)} onSaved=${() => { setEditRoom(null); toast('Room saved', 'success'); void load(); }} />` : null}
    ${editClosure && calendars ? html`<${ClosureDialog} closure=${editClosure === 'new' ? null : editClosure} calendars=${calendars} onClose=${() => setEditClosure(null)} onSaved=${() => { setEditClosure(null); toast('Closure saved', 'success'); void load(); }} />` : null}
  </div>`;
}

function CalendarDialog(p: { calendar: CalendarView | null; clinicians: Clinician[]; onClose: () => void; onSaved: () => void }) {
  const c = p.calendar;
  const [name, setName] = useState(c?.name ?? '');
  const [owner, setOwner] = useState(c?.user_id != null ? String(c.user_id) : '');
  const [chartUser, setChartUser] = useState(String(c?.chart_user_id ?? p.clinicians[0]?.user_id ?? ''));
  const [colour, setColour] = useState(c?.colour ?? '#2f6fb0');
  const [hours, setHours] = useState<WeekHoursForm>(c?.hours ?? { mon: '08:00-12:00, 13:00-17:00', tue: '08:00-12:00, 13:00-17:00', wed: '08:00-12:00, 13:00-17:00', thu: '08:00-12:00, 13:00-17:00', fri: '08:00-12:00, 13:00-17:00', sat: '', sun: '' });
  const [active, setActive] = useState(c?.active ?? true);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['name', 'user_id', 'chart_user_id', 'colour', ...DAYS.map((d) => `hours.${d.key}`)]);
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.call({
        cmd: 'save_calendar',
        id: c?.id ?? null,
        expected_version: c?.version ?? 0,
        form: { name, user_id: owner ? Number(owner) : null, chart_user_id: owner ? null : Number(chartUser) || null, colour, hours, active },
      });
      p.onSaved();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  const people = p.clinicians.map((u) => ({ value: String(u.user_id), label: u.name }));
  return html`<${Modal} title=${c ? `Edit ${c.name}` : 'Add a calendar'} testid="calendar-dialog" onClose=${p.onClose} wide=${true}>
    <form onSubmit=${save}>
      <div class="form-row">
        <${TextField} label="Name" name="name" testid="calendar-name" value=${name} onValue=${setName} error=${form.errors.fields.name} placeholder="Dr Patel; Nurse visits" />
        <div class="field"><label for="f-colour">Colour</label><input id="f-colour" type="color" data-testid="calendar-colour" value=${colour} onInput=${(e: Event) => setColour((e.currentTarget as HTMLInputElement).value)} /></div>
      </div>
      <div class="form-row">
        <${SelectField} label="Whose calendar" name="user_id" testid="calendar-owner" value=${owner} onValue=${setOwner} placeholder="A line without a login (nurse visits…)" options=${people} error=${form.errors.fields.user_id} />
        ${owner ? null : html`<${SelectField} label="Visits open for" name="chart_user_id" testid="calendar-chart-user" value=${chartUser} onValue=${setChartUser} options=${people} error=${form.errors.fields.chart_user_id} />`}
      </div>
      <fieldset class="week-hours"><legend>Working hours (24-hour blocks, a gap is a break; empty: not working)</legend>
        ${DAYS.map((d) => html`<${TextField} key=${d.key} label=${d.label} name=${`hours.${d.key}`} testid=${`hours-${d.key}`} value=${hours[d.key]}
          onValue=${(v: string) => setHours({ ...hours, [d.key]: v })} error=${form.errors.fields[`hours.${d.key}`]} placeholder="08:00-12:00, 13:00-17:00" />`)}
      </fieldset>
      <${CheckField} label="Active (takes appointments)" name="active" testid="calendar-active" checked=${active} onChecked=${setActive} />
      <${FormError} error=${form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="calendar-save" busy=${busy}>Save</${Button}></div>
    </form>
  </${Modal}>`;
}

function TypeDialog(p: { type: AppointmentTypeView | null; calendars: CalendarView[]; onClose: () => void; onSaved: () => void }) {
  const t = p.type;
  const [name, setName] = useState(t?.name ?? '');
  const [minutes, setMinutes] = useState(String(t?.minutes ?? 20));
  const [colour, setColour] = useState(t?.colour ?? '#2f6fb0');
  const [kind, setKind] = useState<EncounterKind>(t?.visit_kind ?? 'office_visit');
  const [on, setOn] = useState<number[]>(t?.calendars ?? []);
  const [active, setActive] = useState(t?.active ?? true);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['name', 'minutes', 'colour', 'calendars']);
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.call({ cmd: 'save_appointment_type', id: t?.id ?? null, expected_version: t?.version ?? 0, form: { name, minutes: Number(minutes) || 0, colour, visit_kind: kind, calendars: on, active } });
      p.onSaved();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${t ? `Edit ${t.name}` : 'Add an appointment type'} testid="type-dialog" onClose=${p.onClose}>
    <form onSubmit=${save}>
      <${TextField} label="Name" name="name" testid="type-name" value=${name} onValue=${setName} error=${form.errors.fields.name} />
      <div class="form-row">
        <${TextField} label="Minutes" name="minutes" testid="type-minutes" value=${minutes} onValue=${setMinutes} error=${form.errors.fields.minutes} inputMode="numeric" />
        <div class="field"><label for="f-type-colour">Colour</label><input id="f-type-colour" type="color" value=${colour} onInput=${(e: Event) => setColour((e.currentTarget as HTMLInputElement).value)} /></div>
      </div>
      <${SelectField} label="Visit opened at check-in" name="visit_kind" value=${kind} onValue=${(v: string) => setKind(v as EncounterKind)} options=${ENCOUNTER_KINDS} />
      <fieldset><legend>Offered on (none ticked: every calendar)</legend>
        ${p.calendars.map((c) => html`<${CheckField} key=${c.id} label=${c.name} name=${`cal-${c.id}`} checked=${on.includes(c.id)} onChecked=${(v: boolean) => setOn(v ? [...on, c.id] : on.filter((x) => x !== c.id))} />`)}
      </fieldset>
      ${form.errors.fields.calendars ? html`<p class="field-error">${form.errors.fields.calendars}</p>` : null}
      <${CheckField} label="Active (can be booked)" name="active" checked=${active} onChecked=${setActive} />
      <${FormError} error=${form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="type-save" busy=${busy}>Save</${Button}></div>
    </form>
  </${Modal}>`;
}

function ClosureDialog(p: { closure: ClosureView | null; calendars: CalendarView[]; onClose: () => void; onSaved: () => void }) {
  const k = p.closure;
  const [calendar, setCalendar] = useState(k?.calendar_id != null ? String(k.calendar_id) : '');
  const [kind, setKind] = useState<ClosureKind>(k?.kind ?? 'vacation');
  const [label, setLabel] = useState(k?.label ?? '');
  const [from, setFrom] = useState(k ? typedLocal(k.start_local) : '');
  const [to, setTo] = useState(k ? typedLocal(k.end_local) : '');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['calendar_id', 'label', 'from', 'to']);
  const save = async (withdrawn: boolean) => {
    form.clear();
    setBusy(true);
    try {
      await api.call({ cmd: 'save_closure', id: k?.id ?? null, expected_version: k?.version ?? 0, form: { calendar_id: calendar ? Number(calendar) : null, kind, label, from, to, withdrawn } });
      p.onSaved();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${k ? 'Edit closure' : 'Add a closure'} testid="closure-dialog" onClose=${p.onClose}>
    <form onSubmit=${(e: Event) => { e.preventDefault(); void save(false); }}>
      <${SelectField} label="Who" name="calendar_id" testid="closure-calendar" value=${calendar} onValue=${setCalendar} placeholder="The whole practice" options=${p.calendars.map((c) => ({ value: String(c.id), label: c.name }))} error=${form.errors.fields.calendar_id} />
      <div class="form-row">
        <${SelectField} label="Kind" name="kind" value=${kind} onValue=${(v: string) => setKind(v as ClosureKind)} options=${CLOSURE_KINDS} />
        <${TextField} label="Label" name="label" testid="closure-label" value=${label} onValue=${setLabel} error=${form.errors.fields.label} placeholder="Thanksgiving; staff meeting" />
      </div>
      <div class="form-row">
        <${TextField} label="From" name="from" testid="closure-from" value=${from} onValue=${setFrom} error=${form.errors.fields.from} hint="MM/DD/YYYY (whole days) or MM/DD/YYYY HH:MM" />
        <${TextField} label="To" name="to" testid="closure-to" value=${to} onValue=${setTo} error=${form.errors.fields.to} hint="A date alone includes that day" />
      </div>
      <${FormError} error=${form.errors.general} />
      <div class="form-actions">
        ${k ? html`<${Button} kind="danger" testid="closure-withdraw" busy=${busy} onClick=${() => void save(true)}>Withdraw</${Button}>` : null}
        <${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}>
        <${Button} kind="primary" type="submit" testid="closure-save" busy=${busy}>Save</${Button}>
      </div>
    </form>
  </${Modal}>`;
}

function RoomDialog(p: { room: RoomView | null; onClose: () => void; onSaved: () => void }) {
  const r = p.room;
  const [name, setName] = useState(r?.name ?? '');
  const [active, setActive] = useState(r?.active ?? true);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['name', 'active']);
  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      await api.call({ cmd: 'save_room', id: r?.id ?? null, expected_version: r?.version ?? 0, form: { name, active } });
      p.onSaved();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${r ? `Edit ${r.name}` : 'Add a room'} testid="room-dialog" onClose=${p.onClose}>
    <form onSubmit=${save}>
      <${TextField} label="Name" name="name" testid="room-name" value=${name} onValue=${setName} error=${form.errors.fields.name} placeholder="Exam 1; Procedure room" />
      <${CheckField} label="In use (can be booked)" name="active" testid="room-active" checked=${active} onChecked=${setActive} />
      ${form.errors.fields.active ? html`<p class="field-error" data-testid="room-active-error">${form.errors.fields.active}</p>` : null}
      <${FormError} error=${form.errors.general} />
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="room-save" busy=${busy}>Save</${Button}></div>
    </form>
  </${Modal}>`;
}
