/**
 * The approval window's security delay. A decision that spends money needs the window to have
 * been visible AND focused, without interruption, for `delayMs` (browsers give their own
 * permission and install prompts such a delay): a click or a keystroke meant for the page the
 * user was on — the window pops up under the pointer — must not land on "Pay". Losing focus
 * or visibility disarms it and starts the wait again. The window also refuses to arm inside a
 * frame or when a page opened it (it is never web-accessible; this is defence in depth).
 * Pure state machine; the approval card feeds it DOM events and a clock.
 */
export const SECURITY_DELAY_MS = 800;

export interface DelayEnv {
  visible: boolean;
  focused: boolean;
  /** running inside a frame (window.top !== window) */
  framed: boolean;
  /** window.opener is set: something scripted this window open */
  opened: boolean;
}

export class SecurityDelay {
  private since: number | null = null;

  constructor(
    private env: DelayEnv,
    now: number,
    readonly delayMs = SECURITY_DELAY_MS,
  ) {
    this.update(env, now);
  }

  /** Only ever true in a top-level, non-scripted window. */
  get allowedContext(): boolean {
    return !this.env.framed && !this.env.opened;
  }

  /** A change of visibility or focus (or anything else the card learns). */
  update(env: DelayEnv, now: number): void {
    this.env = env;
    const ready = env.visible && env.focused && this.allowedContext;
    if (!ready) this.since = null;
    else if (this.since === null) this.since = now;
  }

  /** Milliseconds until a decision counts (Infinity while not visible and focused). */
  remaining(now: number): number {
    if (this.since === null) return Infinity;
    return Math.max(0, this.since + this.delayMs - now);
  }

  armed(now: number): boolean {
    return this.remaining(now) === 0;
  }

  /** Would this event decide? Untrusted (script-made) events never do, nor any before the delay. */
  accepts(e: { isTrusted: boolean }, now: number): boolean {
    return e.isTrusted && this.armed(now);
  }
}
