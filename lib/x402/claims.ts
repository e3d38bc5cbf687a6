/**
 * What a server says a payment costs, against what would be signed. A server's description
 * ("Premium article — $0.01") or display price (`extra.displayPrice` / `extra.price` /
 * `extra.displayAmount`) is a hint at most; the amount signed comes from the option and the
 * trusted table. When the hints name prices and none of them is the amount signed (nor the
 * total with a fee), the approval says so. Exact decimal arithmetic; bounded input. Pure.
 */
import { optionCost, type PayableOption } from '../rails/index.ts';
import { formatTokenAmount, formatUsd } from './format.ts';
import type { PaymentRequiredNormalized } from './types.ts';

const MAX_SCAN = 2_000;
const MAX_CLAIMS = 8;
const NUM = String.raw`(\d{1,15}(?:,\d{3})*(?:\.\d{1,18})?|\.\d{1,18})`;

export interface PriceClaim {
  /** as written ("$0.001", "0.01 USDC") */
  text: string;
  unit: 'usd' | 'token';
  /** the number, as a decimal string without grouping */
  value: string;
}

/** Prices written in a server's text: "$1.50", "1.50 USD", "0.01 <symbol>". */
export function findPriceClaims(text: string, symbol: string): PriceClaim[] {
  const s = text.slice(0, MAX_SCAN);
  const sym = symbol.replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
  const out: PriceClaim[] = [];
  const add = (t: string, unit: PriceClaim['unit'], v: string) => {
    if (out.length < MAX_CLAIMS) out.push({ text: t.trim(), unit, value: v.replace(/,/g, '') });
  };
  for (const m of s.matchAll(new RegExp(String.raw`(?:US)?\$\s?${NUM}`, 'g'))) add(m[0], 'usd', m[1]!);
  for (const m of s.matchAll(new RegExp(String.raw`${NUM}\s?(?:USD|dollars?)\b`, 'gi'))) add(m[0], 'usd', m[1]!);
  if (sym && !/^USD$/i.test(sym))
    for (const m of s.matchAll(new RegExp(String.raw`${NUM}\s?${sym}\b`, 'gi'))) add(m[0], 'token', m[1]!);
  return out;
}

/** decimal string → atomic units of `decimals` (null when it has more digits than the token) */
function toAtomic(value: string, decimals: number): bigint | null {
  const [int = '0', frac = ''] = value.split('.');
  if (frac.length > decimals) {
    if (/[^0]/.test(frac.slice(decimals))) return null;
  }
  const f = frac.slice(0, decimals).padEnd(decimals, '0');
  return BigInt(int || '0') * 10n ** BigInt(decimals) + BigInt(f || '0');
}

function hintsOf(pr: PaymentRequiredNormalized, o: PayableOption): string[] {
  const raw = pr.accepts[o.index] as Record<string, unknown> | undefined;
  const hints: string[] = [];
  const desc = pr.version === 2 ? pr.resource.description : raw?.description;
  if (typeof desc === 'string') hints.push(desc);
  const extra = raw?.extra;
  if (extra && typeof extra === 'object' && !Array.isArray(extra)) {
    for (const k of ['displayPrice', 'price', 'displayAmount']) {
      const v = (extra as Record<string, unknown>)[k];
      if (typeof v === 'string') hints.push(/^\s*[\d.,]+\s*$/.test(v) ? `$${v.trim()}` : v);
      else if (typeof v === 'number' && Number.isFinite(v) && v >= 0) hints.push(`$${String(v)}`);
    }
  }
  return hints;
}

/**
 * null when the server's hints agree with what is signed (or name no price); otherwise the
 * sentence the approval shows: "The server describes this as "$0.001", but you would sign
 * 1000 USDC ($1,000.00)."
 */
export function priceClaimMismatch(pr: PaymentRequiredNormalized, o: PayableOption): string | null {
  const claims = hintsOf(pr, o).flatMap((h) => findPriceClaims(h, o.asset.symbol));
  if (claims.length === 0) return null;
  const signed = [o.amount, optionCost(o)];
  const matches = (c: PriceClaim) => {
    if (c.unit === 'usd' && !o.asset.usdPegged) return false;
    const a = toAtomic(c.value, o.asset.decimals);
    return a !== null && signed.includes(a);
  };
  if (claims.some(matches)) return null;
  const cost = optionCost(o);
  const what = o.asset.usdPegged ? `${formatTokenAmount(cost, o.asset)} (${formatUsd(cost, o.asset)})` : formatTokenAmount(cost, o.asset);
  const said = claims
    .slice(0, 2)
    .map((c) => `"${c.text}"`)
    .join(' and ');
  const notDollars = !o.asset.usdPegged && claims.every((c) => c.unit === 'usd') ? ` — ${o.asset.symbol} is not a dollar token` : '';
  return `The server describes this as ${said}, but you would sign ${what}${notDollars}.`;
}
