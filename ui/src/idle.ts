// Inactivity lock: watches the user's input; while they are active, tells
// the backend with a `heartbeat` at most every 30 s; after the session's
// idle time without input, calls `onIdle` (which locks the session).

import { useEffect, useRef } from 'preact/hooks';
import * as api from './api';

const EVENTS = ['keydown', 'pointerdown', 'mousemove', 'wheel', 'touchstart'] as const;
const HEARTBEAT_MS = 30_000;

export function useIdleLock(idleSeconds: number, paused: boolean, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;
  useEffect(() => {
    if (paused || !(idleSeconds > 0)) return undefined;
    let lastInput = Date.now();
    let lastBeat = Date.now();
    const onInput = () => {
      lastInput = Date.now();
      if (lastInput - lastBeat >= HEARTBEAT_MS) {
        lastBeat = lastInput;
        // A locked or ended session is handled globally by the gateway.
        api.heartbeat().catch(() => undefined);
      }
    };
    for (const ev of EVENTS) window.addEventListener(ev, onInput, { capture: true, passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastInput >= idleSeconds * 1000) onIdleRef.current();
    }, 1000);
    return () => {
      for (const ev of EVENTS) window.removeEventListener(ev, onInput, { capture: true });
      window.clearInterval(timer);
    };
  }, [idleSeconds, paused]);
}
