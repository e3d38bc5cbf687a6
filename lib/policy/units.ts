/**
 * Unit helpers for budgets: exact bigint conversion of token amounts to micro-dollars,
 * token keys, which cap covers which asset, and site-key normalization.
 */
import type { AssetInfo, Cap, PeriodTotals, SpendTotals } from './types';

export const USD_DECIMALS = 6;

/** A token address as compared: EVM addresses are case-insensitive (EIP-55 casing is a checksum); others (base58) are exact. */
export function addressKey(network: string, address: string): string {
  return network.startsWith('eip155:') ? address.toLowerCase() : address;
}

/** Key for per-token totals: `${network}|${address key}`. */
export function tokenKey(network: string, asset: string): string {
  return `${network}|${addressKey(network, asset)}`;
}

function assertDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) {
    throw new RangeError(`invalid token decimals: ${decimals}`);
  }
}

/**
 * Atomic units of a USD-pegged token → micro-dollars, exactly, rounding UP (so a spend is
 * never under-counted). 1 atomic unit of a 6-decimal stablecoin = 1 micro-dollar.
 */
export function atomicToMicroUsd(amount: bigint, decimals: number): bigint {
  assertDecimals(decimals);
  if (amount < 0n) throw new RangeError('negative amount');
  if (decimals === USD_DECIMALS) return amount;
  if (decimals < USD_DECIMALS) return amount * 10n ** BigInt(USD_DECIMALS - decimals);
  const div = 10n ** BigInt(decimals - USD_DECIMALS);
  return (amount + div - 1n) / div;
}

/** Does this cap measure payments in this asset on this network? */
export function capCovers(cap: Cap, network: string, asset: Pick<AssetInfo, 'address' | 'usdPegged'>): boolean {
  if (cap.unit === 'usd') return asset.usdPegged;
  return cap.network === network && addressKey(network, cap.asset) === addressKey(network, asset.address);
}

/** The payment amount expressed in the cap's unit (assumes `capCovers`). */
export function amountInCapUnit(cap: Cap, amount: bigint, asset: Pick<AssetInfo, 'decimals'>): bigint {
  return cap.unit === 'usd' ? atomicToMicroUsd(amount, asset.decimals) : amount;
}

export const ZERO_TOTALS: Readonly<PeriodTotals> = Object.freeze({ day: 0n, week: 0n, month: 0n, lifetime: 0n });

/** The totals that apply to a cap's unit (zeros when nothing was spent in it). */
export function totalsForCap(cap: Cap, totals: SpendTotals): PeriodTotals {
  if (cap.unit === 'usd') return totals.usd;
  return totals.tokens[tokenKey(cap.network, cap.asset)] ?? ZERO_TOTALS;
}

/** Normalize a site to its origin ('https://Example.com/x' → 'https://example.com'); other strings unchanged. */
export function siteKey(site: string): string {
  try {
    const origin = new URL(site).origin;
    if (origin && origin !== 'null') return origin;
  } catch {
    /* not a URL: keep as is */
  }
  return site;
}
