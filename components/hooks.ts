/** Small React hooks shared by the pages: periodic refresh while visible, and a ticking clock. */
import { useEffect, useRef, useState } from 'react';

/**
 * Calls `fn` now, whenever the window gains focus or becomes visible, and every `intervalMs`
 * while the document is visible.
 */
export function useRefresh(fn: () => unknown, intervalMs: number): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    const run = () => {
      if (document.visibilityState === 'visible') void ref.current();
    };
    void ref.current();
    const timer = setInterval(run, intervalMs);
    window.addEventListener('focus', run);
    document.addEventListener('visibilitychange', run);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', run);
      document.removeEventListener('visibilitychange', run);
    };
  }, [intervalMs]);
}

/** Current time in ms, updated every `intervalMs` (only while `active`). */
export function useNow(intervalMs = 1000, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs, active]);
  return now;
}
