/**
 * Pure spend accounting: turns ledger records (plus archived lifetime totals) into the
 * SpendSnapshot that `decide` and the UI read. A record counts toward the period that
 * contains its createdAt; reserved/signed/unknown count until their authorization expires.
 */
import { RATE_WINDOW_MS } from '../policy/decide';
import { periodStart } from '../policy/periods';
import type { PeriodTotals, SpendSnapshot, SpendTotals } from '../policy/types';
import { atomicToMicroUsd, siteKey, tokenKey } from '../policy/units';
import { ACTIVE_STATUSES, COUNTED_STATUSES, type ArchivedTotals, type PaymentRecord } from './types';

/** Default grace after validBefore before a signed/unknown authorization is considered dead
 * (block timestamps and local clocks drift). Unsigned reservations expire exactly. */
export const DEFAULT_EXPIRY_GRACE_MS = 60_000;
export const GLOBAL_ARCHIVE_KEY = '*';

/** Has this non-final record's authorization expired (so it can no longer settle)? */
export function isExpired(r: PaymentRecord, now: number, graceMs = DEFAULT_EXPIRY_GRACE_MS): boolean {
  if (!ACTIVE_STATUSES.includes(r.status)) return false;
  const grace = r.status === 'reserved' ? 0 : graceMs;
  return r.expiresAt + grace < now;
}

/** How long a payment released unverified (its authorization may have been used) keeps counting and being asked about. */
export const UNVERIFIED_KEEP_MS = 7 * 86_400_000;

/**
 * Released at expiry without the chain's answer, within the window in which the wallet keeps
 * asking: the signed authorization may have settled, so it still counts (a wallet that cannot
 * prove a payment unused does not hand its budget back).
 */
export function isUnverifiedCounted(r: PaymentRecord, now: number): boolean {
  return r.status === 'released' && r.unverified === true && now - r.updatedAt < UNVERIFIED_KEEP_MS;
}

/** Does this record count as spent (or reserved) at `now`? */
export function isCounted(r: PaymentRecord, now: number, graceMs = DEFAULT_EXPIRY_GRACE_MS): boolean {
  return (COUNTED_STATUSES.includes(r.status) && !isExpired(r, now, graceMs)) || isUnverifiedCounted(r, now);
}

function zeroPeriods(): PeriodTotals {
  return { day: 0n, week: 0n, month: 0n, lifetime: 0n };
}

export function emptyTotals(): SpendTotals {
  return { usd: zeroPeriods(), tokens: {} };
}

interface Bounds {
  day: number;
  week: number;
  month: number;
}

function addTo(p: PeriodTotals, v: bigint, createdAt: number, b: Bounds): void {
  p.lifetime += v;
  if (createdAt >= b.month) p.month += v;
  if (createdAt >= b.week) p.week += v;
  if (createdAt >= b.day) p.day += v;
}

function addRecord(t: SpendTotals, r: PaymentRecord, b: Bounds): void {
  const key = tokenKey(r.network, r.asset.address);
  addTo((t.tokens[key] ??= zeroPeriods()), r.amount, r.createdAt, b);
  if (r.asset.usdPegged) addTo(t.usd, atomicToMicroUsd(r.amount, r.asset.decimals), r.createdAt, b);
}

function addArchive(t: SpendTotals, a: ArchivedTotals | undefined): void {
  if (!a) return;
  t.usd.lifetime += BigInt(a.usd || '0');
  for (const [k, v] of Object.entries(a.tokens)) (t.tokens[k] ??= zeroPeriods()).lifetime += BigInt(v);
}

export function computeSpend(
  records: readonly PaymentRecord[],
  archive: Readonly<Record<string, ArchivedTotals>>,
  site: string,
  now: number,
  timeZone: string,
  graceMs = DEFAULT_EXPIRY_GRACE_MS,
): SpendSnapshot {
  const key = siteKey(site);
  const b: Bounds = {
    day: periodStart('day', now, timeZone),
    week: periodStart('week', now, timeZone),
    month: periodStart('month', now, timeZone),
  };
  const siteTotals = emptyTotals();
  const globalTotals = emptyTotals();
  const recent: number[] = [];
  for (const r of records) {
    if (!isCounted(r, now, graceMs)) continue;
    addRecord(globalTotals, r, b);
    if (siteKey(r.site) !== key) continue;
    addRecord(siteTotals, r, b);
    if (r.createdAt > now - RATE_WINDOW_MS && r.createdAt <= now) recent.push(r.createdAt);
  }
  addArchive(siteTotals, archive[key]);
  addArchive(globalTotals, archive[GLOBAL_ARCHIVE_KEY]);
  recent.sort((x, y) => x - y);
  return { at: now, timeZone, site: siteTotals, global: globalTotals, recent };
}

/** Fold a record's amount into archived lifetime totals (used when pruning settled history). */
export function archiveRecord(a: ArchivedTotals | undefined, r: PaymentRecord): ArchivedTotals {
  const out: ArchivedTotals = { usd: a?.usd ?? '0', tokens: { ...(a?.tokens ?? {}) } };
  const key = tokenKey(r.network, r.asset.address);
  out.tokens[key] = (BigInt(out.tokens[key] ?? '0') + r.amount).toString();
  if (r.asset.usdPegged) out.usd = (BigInt(out.usd) + atomicToMicroUsd(r.amount, r.asset.decimals)).toString();
  return out;
}
