// The schedule: a day with a column per calendar, or a week of one
// calendar, drawn by @event-calendar/core (MIT, bundled like every other
// asset). Click or drag over a free time to book; drag an appointment to
// move it or its end to resize it; click one for its dialog. Everything the
// grid can do is also reachable from the keyboard: the toolbar, "Book…",
// and the day's list under the grid, whose rows open the same dialog.
//
// Times are the clinic's wall-clock times as the backend sends them
// (`YYYY-MM-DDTHH:MM`); the grid runs in UTC so that it never shifts them
// by the webview's own zone or a daylight-saving change.

import { useEffect, useRef, useState } from 'preact/hooks';
import { createCalendar, destroyCalendar, Interaction, ResourceTimeGrid, TimeGrid } from '@event-calendar/core';
import type { Calendar } from '@event-calendar/core';
import '@event-calendar/core/index.css';
import { html } from '../html';
import * as api from '../api';
import type { ScheduleView } from '../bindings/ScheduleView';
import type { AppointmentView } from '../bindings/AppointmentView';
import type { AppointmentTypeView } from '../bindings/AppointmentTypeView';
import { Button, FormError, Modal, SelectField, useFormErrors } from '../components/form';
import type { CalendarView } from '../bindings/CalendarView';
import { useSheetOutput } from '../components/sheetOutput';
import { sheetDoneText } from '../format';
import { reportError, toast } from '../components/toast';
import { toWireError } from '../api';
import { AppointmentDialog, BookDialog, statusLabel, timeOf, type BookingDraft } from './appointment';
import { WaitlistOffersDialog } from './waitlist';

/** A `YYYY-MM-DD` moved by `n` days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the week `day` is in (weeks start on Monday). */
export function weekStart(day: string): string {
  const wd = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -((wd + 6) % 7));
}

/** A grid Date (UTC fields hold the clinic's wall clock) as `YYYY-MM-DDTHH:MM`. */
function wall(d: Date): string {
  return d.toISOString().slice(0, 16);
}

function dayTitle(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  return d.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

export function ScheduleScreen(p: { day: string | null }) {
  const [view, setView] = useState<'day' | 'week'>('day');
  const [weekCalendar, setWeekCalendar] = useState<number | null>(null);
  const [data, setData] = useState<ScheduleView | null>(null);
  const [types, setTypes] = useState<AppointmentTypeView[]>([]);
  const [allCalendars, setAllCalendars] = useState<CalendarView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<AppointmentView | null>(null);
  const [draft, setDraft] = useState<BookingDraft | null>(null);
  const [printing, setPrinting] = useState(false);
  const [offersFor, setOffersFor] = useState<number | null>(null);
  const [day, setDay] = useState<string | null>(p.day);
  const host = useRef<HTMLDivElement>(null);
  const grid = useRef<Calendar | null>(null);
  useEffect(() => {
    if (p.day) setDay(p.day);
  }, [p.day]);

  const load = async () => {
    try {
      const s = await api.call({
        cmd: 'get_schedule',
        from: day === null ? '' : view === 'week' ? weekStart(day) : day,
        days: view === 'week' ? 7 : 1,
        calendar_ids: view === 'week' && weekCalendar !== null ? [weekCalendar] : [],
      });
      setData(s);
      setError(null);
      if (day === null) setDay(s.today);
    } catch (e) {
      setError(toWireError(e).message);
    }
  };

  useEffect(() => {
    api.call({ cmd: 'list_appointment_types' }).then(setTypes, reportError);
    api.call({ cmd: 'list_calendars' }).then((c) => setAllCalendars(c.filter((x) => x.active)), reportError);
  }, []);
  // No day yet: the backend reads the clinic's today (an empty `from`).
  useEffect(() => {
    void load();
  }, [day, view, weekCalendar]);

  // The grid, made once and fed on every answer.
  useEffect(() => {
    if (!data || !host.current) return;
    const resources = data.calendars.map((c) => ({ id: c.id, title: c.name }));
    const background = [
      ...data.hours.map((h) => ({
        start: h.start_local,
        end: h.end_local,
        resourceIds: [h.calendar_id],
        display: 'background',
        classNames: ['ec-working'],
      })),
      ...data.closures.map((k) => ({
        start: k.start_local,
        end: k.end_local,
        resourceIds: k.calendar_id === null ? data.calendars.map((c) => c.id) : [k.calendar_id],
        display: 'background',
        classNames: ['ec-closed'],
        title: k.label || k.kind,
      })),
    ];
    const events = data.appointments
      .filter((a) => a.status !== 'cancelled')
      .map((a) => ({
        id: String(a.id),
        resourceIds: [a.calendar_id],
        start: a.start_local,
        end: a.end_local,
        title: `${a.patient_name} · ${a.type_name}${a.room_name ? ` · ${a.room_name}` : ''}${a.status !== 'scheduled' ? ` · ${statusLabel(a.status)}` : ''}`,
        backgroundColor: a.colour,
        editable: a.actions.can_move,
        classNames: [`appt-${a.status}`],
      }));
    // The hours shown: the working hours and appointments of the days, at
    // least 08:00-18:00, in whole hours.
    const times = [
      ...data.hours.flatMap((h) => [h.start_local, h.end_local]),
      ...events.flatMap((e) => [e.start, e.end]),
    ].map((t) => Number(t.slice(11, 13)) * 60 + Number(t.slice(14, 16)));
    const lo = Math.min(8 * 60, ...times);
    const hi = Math.max(18 * 60, ...times.map((t) => (t === 0 ? 24 * 60 : t)));
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:00`;
    const options: Calendar.Options = {
      view: view === 'week' ? 'timeGridWeek' : 'resourceTimeGridDay',
      date: data.days[0],
      timeZone: 'UTC',
      headerToolbar: { start: '', center: '', end: '' },
      allDaySlot: false,
      slotDuration: '00:15',
      slotMinTime: hhmm(lo),
      slotMaxTime: hhmm(Math.min(24 * 60, Math.ceil(hi / 60) * 60)),
      scrollTime: hhmm(Math.max(lo, 8 * 60)),
      height: '640px',
      firstDay: 1,
      nowIndicator: false,
      resources,
      events: [...background, ...events] as Calendar.EventInput[],
      selectable: data.can_book,
      editable: data.can_book,
      eventDurationEditable: data.can_book,
      // One line: time and title, so a 15-minute visit shows whose it is.
      eventContent: (info) => (info.event.display === 'background' ? '' : `${info.timeText} ${info.event.title}`),
      eventClick: (info) => {
        const a = data.appointments.find((x) => String(x.id) === String(info.event.id));
        if (a) setOpen(a);
      },
      select: (info) => {
        const cal = info.resource?.id ?? weekCalendar ?? data.calendars[0]?.id;
        if (cal !== undefined) setDraft({ calendar_id: Number(cal), start_local: wall(info.start) });
        grid.current?.unselect();
      },
      dateClick: (info) => {
        const cal = info.resource?.id ?? weekCalendar ?? data.calendars[0]?.id;
        if (data.can_book && cal !== undefined) setDraft({ calendar_id: Number(cal), start_local: wall(info.date) });
      },
      eventDrop: (info) => void moved(info.event, info.revert, (info.newResource?.id as number | undefined) ?? null),
      eventResize: (info) => void moved(info.event, info.revert, null),
    };
    if (grid.current) {
      for (const [k, v] of Object.entries(options)) grid.current.setOption(k as keyof Calendar.Options, v as never);
    } else {
      grid.current = createCalendar(host.current, [ResourceTimeGrid, TimeGrid, Interaction], options);
    }
  }, [data]);
  useEffect(
    () => () => {
      if (grid.current) void destroyCalendar(grid.current);
      grid.current = null;
    },
    [],
  );

  const moved = async (e: Calendar.Event, revert: () => void, calendar: number | null) => {
    const a = data?.appointments.find((x) => String(x.id) === String(e.id));
    if (!a || !e.start || !e.end) return revert();
    try {
      await api.call({
        cmd: 'move_appointment',
        appointment_id: a.id,
        expected_version: a.version,
        start: wall(e.start),
        calendar_id: calendar,
        minutes: Math.round((e.end.getTime() - e.start.getTime()) / 60000),
        scope: 'this',
        override_reason: '',
      });
      toast('Appointment moved', 'success');
    } catch (err) {
      revert();
      const w = toWireError(err);
      toast(w.fields.length ? w.fields.map((f) => f.message).join(' ') : w.message, 'error');
    }
    void load();
  };

  if (error && !data) return html`<div class="panel empty-panel" role="alert"><h1>The schedule could not be shown</h1><p>${error}</p></div>`;
  const go = (n: number) => day && setDay(addDays(day, n * (view === 'week' ? 7 : 1)));
  const shown = (data?.appointments ?? []).slice().sort((x, y) => x.start_local.localeCompare(y.start_local));

  return html`<div class="screen schedule-screen">
    <div class="schedule-toolbar" role="toolbar" aria-label="Schedule">
      <${Button} testid="schedule-prev" onClick=${() => go(-1)} title="Earlier">‹</${Button}>
      <${Button} testid="schedule-today" onClick=${() => data && setDay(data.today)}>Today</${Button}>
      <${Button} testid="schedule-next" onClick=${() => go(1)} title="Later">›</${Button}>
      <h1 class="schedule-title" data-testid="schedule-title">${day ? (view === 'week' ? `Week of ${dayTitle(weekStart(day))}` : dayTitle(day)) : ''}</h1>
      <div class="segmented" role="group" aria-label="View">
        <button type="button" class=${view === 'day' ? 'on' : ''} data-testid="schedule-view-day" aria-pressed=${view === 'day'} onClick=${() => setView('day')}>Day</button>
        <button type="button" class=${view === 'week' ? 'on' : ''} data-testid="schedule-view-week" aria-pressed=${view === 'week'}
          onClick=${() => { if (weekCalendar === null && allCalendars[0]) setWeekCalendar(allCalendars[0].id); setView('week'); }}>Week</button>
      </div>
      ${view === 'week'
        ? html`<${SelectField} label="Calendar" name="week_calendar" testid="schedule-week-calendar" value=${String(weekCalendar ?? '')}
            onValue=${(v: string) => v && setWeekCalendar(Number(v))} options=${allCalendars.map((c) => ({ value: String(c.id), label: c.name }))} class="inline-field" />`
        : null}
      ${data?.can_book && data.calendars[0]
        ? html`<${Button} testid="schedule-print" onClick=${() => setPrinting(true)}>Print…</${Button}>`
        : null}
      ${data?.can_book && data.calendars[0]
        ? html`<${Button} kind="primary" testid="schedule-book" onClick=${() => setDraft({ calendar_id: weekCalendar ?? data.calendars[0]!.id, start_local: `${day}T09:00` })}>Book…</${Button}>`
        : null}
    </div>
    <${FormError} error=${error} />
    ${data && allCalendars.length === 0
      ? html`<div class="panel empty-panel"><p>No calendars yet. The practice manager sets them up under Calendars.</p></div>`
      : null}
    <div class="schedule-grid" ref=${host} data-testid="schedule-grid"></div>
    <p class="muted small">Times are in the clinic's time zone (${data?.zone ?? '…'}).</p>
    <section class="panel schedule-list">
      <h2>Appointments ${view === 'week' ? 'this week' : 'this day'} <span class="count">${shown.length}</span></h2>
      ${shown.length
        ? html`<table class="data-table">
            <thead><tr><th>When</th><th>Patient</th><th>Calendar</th><th>Type</th><th>Status</th></tr></thead>
            <tbody>
              ${shown.map((a) => html`<tr key=${a.id} class=${`appt-row appt-${a.status}`} data-testid="schedule-row" data-appointment-id=${a.id} data-status=${a.status}>
                <td class="nowrap">${view === 'week' ? `${a.day.slice(5)} ` : ''}${timeOf(a.start_local)}–${timeOf(a.end_local)}</td>
                <td><button type="button" class="link-btn" data-testid="schedule-open" onClick=${() => setOpen(a)}>${a.patient_name}</button></td>
                <td>${a.calendar_name}${a.room_name ? html` <span class="muted">· ${a.room_name}</span>` : null}</td>
                <td><span class="type-dot" style=${`background:${a.colour}`}></span>${a.type_name}</td>
                <td><span class=${`appt-status status-${a.status}`}>${statusLabel(a.status)}</span></td>
              </tr>`)}
            </tbody>
          </table>`
        : html`<p class="muted">Nothing booked.</p>`}
    </section>
    ${open
      ? html`<${AppointmentDialog} appointment=${open} onClose=${() => setOpen(null)} onChanged=${() => { setOpen(null); void load(); }} onCancelled=${setOffersFor} />`
      : null}
    ${offersFor !== null
      ? html`<${WaitlistOffersDialog} appointmentId=${offersFor} onClose=${() => setOffersFor(null)} onDone=${() => { setOffersFor(null); void load(); }} />`
      : null}
    ${printing && data && day
      ? html`<${PrintDialog} day=${day} calendars=${allCalendars} calendarId=${weekCalendar ?? data.calendars[0]?.id ?? 0} onClose=${() => setPrinting(false)} />`
      : null}
    ${draft && data
      ? html`<${BookDialog} draft=${draft} calendars=${allCalendars} types=${types} canOverride=${data.can_override}
          onClose=${() => setDraft(null)}
          onBooked=${(a: AppointmentView) => { setDraft(null); toast(`Booked ${a.patient_name}, ${timeOf(a.start_local)}`, 'success'); setDay(a.day); void load(); }} />`
      : null}
  </div>`;
}

/** Prints or saves a calendar's day sheet, or the reminder letters of the
 *  week that starts on the day shown. */
function PrintDialog(p: { day: string; calendars: CalendarView[]; calendarId: number; onClose: () => void }) {
  const [what, setWhat] = useState<'day_sheet' | 'reminders'>('day_sheet');
  const [calendarId, setCalendarId] = useState(String(p.calendarId));
  const out = useSheetOutput();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const form = useFormErrors(['day', 'from', 'printer', 'calendar_id']);
  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setDone(null);
    setBusy(true);
    const output = out.output;
    try {
      const r =
        what === 'day_sheet'
          ? await api.call({ cmd: 'print_day_sheet', calendar_id: Number(calendarId), day: p.day, output })
          : (await api.call({ cmd: 'print_reminders', from: p.day, output })).done;
      setDone(sheetDoneText(r));
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title="Print" testid="print-dialog" onClose=${p.onClose}>
    <form onSubmit=${submit}>
      <${SelectField} label="What" name="what" testid="print-what" value=${what} onValue=${(v: string) => setWhat(v as 'day_sheet' | 'reminders')}
        options=${[{ value: 'day_sheet', label: `Day sheet of ${dayTitle(p.day)}` }, { value: 'reminders', label: `Reminder letters for the week from ${dayTitle(p.day)}` }]} />
      ${what === 'day_sheet'
        ? html`<${SelectField} label="Calendar" name="calendar_id" testid="print-calendar" value=${calendarId} onValue=${setCalendarId} options=${p.calendars.map((c) => ({ value: String(c.id), label: c.name }))} error=${form.errors.fields.calendar_id} />`
        : null}
      ${out.fields(form.errors.fields.printer)}
      <${FormError} error=${form.errors.general} />
      ${done ? html`<p class="form-ok" role="status" data-testid="print-done">${done}</p>` : null}
      <div class="form-actions"><${Button} kind="ghost" onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid="print-submit" busy=${busy}>${out.submitLabel}</${Button}></div>
    </form>
  </${Modal}>`;
}
