/**
 * Budget usage for the UI: remaining amount and percent used per cap, and the 80 % / 100 %
 * alert thresholds crossed between two usage reports. Pure.
 */
import { periodEnd } from './periods';
import type { Cap, CapKind, CapUsage, GlobalPolicy, RemainingReport, SitePolicy, SpendSnapshot, ThresholdAlert } from './types';
import { totalsForCap } from './units';

const KINDS: readonly CapKind[] = ['day', 'week', 'month', 'lifetime'];

function percent(spent: bigint, cap: bigint): number {
  if (cap <= 0n) return spent > 0n ? 100 : 0;
  return Number((spent * 10_000n) / cap) / 100;
}

function usage(kind: CapUsage['kind'], cap: Cap, spent: bigint, resetsAt?: number): CapUsage {
  const rem = cap.amount - spent;
  const u: CapUsage = { kind, cap, spent, remaining: rem > 0n ? rem : 0n, percentUsed: percent(spent, cap.amount) };
  if (resetsAt !== undefined) u.resetsAt = resetsAt;
  return u;
}

/** Per-period remaining budget and percent used for a site (only caps the policy sets). */
export function remaining(policy: SitePolicy | undefined, spend: SpendSnapshot, now: number, timeZone: string): RemainingReport {
  const out: RemainingReport = {};
  if (!policy) return out;
  for (const kind of KINDS) {
    const cap = policy.caps[kind];
    if (!cap) continue;
    const spent = totalsForCap(cap, spend.site)[kind];
    out[kind] = usage(kind, cap, spent, kind === 'lifetime' ? undefined : periodEnd(kind, now, timeZone));
  }
  return out;
}

/** Usage of the global daily cap, if set. */
export function remainingGlobal(global: GlobalPolicy, spend: SpendSnapshot, now: number, timeZone: string): CapUsage | undefined {
  const cap = global.dailyCap;
  if (!cap) return undefined;
  return usage('global-day', cap, totalsForCap(cap, spend.global).day, periodEnd('day', now, timeZone));
}

/** The highest alert threshold (80 or 100) crossed going from `before` % to `after` %, or null. */
export function thresholdCrossedPercent(before: number, after: number): 80 | 100 | null {
  if (before < 100 && after >= 100) return 100;
  if (before < 80 && after >= 80) return 80;
  return null;
}

type UsageLike = RemainingReport | CapUsage | undefined;

function asList(r: UsageLike): CapUsage[] {
  if (!r) return [];
  if ('kind' in r && 'cap' in r) return [r as CapUsage];
  return Object.values(r as RemainingReport).filter((u): u is CapUsage => !!u);
}

/**
 * Alerts to raise after a payment: for each cap present in `after`, the highest threshold
 * crossed since `before` (a cap absent from `before` counts as 0 % used). A period that
 * rolled over (resetsAt changed) compares against 0 %.
 */
export function thresholdCrossed(before: UsageLike, after: UsageLike): ThresholdAlert[] {
  const prev = new Map(asList(before).map((u) => [u.kind, u] as const));
  const alerts: ThresholdAlert[] = [];
  for (const u of asList(after)) {
    const p = prev.get(u.kind);
    const beforePct = p && p.resetsAt === u.resetsAt ? p.percentUsed : 0;
    const t = thresholdCrossedPercent(beforePct, u.percentUsed);
    if (t) alerts.push({ kind: u.kind, threshold: t, percentUsed: u.percentUsed });
  }
  return alerts;
}
