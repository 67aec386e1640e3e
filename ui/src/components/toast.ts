// Toasts: short messages at the top right (under the top bar, so they never
// cover a form's action bar at the bottom), for failures that have no form
// to sit under and for confirmations ("Saved"). Every failed call ends up
// visible somewhere; this is the fallback place. They dismiss themselves,
// and are cleared when the user logs in, logs out or locks the session.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import { isSessionTrouble, toWireError } from '../api';

export type ToastKind = 'error' | 'success' | 'info';
interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<(t: Toast[]) => void>();
const timers = new Map<number, number>();

/** How long a toast stays up, by kind. */
const TOAST_MS: Record<ToastKind, number> = { error: 8000, success: 4000, info: 5000 };

function publish() {
  for (const l of listeners) l(toasts);
}

export function dismissToast(id: number): void {
  const timer = timers.get(id);
  if (timer !== undefined) window.clearTimeout(timer);
  timers.delete(id);
  toasts = toasts.filter((t) => t.id !== id);
  publish();
}

/** Removes every toast (on login, logout and lock: a message of one
 *  session must not linger into the next, nor over the lock screen). */
export function clearToasts(): void {
  for (const timer of timers.values()) window.clearTimeout(timer);
  timers.clear();
  if (toasts.length === 0) return;
  toasts = [];
  publish();
}

export function toast(text: string, kind: ToastKind = 'info'): void {
  const id = nextId++;
  for (const t of toasts.filter((t) => t.text === text)) dismissToast(t.id);
  toasts = [...toasts, { id, kind, text }];
  while (toasts.length > 4) dismissToast(toasts[0]!.id);
  publish();
  timers.set(id, window.setTimeout(() => dismissToast(id), TOAST_MS[kind]));
}

/** Shows a failed call's message, unless the app handles it globally
 *  (the lock overlay for `session_locked`, the login for `not_logged_in`). */
export function reportError(e: unknown): void {
  const err = toWireError(e);
  if (isSessionTrouble(err)) return;
  toast(capitalize(err.message), 'error');
}

/** A backend message as a sentence: capital first letter, final stop. */
export function capitalize(s: string): string {
  if (!s) return s;
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?…)]$/.test(t) ? t : `${t}.`;
}

export function ToastHost() {
  const [list, setList] = useState<Toast[]>(toasts);
  useEffect(() => {
    listeners.add(setList);
    return () => {
      listeners.delete(setList);
    };
  }, []);
  return html`<div class="toasts" role="status" aria-live="polite">
    ${list.map(
      (t) => html`<div key=${t.id} class=${`toast toast-${t.kind}`} data-testid=${`toast-${t.kind}`}>
        <span class="toast-icon" aria-hidden="true">${t.kind === 'error' ? '!' : t.kind === 'success' ? '✓' : 'i'}</span>
        <span class="toast-text">${t.text}</span>
        <button type="button" class="toast-close" aria-label="Dismiss" onClick=${() => dismissToast(t.id)}>×</button>
      </div>`,
    )}
  </div>`;
}
