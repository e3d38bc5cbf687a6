/**
 * JSON codecs for policies: bigint ↔ decimal string, with validation. Decoding is strict:
 * a malformed policy is dropped (no policy → the wallet asks), never half-applied.
 */
import type { Cap, GlobalPolicy, Hex, PolicyMode, SitePolicy } from './types';

export type StoredCap =
  | { unit: 'usd'; amount: string }
  | { unit: 'token'; network: string; asset: string; amount: string };

export interface StoredSitePolicy {
  site: string;
  mode: PolicyMode;
  perPaymentCap?: StoredCap;
  caps: { day?: StoredCap; week?: StoredCap; month?: StoredCap; lifetime?: StoredCap };
  ratePerMinute?: number;
  expiresAt?: number;
  paused?: boolean;
  pageApi?: boolean;
  embeddedPay?: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface StoredGlobalPolicy {
  dailyCap?: StoredCap;
}

const MODES: readonly PolicyMode[] = ['ask', 'auto', 'block'];
const CAP_KEYS = ['day', 'week', 'month', 'lifetime'] as const;

export class PolicyValidationError extends Error {
  override name = 'PolicyValidationError';
}

function fail(msg: string): never {
  throw new PolicyValidationError(msg);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse a non-negative decimal integer string. */
export function parseAmount(v: unknown): bigint {
  if (typeof v !== 'string' || !/^\d{1,78}$/.test(v)) fail(`invalid amount: ${String(v)}`);
  return BigInt(v);
}

export function validateCap(c: Cap): void {
  if (typeof c.amount !== 'bigint' || c.amount < 0n) fail('cap amount must be a non-negative bigint');
  if (c.unit === 'token') {
    if (typeof c.network !== 'string' || !c.network) fail('token cap needs a network');
    if (typeof c.asset !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(c.asset)) fail('token cap needs an asset address');
  } else if (c.unit !== 'usd') fail('unknown cap unit');
}

export function validateSitePolicy(p: SitePolicy): void {
  if (typeof p.site !== 'string' || !p.site) fail('policy needs a site');
  if (!MODES.includes(p.mode)) fail(`invalid mode: ${String(p.mode)}`);
  if (p.perPaymentCap) validateCap(p.perPaymentCap);
  if (!isObj(p.caps)) fail('policy needs caps');
  for (const k of CAP_KEYS) if (p.caps[k]) validateCap(p.caps[k]!);
  if (p.ratePerMinute !== undefined && (!Number.isInteger(p.ratePerMinute) || p.ratePerMinute < 0)) {
    fail('ratePerMinute must be a non-negative integer');
  }
  if (p.expiresAt !== undefined && !Number.isFinite(p.expiresAt)) fail('expiresAt must be epoch ms');
  if (!Number.isFinite(p.createdAt) || !Number.isFinite(p.updatedAt)) fail('createdAt/updatedAt must be epoch ms');
}

export function encodeCap(c: Cap): StoredCap {
  return c.unit === 'usd'
    ? { unit: 'usd', amount: c.amount.toString() }
    : { unit: 'token', network: c.network, asset: c.asset, amount: c.amount.toString() };
}

export function decodeCap(v: unknown): Cap {
  if (!isObj(v)) fail('cap must be an object');
  const amount = parseAmount(v.amount);
  let cap: Cap;
  if (v.unit === 'usd') cap = { unit: 'usd', amount };
  else if (v.unit === 'token') cap = { unit: 'token', network: String(v.network ?? ''), asset: String(v.asset ?? ''), amount };
  else fail('unknown cap unit');
  validateCap(cap);
  return cap;
}

export function encodeSitePolicy(p: SitePolicy): StoredSitePolicy {
  const caps: StoredSitePolicy['caps'] = {};
  for (const k of CAP_KEYS) if (p.caps[k]) caps[k] = encodeCap(p.caps[k]!);
  const out: StoredSitePolicy = { site: p.site, mode: p.mode, caps, createdAt: p.createdAt, updatedAt: p.updatedAt };
  if (p.perPaymentCap) out.perPaymentCap = encodeCap(p.perPaymentCap);
  if (p.ratePerMinute !== undefined) out.ratePerMinute = p.ratePerMinute;
  if (p.expiresAt !== undefined) out.expiresAt = p.expiresAt;
  if (p.paused !== undefined) out.paused = p.paused;
  if (p.pageApi) out.pageApi = true;
  if (p.embeddedPay) out.embeddedPay = true;
  return out;
}

export function decodeSitePolicy(v: unknown): SitePolicy {
  if (!isObj(v)) fail('policy must be an object');
  // a stored policy whose caps are not an object was tampered with: refused, not read as "no caps"
  if (v.caps != null && !isObj(v.caps)) fail('caps must be an object');
  const rawCaps = isObj(v.caps) ? v.caps : {};
  const caps: SitePolicy['caps'] = {};
  for (const k of CAP_KEYS) if (rawCaps[k] != null) caps[k] = decodeCap(rawCaps[k]);
  const p: SitePolicy = {
    site: String(v.site ?? ''),
    mode: v.mode as PolicyMode,
    caps,
    createdAt: Number(v.createdAt),
    updatedAt: Number(v.updatedAt),
  };
  if (v.perPaymentCap != null) p.perPaymentCap = decodeCap(v.perPaymentCap);
  if (v.ratePerMinute != null) p.ratePerMinute = Number(v.ratePerMinute);
  if (v.expiresAt != null) p.expiresAt = Number(v.expiresAt);
  if (v.paused != null) p.paused = v.paused === true;
  if (v.pageApi === true) p.pageApi = true;
  if (v.embeddedPay === true) p.embeddedPay = true;
  validateSitePolicy(p);
  return p;
}

export function encodeGlobalPolicy(g: GlobalPolicy): StoredGlobalPolicy {
  return g.dailyCap ? { dailyCap: encodeCap(g.dailyCap) } : {};
}

export function decodeGlobalPolicy(v: unknown): GlobalPolicy {
  if (!isObj(v) || v.dailyCap == null) return {};
  return { dailyCap: decodeCap(v.dailyCap) };
}
