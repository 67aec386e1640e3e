// Work that must reach the backend before the session locks or ends: a
// note's unsaved draft registers a flusher here while it is open; the shell
// runs them all before locking or logging out (and waits a short while).

type Flusher = () => Promise<void>;

const flushers = new Set<Flusher>();

/** Registers a flusher; returns the function that removes it. */
export function onBeforeLock(f: Flusher): () => void {
  flushers.add(f);
  return () => {
    flushers.delete(f);
  };
}

/** Runs every flusher, giving up waiting after `timeoutMs`. Never rejects. */
export async function flushPending(timeoutMs = 3000): Promise<void> {
  if (flushers.size === 0) return;
  const all = Promise.allSettled([...flushers].map((f) => f()));
  await Promise.race([all, new Promise((r) => window.setTimeout(r, timeoutMs))]);
}
