/**
 * Totals of a (filtered) history: per site, per network and overall. Exact: amounts are
 * bigint atomic units, summed at the largest number of decimals seen (never floats, never
 * rounded). Dollars only for USD-pegged tokens (those the wallet shows a dollar amount for);
 * other tokens are totalled per symbol.
 *
 * "Paid" = settled. "Pending" = reserved, signed or outcome unknown (still counted against
 * budgets until they settle or expire). Failed and not-charged payments count, but add nothing.
 */
import type { PaymentDto } from '../messaging/contract';
import { formatUnits } from '../policy/format';
import { formatTokenAmount } from '../x402/format';

/** An exact decimal amount: atomic units at `decimals`. */
export interface Scaled {
  atomic: bigint;
  decimals: number;
}

export const ZERO: Scaled = Object.freeze({ atomic: 0n, decimals: 0 });

function rescale(a: Scaled, decimals: number): bigint {
  return a.atomic * 10n ** BigInt(decimals - a.decimals);
}

export function addScaled(a: Scaled, b: Scaled): Scaled {
  const decimals = Math.max(a.decimals, b.decimals);
  return { atomic: rescale(a, decimals) + rescale(b, decimals), decimals };
}

export function compareScaled(a: Scaled, b: Scaled): number {
  const decimals = Math.max(a.decimals, b.decimals);
  const x = rescale(a, decimals);
  const y = rescale(b, decimals);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a / b as a float in [0, 1] for bar lengths only (display); 0 when b is 0. */
export function ratio(a: Scaled, b: Scaled): number {
  const decimals = Math.max(a.decimals, b.decimals);
  const y = rescale(b, decimals);
  if (y <= 0n) return 0;
  return Number((rescale(a, decimals) * 10_000n) / y) / 10_000;
}

/** What a payment's amount is, from the fields every PaymentDto carries. */
export interface Amount {
  atomic: bigint;
  decimals: number;
  symbol: string;
  /** shown in dollars (the trusted table says the token is USD-pegged) */
  usd: boolean;
}

/** The amount of a payment; null when its fields are not a well-formed amount. */
export function amountOf(p: Pick<PaymentDto, 'amountAtomic' | 'decimals' | 'symbol' | 'amountUsd'>): Amount | null {
  if (typeof p.amountAtomic !== 'string' || !/^\d{1,78}$/.test(p.amountAtomic)) return null;
  if (!Number.isInteger(p.decimals) || p.decimals < 0 || p.decimals > 77) return null;
  return { atomic: BigInt(p.amountAtomic), decimals: p.decimals, symbol: p.symbol, usd: p.amountUsd !== null && p.amountUsd !== undefined };
}

/** A sum of amounts: dollars for USD-pegged tokens, per symbol for the others. */
export interface MoneyTotal {
  usd: Scaled;
  /** at least one USD-pegged amount was added (so "$0.00" is a real zero) */
  hasUsd: boolean;
  /** symbol → sum */
  tokens: Map<string, Scaled>;
}

export function emptyTotal(): MoneyTotal {
  return { usd: ZERO, hasUsd: false, tokens: new Map() };
}

export function addAmount(t: MoneyTotal, a: Amount): void {
  const v = { atomic: a.atomic, decimals: a.decimals };
  if (a.usd) {
    t.usd = addScaled(t.usd, v);
    t.hasUsd = true;
  } else t.tokens.set(a.symbol, addScaled(t.tokens.get(a.symbol) ?? ZERO, v));
}

export function isZeroTotal(t: MoneyTotal): boolean {
  return !t.hasUsd && t.tokens.size === 0;
}

/** "$0.02", "$0.02 + 5 XYZ", "5 XYZ"; `none` when nothing was added. */
export function formatTotal(t: MoneyTotal, none = '—'): string {
  const parts: string[] = [];
  if (t.hasUsd) parts.push(formatUsdScaled(t.usd));
  for (const [symbol, v] of [...t.tokens].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) parts.push(formatTokenAmount(v.atomic, { decimals: v.decimals, symbol }));
  return parts.length ? parts.join(' + ') : none;
}

/** "$0.015", "$1,234.50", "$0.000001" — exact (a total is never rounded), at least two decimals. */
export function formatUsdScaled(v: Scaled): string {
  const s = formatUnits(v.atomic, v.decimals, 2);
  return s.startsWith('-') ? `-$${s.slice(1)}` : `$${s}`;
}

export const PAID_STATUSES: readonly PaymentDto['status'][] = ['settled'];
export const PENDING_STATUSES: readonly PaymentDto['status'][] = ['reserved', 'signed', 'unknown'];

export interface Summary {
  /** payments in the view */
  count: number;
  /** settled payments */
  paidCount: number;
  pendingCount: number;
  paid: MoneyTotal;
  pending: MoneyTotal;
}

function emptySummary(): Summary {
  return { count: 0, paidCount: 0, pendingCount: 0, paid: emptyTotal(), pending: emptyTotal() };
}

function addTo(s: Summary, p: PaymentDto): void {
  s.count++;
  const a = amountOf(p);
  if (PAID_STATUSES.includes(p.status)) {
    s.paidCount++;
    if (a) addAmount(s.paid, a);
  } else if (PENDING_STATUSES.includes(p.status)) {
    s.pendingCount++;
    if (a) addAmount(s.pending, a);
  }
}

export function summarize(items: readonly PaymentDto[]): Summary {
  const s = emptySummary();
  for (const p of items) addTo(s, p);
  return s;
}

export interface GroupTotal extends Summary {
  /** the site origin or the CAIP-2 network id */
  key: string;
  /** what to show: the site, or the network's name */
  label: string;
}

/** Larger paid dollar totals first, then more payments, then by label. */
function byPaid(a: GroupTotal, b: GroupTotal): number {
  return compareScaled(b.paid.usd, a.paid.usd) || b.paidCount - a.paidCount || b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}

/** Totals per site or per network (the network the payment was offered on). */
export function totalsBy(items: readonly PaymentDto[], by: 'site' | 'network'): GroupTotal[] {
  const groups = new Map<string, GroupTotal>();
  for (const p of items) {
    const key = by === 'site' ? p.site : p.network;
    let g = groups.get(key);
    if (!g) {
      g = { key, label: by === 'site' ? p.site : p.networkName || p.network, ...emptySummary() };
      groups.set(key, g);
    }
    addTo(g, p);
  }
  return [...groups.values()].sort(byPaid);
}
