/**
 * The history filter, shared by the options page (which filters the list it shows) and the
 * background (which applies the same filter to the ledger's own records for an export). Pure:
 * no browser APIs, no storage. Works on anything shaped like a payment (a ledger record or a
 * PaymentDto carry the same field names).
 *
 * Dates are calendar days in the user's time zone (injected, as lib/policy/periods does):
 * `from` and `to` are inclusive, "YYYY-MM-DD".
 */
import type { HistoryFilterDto, PaymentDto } from '../messaging/contract';
import { startOfLocalDay } from '../policy/periods';
import { siteKey } from '../policy/units';

export type HistoryStatus = PaymentDto['status'];

export const HISTORY_STATUSES: readonly HistoryStatus[] = ['settled', 'reserved', 'signed', 'unknown', 'failed', 'released'];

/** The filter (declared once, in the message contract: the page sends it with an export). */
export type HistoryFilter = HistoryFilterDto;

/** The fields the filter reads; a ledger record and a PaymentDto both have them. */
export interface Filterable {
  id: string;
  site: string;
  requestOrigin: string;
  resourceUrl: string;
  network: string;
  settledNetwork?: string;
  payTo: string;
  payer?: string;
  status: HistoryStatus;
  createdAt: number;
  txHash?: string;
  paymentIdentifier?: string;
}

export const MAX_QUERY_LENGTH = 200;
/** Most records `history.list` returns at once: the whole ledger (it keeps at most 5,000 settled + 1,000 inactive). */
export const MAX_HISTORY_LIST = 6000;
const MAX_SITE_LENGTH = 2048;
const MAX_NETWORK_LENGTH = 200;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type FilterCheck = { ok: true; filter: HistoryFilter } | { ok: false; error: string };

/** A real calendar date "YYYY-MM-DD" → [y, m, d]; null otherwise (2026-02-30 is not a date). */
export function parseDay(s: string): [number, number, number] | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1) return null;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  return [y, mo, d];
}

/**
 * Validates a filter that crossed a boundary (a message from a page, a stored form) and
 * returns it normalized: empty values dropped, the site as an origin, the query trimmed.
 */
export function parseHistoryFilter(input: unknown): FilterCheck {
  if (input === undefined || input === null) return { ok: true, filter: {} };
  if (typeof input !== 'object' || Array.isArray(input)) return { ok: false, error: 'The filter must be an object.' };
  const i = input as Record<string, unknown>;
  const out: HistoryFilter = {};
  const text = (key: string, max: number): string | undefined | null => {
    const v = i[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' || v.length > max) return null;
    return v;
  };
  const site = text('site', MAX_SITE_LENGTH);
  if (site === null) return { ok: false, error: 'The site filter must be a site address.' };
  if (site !== undefined) out.site = siteKey(site.trim());
  const status = i.status;
  if (status !== undefined && status !== null && status !== '') {
    if (typeof status !== 'string' || !(HISTORY_STATUSES as readonly string[]).includes(status))
      return { ok: false, error: 'Unknown payment status in the filter.' };
    out.status = status as HistoryStatus;
  }
  const network = text('network', MAX_NETWORK_LENGTH);
  if (network === null) return { ok: false, error: 'The network filter must be a network id.' };
  if (network !== undefined) out.network = network;
  for (const key of ['from', 'to'] as const) {
    const v = text(key, 10);
    if (v === null || (v !== undefined && !parseDay(v)))
      return { ok: false, error: `The ${key === 'from' ? 'start' : 'end'} date must be a date like 2026-05-14.` };
    if (v !== undefined) out[key] = v;
  }
  if (out.from && out.to && out.from > out.to) return { ok: false, error: 'The start date is after the end date.' };
  const q = i.query;
  if (q !== undefined && q !== null) {
    if (typeof q !== 'string') return { ok: false, error: 'The search must be text.' };
    if (q.length > MAX_QUERY_LENGTH) return { ok: false, error: `Search for at most ${MAX_QUERY_LENGTH} characters.` };
    const t = q.trim();
    if (t) out.query = t;
  }
  return { ok: true, filter: out };
}

/** True when the filter lets everything through. */
export function isFilterEmpty(f: HistoryFilter): boolean {
  return !f.site && !f.status && !f.network && !f.from && !f.to && !f.query;
}

/** [start, end) in epoch ms of the filter's dates in `timeZone` (open ends undefined). */
export function filterTimeRange(f: HistoryFilter, timeZone: string): { start?: number; end?: number } {
  const out: { start?: number; end?: number } = {};
  const from = f.from ? parseDay(f.from) : null;
  const to = f.to ? parseDay(f.to) : null;
  if (from) out.start = startOfLocalDay(from[0], from[1], from[2], timeZone);
  if (to) out.end = startOfLocalDay(to[0], to[1], to[2] + 1, timeZone);
  return out;
}

/** Lower-cased search words of a query (whitespace-separated). */
export function queryTerms(query: string | undefined): string[] {
  return (query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

function haystack(p: Filterable): string {
  return [p.site, p.requestOrigin, p.resourceUrl, p.payTo, p.payer, p.txHash, p.paymentIdentifier, p.id]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join('\n')
    .toLowerCase();
}

/** A predicate for one filter (the time zone resolves the dates once). */
export function historyPredicate(f: HistoryFilter, timeZone: string): (p: Filterable) => boolean {
  const site = f.site ? siteKey(f.site) : undefined;
  const { start, end } = filterTimeRange(f, timeZone);
  const terms = queryTerms(f.query);
  return (p) => {
    if (site !== undefined && p.site !== site) return false;
    if (f.status && p.status !== f.status) return false;
    if (f.network && p.network !== f.network && p.settledNetwork !== f.network) return false;
    if (start !== undefined && p.createdAt < start) return false;
    if (end !== undefined && p.createdAt >= end) return false;
    if (terms.length > 0) {
      const h = haystack(p);
      if (!terms.every((t) => h.includes(t))) return false;
    }
    return true;
  };
}

/** The items the filter lets through, in their order. */
export function filterHistory<T extends Filterable>(items: readonly T[], f: HistoryFilter, timeZone: string): T[] {
  if (isFilterEmpty(f)) return [...items];
  const keep = historyPredicate(f, timeZone);
  return items.filter(keep);
}
