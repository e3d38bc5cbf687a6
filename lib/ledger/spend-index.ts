/**
 * Incremental spend accounting: gives exactly what `computeSpend` gives over the same records,
 * without walking the whole history on every payment step.
 *
 * - Active records (reserved, signed, unknown) are few: walked on every snapshot (they count
 *   until their authorization expires, which depends on `now`).
 * - Settled records are final: their amounts are kept as running lifetime totals per site and
 *   for all sites, and — for the current calendar day/week/month in one time zone — as cached
 *   period totals, rebuilt only when the period bounds change (a new day, another time zone).
 *   They are also kept sorted by `createdAt`, so the rate-limit window and a rebuild touch
 *   only the records inside their range.
 *
 * The ledger calls `remove(r)` before it changes a record and `add(r)` after, so every state
 * change (including an `upto` settlement that changes the amount) keeps the totals exact.
 * A property test checks it against `computeSpend` on random operation sequences.
 */
import { RATE_WINDOW_MS } from '../policy/decide';
import { periodStart } from '../policy/periods';
import type { PeriodTotals, SpendSnapshot, SpendTotals } from '../policy/types';
import { atomicToMicroUsd, siteKey, tokenKey } from '../policy/units';
import { DEFAULT_EXPIRY_GRACE_MS, emptyTotals, GLOBAL_ARCHIVE_KEY, isCounted } from './spend';
import { ACTIVE_STATUSES, type ArchivedTotals, type PaymentRecord } from './types';

interface Bounds {
  tz: string;
  day: number;
  week: number;
  month: number;
}

/** Totals plus, per token, how many records contribute (an entry exists only while some do). */
interface Agg {
  totals: SpendTotals;
  counts: Map<string, number>;
}

function newAgg(): Agg {
  return { totals: emptyTotals(), counts: new Map() };
}

function zero(): PeriodTotals {
  return { day: 0n, week: 0n, month: 0n, lifetime: 0n };
}

/** Key of a record's site (its origin); cached per record object, since site never changes. */
const siteKeys = new WeakMap<PaymentRecord, string>();
function keyOf(r: PaymentRecord): string {
  let k = siteKeys.get(r);
  if (k === undefined) siteKeys.set(r, (k = siteKey(r.site)));
  return k;
}

/** First index whose createdAt is ≥ `createdAt` (`strict`: > `createdAt`). */
function lowerBound(sorted: readonly PaymentRecord[], createdAt: number, strict = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = sorted[mid]!.createdAt;
    if (t < createdAt || (strict && t === createdAt)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SpendIndex {
  private readonly active = new Set<PaymentRecord>();
  /** settled records, ascending createdAt */
  private readonly settled: PaymentRecord[] = [];
  /** settled lifetime totals by site key and GLOBAL_ARCHIVE_KEY */
  private readonly lifetime = new Map<string, Agg>();
  /** settled totals inside the current periods, by site key and GLOBAL_ARCHIVE_KEY */
  private window: { bounds: Bounds; aggs: Map<string, Agg> } | undefined;

  constructor(
    records: Iterable<PaymentRecord> = [],
    private readonly graceMs = DEFAULT_EXPIRY_GRACE_MS,
  ) {
    for (const r of records) this.add(r);
  }

  add(r: PaymentRecord): void {
    // released unverified: counted for a while (by `now`), like an active record — walked per snapshot
    if (ACTIVE_STATUSES.includes(r.status) || (r.status === 'released' && r.unverified === true)) this.active.add(r);
    else if (r.status === 'settled') {
      const at = lowerBound(this.settled, r.createdAt, true); // after equal createdAt: stable
      this.settled.splice(at, 0, r);
      this.fold(r, 1n);
    }
  }

  remove(r: PaymentRecord): void {
    if (this.active.delete(r)) return;
    if (r.status !== 'settled') return;
    let at = lowerBound(this.settled, r.createdAt);
    while (at < this.settled.length && this.settled[at] !== r) at++;
    if (at >= this.settled.length) return;
    this.settled.splice(at, 1);
    this.fold(r, -1n);
  }

  /** Add (sign 1) or take away (sign -1) a settled record's amount in the running totals. */
  private fold(r: PaymentRecord, sign: 1n | -1n): void {
    const keys = [keyOf(r), GLOBAL_ARCHIVE_KEY];
    const tk = tokenKey(r.network, r.asset.address);
    const usd = r.asset.usdPegged ? atomicToMicroUsd(r.amount, r.asset.decimals) * sign : 0n;
    const amount = r.amount * sign;
    for (const k of keys) {
      const agg = this.lifetime.get(k) ?? this.lifetime.set(k, newAgg()).get(k)!;
      bump(agg, tk, amount, usd, (p, v) => (p.lifetime += v), sign);
    }
    const w = this.window;
    if (!w || r.createdAt < Math.min(w.bounds.day, w.bounds.week, w.bounds.month)) return;
    for (const k of keys) {
      const agg = w.aggs.get(k) ?? w.aggs.set(k, newAgg()).get(k)!;
      bump(agg, tk, amount, usd, (p, v) => addPeriods(p, v, r.createdAt, w.bounds), sign);
    }
  }

  private windowFor(now: number, tz: string): Map<string, Agg> {
    const b: Bounds = { tz, day: periodStart('day', now, tz), week: periodStart('week', now, tz), month: periodStart('month', now, tz) };
    const w = this.window;
    if (w && w.bounds.tz === b.tz && w.bounds.day === b.day && w.bounds.week === b.week && w.bounds.month === b.month) return w.aggs;
    const aggs = new Map<string, Agg>();
    this.window = { bounds: b, aggs };
    for (let i = lowerBound(this.settled, Math.min(b.day, b.week, b.month)); i < this.settled.length; i++) {
      const r = this.settled[i]!;
      const tk = tokenKey(r.network, r.asset.address);
      const usd = r.asset.usdPegged ? atomicToMicroUsd(r.amount, r.asset.decimals) : 0n;
      for (const k of [keyOf(r), GLOBAL_ARCHIVE_KEY]) {
        const agg = aggs.get(k) ?? aggs.set(k, newAgg()).get(k)!;
        bump(agg, tk, r.amount, usd, (p, v) => addPeriods(p, v, r.createdAt, b), 1n);
      }
    }
    return aggs;
  }

  /**
   * The same snapshot `computeSpend(records, archive, site, now, timeZone, grace)` returns;
   * with `includeActive` false, that of the settled records only.
   */
  snapshot(archive: Readonly<Record<string, ArchivedTotals>>, site: string, now: number, timeZone: string, includeActive = true): SpendSnapshot {
    const key = siteKey(site);
    const win = this.windowFor(now, timeZone);
    const b = this.window!.bounds;
    const siteTotals = this.settledTotals(key, win);
    const globalTotals = this.settledTotals(GLOBAL_ARCHIVE_KEY, win);
    const recent: number[] = [];
    const inWindow = (t: number) => t > now - RATE_WINDOW_MS && t <= now;
    for (const r of includeActive ? this.active : []) {
      if (!isCounted(r, now, this.graceMs)) continue;
      addRecord(globalTotals, r, b);
      if (keyOf(r) !== key) continue;
      addRecord(siteTotals, r, b);
      if (inWindow(r.createdAt)) recent.push(r.createdAt);
    }
    for (let i = lowerBound(this.settled, now - RATE_WINDOW_MS, true); i < this.settled.length; i++) {
      const r = this.settled[i]!;
      if (r.createdAt > now) break;
      if (keyOf(r) === key) recent.push(r.createdAt);
    }
    addArchive(siteTotals, archive[key]);
    addArchive(globalTotals, archive[GLOBAL_ARCHIVE_KEY]);
    recent.sort((x, y) => x - y);
    return { at: now, timeZone, site: siteTotals, global: globalTotals, recent };
  }

  /** Active records (reserved, signed, unknown), in no particular order. */
  *activeRecords(): IterableIterator<PaymentRecord> {
    for (const r of this.active) if (ACTIVE_STATUSES.includes(r.status)) yield r;
  }

  private settledTotals(key: string, win: Map<string, Agg>): SpendTotals {
    const out = emptyTotals();
    const life = this.lifetime.get(key);
    if (!life) return out;
    const w = win.get(key);
    out.usd = { ...(w?.totals.usd ?? zero()), lifetime: life.totals.usd.lifetime };
    for (const [tk, n] of life.counts) {
      if (n <= 0) continue;
      const wt = w && (w.counts.get(tk) ?? 0) > 0 ? w.totals.tokens[tk]! : zero();
      out.tokens[tk] = { day: wt.day, week: wt.week, month: wt.month, lifetime: life.totals.tokens[tk]!.lifetime };
    }
    return out;
  }
}

function bump(agg: Agg, tk: string, amount: bigint, usd: bigint, apply: (p: PeriodTotals, v: bigint) => void, sign: 1n | -1n): void {
  const n = (agg.counts.get(tk) ?? 0) + Number(sign);
  agg.counts.set(tk, n);
  const t = (agg.totals.tokens[tk] ??= zero());
  apply(t, amount);
  apply(agg.totals.usd, usd);
  if (n <= 0) {
    agg.counts.delete(tk);
    delete agg.totals.tokens[tk];
  }
}

function addPeriods(p: PeriodTotals, v: bigint, createdAt: number, b: Bounds): void {
  if (createdAt >= b.month) p.month += v;
  if (createdAt >= b.week) p.week += v;
  if (createdAt >= b.day) p.day += v;
}

function addRecord(t: SpendTotals, r: PaymentRecord, b: Bounds): void {
  const tk = tokenKey(r.network, r.asset.address);
  const p = (t.tokens[tk] ??= zero());
  p.lifetime += r.amount;
  addPeriods(p, r.amount, r.createdAt, b);
  if (r.asset.usdPegged) {
    const usd = atomicToMicroUsd(r.amount, r.asset.decimals);
    t.usd.lifetime += usd;
    addPeriods(t.usd, usd, r.createdAt, b);
  }
}

function addArchive(t: SpendTotals, a: ArchivedTotals | undefined): void {
  if (!a) return;
  t.usd.lifetime += BigInt(a.usd || '0');
  for (const [k, v] of Object.entries(a.tokens)) (t.tokens[k] ??= zero()).lifetime += BigInt(v);
}
