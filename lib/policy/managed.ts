/**
 * Operator policy (the browser's managed storage): parsing of the untrusted input, its
 * version, and the merge rule with the user's own policies. PURE — the background reads
 * `storage.managed` and hands the raw object here (lib/background/managed.ts).
 *
 * Fail closed: a managed value that does not parse never loosens anything. An invalid site
 * entry blocks that site, an invalid global cap becomes $0, an invalid or oversized
 * network/token list allows nothing — and every problem is reported in `errors`.
 *
 * Merge rule (`mergeSite`, `mergeGlobal`): for a field the operator set, the operator wins —
 * the mode is the operator's (except that a user's "block" always stands: it only tightens); a
 * cap is the lower of the operator's and the user's (a user may only tighten it); the rate limit
 * likewise. Fields the operator left out stay the user's.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { parseUsd } from './money';
import type { Cap, CapKind, GlobalPolicy, PolicyMode, SitePolicy } from './types';
import { siteKey } from './units';

export const MANAGED_LIMITS = { sites: 500, networks: 100, tokens: 200, text: 2048 } as const;
const CAP_FIELDS = { perPayment: 'perPaymentUsd', day: 'dayUsd', week: 'weekUsd', month: 'monthUsd', lifetime: 'lifetimeUsd' } as const;
type CapField = keyof typeof CAP_FIELDS;

export interface ManagedSite {
  site: string;
  mode?: PolicyMode;
  /** micro-dollars */
  caps: Partial<Record<CapField, bigint>>;
  ratePerMinute?: number;
  /** the page API (`window.x402`) is allowed on this site */
  pageApi?: boolean;
}

export interface ManagedPolicy {
  /** recorded with every decision: the operator's `version`, else a hash of the policy */
  version: string;
  agentMode: boolean;
  /** micro-dollars per calendar day across all sites */
  globalDailyUsd?: bigint;
  sites: Record<string, ManagedSite>;
  /** CAIP-2 / v1 ids; undefined = no restriction */
  allowedNetworks?: string[];
  /** undefined = no restriction */
  allowedTokens?: { network: string; address: string }[];
  /** 0 = never */
  autoLockMinutes?: number;
  notifications?: boolean;
  /**
   * An encrypted keystore (this wallet's vault record, as JSON text in the policy) imported on the
   * first unlock with the password the operator's script supplies. Never shown, never sent to pages.
   */
  keystore?: unknown;
  errors: string[];
}

export interface ParseOptions {
  /** the CAIP-2 id of a network the wallet speaks (v1 names mapped), undefined for unknown ones (reported, not allowed) */
  network?: (network: string) => string | undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const short = (v: unknown) => JSON.stringify(v)?.slice(0, 60) ?? String(v);

/** Canonical JSON (sorted keys) for the version hash. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The policy version: the operator's `version` (printable, ≤ 64 chars) or `sha256:<16 hex>` of the policy. */
export function managedVersion(raw: Record<string, unknown>): string {
  const v = raw.version;
  if (typeof v === 'string' && /^[\x21-\x7e]{1,64}$/.test(v)) return v;
  return `sha256:${bytesToHex(sha256(new TextEncoder().encode(canonical(raw)))).slice(0, 16)}`;
}

function usd(v: unknown, what: string, errors: string[]): bigint | 'invalid' | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > 32) {
    errors.push(`${what}: expected a dollar amount like "1.50", got ${short(v)}`);
    return 'invalid';
  }
  try {
    return parseUsd(v);
  } catch (e) {
    errors.push(`${what}: ${(e as Error).message}`);
    return 'invalid';
  }
}

function originOf(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > MANAGED_LIMITS.text || !/^https?:\/\/[^/\s]+/i.test(v)) return null;
  try {
    return siteKey(v);
  } catch {
    return null;
  }
}

function parseSite(raw: unknown, i: number, errors: string[]): ManagedSite | { blocked: string } | null {
  const where = `sites[${i}]`;
  if (!isObj(raw)) {
    errors.push(`${where}: expected an object`);
    return null;
  }
  const site = originOf(raw.site);
  if (!site) {
    errors.push(`${where}: "site" must be an http(s) origin, got ${short(raw.site)}`);
    return null;
  }
  const bad = (msg: string) => {
    errors.push(`${where} (${site}): ${msg} — the site is blocked until the policy is fixed`);
    return { blocked: site };
  };
  const out: ManagedSite = { site, caps: {} };
  if (raw.mode !== undefined) {
    if (raw.mode !== 'auto' && raw.mode !== 'ask' && raw.mode !== 'block') return bad(`unknown mode ${short(raw.mode)}`);
    out.mode = raw.mode;
  }
  for (const [k, field] of Object.entries(CAP_FIELDS) as [CapField, string][]) {
    const v = usd(raw[field], `${where}.${field}`, errors);
    if (v === 'invalid') return bad(`${field} is not a valid amount`);
    if (v !== undefined) out.caps[k] = v;
  }
  if (raw.ratePerMinute !== undefined) {
    const r = raw.ratePerMinute;
    if (!Number.isSafeInteger(r) || (r as number) < 1 || (r as number) > 10_000) return bad('ratePerMinute must be a whole number from 1 to 10000');
    out.ratePerMinute = r as number;
  }
  if (raw.pageApi !== undefined) {
    if (typeof raw.pageApi !== 'boolean') return bad('pageApi must be true or false');
    out.pageApi = raw.pageApi;
  }
  return out;
}

/** Parses the raw managed storage object. `null`: no operator policy at all. */
export function parseManaged(raw: unknown, opts: ParseOptions = {}): ManagedPolicy | null {
  if (!isObj(raw) || Object.keys(raw).length === 0) return null;
  const errors: string[] = [];
  const p: ManagedPolicy = { version: managedVersion(raw), agentMode: false, sites: {}, errors };

  if (raw.agentMode !== undefined) {
    if (typeof raw.agentMode === 'boolean') p.agentMode = raw.agentMode;
    else {
      errors.push('agentMode must be true or false; taken as true (no approval windows)');
      p.agentMode = true;
    }
  }

  const g = usd(raw.globalDailyUsd, 'globalDailyUsd', errors);
  if (g === 'invalid') {
    errors.push('globalDailyUsd is invalid: the daily cap is $0 until the policy is fixed');
    p.globalDailyUsd = 0n;
  } else if (g !== undefined) p.globalDailyUsd = g;

  if (raw.sites !== undefined) {
    if (!Array.isArray(raw.sites) || raw.sites.length > MANAGED_LIMITS.sites) {
      errors.push(`sites must be a list of at most ${MANAGED_LIMITS.sites} entries; no site has an operator budget`);
    } else {
      raw.sites.forEach((s, i) => {
        const r = parseSite(s, i, errors);
        if (!r) return;
        if ('blocked' in r) p.sites[r.blocked] = { site: r.blocked, mode: 'block', caps: {} };
        else if (p.sites[r.site]) {
          errors.push(`sites[${i}]: ${r.site} is listed twice — blocked until the policy is fixed`);
          p.sites[r.site] = { site: r.site, mode: 'block', caps: {} };
        } else p.sites[r.site] = r;
      });
    }
  }

  if (raw.allowedNetworks !== undefined) {
    const list = raw.allowedNetworks;
    if (!Array.isArray(list) || list.length > MANAGED_LIMITS.networks || !list.every((n) => typeof n === 'string' && n.length <= 128)) {
      errors.push(`allowedNetworks must be a list of at most ${MANAGED_LIMITS.networks} network ids; no network is allowed`);
      p.allowedNetworks = [];
    } else {
      p.allowedNetworks = [];
      for (const n of list as string[]) {
        const id = opts.network ? opts.network(n) : n;
        if (id === undefined) errors.push(`allowedNetworks: ${short(n)} is not a network the wallet knows; ignored`);
        else p.allowedNetworks.push(id);
      }
    }
  }

  if (raw.allowedTokens !== undefined) {
    const list = raw.allowedTokens;
    if (!Array.isArray(list) || list.length > MANAGED_LIMITS.tokens) {
      errors.push(`allowedTokens must be a list of at most ${MANAGED_LIMITS.tokens} tokens; no token is allowed`);
      p.allowedTokens = [];
    } else {
      p.allowedTokens = [];
      list.forEach((t, i) => {
        if (!isObj(t) || typeof t.network !== 'string' || typeof t.address !== 'string' || t.network.length > 128 || t.address.length > 128)
          errors.push(`allowedTokens[${i}]: expected {network, address}; ignored`);
        else {
          const id = opts.network ? opts.network(t.network) : t.network;
          if (id === undefined) errors.push(`allowedTokens[${i}]: unknown network ${short(t.network)}; ignored`);
          else p.allowedTokens!.push({ network: id, address: t.address });
        }
      });
    }
  }

  if (raw.autoLockMinutes !== undefined) {
    const m = raw.autoLockMinutes;
    if (!Number.isSafeInteger(m) || (m as number) < 0 || (m as number) > 24 * 60) {
      errors.push('autoLockMinutes must be a whole number of minutes from 0 (never) to 1440; 5 minutes used');
      p.autoLockMinutes = 5;
    } else p.autoLockMinutes = m as number;
  }
  if (raw.notifications !== undefined) {
    if (typeof raw.notifications === 'boolean') p.notifications = raw.notifications;
    else errors.push('notifications must be true or false; ignored');
  }
  if (raw.keystore !== undefined) {
    const k = raw.keystore;
    let parsed: unknown;
    try {
      parsed = typeof k === 'string' && k.length <= 16 * 1024 ? JSON.parse(k) : undefined;
    } catch {
      parsed = undefined;
    }
    if (isObj(parsed)) p.keystore = parsed;
    else errors.push('keystore must be the JSON text of an x402 Wallet vault record (at most 16 KB); ignored');
  }
  const known = new Set(['version', 'agentMode', 'globalDailyUsd', 'sites', 'allowedNetworks', 'allowedTokens', 'autoLockMinutes', 'notifications', 'keystore']);
  for (const k of Object.keys(raw)) if (!known.has(k)) errors.push(`unknown policy field ${short(k)}; ignored`);
  if (errors.length > 50) errors.splice(50, errors.length - 50, `… and ${errors.length - 50} more problems`);
  return p;
}

const usdCap = (amount: bigint): Cap => ({ unit: 'usd', amount });
/** the stricter of two caps of which only USD ones can be compared with an operator's dollar cap */
function lower(user: Cap | undefined, managed: bigint | undefined): Cap | undefined {
  if (managed === undefined) return user;
  if (!user || user.unit !== 'usd') return usdCap(managed);
  return user.amount <= managed ? user : usdCap(managed);
}

/** The effective policy of a site: the user's merged with the operator's (operator wins, user may only tighten caps). */
export function mergeSite(user: SitePolicy | undefined, managed: ManagedSite | undefined, now = Date.now()): SitePolicy | undefined {
  if (!managed) return user;
  const base: SitePolicy = user ?? { site: managed.site, mode: 'ask', caps: {}, createdAt: now, updatedAt: now };
  const caps: SitePolicy['caps'] = {};
  for (const k of ['day', 'week', 'month', 'lifetime'] as const) {
    const c = lower(base.caps[k], managed.caps[k]);
    if (c) caps[k] = c;
  }
  const rate =
    managed.ratePerMinute === undefined
      ? base.ratePerMinute
      : Math.min(managed.ratePerMinute, base.ratePerMinute ?? Number.MAX_SAFE_INTEGER);
  const out: SitePolicy = {
    ...base,
    site: managed.site,
    mode: base.mode === 'block' ? 'block' : (managed.mode ?? base.mode),
    caps,
    ...(rate !== undefined ? { ratePerMinute: rate } : {}),
    ...((managed.pageApi ?? base.pageApi) ? { pageApi: true } : { pageApi: false }),
  };
  const per = lower(base.perPaymentCap, managed.caps.perPayment);
  if (per) out.perPaymentCap = per;
  return out;
}

export function mergeGlobal(user: GlobalPolicy, managed: ManagedPolicy | null): GlobalPolicy {
  if (!managed || managed.globalDailyUsd === undefined) return user;
  return { ...user, dailyCap: lower(user.dailyCap, managed.globalDailyUsd) };
}

const CAP_NAME: Record<CapField, string> = { perPayment: 'per-payment', day: 'daily', week: 'weekly', month: 'monthly', lifetime: 'lifetime' };
const usdText = (m: bigint) => `$${(m / 1_000_000n).toString()}.${(m % 1_000_000n).toString().padStart(6, '0').slice(0, 2)}`;

/**
 * Would saving `proposed` for a managed site loosen the operator's policy? Returns why (for the
 * refusal), or null when it only keeps or tightens what the operator set.
 */
export function loosensSite(proposed: SitePolicy, managed: ManagedSite | undefined): string | null {
  if (!managed) return null;
  const host = managed.site;
  if (managed.mode && proposed.mode !== managed.mode && proposed.mode !== 'block')
    return `The mode of ${host} is managed by your organisation (${managed.mode}).`;
  const field: Record<CapField, Cap | undefined> = { perPayment: proposed.perPaymentCap, ...proposed.caps } as Record<CapField, Cap | undefined>;
  for (const k of Object.keys(CAP_FIELDS) as CapField[]) {
    const m = managed.caps[k];
    if (m === undefined) continue;
    const c = field[k];
    if (!c || c.unit !== 'usd' || c.amount > m)
      return `The ${CAP_NAME[k]} cap of ${host} is managed by your organisation (${usdText(m)}); you can only lower it.`;
  }
  if (managed.ratePerMinute !== undefined && (proposed.ratePerMinute === undefined || proposed.ratePerMinute > managed.ratePerMinute))
    return `The rate limit of ${host} is managed by your organisation (${managed.ratePerMinute} per minute); you can only lower it.`;
  if (managed.pageApi === false && proposed.pageApi === true) return `The page API of ${host} is turned off by your organisation.`;
  return null;
}

/** Would this global daily cap loosen the operator's? */
export function loosensGlobal(proposed: Cap | undefined, managed: ManagedPolicy | null): string | null {
  if (!managed || managed.globalDailyUsd === undefined) return null;
  if (!proposed || proposed.unit !== 'usd' || proposed.amount > managed.globalDailyUsd)
    return `The daily cap across all sites is managed by your organisation (${usdText(managed.globalDailyUsd)}); you can only lower it.`;
  return null;
}

/** May the wallet pay with this token on this network under the operator's lists? */
export function optionAllowed(
  managed: ManagedPolicy | null,
  network: string,
  address: string,
  addressKey: (network: string, address: string) => string,
): { ok: true } | { ok: false; code: 'network-not-allowed' | 'token-not-allowed'; reason: string } {
  if (!managed) return { ok: true };
  if (managed.allowedNetworks && !managed.allowedNetworks.includes(network))
    return { ok: false, code: 'network-not-allowed', reason: `your organisation does not allow payments on ${network}` };
  if (managed.allowedTokens) {
    const key = addressKey(network, address);
    if (!managed.allowedTokens.some((t) => t.network === network && addressKey(t.network, t.address) === key))
      return { ok: false, code: 'token-not-allowed', reason: `your organisation does not allow paying with ${address} on ${network}` };
  }
  return { ok: true };
}

/** For the UI: which fields of a site the operator set (shown read-only). */
export function managedFields(m: ManagedSite | undefined): string[] {
  if (!m) return [];
  const out: string[] = [];
  if (m.mode) out.push('mode');
  for (const [k, f] of Object.entries(CAP_FIELDS) as [CapField, string][]) if (m.caps[k] !== undefined) out.push(f);
  if (m.ratePerMinute !== undefined) out.push('ratePerMinute');
  if (m.pageApi !== undefined) out.push('pageApi');
  return out;
}

export type { CapKind };
