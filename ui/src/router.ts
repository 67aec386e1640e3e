// Hash routing: `#/patients`, `#/register`, `#/patient/<id>` (plus `/edit`
// and `/history`), `#/admin/users`, `#/admin/settings`, `#/admin/audit`,
// `#/emergency`, `#/account`.

import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'home' }
  | { name: 'patients' }
  | { name: 'register' }
  | { name: 'patient'; id: number; mode: 'view' | 'edit' | 'history' }
  | { name: 'users' }
  | { name: 'settings' }
  | { name: 'audit' }
  | { name: 'emergency' }
  | { name: 'account' }
  | { name: 'unknown'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case undefined:
      return { name: 'home' };
    case 'patients':
      return { name: 'patients' };
    case 'register':
      return { name: 'register' };
    case 'patient': {
      const id = Number(parts[1]);
      if (!Number.isInteger(id) || id <= 0) return { name: 'unknown', path };
      const mode = parts[2] === 'edit' ? 'edit' : parts[2] === 'history' ? 'history' : 'view';
      return { name: 'patient', id, mode };
    }
    case 'admin':
      if (parts[1] === 'users') return { name: 'users' };
      if (parts[1] === 'settings') return { name: 'settings' };
      if (parts[1] === 'audit') return { name: 'audit' };
      return { name: 'unknown', path };
    case 'emergency':
      return { name: 'emergency' };
    case 'account':
      return { name: 'account' };
    default:
      return { name: 'unknown', path };
  }
}

export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const patientHref = (id: number, mode: 'view' | 'edit' | 'history' = 'view') =>
  mode === 'view' ? `#/patient/${id}` : `#/patient/${id}/${mode}`;
