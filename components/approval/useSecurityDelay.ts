/** The approval window's security delay (lib/ui/security-delay.ts) wired to the DOM. */
import { useEffect, useRef, useState } from 'react';
import { SecurityDelay, type DelayEnv } from '../../lib/ui/security-delay';

function env(): DelayEnv {
  // rendered without a DOM (server-side, unit tests): never armed
  if (typeof document === 'undefined') return { visible: false, focused: false, framed: false, opened: false };
  let framed = true;
  try {
    framed = window.top !== window.self;
  } catch {
    framed = true;
  }
  return { visible: document.visibilityState === 'visible', focused: document.hasFocus(), framed, opened: window.opener != null };
}

/** `armed` turns true once the window has been visible and focused long enough; `accepts(e)` checks one event. */
export function useSecurityDelay(): { armed: boolean; framed: boolean; accepts(e: { isTrusted: boolean }): boolean } {
  const delay = useRef<SecurityDelay | null>(null);
  delay.current ??= new SecurityDelay(env(), Date.now());
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    const d = delay.current!;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      d.update(env(), Date.now());
      clearTimeout(timer);
      const left = d.remaining(Date.now());
      setArmed(left === 0);
      if (left > 0 && left !== Infinity) timer = setTimeout(refresh, left + 10);
    };
    refresh();
    const events = ['focus', 'blur', 'visibilitychange', 'pageshow', 'pagehide'] as const;
    for (const e of events) (e === 'visibilitychange' ? document : window).addEventListener(e, refresh);
    // some browsers report focus late for a new popup window: look again for a moment
    const poll = setInterval(refresh, 250);
    return () => {
      clearTimeout(timer);
      clearInterval(poll);
      for (const e of events) (e === 'visibilitychange' ? document : window).removeEventListener(e, refresh);
    };
  }, []);
  return { armed, framed: !delay.current.allowedContext, accepts: (e) => delay.current!.accepts(e, Date.now()) };
}
