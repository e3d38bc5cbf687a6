/**
 * Policy types: per-site spending policies, the global policy, the payment request a
 * decision is made about, the spend snapshot it is made against, and the decision itself.
 * Owned by the background (pure data; no side effects here).
 *
 * Money is bigint everywhere: USD caps in micro-dollars (6 decimals), token caps in the
 * token's atomic units.
 */

export type Hex = `0x${string}`;

/** A budget expressed in dollars (micro-dollars; 1_000_000n = $1). Covers USD-pegged assets only. */
export interface UsdCap {
  unit: 'usd';
  amount: bigint;
}

/** A budget expressed in one specific token (atomic units) on one network. */
export interface TokenCap {
  unit: 'token';
  /** CAIP-2 or v1 network id, exactly as the payment request names it (e.g. 'eip155:8453'). */
  network: string;
  /** token contract (EVM) or mint (Solana) */
  asset: string;
  amount: bigint;
}

export type Cap = UsdCap | TokenCap;

export type PolicyMode = 'ask' | 'auto' | 'block';
export type PeriodKind = 'day' | 'week' | 'month';
export type CapKind = PeriodKind | 'lifetime';

export interface SitePolicy {
  /** Top-level site origin, e.g. 'https://example.com' — keyed by the browser, never by the page. */
  site: string;
  mode: PolicyMode;
  perPaymentCap?: Cap;
  caps: { day?: Cap; week?: Cap; month?: Cap; lifetime?: Cap };
  /** Maximum number of payments to this site in any sliding 60-second window. */
  ratePerMinute?: number;
  /** Epoch ms after which the automatic budget no longer applies (→ ask). */
  expiresAt?: number;
  paused?: boolean;
  /** the page API (`window.x402`) is allowed on this site (off by default) */
  pageApi?: boolean;
  /** cross-site frames inside this site may pay automatically from its budget (off by default: they ask) */
  embeddedPay?: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface GlobalPolicy {
  /** Across all sites, per calendar day in the user's time zone. Must be a USD cap to cover USD assets. */
  dailyCap?: Cap;
}

/** Trusted asset facts (from the wallet's network/asset registry, never from the server). */
export interface AssetInfo {
  address: string;
  decimals: number;
  usdPegged: boolean;
  symbol: string;
}

export interface PaymentRequest {
  /** Top-level site origin the budget belongs to (browser-derived). */
  site: string;
  /** Origin that returned the 402 (may be a third party embedded in `site`). */
  requestOrigin: string;
  network: string;
  asset: AssetInfo;
  /** Atomic units of `asset`. */
  amount: bigint;
  /** Epoch ms. */
  now: number;
}

/** Spent + reserved amounts, in one unit, per calendar period containing `SpendSnapshot.at`. */
export interface PeriodTotals {
  day: bigint;
  week: bigint;
  month: bigint;
  lifetime: bigint;
}

/** Totals for one scope: `usd` sums USD-pegged assets in micro-dollars (rounded up per payment);
 * `tokens` sums every asset in atomic units, keyed by `tokenKey(network, asset)`. */
export interface SpendTotals {
  usd: PeriodTotals;
  tokens: Record<string, PeriodTotals>;
}

export interface SpendSnapshot {
  /** Epoch ms the periods were computed for. */
  at: number;
  timeZone: string;
  site: SpendTotals;
  global: SpendTotals;
  /** createdAt (epoch ms) of this site's counted payments within the 60 s before `at`. */
  recent: number[];
}

export type AskReason =
  | 'no-budget'
  | 'paused'
  | 'expired'
  | 'unit-mismatch'
  | 'over-per-payment-cap'
  | 'period-cap-day'
  | 'period-cap-week'
  | 'period-cap-month'
  | 'lifetime-cap'
  | 'rate-limit'
  | 'global-daily-cap'
  // set by the payment flow, never by decide(): the budget would pay but the wallet cannot
  | 'insufficient-balance'
  | 'locked'
  // a cross-site frame inside a site with a budget (lib/policy/embedded.ts)
  | 'embedded-frame';

export type RefuseReason = 'blocked' | 'invalid-amount';

export type Decision =
  | { action: 'pay' }
  | { action: 'ask'; reason: AskReason; detail: string }
  | { action: 'refuse'; reason: RefuseReason; detail: string };

/** Usage of one cap, for the UI. */
export interface CapUsage {
  kind: CapKind | 'global-day';
  cap: Cap;
  /** Spent + reserved in the cap's unit. */
  spent: bigint;
  /** max(cap − spent, 0). */
  remaining: bigint;
  /** spent / cap × 100, two decimals, may exceed 100 (manual payments are not capped). */
  percentUsed: number;
  /** Epoch ms when the period resets (absent for lifetime). */
  resetsAt?: number;
}

export type RemainingReport = Partial<Record<CapKind, CapUsage>>;

export interface ThresholdAlert {
  kind: CapUsage['kind'];
  threshold: 80 | 100;
  percentUsed: number;
}
