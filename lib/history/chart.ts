/**
 * Spend over time for the history chart: settled payments bucketed by the user's local day
 * (the injected time zone, as budgets count them: a payment belongs to the day it was made,
 * `createdAt`). Every day of the range gets a bucket, empty ones included; `minDays` gives a
 * short history some context (the page shows at least a week). A range longer
 * than `maxDays` is bucketed by month, and one longer than `maxMonths` by year, so the chart
 * never has thousands of bars. Exact sums (see totals.ts).
 */
import type { PaymentDto } from '../messaging/contract';
import { localParts, startOfLocalDay } from '../policy/periods';
import { parseDay, type HistoryFilter } from './filter';
import { addAmount, amountOf, compareScaled, emptyTotal, type MoneyTotal, type Scaled, ZERO } from './totals';

export type BucketUnit = 'day' | 'month' | 'year';

export interface SpendBucket {
  /** "2026-05-14", "2026-05" or "2026" */
  key: string;
  /** [start, end) epoch ms in the time zone */
  start: number;
  end: number;
  /** settled spend in the bucket */
  total: MoneyTotal;
  count: number;
}

export interface SpendSeries {
  unit: BucketUnit;
  buckets: SpendBucket[];
  /** the largest dollar bucket (for the chart's scale) */
  maxUsd: Scaled;
  /** all settled spend in the series */
  total: MoneyTotal;
  count: number;
}

export interface SeriesOptions {
  /** the filter's date range, when set, bounds the chart (else the first and last payment) */
  range?: Pick<HistoryFilter, 'from' | 'to'>;
  maxDays?: number;
  maxMonths?: number;
  /** without a start date, show at least this many days, ending on the last payment's day (default 1) */
  minDays?: number;
}

type Ymd = [number, number, number];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function ymdOf(t: number, timeZone: string): Ymd {
  const p = localParts(t, timeZone);
  return [p.year, p.month, p.day];
}

/** Calendar arithmetic on dates (time-zone free once the local date is known). */
function addDays([y, m, d]: Ymd, n: number): Ymd {
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}
function cmp(a: Ymd, b: Ymd): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
function daysBetween(a: Ymd, b: Ymd): number {
  return Math.round((Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86_400_000);
}

function keyOf(unit: BucketUnit, [y, m, d]: Ymd): string {
  if (unit === 'year') return String(y);
  if (unit === 'month') return `${y}-${pad(m)}`;
  return `${y}-${pad(m)}-${pad(d)}`;
}
function firstOf(unit: BucketUnit, [y, m, d]: Ymd): Ymd {
  if (unit === 'year') return [y, 1, 1];
  if (unit === 'month') return [y, m, 1];
  return [y, m, d];
}
function nextOf(unit: BucketUnit, [y, m, d]: Ymd): Ymd {
  if (unit === 'year') return [y + 1, 1, 1];
  if (unit === 'month') return m === 12 ? [y + 1, 1, 1] : [y, m + 1, 1];
  return addDays([y, m, d], 1);
}

/** Settled spend per local day (or month / year for long ranges). */
export function spendSeries(items: readonly PaymentDto[], timeZone: string, opts: SeriesOptions = {}): SpendSeries {
  const maxDays = opts.maxDays ?? 92;
  const maxMonths = opts.maxMonths ?? 120;
  const settled = items.filter((p) => p.status === 'settled' && Number.isFinite(p.createdAt));
  const days = settled.map((p) => ymdOf(p.createdAt, timeZone));
  let first: Ymd | null = opts.range?.from ? parseDay(opts.range.from) : null;
  let last: Ymd | null = opts.range?.to ? parseDay(opts.range.to) : null;
  // open ends follow the data; a wide filter range is narrowed to the data when it would be too long
  const dataFirst = days.reduce<Ymd | null>((a, d) => (!a || cmp(d, a) < 0 ? d : a), null);
  const dataLast = days.reduce<Ymd | null>((a, d) => (!a || cmp(d, a) > 0 ? d : a), null);
  first ??= dataFirst;
  last ??= dataLast;
  const empty: SpendSeries = { unit: 'day', buckets: [], maxUsd: ZERO, total: emptyTotal(), count: 0 };
  if (settled.length === 0 || !first || !last || cmp(first, last) > 0) return empty;
  if (daysBetween(first, last) + 1 > maxDays && dataFirst && dataLast) {
    if (cmp(dataFirst, first) > 0) first = dataFirst;
    if (cmp(dataLast, last) < 0) last = dataLast;
  }
  const minDays = Math.min(opts.minDays ?? 1, maxDays);
  if (!opts.range?.from && daysBetween(first, last) + 1 < minDays) first = addDays(last, -(minDays - 1));
  const span = daysBetween(first, last) + 1;
  const months = (last[0] - first[0]) * 12 + (last[1] - first[1]) + 1;
  const unit: BucketUnit = span <= maxDays ? 'day' : months <= maxMonths ? 'month' : 'year';

  const buckets: SpendBucket[] = [];
  const index = new Map<string, SpendBucket>();
  for (let cur = firstOf(unit, first); cmp(cur, last) <= 0; cur = nextOf(unit, cur)) {
    const nx = nextOf(unit, cur);
    const b: SpendBucket = {
      key: keyOf(unit, cur),
      start: startOfLocalDay(cur[0], cur[1], cur[2], timeZone),
      end: startOfLocalDay(nx[0], nx[1], nx[2], timeZone),
      total: emptyTotal(),
      count: 0,
    };
    buckets.push(b);
    index.set(b.key, b);
  }
  const total = emptyTotal();
  let count = 0;
  settled.forEach((p, i) => {
    const b = index.get(keyOf(unit, days[i]!));
    const a = amountOf(p);
    if (!b || !a) return; // outside the chart's range
    addAmount(b.total, a);
    addAmount(total, a);
    b.count++;
    count++;
  });
  const maxUsd = buckets.reduce<Scaled>((m, b) => (compareScaled(b.total.usd, m) > 0 ? b.total.usd : m), ZERO);
  return { unit, buckets, maxUsd, total, count };
}
