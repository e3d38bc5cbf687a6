/**
 * The spending decision: a PURE function from (site policy, global policy, spend snapshot,
 * payment request) to pay / ask / refuse, with a human-readable reason. Also re-exports the
 * budget-usage helpers the UI needs (`remaining`, `thresholdCrossed`).
 *
 * Rule order: invalid amount → refuse; no policy / 'ask' → ask; 'block' → refuse; paused;
 * expired; unit mismatch; per-payment cap; day/week/month/lifetime caps; rate limit;
 * global daily cap; else pay. A cap is exceeded when spent + reserved + amount > cap.
 */
import { formatCapAmount, formatUsd, siteLabel } from './format';
import type {
  AskReason,
  Cap,
  CapKind,
  Decision,
  GlobalPolicy,
  PaymentRequest,
  SitePolicy,
  SpendSnapshot,
} from './types';
import { amountInCapUnit, atomicToMicroUsd, capCovers, siteKey, totalsForCap } from './units';

export { remaining, remainingGlobal, thresholdCrossed, thresholdCrossedPercent } from './usage';

export const RATE_WINDOW_MS = 60_000;

const CAP_ORDER: readonly CapKind[] = ['day', 'week', 'month', 'lifetime'];
const CAP_REASON: Record<CapKind, AskReason> = {
  day: 'period-cap-day',
  week: 'period-cap-week',
  month: 'period-cap-month',
  lifetime: 'lifetime-cap',
};
const CAP_NAME: Record<CapKind, string> = { day: 'daily', week: 'weekly', month: 'monthly', lifetime: 'lifetime' };
const CAP_LABEL: Record<CapKind, string> = {
  day: "today's",
  week: "this week's",
  month: "this month's",
  lifetime: 'the lifetime',
};

function ask(reason: AskReason, detail: string): Decision {
  return { action: 'ask', reason, detail };
}

function formatWhen(t: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(t));
  } catch {
    return new Date(t).toISOString();
  }
}

/** All caps of a policy with their names, for unit checks. */
function policyCaps(policy: SitePolicy): Array<[string, Cap]> {
  const out: Array<[string, Cap]> = [];
  if (policy.perPaymentCap) out.push(['per-payment', policy.perPaymentCap]);
  for (const k of CAP_ORDER) {
    const c = policy.caps[k];
    if (c) out.push([CAP_NAME[k], c]);
  }
  return out;
}

export function decide(
  policy: SitePolicy | undefined,
  global: GlobalPolicy,
  spend: SpendSnapshot,
  req: PaymentRequest,
  timeZone: string,
): Decision {
  if (typeof req.amount !== 'bigint' || req.amount < 0n) {
    return { action: 'refuse', reason: 'invalid-amount', detail: 'The requested amount is not a valid non-negative amount' };
  }
  const host = siteLabel(req.site);
  if (!policy || siteKey(policy.site) !== siteKey(req.site)) {
    return ask('no-budget', `No automatic budget is set for ${host}`);
  }
  if (policy.mode === 'block') {
    return { action: 'refuse', reason: 'blocked', detail: `Payments to ${host} are blocked` };
  }
  if (policy.mode !== 'auto') {
    return ask('no-budget', `${host} is set to ask before every payment`);
  }
  if (policy.paused) return ask('paused', `Automatic payments for ${host} are paused`);
  if (policy.expiresAt !== undefined && req.now >= policy.expiresAt) {
    return ask('expired', `The automatic budget for ${host} expired on ${formatWhen(policy.expiresAt, timeZone)}`);
  }

  const caps = policyCaps(policy);
  if (caps.length === 0) return ask('no-budget', `The automatic budget for ${host} has no limits set`);
  for (const [name, cap] of caps) {
    if (!capCovers(cap, req.network, req.asset)) {
      const unit = cap.unit === 'usd' ? 'dollars' : 'another token';
      return ask(
        'unit-mismatch',
        `This payment is in ${req.asset.symbol} on ${req.network}, but the ${name} budget for ${host} is set in ${unit}`,
      );
    }
  }

  const token = { symbol: req.asset.symbol, decimals: req.asset.decimals };
  const show = (cap: Cap, v: bigint) => formatCapAmount(cap, v, token);

  if (policy.perPaymentCap) {
    const cap = policy.perPaymentCap;
    const amt = amountInCapUnit(cap, req.amount, req.asset);
    if (amt > cap.amount) {
      return ask('over-per-payment-cap', `This payment (${show(cap, amt)}) is over the ${show(cap, cap.amount)} per-payment cap`);
    }
  }

  for (const kind of CAP_ORDER) {
    const cap = policy.caps[kind];
    if (!cap) continue;
    const amt = amountInCapUnit(cap, req.amount, req.asset);
    const spent = totalsForCap(cap, spend.site)[kind];
    if (spent + amt > cap.amount) {
      return ask(
        CAP_REASON[kind],
        `This payment (${show(cap, amt)}) would exceed ${CAP_LABEL[kind]} budget for ${host}: ${show(cap, spent)} of ${show(cap, cap.amount)} already used`,
      );
    }
  }

  if (policy.ratePerMinute !== undefined) {
    const since = req.now - RATE_WINDOW_MS;
    const count = spend.recent.filter((t) => t > since && t <= req.now).length;
    if (count >= policy.ratePerMinute) {
      return ask(
        'rate-limit',
        `${host} already made ${count} payment${count === 1 ? '' : 's'} in the last minute (limit ${policy.ratePerMinute} per minute)`,
      );
    }
  }

  const gcap = global.dailyCap;
  if (gcap) {
    if (!capCovers(gcap, req.network, req.asset)) {
      return ask(
        'global-daily-cap',
        `The daily limit across all sites is set in ${gcap.unit === 'usd' ? 'dollars' : 'another token'}; this payment is in ${req.asset.symbol}`,
      );
    }
    const amt = amountInCapUnit(gcap, req.amount, req.asset);
    const spent = totalsForCap(gcap, spend.global).day;
    if (spent + amt > gcap.amount) {
      return ask(
        'global-daily-cap',
        `This payment (${show(gcap, amt)}) would exceed the ${show(gcap, gcap.amount)} daily limit across all sites (${show(gcap, spent)} used today)`,
      );
    }
  }
  return { action: 'pay' };
}

/** Convenience for display: the request's amount in micro-dollars if the asset is USD-pegged. */
export function requestUsd(req: PaymentRequest): string | undefined {
  return req.asset.usdPegged ? formatUsd(atomicToMicroUsd(req.amount, req.asset.decimals)) : undefined;
}
