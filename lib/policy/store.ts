/**
 * Persisted site policies and the global policy (`local:policies`, versioned, bigint as
 * decimal strings). Owned by the background; every write is a read-modify-write under one
 * promise-chain lock. Reads come from memory kept warm over storage (lib/util/warm-item.ts):
 * read once, dropped when storage reports a change of the key from any context, writes to
 * storage first — so a change made elsewhere is seen by the next decision, and a write storage
 * refused never leaves memory ahead of it.
 */
import { storage } from 'wxt/utils/storage';
import {
  decodeGlobalPolicy,
  decodeSitePolicy,
  encodeGlobalPolicy,
  encodeSitePolicy,
  validateCap,
  validateSitePolicy,
  type StoredGlobalPolicy,
  type StoredSitePolicy,
} from './codec';
import type { GlobalPolicy, PolicyMode, SitePolicy } from './types';
import { siteKey } from './units';
import { WarmItem } from '../util/warm-item';

export const POLICIES_VERSION = 1;

export interface StoredPolicies {
  sites: Record<string, StoredSitePolicy>;
  global: StoredGlobalPolicy;
}

/** Migrations from version N-1 to N (none yet; add `2: (v1) => v2` when the shape changes). */
export const POLICIES_MIGRATIONS: Record<number, (old: any) => any> = {};

export function emptyPolicies(): StoredPolicies {
  return { sites: {}, global: {} };
}

export type PoliciesItem = ReturnType<typeof createPoliciesItem>;

export function createPoliciesItem(key: `local:${string}` = 'local:policies') {
  return storage.defineItem<StoredPolicies>(key, {
    version: POLICIES_VERSION,
    fallback: emptyPolicies(),
    migrations: POLICIES_MIGRATIONS,
  });
}

export const policiesItem = createPoliciesItem();

export class PolicyStore {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly warm: WarmItem<StoredPolicies>;

  constructor(
    private readonly item: PoliciesItem = policiesItem,
    private readonly clock: () => number = Date.now,
  ) {
    this.warm = new WarmItem(item);
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<StoredPolicies> {
    const v = (await this.warm.get()) as Partial<StoredPolicies> | null;
    return { sites: { ...(v?.sites ?? {}) }, global: { ...(v?.global ?? {}) } };
  }

  /** Run pending storage migrations, then drop entries that no longer decode. Returns the number dropped. */
  migrate(): Promise<number> {
    return this.locked(async () => {
      await this.item.migrate();
      this.warm.invalidate();
      const s = await this.read();
      let dropped = 0;
      for (const [k, v] of Object.entries(s.sites)) {
        try {
          const p = decodeSitePolicy(v);
          if (siteKey(p.site) !== k) throw new Error('key mismatch');
        } catch {
          delete s.sites[k];
          dropped++;
        }
      }
      try {
        decodeGlobalPolicy(s.global);
      } catch {
        s.global = {};
        dropped++;
      }
      if (dropped) await this.warm.set(s);
      return dropped;
    });
  }

  async get(site: string): Promise<SitePolicy | undefined> {
    const s = await this.read();
    const raw = s.sites[siteKey(site)];
    if (!raw) return undefined;
    try {
      return decodeSitePolicy(raw);
    } catch {
      return undefined; // malformed → treated as no policy (ask)
    }
  }

  async list(): Promise<SitePolicy[]> {
    const s = await this.read();
    const out: SitePolicy[] = [];
    for (const raw of Object.values(s.sites)) {
      try {
        out.push(decodeSitePolicy(raw));
      } catch {
        /* skip malformed */
      }
    }
    return out.sort((a, b) => a.site.localeCompare(b.site));
  }

  /** Create or replace a policy (site normalized to its origin). Throws PolicyValidationError. */
  set(policy: SitePolicy): Promise<SitePolicy> {
    const p: SitePolicy = { ...policy, site: siteKey(policy.site) };
    validateSitePolicy(p);
    return this.locked(async () => {
      const s = await this.read();
      s.sites[p.site] = encodeSitePolicy(p);
      await this.warm.set(s);
      return p;
    });
  }

  /** Change the mode, creating a policy with no caps if none exists. */
  setMode(site: string, mode: PolicyMode): Promise<SitePolicy> {
    return this.update(site, (p) => ({ ...p, mode }));
  }

  /** Read-modify-write one site's policy atomically (creates `{mode:'ask', caps:{}}` if absent). */
  update(site: string, fn: (current: SitePolicy) => SitePolicy): Promise<SitePolicy> {
    const key = siteKey(site);
    return this.locked(async () => {
      const s = await this.read();
      const now = this.clock();
      let current: SitePolicy;
      try {
        current = s.sites[key] ? decodeSitePolicy(s.sites[key]) : { site: key, mode: 'ask', caps: {}, createdAt: now, updatedAt: now };
      } catch {
        current = { site: key, mode: 'ask', caps: {}, createdAt: now, updatedAt: now };
      }
      const next: SitePolicy = { ...fn(current), site: key, createdAt: current.createdAt, updatedAt: now };
      validateSitePolicy(next);
      s.sites[key] = encodeSitePolicy(next);
      await this.warm.set(s);
      return next;
    });
  }

  delete(site: string): Promise<boolean> {
    const key = siteKey(site);
    return this.locked(async () => {
      const s = await this.read();
      if (!(key in s.sites)) return false;
      delete s.sites[key];
      await this.warm.set(s);
      return true;
    });
  }

  async getGlobal(): Promise<GlobalPolicy> {
    const s = await this.read();
    try {
      return decodeGlobalPolicy(s.global);
    } catch {
      return {};
    }
  }

  setGlobal(global: GlobalPolicy): Promise<GlobalPolicy> {
    if (global.dailyCap) validateCap(global.dailyCap);
    return this.locked(async () => {
      const s = await this.read();
      s.global = encodeGlobalPolicy(global);
      await this.warm.set(s);
      return global;
    });
  }
}

/** The background's policy store over `local:policies`. */
export const policyStore = new PolicyStore();
