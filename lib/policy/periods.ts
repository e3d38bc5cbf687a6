/**
 * Calendar periods (day, ISO week starting Monday, month) in the user's time zone,
 * computed with Intl.DateTimeFormat: DST-correct, no dependencies. All results are epoch ms;
 * a period is the half-open interval [periodStart, periodEnd).
 */
import type { PeriodKind } from './types';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The runtime's time zone, or `preferred` if valid; 'UTC' as the last resort. */
export function resolveTimeZone(preferred?: string): string {
  if (preferred && isValidTimeZone(preferred)) return preferred;
  const sys = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return sys && isValidTimeZone(sys) ? sys : 'UTC';
}

export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock fields of an instant in a time zone. */
export function localParts(t: number, timeZone: string): LocalDateTime {
  const out: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(new Date(t))) {
    if (p.type in out) out[p.type as keyof LocalDateTime] = Number(p.value);
  }
  if (out.hour === 24) out.hour = 0; // defensive: some engines print midnight as 24
  return out;
}

/** UTC offset (ms) of the zone at instant t: local wall time − UTC. */
function offsetAt(t: number, timeZone: string): number {
  const p = localParts(t, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

function dateKey(y: number, m: number, d: number): number {
  return y * 10_000 + m * 100 + d;
}

/** First instant whose local date in `timeZone` is y-m-d (normalizes overflowing m/d). */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  const norm = new Date(guess);
  const y = norm.getUTCFullYear();
  const m = norm.getUTCMonth() + 1;
  const d = norm.getUTCDate();
  let best: number | undefined;
  for (const probe of [guess - DAY_MS, guess, guess + DAY_MS]) {
    const c = guess - offsetAt(probe, timeZone);
    const p = localParts(c, timeZone);
    if (p.year === y && p.month === m && p.day === d && p.hour === 0 && p.minute === 0 && p.second === 0) {
      if (best === undefined || c < best) best = c;
    }
  }
  if (best !== undefined) return best;
  // Local midnight does not exist (DST gap at 00:00): the day starts at the transition.
  const target = dateKey(y, m, d);
  let lo = guess - 2 * DAY_MS;
  let hi = guess + 2 * DAY_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const p = localParts(mid, timeZone);
    if (dateKey(p.year, p.month, p.day) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Local calendar date (y, m, d) of the first day of the period containing `now`. */
function periodFirstDay(kind: PeriodKind, now: number, timeZone: string): [number, number, number] {
  const p = localParts(now, timeZone);
  if (kind === 'day') return [p.year, p.month, p.day];
  if (kind === 'month') return [p.year, p.month, 1];
  const isoDow = ((new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7) + 1; // Mon=1..Sun=7
  return [p.year, p.month, p.day - (isoDow - 1)];
}

/** Start (inclusive, epoch ms) of the day / ISO week (Monday) / month containing `now` in `timeZone`. */
export function periodStart(kind: PeriodKind, now: number, timeZone: string): number {
  const [y, m, d] = periodFirstDay(kind, now, timeZone);
  return startOfLocalDay(y, m, d, timeZone);
}

/** End (exclusive, epoch ms) of the period containing `now` = start of the next one. */
export function periodEnd(kind: PeriodKind, now: number, timeZone: string): number {
  const [y, m, d] = periodFirstDay(kind, now, timeZone);
  if (kind === 'day') return startOfLocalDay(y, m, d + 1, timeZone);
  if (kind === 'week') return startOfLocalDay(y, m, d + 7, timeZone);
  return startOfLocalDay(y, m + 1, 1, timeZone);
}
