/**
 * The default amount offered by "Pay and allow this site up to …": ten times the price,
 * rounded up to a "nice" number (1, 2 or 5 × a power of ten), never below $0.10.
 * Pure, in micro-dollars.
 */
import { formatUsdPlain, tryParseUsd } from '../policy/money';

export const MIN_ALLOWANCE_MICRO = 100_000n; // $0.10
/** Used when the price has no USD value (non-stablecoin asset) or cannot be read. */
export const FALLBACK_ALLOWANCE_MICRO = 1_000_000n; // $1.00
const MULTIPLIER = 10n;

/** Smallest value of the form {1, 2, 5} × 10^k micro-dollars that is ≥ `micro` (micro ≥ 1). */
export function niceCeil(micro: bigint): bigint {
  if (micro <= 1n) return 1n;
  let scale = 1n;
  for (;;) {
    for (const step of [1n, 2n, 5n]) {
      const v = step * scale;
      if (v >= micro) return v;
    }
    scale *= 10n;
  }
}

/** Default allowance in micro-dollars for a price in micro-dollars (null: no USD price). */
export function defaultAllowanceMicro(priceMicro: bigint | null): bigint {
  if (priceMicro === null || priceMicro <= 0n) return FALLBACK_ALLOWANCE_MICRO;
  const tenfold = priceMicro * MULTIPLIER;
  const nice = niceCeil(tenfold);
  return nice < MIN_ALLOWANCE_MICRO ? MIN_ALLOWANCE_MICRO : nice;
}

/**
 * Default allowance as the USD input shows it ("0.10", "5.00"), from an option's display price
 * such as "$0.01" (the DTO's `amountUsd`) or null.
 */
export function defaultAllowanceUsd(amountUsd: string | null | undefined): string {
  const parsed = amountUsd ? tryParseUsd(amountUsd) : null;
  return formatUsdPlain(defaultAllowanceMicro(parsed && parsed.ok ? parsed.micro : null));
}
