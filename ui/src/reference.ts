// The chart's reference lists (vaccines, lab tests, drug names, vital signs
// and the practice's units), asked for once per session and kept here. The
// cache is dropped on login, logout and when the settings change (units).

import { useEffect, useState } from 'preact/hooks';
import * as api from './api';
import type { ReferenceData } from './bindings/ReferenceData';

let pending: Promise<ReferenceData> | null = null;
let loaded: ReferenceData | null = null;

/** The reference data, from the backend the first time. */
export function referenceData(): Promise<ReferenceData> {
  if (!pending) {
    pending = api.getReferenceData().then(
      (r) => {
        loaded = r;
        return r;
      },
      (e) => {
        pending = null; // try again next time
        throw e;
      },
    );
  }
  return pending;
}

/** Forgets the cached lists (new session, changed units). */
export function clearReferenceData(): void {
  pending = null;
  loaded = null;
}

/** The reference data in a component: `null` until it has arrived. */
export function useReference(): ReferenceData | null {
  const [ref, setRef] = useState<ReferenceData | null>(loaded);
  useEffect(() => {
    if (loaded) return;
    let live = true;
    // A failure shows where the data is needed; the lists stay empty.
    referenceData()
      .then((r) => live && setRef(r))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return ref;
}
