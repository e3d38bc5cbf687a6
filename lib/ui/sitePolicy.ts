/**
 * The site-budget edit form as plain strings, and its strict conversion back to the
 * contract's SitePolicyDto (USD caps normalized to "1.50", empty = no limit). Pure.
 */
import type { SiteMode, SitePolicyDto } from '../messaging/contract';
import { fromDateInput, toDateInput } from './format';
import { formatUsdPlain, tryParseUsd } from '../policy/money';
import { UI_STRINGS } from './strings';

export const CAP_FIELDS = ['perPaymentUsd', 'dayUsd', 'weekUsd', 'monthUsd', 'lifetimeUsd'] as const;
export type CapField = (typeof CAP_FIELDS)[number];

export const CAP_LABELS: Record<CapField, string> = UI_STRINGS.capLabels;

export interface SiteDraft extends Record<CapField, string> {
  site: string;
  mode: SiteMode;
  paused: boolean;
  /** window.x402 allowed on this site */
  pageApi: boolean;
  /** cross-site frames may pay from this site's budget */
  embeddedPay: boolean;
  ratePerMinute: string;
  /** "YYYY-MM-DD" (local) or "" */
  expiresOn: string;
}

export type DraftField = CapField | 'ratePerMinute' | 'expiresOn';
export type DraftResult = { ok: true; policy: SitePolicyDto } | { ok: false; errors: Partial<Record<DraftField, string>> };

export const MAX_RATE_PER_MINUTE = 10_000;

export function draftFromPolicy(p: SitePolicyDto): SiteDraft {
  return {
    site: p.site,
    mode: p.mode,
    paused: p.paused,
    pageApi: p.pageApi === true,
    embeddedPay: p.embeddedPay === true,
    perPaymentUsd: p.perPaymentUsd ?? '',
    dayUsd: p.dayUsd ?? '',
    weekUsd: p.weekUsd ?? '',
    monthUsd: p.monthUsd ?? '',
    lifetimeUsd: p.lifetimeUsd ?? '',
    ratePerMinute: p.ratePerMinute !== undefined ? String(p.ratePerMinute) : '',
    expiresOn: toDateInput(p.expiresAt),
  };
}

export function policyFromDraft(d: SiteDraft): DraftResult {
  const errors: Partial<Record<DraftField, string>> = {};
  const policy: SitePolicyDto = { site: d.site, mode: d.mode, paused: d.paused, ...(d.pageApi ? { pageApi: true } : {}), ...(d.embeddedPay ? { embeddedPay: true } : {}) };
  for (const f of CAP_FIELDS) {
    const raw = d[f].trim();
    if (raw === '') continue;
    const r = tryParseUsd(raw);
    if (!r.ok) errors[f] = r.error;
    else if (r.micro <= 0n) errors[f] = 'Use an amount above $0, or leave it empty for no limit.';
    else policy[f] = formatUsdPlain(r.micro);
  }
  const rate = d.ratePerMinute.trim();
  if (rate !== '') {
    if (!/^\d+$/.test(rate) || Number(rate) < 1 || Number(rate) > MAX_RATE_PER_MINUTE) {
      errors.ratePerMinute = `Use a whole number from 1 to ${MAX_RATE_PER_MINUTE}, or leave it empty.`;
    } else policy.ratePerMinute = Number(rate);
  }
  const exp = fromDateInput(d.expiresOn.trim());
  if (exp === null) errors.expiresOn = 'Use a date like 2030-12-31, or leave it empty.';
  else if (exp !== undefined) policy.expiresAt = exp;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, policy };
}
