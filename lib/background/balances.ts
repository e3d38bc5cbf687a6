/**
 * Token balances of the wallet's accounts, read from an RPC node (ERC-20 `balanceOf` through
 * viem). Used to tell "can the wallet fund this payment?" before anything is signed, and to
 * show balances in the popup.
 *
 * - Never blocks paying: no known RPC, a failed call, a timeout or an RPC that serves another
 *   chain all give "unknown" (`null`), and the caller treats unknown as "may pay".
 * - Light: one batched JSON-RPC request per lookup (`eth_chainId` + `eth_call`), a short
 *   timeout, and a small per chain+asset+address cache (in-flight lookups are shared), dropped
 *   for a chain+asset once a payment on it settles.
 * - The cache is only a cache: losing it with the service worker is harmless.
 */
import { createPublicClient, erc20Abi, getAddress, http, type PublicClient, type Transport } from 'viem';
import type { BalanceDto } from '../messaging/contract';
import { createRegistry, evmChainIdOf, formatTokenAmount, type Registry, type TrustedAsset } from '../x402';
import type { StoredSettings } from './settings';

/** Public RPCs used when the user has not set one for the chain (Settings → Developer). */
export const DEFAULT_RPC_URLS: Readonly<Record<string, string>> = Object.freeze({
  '8453': 'https://mainnet.base.org',
  '84532': 'https://sepolia.base.org',
});

export const BALANCE_TIMEOUT_MS = 3_000;
export const BALANCE_TTL_MS = 10_000;

export type BalanceRead = { ok: true; atomic: bigint } | { ok: false; reason: string };
/** A read with the time its lookup started (reader clock): older than the caller's start = from the cache. */
export type TimedRead = BalanceRead & { at: number };

export interface BalanceQuery {
  chainId: number;
  asset: `0x${string}`;
  address: `0x${string}`;
  rpcUrl: string;
}

export interface BalanceReaderOptions {
  timeoutMs?: number;
  ttlMs?: number;
  now?: () => number;
  /** the transport for an RPC URL (tests pass viem's `custom`); default: viem `http` */
  transport?: (rpcUrl: string, timeoutMs: number) => Transport;
}

/**
 * The RPC endpoint for a token: the playground token's own `rpcUrl`, else the user's URL for
 * the chain (an empty string turns lookups off for that chain), else the built-in default.
 */
export function resolveRpcUrl(
  settings: Pick<StoredSettings, 'playgroundTokens' | 'rpcUrls'>,
  chainId: number,
  asset: string,
): string | undefined {
  const tok = settings.playgroundTokens.find(
    (t) => t.chainId === chainId && t.address.toLowerCase() === asset.toLowerCase() && t.rpcUrl,
  );
  if (tok?.rpcUrl) return tok.rpcUrl;
  const key = String(chainId);
  const user = settings.rpcUrls ?? {};
  if (Object.prototype.hasOwnProperty.call(user, key)) return user[key] || undefined;
  return DEFAULT_RPC_URLS[key];
}

const keyOf = (chainId: number, asset: string, address?: string) =>
  `${chainId}|${asset.toLowerCase()}|${address ? address.toLowerCase() : ''}`;

/** Reads ERC-20 balances with a timeout and a short cache. */
export class BalanceReader {
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  readonly now: () => number;
  private readonly transport: (rpcUrl: string, timeoutMs: number) => Transport;
  private readonly cache = new Map<string, { at: number; rpcUrl: string; value: Promise<TimedRead> }>();
  private readonly clients = new Map<string, PublicClient>();

  constructor(opts: BalanceReaderOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? BALANCE_TIMEOUT_MS;
    this.ttlMs = opts.ttlMs ?? BALANCE_TTL_MS;
    this.now = opts.now ?? Date.now;
    this.transport = opts.transport ?? ((url, timeout) => http(url, { batch: true, retryCount: 0, timeout }));
  }

  /**
   * The balance, from the cache while it is fresh (within the TTL and, with `notBefore`, looked up
   * at or after that time; concurrent callers share one lookup). Failures are cached too: a dead
   * RPC is not asked again for every payment.
   */
  read(q: BalanceQuery, opts: { notBefore?: number } = {}): Promise<TimedRead> {
    const key = keyOf(q.chainId, q.asset, q.address);
    const hit = this.cache.get(key);
    const now = this.now();
    if (hit && hit.rpcUrl === q.rpcUrl && now - hit.at < this.ttlMs && hit.at >= (opts.notBefore ?? -Infinity)) return hit.value;
    const value = this.fetch(q).then((r): TimedRead => ({ ...r, at: now }));
    this.cache.set(key, { at: now, rpcUrl: q.rpcUrl, value });
    if (this.cache.size > 500) this.prune(now);
    return value;
  }

  /** Forget cached balances of a token (all accounts), e.g. after a payment with it settled. */
  invalidate(chainId: number, asset: string): void {
    const prefix = keyOf(chainId, asset);
    for (const k of [...this.cache.keys()]) if (k.startsWith(prefix)) this.cache.delete(k);
  }

  clear(): void {
    this.cache.clear();
  }

  private prune(now: number): void {
    for (const [k, v] of this.cache) if (now - v.at >= this.ttlMs) this.cache.delete(k);
  }

  private client(rpcUrl: string): PublicClient {
    let c = this.clients.get(rpcUrl);
    if (!c) {
      c = createPublicClient({ transport: this.transport(rpcUrl, this.timeoutMs) }) as PublicClient;
      if (this.clients.size > 50) this.clients.clear();
      this.clients.set(rpcUrl, c);
    }
    return c;
  }

  private async fetch(q: BalanceQuery): Promise<BalanceRead> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<BalanceRead>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${this.timeoutMs / 1000} s` }), this.timeoutMs);
    });
    const lookup = (async (): Promise<BalanceRead> => {
      const client = this.client(q.rpcUrl);
      // One batched HTTP request: an RPC that serves another chain must not answer for this one.
      const [chainId, atomic] = await Promise.all([
        client.getChainId(),
        client.readContract({ address: q.asset, abi: erc20Abi, functionName: 'balanceOf', args: [q.address] }),
      ]);
      if (chainId !== q.chainId) return { ok: false, reason: `the RPC serves chain ${chainId}, not ${q.chainId}` };
      return { ok: true, atomic };
    })().catch((e: unknown): BalanceRead => ({ ok: false, reason: shortReason(e) }));
    try {
      return await Promise.race([lookup, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function shortReason(e: unknown): string {
  const err = e as { shortMessage?: unknown; message?: unknown };
  const text = typeof err?.shortMessage === 'string' ? err.shortMessage : typeof err?.message === 'string' ? err.message : 'RPC error';
  return text.split('\n')[0]!.slice(0, 160);
}

/** A balance as the approval window shows it (null = unknown). */
export interface OptionBalance {
  atomic: string;
  token: string;
  sufficient: boolean;
}

/**
 * Balances of trusted assets for an address, with RPC URLs from the settings. One instance
 * lives in the background; `reader` is shared so the cache serves the approval and the popup.
 */
export class Balances {
  readonly reader: BalanceReader;

  constructor(private readonly deps: { settings: { get(): Promise<StoredSettings> }; reader?: BalanceReader }) {
    this.reader = deps.reader ?? new BalanceReader();
  }

  /**
   * Balance of the asset for a payment, compared with the amount (null = unknown). A cached
   * balance never blocks a payment: a "too small" from the cache is confirmed with a fresh read
   * (the account may have been funded since); one that was just read is not read twice.
   */
  async forPayment(asset: TrustedAsset, amount: bigint, address: `0x${string}` | null | undefined): Promise<OptionBalance | null> {
    if (!address) return null;
    const start = this.reader.now();
    let r = await this.read(asset, address);
    if (r?.ok && r.atomic < amount && r.at < start) r = await this.read(asset, address, undefined, start);
    if (!r?.ok) return null;
    return { atomic: r.atomic.toString(), token: formatTokenAmount(r.atomic, asset), sufficient: r.atomic >= amount };
  }

  /** Balances of every trusted asset that has a known RPC (the popup's list). */
  async list(registry: Registry, address: `0x${string}`): Promise<BalanceDto[]> {
    const settings = await this.deps.settings.get();
    const assets = registry.assets().filter((a) => resolveRpcUrl(settings, a.chainId, a.address));
    // A network's playground label belongs to the playground token, not to the real tokens there.
    const plain = createRegistry();
    return Promise.all(
      assets.map(async (a): Promise<BalanceDto> => {
        const r = await this.read(a, address, settings);
        return {
          network: a.network,
          networkName: a.networkLabel ?? plain.networkName(a.network),
          asset: a.address,
          symbol: a.symbol,
          balance: r?.ok ? { atomic: r.atomic.toString(), token: formatTokenAmount(r.atomic, a) } : null,
          error: r && !r.ok ? r.reason : undefined,
        };
      }),
    );
  }

  /** Drop cached balances of the token of a settled (or failed) payment. */
  invalidate(network: string, asset: string): void {
    const chainId = evmChainIdOf(network);
    if (chainId !== undefined) this.reader.invalidate(chainId, asset);
  }

  private async read(asset: TrustedAsset, address: `0x${string}`, s?: StoredSettings, notBefore?: number): Promise<TimedRead | null> {
    const settings = s ?? (await this.deps.settings.get());
    const rpcUrl = resolveRpcUrl(settings, asset.chainId, asset.address);
    if (!rpcUrl) return null;
    const q = { chainId: asset.chainId, asset: getAddress(asset.address), address: getAddress(address), rpcUrl };
    return this.reader.read(q, { notBefore });
  }
}
