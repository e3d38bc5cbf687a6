/**
 * The operator's policy as the background sees it: `storage.managed` (Chrome: enterprise
 * policy "3rdparty" → extensions → <id>, validated against public/managed_schema.json;
 * Firefox: policies.json "3rdparty" → "Extensions" → wallet@x402.local), parsed by
 * lib/policy/managed.ts. Read once and cached; the cache is dropped when the browser reports a
 * change of the 'managed' area (Chromium re-reads its policy files within seconds) and after
 * CACHE_MS as a fallback, so a policy change takes effect without a restart. A read costs
 * ≈ 0.5 ms in Chromium; a cached one nothing.
 */
import { browser } from 'wxt/browser';
import { parseManaged, type ManagedPolicy } from '../policy/managed';
import { railOfNetwork, railOfV1Name } from '../rails';

/** An operator's network id as the wallet compares it: CAIP-2 (v1 names mapped), undefined when unknown. */
export function managedNetworkId(n: string): string | undefined {
  if (railOfNetwork(n)) return n;
  return railOfV1Name(n)?.network;
}

const CACHE_MS = 5_000;

export class ManagedPolicySource {
  private cache: { at: number; value: Promise<ManagedPolicy | null> } | undefined;
  onChange?: () => void;

  constructor(private readonly read: () => Promise<unknown> = () => browser.storage.managed.get()) {}

  install(): void {
    browser.storage.onChanged.addListener((_changes, area) => {
      if (area !== 'managed') return;
      this.cache = undefined;
      this.onChange?.();
    });
  }

  /** The current operator policy, or null when there is none (or the browser has no managed storage). */
  get(): Promise<ManagedPolicy | null> {
    const now = Date.now();
    if (this.cache && now - this.cache.at < CACHE_MS) return this.cache.value;
    const value = this.read().then(
      // Firefox rejects when no policy names the extension: that is "no policy"
      (raw) => parseManaged(raw, { network: managedNetworkId }),
      () => null,
    );
    this.cache = { at: now, value };
    return value;
  }

  /** The version recorded with a decision: the operator's, or 'user' without an operator policy. */
  async version(): Promise<string> {
    return (await this.get())?.version ?? 'user';
  }
}
