// Toasts: short messages in the corner, for failures that have no form to
// sit under and for confirmations ("Saved"). Every failed call ends up
// visible somewhere; this is the fallback place.

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

function publish() {
  for (const l of listeners) l(toasts);
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  publish();
}

export function toast(text: string, kind: ToastKind = 'info'): void {
  const id = nextId++;
  toasts = [...toasts.filter((t) => t.text !== text), { id, kind, text }].slice(-4);
  publish();
  window.setTimeout(() => dismissToast(id), kind === 'error' ? 9000 : 4000);
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
