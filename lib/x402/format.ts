/**
 * Display helpers for x402 amounts and addresses. Exact bigint arithmetic; no floats.
 * USD formatting is only for assets the trusted table marks USD-pegged (1 token = $1);
 * a server-stated price is never used.
 */
import type { TrustedAsset } from '../rails/types.ts';

function assertDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 77) throw new RangeError('decimals must be an integer 0..77');
}

/** Exact decimal rendering of an atomic amount: (10000n, 6) → "0.01", (1500000n, 6) → "1.5". */
export function formatAmount(atomic: bigint, decimals: number): string {
  assertDecimals(decimals);
  const neg = atomic < 0n;
  const abs = neg ? -atomic : atomic;
  const base = 10n ** BigInt(decimals);
  const int = abs / base;
  const frac = abs % base;
  let s = int.toString();
  if (frac > 0n) s += '.' + frac.toString().padStart(decimals, '0').replace(/0+$/, '');
  return neg ? '-' + s : s;
}

/** Amount with the trusted symbol: "0.01 USDC". */
export function formatTokenAmount(atomic: bigint, asset: Pick<TrustedAsset, 'decimals' | 'symbol'>): string {
  return `${formatAmount(atomic, asset.decimals)} ${asset.symbol}`;
}

function group(intDigits: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Dollar rendering for a USD-pegged asset: at least two decimals, never rounded
 * ("$0.01", "$1.50", "$0.015", "$1,234.00"); a non-zero amount below one cent is "<$0.01".
 * For assets that are not USD-pegged, falls back to the token amount ("5 XYZ").
 */
export function formatUsd(atomic: bigint, asset: Pick<TrustedAsset, 'decimals' | 'symbol' | 'usdPegged'>): string {
  if (!asset.usdPegged) return formatTokenAmount(atomic, asset);
  assertDecimals(asset.decimals);
  const neg = atomic < 0n;
  const abs = neg ? -atomic : atomic;
  const sign = neg ? '-' : '';
  const cent = asset.decimals >= 2 ? 10n ** BigInt(asset.decimals - 2) : 1n;
  if (abs > 0n && asset.decimals >= 2 && abs < cent) return `${sign}<$0.01`;
  const [int = '0', frac = ''] = formatAmount(abs, asset.decimals).split('.');
  return `${sign}$${group(int)}.${frac.padEnd(2, '0')}`;
}

/** "0x1234…abcd" (keeps the casing given; pass a checksummed address). */
export function shortAddress(address: string, chars = 4): string {
  if (typeof address !== 'string' || address.length <= 2 + chars * 2 + 1) return address;
  return `${address.slice(0, 2 + chars)}…${address.slice(-chars)}`;
}
