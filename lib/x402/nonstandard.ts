/**
 * 402s of servers that do not follow the x402 specification, as seen in the wild (pure; no
 * browser or network APIs):
 *
 *  (a) an x402 v2 document in the JSON *body* (no `PAYMENT-REQUIRED` header), the payment
 *      expected in `X-PAYMENT` (AgentMetal's documented flow). Accepted only when it is
 *      unambiguous: no header at all, exactly one valid v2 document, and a `resource` (when the
 *      server names one) on the origin that answered. The payload is the ordinary v2 payload.
 *  (b) the "simple headers" 402: `X-Payment-Address`, `X-Payment-Amount` (dollars),
 *      `X-Payment-Currency`, `X-Payment-Chain`, answered with `X-Payment-Proof: <tx hash>` of a
 *      direct ERC-20 transfer. Parsed strictly here; the token is the wallet's own trusted token
 *      for that chain and symbol (never an address from the server).
 *  (c) any other 402: `describeUnpayable` says what the site asked for and why the wallet
 *      cannot pay it.
 */
import { getAddress, isAddress, zeroAddress } from 'viem';
import type { EvmAsset } from '../rails/types.ts';
import { V1_EVM_NETWORKS } from '../rails/evm/assets.ts';
import type { Registry } from './registry.ts';

export type NonstandardResult<T> = { ok: true; value: T } | { ok: false; code: string; error: string };
const fail = (code: string, error: string): { ok: false; code: string; error: string } => ({ ok: false, code, error });

/** The response headers the background keeps of a 402 that has no PAYMENT-REQUIRED (lower-case names). */
export const SIMPLE_HEADERS = ['x-payment-address', 'x-payment-amount', 'x-payment-currency', 'x-payment-chain'] as const;
/** Other headers that say what a non-x402 402 asked for. */
export const DESCRIBE_HEADERS = ['www-authenticate', 'content-type', 'x-payment-required', 'payment-link', 'x-payment-scheme'] as const;
export const OBSERVED_HEADERS: readonly string[] = [...SIMPLE_HEADERS, ...DESCRIBE_HEADERS];
/** The header a simple-headers server reads. */
export const PROOF_HEADER = 'X-Payment-Proof';
/** The header a v2-in-the-body server reads (AgentMetal documents X-PAYMENT). */
export const BODY_V2_HEADER = 'X-PAYMENT';

const MAX_HEADER = 512;

/** Header lists as webRequest gives them: names in any case, possibly repeated. */
export type HeaderPairs = readonly { name: string; value?: string }[];

/**
 * The headers of interest, lower-cased; a header sent twice with different values is kept as
 * `null` (ambiguous). Values longer than 512 characters are cut to mark them oversized.
 */
export function pickHeaders(headers: HeaderPairs | undefined, names: readonly string[] = OBSERVED_HEADERS): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const h of headers ?? []) {
    const n = h.name.toLowerCase();
    if (!names.includes(n) || typeof h.value !== 'string') continue;
    const v = h.value.length > MAX_HEADER ? h.value.slice(0, MAX_HEADER + 1) : h.value;
    if (n in out && out[n] !== v) out[n] = null;
    else out[n] = v;
  }
  return out;
}

export function hasSimpleHeaders(h: Readonly<Record<string, string | null>> | undefined): boolean {
  return !!h && SIMPLE_HEADERS.some((n) => n in h);
}

// ---------------------------------------------------------------- (b) simple headers

export interface SimpleHeaders402 {
  payTo: `0x${string}`;
  /** dollars as the server wrote them, e.g. "0.99" */
  amountUsd: string;
  /** micro-dollars (6 decimals) */
  amountMicroUsd: bigint;
  currency: string;
  /** CAIP-2 (eip155:<id>) */
  network: string;
  chainId: number;
  /** the chain as the server named it */
  chainName: string;
}

const USD_AMOUNT = /^(0|[1-9]\d{0,8})(\.\d{1,6})?$/;
const CURRENCY = /^[A-Za-z][A-Za-z0-9.]{0,15}$/;

/** `base`, `base-sepolia`, `eip155:8453` or `8453` → chain id; anything else undefined. */
export function simpleChainId(chain: string): number | undefined {
  const c = chain.trim();
  const caip = /^eip155:([1-9]\d{0,15})$/.exec(c);
  const num = caip?.[1] ?? (/^[1-9]\d{0,15}$/.test(c) ? c : undefined);
  if (num !== undefined) {
    const id = Number(num);
    return Number.isSafeInteger(id) ? id : undefined;
  }
  return Object.prototype.hasOwnProperty.call(V1_EVM_NETWORKS, c.toLowerCase()) ? V1_EVM_NETWORKS[c.toLowerCase()] : undefined;
}

/** Strict parse of the four simple headers; every one must be present once, well-formed. */
export function parseSimpleHeaders(h: Readonly<Record<string, string | null>>): NonstandardResult<SimpleHeaders402> {
  for (const n of SIMPLE_HEADERS) {
    if (!(n in h)) return fail('simple-missing', `the 402 has no ${n} header`);
    if (h[n] === null) return fail('simple-ambiguous', `the 402 sends ${n} twice with different values`);
    if (h[n]!.length > MAX_HEADER) return fail('simple-too-long', `${n} is too long`);
  }
  const address = h['x-payment-address']!.trim();
  if (!isAddress(address, { strict: false })) return fail('simple-bad-address', `X-Payment-Address "${address.slice(0, 60)}" is not an EVM address`);
  // a mixed-case address must carry a valid EIP-55 checksum (a typo must not pay a stranger)
  if (/[a-f]/.test(address.slice(2)) && /[A-F]/.test(address.slice(2)) && getAddress(address) !== address)
    return fail('simple-bad-checksum', 'X-Payment-Address has a wrong EIP-55 checksum');
  const payTo = getAddress(address);
  if (payTo === zeroAddress) return fail('simple-zero-address', 'X-Payment-Address is the zero address');
  const amount = h['x-payment-amount']!.trim().replace(/^\$/, '');
  const m = USD_AMOUNT.exec(amount);
  if (!m) return fail('simple-bad-amount', `X-Payment-Amount "${amount.slice(0, 40)}" is not a dollar amount (up to 6 decimals)`);
  const frac = (m[2] ?? '.').slice(1).padEnd(6, '0');
  const micro = BigInt(m[1]!) * 1_000_000n + BigInt(frac || '0');
  if (micro <= 0n) return fail('simple-zero-amount', 'X-Payment-Amount must be more than $0');
  const currency = h['x-payment-currency']!.trim();
  if (!CURRENCY.test(currency)) return fail('simple-bad-currency', `X-Payment-Currency "${currency.slice(0, 40)}" is not a token symbol`);
  const chainName = h['x-payment-chain']!.trim();
  const chainId = simpleChainId(chainName);
  if (chainId === undefined) return fail('simple-unknown-chain', `X-Payment-Chain "${chainName.slice(0, 40)}" is not an EVM chain the wallet knows`);
  return { ok: true, value: { payTo, amountUsd: amount, amountMicroUsd: micro, currency, network: `eip155:${chainId}`, chainId, chainName } };
}

export interface SimpleOffer {
  /** the wallet's own trusted token (registry), never the server's word */
  asset: EvmAsset;
  /** atomic units of `asset` */
  amount: bigint;
  payTo: `0x${string}`;
  network: string;
}

/**
 * The trusted token this transfer would move: the registry's dollar token with that symbol on
 * that chain. Built-in tokens first; a user-added one only when no built-in one matches. More
 * than one candidate, a token that is not a dollar token (the amount is in dollars), or the
 * token itself as payee: refused.
 */
export function resolveSimpleOffer(s: SimpleHeaders402, registry: Registry): NonstandardResult<SimpleOffer> {
  const want = s.currency.toUpperCase();
  const onChain = registry.assets().filter((a): a is EvmAsset => a.rail === 'evm' && a.network === s.network);
  const same = onChain.filter((a) => a.symbol.toUpperCase() === want);
  if (same.length === 0)
    return fail('simple-unknown-token', `the wallet has no trusted ${s.currency} token on ${registry.networkName(s.network)}`);
  const builtIn = same.filter((a) => !a.local && !a.custom);
  const pool = builtIn.length > 0 ? builtIn : same;
  if (pool.length > 1) return fail('simple-ambiguous-token', `more than one trusted ${s.currency} token on ${registry.networkName(s.network)}: the wallet cannot tell which one the site means`);
  const asset = pool[0]!;
  if (registry.testnetHidden(asset)) return fail('testnets-off', 'Test networks are turned off (Settings → Show test networks)');
  if (!asset.usdPegged) return fail('simple-not-dollars', `${asset.symbol} does not count as dollars, and X-Payment-Amount is in dollars`);
  if (asset.address.toLowerCase() === s.payTo.toLowerCase()) return fail('simple-payto-token', 'X-Payment-Address is the token contract itself');
  if (asset.decimals < 6 && s.amountMicroUsd % 10n ** BigInt(6 - asset.decimals) !== 0n)
    return fail('simple-bad-amount', `X-Payment-Amount has more decimals than ${asset.symbol} (${asset.decimals})`);
  const amount = asset.decimals >= 6 ? s.amountMicroUsd * 10n ** BigInt(asset.decimals - 6) : s.amountMicroUsd / 10n ** BigInt(6 - asset.decimals);
  return { ok: true, value: { asset, amount, payTo: s.payTo, network: s.network } };
}

/** A transaction hash as the proof header carries it. */
export function isTxHash(v: unknown): v is `0x${string}` {
  return typeof v === 'string' && /^0x[0-9a-fA-F]{64}$/.test(v);
}

// ---------------------------------------------------------------- (a) v2 in the body

/**
 * A v2 document from the body of a 402 that has no PAYMENT-REQUIRED header, made ready for the
 * strict parser: `resource` is filled with the URL the browser requested when the server left it
 * out; a `resource.url` on another origin is refused (which resource would this pay for?).
 * Returns undefined when the body is not an x402 v2 document at all (left to the parser).
 */
export function bodyV2Document(bodyText: string | undefined, requestUrl: string): NonstandardResult<string> | undefined {
  if (!bodyText || !bodyText.trimStart().startsWith('{')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || (doc as Record<string, unknown>).x402Version !== 2) return undefined;
  const d = doc as Record<string, unknown>;
  let reqOrigin: string;
  try {
    reqOrigin = new URL(requestUrl).origin;
  } catch {
    return fail('bad-url', 'the request URL is not valid');
  }
  if (d.resource === undefined) return { ok: true, value: JSON.stringify({ ...d, resource: { url: requestUrl } }) };
  const r = d.resource as Record<string, unknown> | null;
  if (!r || typeof r !== 'object' || typeof r.url !== 'string') return fail('body-v2-bad-resource', 'the 402 body names a resource without a URL');
  let resOrigin: string | null = null;
  try {
    resOrigin = new URL(r.url).origin;
  } catch {
    /* below */
  }
  if (resOrigin !== reqOrigin)
    return fail('body-v2-resource-mismatch', `the 402 body asks payment for ${String(r.url).slice(0, 80)}, not for the origin that answered (${reqOrigin})`);
  return { ok: true, value: bodyText };
}

// ---------------------------------------------------------------- (c) anything else

export interface UnpayableDescription {
  /** what the site asked for, in a sentence */
  asked: string;
  /** why the wallet cannot pay it */
  why: string;
  /** a short stable code */
  kind: 'l402' | 'mpp' | 'simple-headers' | 'json' | 'html' | 'text' | 'empty' | 'x402-invalid';
}

const clean = (s: string, max = 80): string => {
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

/** Top-level keys of a JSON object body (at most 6), for "it sent {error, price_usd, …}". */
function jsonKeys(bodyText: string): string[] | null {
  try {
    const v: unknown = JSON.parse(bodyText);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    return Object.keys(v as object).slice(0, 6).map((k) => clean(k, 24));
  } catch {
    return null;
  }
}

/**
 * What a 402 the wallet cannot pay asked for, for the activity list and the page's refusal.
 * `parseError`: the strict parser's complaint, when the 402 looked like x402.
 */
export function describeUnpayable(h: Readonly<Record<string, string | null>>, bodyText: string | undefined, parseError?: string): UnpayableDescription {
  const auth = h['www-authenticate'];
  if (auth) {
    const scheme = clean(auth.split(/[\s,]/)[0] ?? '', 20);
    if (/^(L402|LSAT)$/i.test(scheme))
      return { kind: 'l402', asked: `a Lightning payment (${scheme}: a macaroon and a Lightning invoice)`, why: 'x402 Wallet pays x402 stablecoin payments on EVM, Solana and TRON, not Lightning invoices.' };
    if (/^Payment$/i.test(scheme))
      return { kind: 'mpp', asked: 'a payment with the HTTP "Payment" authentication scheme (Machine Payments Protocol)', why: 'x402 Wallet does not speak that protocol; only x402.' };
    return { kind: 'text', asked: `authentication with the "${scheme}" scheme`, why: 'it is not an x402 payment request.' };
  }
  if (hasSimpleHeaders(h))
    return { kind: 'simple-headers', asked: 'a direct transfer (X-Payment-* headers)', why: parseError ?? 'the X-Payment-* headers are incomplete.' };
  if (parseError) return { kind: 'x402-invalid', asked: 'an x402 payment', why: `its payment request is invalid: ${clean(parseError, 200)}` };
  const type = (h['content-type'] ?? '').toLowerCase();
  const body = bodyText?.trim() ?? '';
  if (body.startsWith('{')) {
    const keys = jsonKeys(body);
    if (keys) return { kind: 'json', asked: `payment described in a JSON body of its own design (${keys.length ? keys.join(', ') : 'empty object'})`, why: 'it is neither an x402 payment request nor a format the wallet knows, so it cannot tell what to pay or to whom.' };
  }
  if (type.includes('html') || /^<(!doctype|html)/i.test(body))
    return { kind: 'html', asked: 'payment on a web page of its own (HTML, no machine-readable request)', why: 'there is no x402 payment request in the answer; pay on the page itself if you trust it.' };
  if (body) return { kind: 'text', asked: `payment, in words: "${clean(body, 100)}"`, why: 'there is no machine-readable payment request the wallet could check.' };
  return { kind: 'empty', asked: 'payment, without saying how (an empty 402)', why: 'there is nothing the wallet could pay.' };
}

// ---------------------------------------------------------------- routing one 402

export type Route402 =
  | { kind: 'direct' }
  | { kind: 'x402'; bodyText?: string; bodyV2: boolean }
  | { kind: 'refuse'; code: string; error: string };

/**
 * Which flow a 402 takes. A PAYMENT-REQUIRED header always wins (the ordinary x402 path, the
 * body ignored). Without it: the X-Payment-* headers → a direct transfer, unless the body is an
 * x402 document too (two different requests in one answer: refused as ambiguous); a v2 body →
 * x402 with `X-PAYMENT`; anything else → the strict parser (v1 body, or its error).
 */
export function route402(sources: { header?: string; bodyText?: string; otherHeaders?: Readonly<Record<string, string | null>> }, requestUrl: string): Route402 {
  if (sources.header) return { kind: 'x402', bodyV2: false };
  const v2 = bodyV2Document(sources.bodyText, requestUrl);
  const x402Body = v2 !== undefined || /"x402Version"\s*:/.test(sources.bodyText ?? '');
  if (hasSimpleHeaders(sources.otherHeaders)) {
    if (x402Body) return { kind: 'refuse', code: 'ambiguous-402', error: 'the 402 carries both X-Payment-* headers and an x402 body: the wallet cannot tell which one the site means' };
    return { kind: 'direct' };
  }
  if (v2 && !v2.ok) return { kind: 'refuse', code: v2.code, error: v2.error };
  if (v2) return { kind: 'x402', bodyText: v2.value, bodyV2: true };
  return { kind: 'x402', bodyText: sources.bodyText, bodyV2: false };
}
