/**
 * Display formatting for budgets and amounts (strings only; never used for arithmetic).
 */
import type { Cap } from './types';
import { USD_DECIMALS } from './units';

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Atomic units → decimal string, trailing zeros trimmed ('1500000', 6 → '1.5'). */
export function formatUnits(amount: bigint, decimals: number, minFraction = 0): string {
  const neg = amount < 0n;
  const abs = neg ? -amount : amount;
  const base = 10n ** BigInt(decimals);
  const whole = (abs / base).toString();
  let frac = decimals > 0 ? (abs % base).toString().padStart(decimals, '0') : '';
  frac = frac.replace(/0+$/, '');
  if (frac.length < minFraction) frac = frac.padEnd(minFraction, '0');
  return `${neg ? '-' : ''}${groupThousands(whole)}${frac ? `.${frac}` : ''}`;
}

/** Micro-dollars → '$0.05', '$0.001', '$1,234.50'. */
export function formatUsd(micro: bigint): string {
  const s = formatUnits(micro, USD_DECIMALS, 2);
  return s.startsWith('-') ? `-$${s.slice(1)}` : `$${s}`;
}

/** An amount in a cap's unit, for humans. `symbol`/`decimals` describe the token for token caps. */
export function formatCapAmount(cap: Cap, amount: bigint, token?: { symbol: string; decimals: number }): string {
  if (cap.unit === 'usd') return formatUsd(amount);
  if (!token) return `${amount.toString()} units`;
  return `${formatUnits(amount, token.decimals)} ${token.symbol}`;
}

/** 'https://example.com' → 'example.com' (falls back to the input). */
export function siteLabel(site: string): string {
  try {
    return new URL(site).host || site;
  } catch {
    return site;
  }
}
