// Ending a session, fail closed: the screen is covered (the lock overlay)
// before the backend is asked, and stays covered unless the backend's own
// status, read afterwards, says whose session it is. A log out that fails,
// or a status that cannot be read, never shows the chart again.

export interface EndSessionSteps {
  /** Saves what is being typed (skipped by the caller when locked). */
  flush: () => Promise<void>;
  /** Puts the lock overlay over the screen. */
  cover: () => void;
  /** Asks the backend to end the session. */
  logout: () => Promise<unknown>;
  /** Tells the user the log out failed. */
  report: (err: unknown) => void;
  /** Forgets the session's data in the window (toasts, reference lists, route). */
  forget: () => void;
  /** Reads the backend's status; only this can take the cover away. */
  refresh: () => Promise<void>;
}

export async function endSession(s: EndSessionSteps): Promise<void> {
  await s.flush();
  s.cover();
  try {
    await s.logout();
  } catch (err) {
    s.report(err);
  }
  s.forget();
  await s.refresh();
}
