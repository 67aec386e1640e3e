// Loading a tab's data: one hook that calls the backend, keeps the answer,
// shows a failure as a toast (the session's own troubles are handled by the
// app) and offers `reload`; and its use for one section's entries.

import { useCallback, useEffect, useState } from 'preact/hooks';
import * as api from '../../api';
import type { ChartEntry } from '../../bindings/ChartEntry';
import type { Section } from '../../bindings/Section';
import { reportError } from '../../components/toast';

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [failed, setFailed] = useState(false);
  const reload = useCallback(async () => {
    try {
      setData(await load());
      setFailed(false);
    } catch (e) {
      setFailed(true);
      reportError(e);
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, setData, reload, failed };
}

/** Every entry of a section (entered-in-error ones included). */
export function useEntries(patientId: number, section: Section) {
  const l = useLoad(() => api.listEntries(patientId, section), [patientId, section]);
  /** Puts a saved entry in the list in place of its old version. */
  const put = (e: ChartEntry) =>
    l.setData((list) => {
      const rows = list ?? [];
      return rows.some((x) => x.id === e.id) ? rows.map((x) => (x.id === e.id ? e : x)) : [e, ...rows];
    });
  return { entries: l.data, reload: l.reload, put };
}
