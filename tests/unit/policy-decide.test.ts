import { describe, expect, it } from 'vitest';
import { decide, remaining, remainingGlobal, thresholdCrossed, thresholdCrossedPercent } from '../../lib/policy/decide';
import { formatUnits, formatUsd } from '../../lib/policy/format';
import type { AssetInfo, Cap, PaymentRequest, PeriodTotals, SitePolicy, SpendSnapshot } from '../../lib/policy/types';
import { atomicToMicroUsd, capCovers, tokenKey } from '../../lib/policy/units';

const SITE = 'https://news.example';
const NET = 'eip155:8453';
const USDC: AssetInfo = { address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', decimals: 6, usdPegged: true, symbol: 'USDC' };
const DAI18: AssetInfo = { address: '0x50c5725949A6F0c72E6C4a641F24049A917DB0Cb', decimals: 18, usdPegged: true, symbol: 'DAI' };
const WETH: AssetInfo = { address: '0x4200000000000000000000000000000000000006', decimals: 18, usdPegged: false, symbol: 'WETH' };
const NOW = Date.parse('2026-05-14T10:00:00Z');
const TZ = 'Europe/Berlin';

const usd = (dollars: number): Cap => ({ unit: 'usd', amount: BigInt(Math.round(dollars * 1e6)) });
const zero = (): PeriodTotals => ({ day: 0n, week: 0n, month: 0n, lifetime: 0n });

function snapshot(over: { site?: Partial<PeriodTotals>; global?: Partial<PeriodTotals>; tokens?: Record<string, Partial<PeriodTotals>>; recent?: number[] } = {}): SpendSnapshot {
  const tokens: Record<string, PeriodTotals> = {};
  for (const [k, v] of Object.entries(over.tokens ?? {})) tokens[k] = { ...zero(), ...v };
  return {
    at: NOW,
    timeZone: TZ,
    site: { usd: { ...zero(), ...over.site }, tokens },
    global: { usd: { ...zero(), ...over.global }, tokens: {} },
    recent: over.recent ?? [],
  };
}

function policy(over: Partial<SitePolicy> = {}): SitePolicy {
  return { site: SITE, mode: 'auto', caps: { day: usd(1) }, createdAt: NOW - 1000, updatedAt: NOW - 1000, ...over };
}

function req(amount: bigint, asset: AssetInfo = USDC, over: Partial<PaymentRequest> = {}): PaymentRequest {
  return { site: SITE, requestOrigin: 'https://api.news.example', network: NET, asset, amount, now: NOW, ...over };
}

const CENT = 10_000n; // $0.01 in micro-dollars / USDC atomic

describe('decide: the decision table', () => {
  it('no policy → ask no-budget', () => {
    expect(decide(undefined, {}, snapshot(), req(CENT), TZ)).toMatchObject({ action: 'ask', reason: 'no-budget' });
  });
  it("mode 'ask' → ask no-budget", () => {
    expect(decide(policy({ mode: 'ask' }), {}, snapshot(), req(CENT), TZ)).toMatchObject({ action: 'ask', reason: 'no-budget' });
  });
  it("mode 'block' → refuse blocked (even if paused or expired)", () => {
    const d = decide(policy({ mode: 'block', paused: true, expiresAt: NOW - 1 }), {}, snapshot(), req(CENT), TZ);
    expect(d).toEqual({ action: 'refuse', reason: 'blocked', detail: 'Payments to news.example are blocked' });
  });
  it("a policy for another site is not used (the page can't borrow a budget)", () => {
    const d = decide(policy({ site: 'https://other.example' }), {}, snapshot(), req(CENT), TZ);
    expect(d).toMatchObject({ action: 'ask', reason: 'no-budget' });
  });
  it('auto within budget → pay', () => {
    expect(decide(policy(), {}, snapshot(), req(CENT), TZ)).toEqual({ action: 'pay' });
  });
  it('auto with no caps at all → ask no-budget', () => {
    expect(decide(policy({ caps: {} }), {}, snapshot(), req(CENT), TZ)).toMatchObject({ action: 'ask', reason: 'no-budget' });
  });
  it('paused → ask paused', () => {
    expect(decide(policy({ paused: true }), {}, snapshot(), req(CENT), TZ)).toMatchObject({ action: 'ask', reason: 'paused' });
  });
  it('expired → ask expired (boundary: expiresAt == now is expired, now − 1 ms is not)', () => {
    expect(decide(policy({ expiresAt: NOW }), {}, snapshot(), req(CENT), TZ)).toMatchObject({ action: 'ask', reason: 'expired' });
    expect(decide(policy({ expiresAt: NOW + 1 }), {}, snapshot(), req(CENT), TZ)).toEqual({ action: 'pay' });
  });
  it('negative amount → refuse invalid-amount', () => {
    expect(decide(policy(), {}, snapshot(), req(-1n), TZ)).toMatchObject({ action: 'refuse', reason: 'invalid-amount' });
  });

  describe('unit mismatch', () => {
    it('usd cap with a non-USD asset', () => {
      const d = decide(policy(), {}, snapshot(), req(1n, WETH), TZ);
      expect(d).toMatchObject({ action: 'ask', reason: 'unit-mismatch' });
      if (d.action === 'ask') expect(d.detail).toContain('dollars');
    });
    it('token cap for another asset, or the same asset on another network', () => {
      const cap: Cap = { unit: 'token', network: NET, asset: WETH.address, amount: 10n ** 18n };
      expect(decide(policy({ caps: { day: cap } }), {}, snapshot(), req(CENT), TZ)).toMatchObject({ reason: 'unit-mismatch' });
      expect(decide(policy({ caps: { day: cap } }), {}, snapshot(), req(1n, WETH, { network: 'eip155:1' }), TZ)).toMatchObject({ reason: 'unit-mismatch' });
    });
    it('a mismatched per-payment cap also asks', () => {
      const p = policy({ perPaymentCap: { unit: 'token', network: NET, asset: WETH.address, amount: 1n } });
      expect(decide(p, {}, snapshot(), req(CENT), TZ)).toMatchObject({ reason: 'unit-mismatch' });
    });
    it('token cap for the same asset (address case-insensitive) → pay and counts atomic units', () => {
      const cap: Cap = { unit: 'token', network: NET, asset: WETH.address.toLowerCase() as `0x${string}`, amount: 1000n };
      const key = tokenKey(NET, WETH.address);
      expect(decide(policy({ caps: { day: cap } }), {}, snapshot({ tokens: { [key]: { day: 900n } } }), req(100n, WETH), TZ)).toEqual({ action: 'pay' });
      expect(decide(policy({ caps: { day: cap } }), {}, snapshot({ tokens: { [key]: { day: 901n } } }), req(100n, WETH), TZ)).toMatchObject({ reason: 'period-cap-day' });
    });
  });

  describe('per-payment cap', () => {
    it('over → ask with a human detail; equal → pay', () => {
      const p = policy({ perPaymentCap: usd(0.01) });
      const d = decide(p, {}, snapshot(), req(5n * CENT), TZ);
      expect(d).toEqual({ action: 'ask', reason: 'over-per-payment-cap', detail: 'This payment ($0.05) is over the $0.01 per-payment cap' });
      expect(decide(p, {}, snapshot(), req(CENT), TZ)).toEqual({ action: 'pay' });
    });
  });

  describe('period caps (spent + reserved + amount > cap)', () => {
    const cases = [
      ['day', 'period-cap-day'],
      ['week', 'period-cap-week'],
      ['month', 'period-cap-month'],
      ['lifetime', 'lifetime-cap'],
    ] as const;
    for (const [kind, reason] of cases) {
      it(`${kind}: exactly reaching the cap pays, one micro-dollar over asks ${reason}`, () => {
        const p = policy({ caps: { [kind]: usd(0.1) } });
        expect(decide(p, {}, snapshot({ site: { [kind]: 90_000n } }), req(CENT), TZ)).toEqual({ action: 'pay' });
        const d = decide(p, {}, snapshot({ site: { [kind]: 90_001n } }), req(CENT), TZ);
        expect(d).toMatchObject({ action: 'ask', reason });
      });
    }
    it('the first exceeded cap in order day → week → month → lifetime is reported', () => {
      const p = policy({ caps: { day: usd(1), week: usd(0.5), month: usd(0.2), lifetime: usd(0.1) } });
      expect(decide(p, {}, snapshot({ site: { week: 500_000n, month: 500_000n, lifetime: 500_000n } }), req(CENT), TZ)).toMatchObject({ reason: 'period-cap-week' });
      expect(decide(p, {}, snapshot({ site: { lifetime: 95_000n } }), req(CENT), TZ)).toMatchObject({ reason: 'lifetime-cap' });
    });
    it('detail names the period and shows spent and cap', () => {
      const d = decide(policy({ caps: { day: usd(0.1) } }), {}, snapshot({ site: { day: 95_000n } }), req(CENT), TZ);
      expect(d.action === 'ask' && d.detail).toBe("This payment ($0.01) would exceed today's budget for news.example: $0.095 of $0.10 already used");
    });
    it('a zero cap refuses any non-zero automatic payment but allows a free one', () => {
      const p = policy({ caps: { day: usd(0) } });
      expect(decide(p, {}, snapshot(), req(1n), TZ)).toMatchObject({ reason: 'period-cap-day' });
      expect(decide(p, {}, snapshot(), req(0n), TZ)).toEqual({ action: 'pay' });
    });
  });

  describe('non-6-decimal USD asset', () => {
    it('18-decimal stablecoin converts exactly, rounding up', () => {
      expect(atomicToMicroUsd(10n ** 16n, 18)).toBe(CENT); // $0.01
      expect(atomicToMicroUsd(10n ** 16n + 1n, 18)).toBe(CENT + 1n); // a wei over rounds up
      expect(atomicToMicroUsd(1n, 18)).toBe(1n);
      expect(atomicToMicroUsd(0n, 18)).toBe(0n);
      expect(atomicToMicroUsd(5n, 2)).toBe(50_000n); // $0.05 in a 2-decimal token
    });
    it('decision uses the rounded-up amount against USD caps', () => {
      const p = policy({ perPaymentCap: usd(0.01) });
      expect(decide(p, {}, snapshot(), req(10n ** 16n, DAI18), TZ)).toEqual({ action: 'pay' });
      const d = decide(p, {}, snapshot(), req(10n ** 16n + 1n, DAI18), TZ);
      expect(d).toMatchObject({ reason: 'over-per-payment-cap' });
      // a server cannot sneak 1,000 tokens past a $0.01 cap with an 18-decimal asset
      expect(decide(p, {}, snapshot(), req(1000n * 10n ** 18n, DAI18), TZ)).toMatchObject({ reason: 'over-per-payment-cap' });
    });
  });

  describe('rate limit', () => {
    it('asks once ratePerMinute payments happened in the last 60 s; older ones do not count', () => {
      const p = policy({ ratePerMinute: 3 });
      const recent2 = [NOW - 59_000, NOW - 1000];
      expect(decide(p, {}, snapshot({ recent: recent2 }), req(CENT), TZ)).toEqual({ action: 'pay' });
      const d = decide(p, {}, snapshot({ recent: [...recent2, NOW - 500] }), req(CENT), TZ);
      expect(d).toEqual({ action: 'ask', reason: 'rate-limit', detail: 'news.example already made 3 payments in the last minute (limit 3 per minute)' });
      expect(decide(p, {}, snapshot({ recent: [NOW - 60_000, ...recent2] }), req(CENT), TZ)).toEqual({ action: 'pay' });
    });
    it('ratePerMinute 0 never auto-pays', () => {
      expect(decide(policy({ ratePerMinute: 0 }), {}, snapshot(), req(CENT), TZ)).toMatchObject({ reason: 'rate-limit' });
    });
  });

  describe('global daily cap', () => {
    it('asks when all sites together would exceed it; pays at exactly the cap', () => {
      const g = { dailyCap: usd(1) };
      expect(decide(policy(), g, snapshot({ global: { day: 990_000n } }), req(CENT), TZ)).toEqual({ action: 'pay' });
      const d = decide(policy(), g, snapshot({ global: { day: 990_001n } }), req(CENT), TZ);
      expect(d).toEqual({
        action: 'ask',
        reason: 'global-daily-cap',
        detail: 'This payment ($0.01) would exceed the $1.00 daily limit across all sites ($0.990001 used today)',
      });
    });
    it('a USD global cap asks for a non-USD asset (cannot be measured)', () => {
      const cap: Cap = { unit: 'token', network: NET, asset: WETH.address, amount: 10n ** 18n };
      expect(decide(policy({ caps: { day: cap } }), { dailyCap: usd(1) }, snapshot(), req(1n, WETH), TZ)).toMatchObject({ reason: 'global-daily-cap' });
    });
    it('site caps are checked before the global cap', () => {
      const d = decide(policy({ caps: { day: usd(0.01) } }), { dailyCap: usd(0.01) }, snapshot({ site: { day: CENT }, global: { day: CENT } }), req(CENT), TZ);
      expect(d).toMatchObject({ reason: 'period-cap-day' });
    });
  });
});

describe('remaining and thresholds', () => {
  it('reports remaining, percent used and reset times per cap', () => {
    const p = policy({ caps: { day: usd(1), month: usd(10), lifetime: usd(100) } });
    const r = remaining(p, snapshot({ site: { day: 800_000n, month: 1_000_000n, lifetime: 150_000_000n } }), NOW, TZ);
    expect(Object.keys(r).sort()).toEqual(['day', 'lifetime', 'month']);
    expect(r.day).toMatchObject({ spent: 800_000n, remaining: 200_000n, percentUsed: 80, resetsAt: Date.parse('2026-05-14T22:00:00Z') });
    expect(r.month).toMatchObject({ remaining: 9_000_000n, percentUsed: 10, resetsAt: Date.parse('2026-05-31T22:00:00Z') });
    expect(r.lifetime).toMatchObject({ remaining: 0n, percentUsed: 150 });
    expect(r.lifetime?.resetsAt).toBeUndefined();
    expect(remaining(undefined, snapshot(), NOW, TZ)).toEqual({});
  });
  it('remainingGlobal', () => {
    expect(remainingGlobal({}, snapshot(), NOW, TZ)).toBeUndefined();
    expect(remainingGlobal({ dailyCap: usd(2) }, snapshot({ global: { day: 500_000n } }), NOW, TZ)).toMatchObject({ kind: 'global-day', percentUsed: 25, remaining: 1_500_000n });
  });
  it('thresholdCrossedPercent', () => {
    expect(thresholdCrossedPercent(79.99, 80)).toBe(80);
    expect(thresholdCrossedPercent(80, 99)).toBeNull();
    expect(thresholdCrossedPercent(50, 100)).toBe(100);
    expect(thresholdCrossedPercent(100, 120)).toBeNull();
    expect(thresholdCrossedPercent(0, 79.99)).toBeNull();
  });
  it('thresholdCrossed compares reports per cap and treats a new period as 0 %', () => {
    const p = policy({ caps: { day: usd(1), week: usd(10) } });
    const before = remaining(p, snapshot({ site: { day: 700_000n, week: 7_900_000n } }), NOW, TZ);
    const after = remaining(p, snapshot({ site: { day: 1_000_000n, week: 8_200_000n } }), NOW, TZ);
    expect(thresholdCrossed(before, after)).toEqual([
      { kind: 'day', threshold: 100, percentUsed: 100 },
      { kind: 'week', threshold: 80, percentUsed: 82 },
    ]);
    expect(thresholdCrossed(after, after)).toEqual([]);
    const nextDay = NOW + 86_400_000;
    const afterTomorrow = remaining(p, snapshot({ site: { day: 850_000n, week: 8_200_000n } }), nextDay, TZ);
    expect(thresholdCrossed(after, afterTomorrow)).toEqual([{ kind: 'day', threshold: 80, percentUsed: 85 }]);
  });
});

describe('formatting and coverage helpers', () => {
  it('formatUsd / formatUnits', () => {
    expect(formatUsd(50_000n)).toBe('$0.05');
    expect(formatUsd(1_000n)).toBe('$0.001');
    expect(formatUsd(1_234_500_000n)).toBe('$1,234.50');
    expect(formatUsd(0n)).toBe('$0.00');
    expect(formatUnits(1_500_000_000_000_000_000n, 18)).toBe('1.5');
  });
  it('capCovers', () => {
    expect(capCovers(usd(1), NET, USDC)).toBe(true);
    expect(capCovers(usd(1), NET, WETH)).toBe(false);
    expect(capCovers({ unit: 'token', network: NET, asset: USDC.address, amount: 1n }, NET, USDC)).toBe(true);
  });
});
