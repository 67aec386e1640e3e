// Today at the front desk: every appointment of the clinic's day that is
// not cancelled, who has arrived and how long they have waited (the
// backend counts the minutes), with the next steps the backend offers.
// Refreshed every 30 seconds without reloading, and when the window comes
// back into view.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { FlowBoard } from '../bindings/FlowBoard';
import type { AppointmentView } from '../bindings/AppointmentView';
import { Button, FormError } from '../components/form';
import { toWireError } from '../api';
import { formatDate } from '../format';
import { AppointmentDialog, statusLabel, timeOf } from './appointment';

/** How often the board reads the day again. */
export const REFRESH_MS = 30_000;

export function FlowBoardScreen() {
  const [board, setBoard] = useState<FlowBoard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<AppointmentView | null>(null);
  const [checkIn, setCheckIn] = useState(false);

  const load = async () => {
    try {
      setBoard(await api.call({ cmd: 'get_flow_board' }));
      setError(null);
    } catch (e) {
      setError(toWireError(e).message);
    }
  };
  useEffect(() => {
    void load();
    const t = window.setInterval(() => void load(), REFRESH_MS);
    const onVisible = () => document.visibilityState === 'visible' && void load();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(t);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  return html`<div class="screen flow-screen">
    <div class="screen-head">
      <h1>Today${board ? html` <span class="muted">${formatDate(board.today)}</span>` : null}</h1>
      <div class="head-actions">
        ${board ? html`<span class="chip" data-testid="flow-waiting">${board.waiting} waiting</span>` : null}
        <${Button} testid="flow-refresh" onClick=${() => void load()}>Refresh</${Button}>
        <a class="btn btn-secondary" href="#/schedule" data-testid="flow-schedule">Schedule</a>
      </div>
    </div>
    <${FormError} error=${error} />
    ${board === null
      ? html`<p class="muted">Loading…</p>`
      : board.rows.length === 0
        ? html`<div class="panel empty-panel"><p>No appointments today.</p></div>`
        : html`<table class="data-table flow-table">
            <thead><tr><th>Time</th><th>Patient</th><th>Calendar</th><th>Room</th><th>Type</th><th>Status</th><th>Waiting</th><th></th></tr></thead>
            <tbody>
              ${board.rows.map((a) => html`<tr key=${a.id} class=${`appt-row appt-${a.status}`} data-testid="flow-row" data-appointment-id=${a.id} data-status=${a.status}>
                <td class="nowrap mono">${timeOf(a.start_local)}</td>
                <td><button type="button" class="link-btn" data-testid="flow-open" onClick=${() => { setCheckIn(false); setOpen(a); }}>${a.patient_name}</button> <span class="muted mono small">${a.mrn}</span></td>
                <td>${a.calendar_name}</td>
                <td data-testid="flow-room">${a.room_name}</td>
                <td><span class="type-dot" style=${`background:${a.colour}`}></span>${a.type_name}</td>
                <td><span class=${`appt-status status-${a.status}`} data-testid="flow-status">${statusLabel(a.status)}</span></td>
                <td class="num" data-testid="flow-wait">${a.waiting_minutes !== null ? html`<strong class=${a.waiting_long ? 'wait-long' : ''}>${a.waiting_minutes} min</strong>` : ''}</td>
                <td class="nowrap">${a.actions.can_check_in
                  ? html`<${Button} testid="flow-check-in" onClick=${() => { setCheckIn(true); setOpen(a); }}>Check in…</${Button}>`
                  : a.actions.next[0]
                    ? html`<${Button} testid="flow-next" onClick=${() => { setCheckIn(false); setOpen(a); }}>${statusLabel(a.actions.next[0])}…</${Button}>`
                    : null}</td>
              </tr>`)}
            </tbody>
          </table>`}
    ${open ? html`<${AppointmentDialog} appointment=${open} checkIn=${checkIn} onClose=${() => setOpen(null)} onChanged=${() => { setOpen(null); void load(); }} />` : null}
  </div>`;
}
