/**
 * USD amounts typed by the user, as exact integers of micro-dollars (1 USD = 1,000,000).
 * Owns parsing of USD inputs and formatting of micro-dollar values. No floats anywhere.
 */

export const MICRO_PER_USD = 1_000_000n;

/** Thrown by `parseUsd` with a message the UI can show as is. */
export class UsdFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsdFormatError';
  }
}

export type UsdParseResult = { ok: true; micro: bigint } | { ok: false; error: string };

/** Largest accepted integer part (one trillion dollars minus a cent is plenty for a budget). */
const MAX_INTEGER_DIGITS = 12;

/**
 * Parses a dollar amount such as "1.5", "0.10", "$2" into micro-dollars.
 * Strict: plain digits, an optional single "." with 1–6 decimals, an optional leading "$"
 * and surrounding spaces. No signs, exponents, thousands separators or empty strings.
 */
export function parseUsd(input: string): bigint {
  const r = tryParseUsd(input);
  if (!r.ok) throw new UsdFormatError(r.error);
  return r.micro;
}

/** Same as `parseUsd` without throwing, for forms. */
export function tryParseUsd(input: string): UsdParseResult {
  let s = input.trim();
  if (s.startsWith('$')) s = s.slice(1).trim();
  if (s === '') return { ok: false, error: 'Enter an amount in dollars, like 1.50.' };
  if (/^[+-]/.test(s)) return { ok: false, error: 'Enter the amount without a + or − sign.' };
  if (/[eE]/.test(s)) return { ok: false, error: 'Use plain digits, like 1.50 (no exponents).' };
  if (/,/.test(s)) return { ok: false, error: 'Use digits and a dot only, like 1250.50 (no commas).' };
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return { ok: false, error: 'Enter an amount in dollars, like 1.50.' };
  const intPart = m[1] ?? '0';
  const fracPart = m[2] ?? '';
  if (fracPart.length > 6) return { ok: false, error: 'Use at most 6 decimal places.' };
  if (intPart.replace(/^0+/, '').length > MAX_INTEGER_DIGITS) return { ok: false, error: 'That amount is too large.' };
  const micro = BigInt(intPart) * MICRO_PER_USD + BigInt(fracPart.padEnd(6, '0') || '0');
  return { ok: true, micro };
}

/** Decimal string without "$": at least 2 decimals, more only when needed ("1.50", "0.001234"). */
export function formatUsdPlain(micro: bigint): string {
  const neg = micro < 0n;
  const abs = neg ? -micro : micro;
  const whole = abs / MICRO_PER_USD;
  let frac = (abs % MICRO_PER_USD).toString().padStart(6, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${neg ? '-' : ''}${whole.toString()}.${frac}`;
}

/** "$1.50" from 1_500_000n (one display format across the wallet). */
export { formatUsd } from '../policy/format';
