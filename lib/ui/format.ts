/**
 * Pure display helpers shared by the extension pages: addresses, times, countdowns,
 * auto-lock choices, period/status labels and origin validation. No browser APIs.
 */
import type { AutoLock, PaymentDto, PeriodUsageDto } from '../messaging/contract';
import { UI_STRINGS } from './strings';

/**
 * "0x1234…abcd" (EVM) or "4Nd1mB…Wsq2" (Solana base58). The address is cut, never re-cased:
 * EVM addresses keep their EIP-55 checksum casing, base58 is case-sensitive.
 */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** Remaining time as "1:05:09", "4:05" or "45 s"; "0 s" once past. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  if (m > 0) return `${m}:${String(s).padStart(2, '0')}`;
  return `${s} s`;
}

/** A duration in whole seconds as "45 s", "5 min", "1 min 30 s", "2 h", "1 h 5 min". */
export function formatSeconds(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return s > 0 ? `${m} min ${s} s` : `${m} min`;
}

/** Whole seconds left (rounded up) until `untilMs`, 0 when past. */
export function secondsLeft(untilMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

export function formatDateTime(ms: number, locale?: string): string {
  return new Date(ms).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The auto-lock select: fixed choices, value strings ↔ AutoLock. */
export const AUTO_LOCK_MINUTES = [1, 5, 15, 30, 60] as const;

export interface AutoLockChoice {
  value: string;
  label: string;
}

export function autoLockChoices(current?: AutoLock): AutoLockChoice[] {
  const list: AutoLockChoice[] = AUTO_LOCK_MINUTES.map((m) => ({
    value: `minutes:${m}`,
    label: UI_STRINGS.autoLockChoice.minutes(m),
  }));
  if (current?.kind === 'minutes' && !(AUTO_LOCK_MINUTES as readonly number[]).includes(current.minutes)) {
    list.push({ value: `minutes:${current.minutes}`, label: UI_STRINGS.autoLockChoice.minutes(current.minutes) });
  }
  list.push({ value: 'browser-close', label: UI_STRINGS.autoLockChoice.browserClose });
  list.push({ value: 'never', label: UI_STRINGS.autoLockChoice.never });
  return list;
}

export function autoLockToValue(a: AutoLock): string {
  return a.kind === 'minutes' ? `minutes:${a.minutes}` : a.kind;
}

export function valueToAutoLock(value: string): AutoLock | null {
  if (value === 'browser-close') return { kind: 'browser-close' };
  if (value === 'never') return { kind: 'never' };
  const m = /^minutes:(\d{1,4})$/.exec(value);
  if (m) {
    const minutes = Number(m[1]);
    if (minutes >= 1) return { kind: 'minutes', minutes };
  }
  return null;
}

export function periodLabel(period: PeriodUsageDto['period']): string {
  return UI_STRINGS.period[period];
}

/** A payment released at expiry without the chain's answer (no RPC, RPC down): it may have settled. */
export const UNVERIFIED_TEXT = 'Not checked on chain yet (no RPC answer): it may have settled; the wallet keeps asking for 7 days.';

export function paymentStatusLabel(status: PaymentDto['status']): string {
  switch (status) {
    case 'reserved':
      return 'Pending';
    case 'signed':
      return 'Signed, waiting';
    case 'settled':
      return 'Paid';
    case 'failed':
      return 'Failed';
    case 'released':
      return 'Not charged';
    case 'unknown':
      return 'Unknown outcome';
  }
}

export type OriginCheck = { ok: true; origin: string } | { ok: false; error: string };

/**
 * Validates a site typed by the user as an http(s) origin ("https://example.com",
 * "http://localhost:3000", a trailing "/" allowed) and returns its canonical form.
 */
export function parseSiteOrigin(input: string): OriginCheck {
  const s = input.trim();
  if (s === '') return { ok: false, error: UI_STRINGS.siteOrigin.empty };
  if (!/^https?:\/\//i.test(s)) return { ok: false, error: UI_STRINGS.siteOrigin.scheme };
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return { ok: false, error: UI_STRINGS.siteOrigin.invalid };
  }
  if (url.username || url.password) return { ok: false, error: UI_STRINGS.siteOrigin.credentials };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || /[?#]/.test(s)) {
    return { ok: false, error: UI_STRINGS.siteOrigin.originOnly };
  }
  if (!url.hostname) return { ok: false, error: UI_STRINGS.siteOrigin.noHost };
  return { ok: true, origin: url.origin };
}

/** Local date "YYYY-MM-DD" for an <input type="date">. */
export function toDateInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** End of the given local day (23:59:59.999) in epoch ms; undefined for an empty input. */
export function fromDateInput(value: string): number | undefined | null {
  if (value === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999);
  return Number.isNaN(d.getTime()) ? null : d.getTime();
}

/** Percent for a bar, clamped to 0–100. */
export function clampPercent(p: number): number {
  if (!Number.isFinite(p)) return 0;
  return Math.min(100, Math.max(0, p));
}

/**
 * The numbers in an amount text the background formatted ("1234.5 USDC", "$1234.50") written in
 * the user's locale ("1,234.5 USDC", "1.234,5 USDC"): digit grouping and decimal separator only.
 * Exact: the integer part is grouped as a BigInt and the fraction digits are kept as they are, so
 * a token amount is never rounded through a float.
 */
export function localizeNumbers(text: string, locale?: string): string {
  let decimal = '.';
  try {
    decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  } catch {
    return text;
  }
  return text.replace(/\d+(?:\.\d+)?/g, (m) => {
    const [int, frac] = m.split('.') as [string, string | undefined];
    // leading zeros (ids, "007") are not amounts: left alone
    if (int.length > 1 && int.startsWith('0')) return m;
    const grouped = BigInt(int).toLocaleString(locale);
    return frac === undefined ? grouped : `${grouped}${decimal}${frac}`;
  });
}
