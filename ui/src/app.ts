// The root: asks the backend where things stand (`status`) and shows the
// screen for that phase. In the `active`/`locked` phases it renders the
// shell; locking only lays the overlay over it, so nothing typed is lost.

import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { html } from './html';
import * as api from './api';
import type { AppStatus } from './bindings/AppStatus';
import type { SessionInfo } from './bindings/SessionInfo';
import type { Permission } from './bindings/Permission';
import type { WireError } from './bindings/WireError';
import { ToastHost, capitalize, clearToasts } from './components/toast';
import { Spinner } from './components/form';
import { SetupScreen } from './screens/setup';
import { UnlockScreen } from './screens/unlock';
import { CannotOpen } from './screens/cannotOpen';
import { LoginScreen } from './screens/login';
import { Shell } from './screens/shell';
import { clearReferenceData } from './reference';
import { forgetHandoffs } from './handoff';

export interface AppContext {
  status: AppStatus;
  session: SessionInfo;
  /** Asks the backend for the status again (after a change of phase). */
  refresh: () => Promise<void>;
  /** Replaces the session (after resume, or when settings change it). */
  setSession: (s: SessionInfo) => void;
  /** Whether the session holds a permission. */
  can: (p: Permission) => boolean;
}

const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useApp outside the app shell');
  return ctx;
}

export function App() {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [bootError, setBootError] = useState<WireError | null>(null);
  const [lockedByUi, setLockedByUi] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const s = await api.status();
      setStatus(s);
      setBootError(null);
      if (s.phase !== 'locked') setLockedByUi(false);
    } catch (e) {
      setBootError(api.toWireError(e));
    }
  }, []);

  useEffect(() => {
    void refresh();
    api.onSessionTrouble((err) => {
      // Locked or logged out: the old session's messages go with it.
      clearToasts();
      if (err.code === 'session_locked') setLockedByUi(true);
      else void refresh();
    });
    return () => api.onSessionTrouble(null);
  }, [refresh]);

  // Reference lists, the last search and anything handed between screens
  // belong to a session: the next user starts with none of them.
  const userId = status?.session?.user.id ?? null;
  useEffect(() => {
    if (userId === null) {
      clearReferenceData();
      forgetHandoffs();
    }
  }, [userId]);

  const setSession = useCallback((session: SessionInfo) => {
    setStatus((s) => (s ? { ...s, session, phase: session.locked ? 'locked' : 'active' } : s));
    if (!session.locked) setLockedByUi(false);
  }, []);

  let body;
  if (!status) {
    body = bootError
      ? html`<div class="center-page"><div class="card narrow">
          <h1>Chartroom could not start</h1>
          <p class="form-error" data-testid="boot-error">${capitalize(bootError.message)}</p>
          <button type="button" class="btn btn-primary" onClick=${() => void refresh()}>Try again</button>
        </div></div>`
      : html`<div class="center-page"><${Spinner} label="Opening Chartroom…" /></div>`;
  } else {
    switch (status.phase) {
      case 'needs_setup':
        body = html`<${SetupScreen} status=${status} onDone=${refresh} />`;
        break;
      case 'needs_unlock':
        body = html`<${UnlockScreen} status=${status} onDone=${refresh} />`;
        break;
      case 'cannot_open':
        body = html`<${CannotOpen} status=${status} />`;
        break;
      case 'logged_out':
        body = html`<${LoginScreen} status=${status} onLoggedIn=${refresh} />`;
        break;
      case 'active':
      case 'locked': {
        const session = status.session;
        if (!session) {
          body = html`<${LoginScreen} status=${status} onLoggedIn=${refresh} />`;
          break;
        }
        const ctx: AppContext = {
          status,
          session,
          refresh,
          setSession,
          can: (p) => session.permissions.includes(p),
        };
        const locked = status.phase === 'locked' || session.locked || lockedByUi;
        body = html`<${Ctx.Provider} value=${ctx}>
          <${Shell} locked=${locked} onLock=${() => setLockedByUi(true)} />
        </${Ctx.Provider}>`;
        break;
      }
    }
  }
  return html`<div class="app-root">${body}<${ToastHost} /></div>`;
}
