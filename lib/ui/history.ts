/**
 * Display helpers for the history page (options): filter choices, labels, the detail view's
 * fields and the chart's text summary. Pure; formatting only (sums come from lib/history).
 */
import type { PaymentDto } from '../messaging/contract';
import type { SpendBucket, SpendSeries } from '../history/chart';
import { HISTORY_STATUSES, type HistoryFilter, type HistoryStatus } from '../history/filter';
import { compareScaled, formatTotal, formatUsdScaled } from '../history/totals';
import { paymentStatusLabel } from './format';

export interface Choice {
  value: string;
  label: string;
}

export function statusChoices(): Choice[] {
  return [{ value: '', label: 'Any status' }, ...HISTORY_STATUSES.map((s) => ({ value: s, label: paymentStatusLabel(s) }))];
}

/** Sites seen in the list (and the current choice, so a select never loses its value), sorted. */
export function siteChoices(items: readonly Pick<PaymentDto, 'site'>[], current?: string): Choice[] {
  const all = new Set(items.map((p) => p.site));
  if (current) all.add(current);
  return [{ value: '', label: 'All sites' }, ...[...all].sort().map((s) => ({ value: s, label: s }))];
}

/** Networks seen in the list, by name (the id when two share a name). */
export function networkChoices(items: readonly Pick<PaymentDto, 'network' | 'networkName'>[], current?: string): Choice[] {
  const names = new Map<string, string>();
  for (const p of items) if (!names.has(p.network)) names.set(p.network, p.networkName || p.network);
  if (current && !names.has(current)) names.set(current, current);
  const counts = new Map<string, number>();
  for (const n of names.values()) counts.set(n, (counts.get(n) ?? 0) + 1);
  const list = [...names].map(([id, name]) => ({ value: id, label: (counts.get(name) ?? 0) > 1 ? `${name} (${id})` : name }));
  list.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return [{ value: '', label: 'All networks' }, ...list];
}

/** Date and time with seconds, in the given (or the runtime's) time zone. */
export function formatDateTimeLong(ms: number, timeZone?: string, locale?: string): string {
  return new Date(ms).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) });
}

export function confirmedByText(c: PaymentDto['confirmedBy']): string {
  if (c === 'chain') return 'checked on chain';
  if (c === 'server') return 'server’s word (no RPC to check)';
  return 'not settled';
}

export function x402VersionText(v: number): string {
  return v > 0 ? `v${v}` : 'not recorded';
}

/** The order a payment moves through its states, for the detail view's timeline. */
const TIMELINE: readonly HistoryStatus[] = ['reserved', 'signed', 'unknown', 'settled', 'failed', 'released'];
const STATE_NAMES: Record<HistoryStatus, string> = {
  reserved: 'Reserved (before signing)',
  signed: 'Signed',
  unknown: 'Outcome unknown',
  settled: 'Settled',
  failed: 'Failed',
  released: 'Released (not charged)',
};

export function timeline(p: Pick<PaymentDto, 'times' | 'createdAt'>): { status: HistoryStatus; label: string; at: number }[] {
  const times = { reserved: p.createdAt, ...p.times };
  return TIMELINE.flatMap((s) => {
    const at = times[s];
    return typeof at === 'number' && Number.isFinite(at) ? [{ status: s, label: STATE_NAMES[s], at }] : [];
  });
}

/** Only https explorer links are ever rendered (the background builds them; this is a second guard). */
export function safeExplorerUrl(url: string | undefined): string | undefined {
  return url && /^https:\/\/[^\s"'<>]+$/.test(url) ? url : undefined;
}

/** "site https://a.example · Paid · Base Sepolia · from 2026-05-01 · to 2026-05-14 · “0xabc”" */
export function describeFilter(f: HistoryFilter, networkName: (id: string) => string = (id) => id): string {
  const parts: string[] = [];
  if (f.site) parts.push(`site ${f.site}`);
  if (f.status) parts.push(paymentStatusLabel(f.status));
  if (f.network) parts.push(networkName(f.network));
  if (f.from) parts.push(`from ${f.from}`);
  if (f.to) parts.push(`to ${f.to}`);
  if (f.query) parts.push(`“${f.query}”`);
  return parts.join(' · ');
}

const UNIT_WORD = { day: 'day', month: 'month', year: 'year' } as const;

/** One sentence for screen readers: what the chart shows. */
export function chartSummary(s: SpendSeries): string {
  if (s.count === 0 || s.buckets.length === 0) return 'Spend over time: no settled payments in this view.';
  const first = s.buckets[0]!.key;
  const last = s.buckets[s.buckets.length - 1]!.key;
  const range = first === last ? `on ${first}` : `from ${first} to ${last}`;
  let peak: SpendBucket | undefined;
  for (const b of s.buckets) if (b.total.hasUsd && (!peak || compareScaled(b.total.usd, peak.total.usd) > 0)) peak = b;
  const peakText = peak ? `; highest ${formatUsdScaled(peak.total.usd)} on ${peak.key}` : '';
  return `Settled spend per ${UNIT_WORD[s.unit]} ${range}: ${formatTotal(s.total)} in ${s.count} payment${s.count === 1 ? '' : 's'}${peakText}.`;
}

/**
 * An `upto` payment's amounts in words: "Up to 0.05 USDC ($0.05) authorized; 0.012345 USDC taken,
 * the rest released" once settled, "up to … authorized — counted in full until settled" before.
 */
export function uptoText(p: Pick<PaymentDto, 'maxAmount' | 'settledAmountAtomic' | 'amountToken' | 'amountUsd' | 'status'>): string {
  if (!p.maxAmount) return '';
  const max = p.maxAmount.usd ? `${p.maxAmount.token} (${p.maxAmount.usd})` : p.maxAmount.token;
  if (p.settledAmountAtomic !== undefined) {
    const taken = p.amountUsd ? `${p.amountToken} (${p.amountUsd})` : p.amountToken;
    return p.settledAmountAtomic === p.maxAmount.atomic ? `Up to ${max} authorized; all of it taken` : `Up to ${max} authorized; ${taken} taken, the rest released`;
  }
  return p.status === 'settled' ? `Up to ${max} authorized; the amount taken is not known, so all of it counts` : `Up to ${max} authorized — counted in full until it settles`;
}

/** offer-receipt, for the payment detail: "Signed by 0x… (EIP-712, verified; matches this payment)". */
export function receiptText(r: PaymentDto['receipt']): string {
  if (!r) return 'None';
  const how = r.format === 'eip712' ? (r.verified ? 'EIP-712, signature verified' : 'EIP-712, not verified') : 'JWS, signature not verified';
  const who = r.signer ? `Signed by ${r.signer}` : 'Signed';
  const fit = r.matches ? 'matches this payment' : 'does NOT match this payment';
  return `${who} (${how}; ${fit})${r.note ? ` — ${r.note}` : ''}`;
}
