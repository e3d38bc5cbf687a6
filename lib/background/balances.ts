/**
 * Token balances of the wallet's accounts, read from RPC nodes by each asset's rail (EVM:
 * ERC-20 `balanceOf`; Solana: the SPL associated token account). Used to tell "can the wallet
 * fund this payment?" before anything is signed, and to show balances in the popup.
 *
 * - Never blocks paying: no known RPC, a failed call, a timeout or an RPC that serves another
 *   chain all give "unknown" (`null`), and the caller treats unknown as "may pay".
 * - Light: one lookup per asset+address (the rail checks the chain/cluster in the same round
 *   trip), a short timeout, and a small cache (in-flight lookups are shared), dropped for an
 *   asset once a payment on it settles.
 * - The cache is only a cache: losing it with the service worker is harmless.
 */
import type { BalanceDto } from '../messaging/contract';
import { railById, railOfNetwork, type BalanceRead, type RailId, type TrustedAsset } from '../rails';
import { readEvmBalance, type TransportFactory } from '../rails/evm/balance';
import { readTronAllowance } from '../rails/tron/balance';
import { readEvmAllowance } from '../rails/evm/allowance';
import type { EvmAsset, TronAsset } from '../rails/types';
import { createRegistry, formatTokenAmount, type Registry } from '../x402';
import { tokenKey } from '../policy/units';
import { tokenNetwork, type StoredSettings } from './settings';

export const BALANCE_TIMEOUT_MS = 3_000;
export const BALANCE_TTL_MS = 10_000;

export type { BalanceRead };
/** A read with the time its lookup started (reader clock): older than the caller's start = from the cache. */
export type TimedRead = BalanceRead & { at: number };

export interface BalanceQuery {
  asset: TrustedAsset;
  owner: string;
  rpcUrl: string;
}

export interface BalanceReaderOptions {
  timeoutMs?: number;
  ttlMs?: number;
  now?: () => number;
  /** EVM transport for an RPC URL (tests pass viem's `custom`); default: the rail's HTTP */
  transport?: TransportFactory;
}

/** Settings key of a network's RPC endpoint: the chain id for EVM ("8453"), the CAIP-2 id otherwise. */
export function rpcKey(network: string): string {
  return network.startsWith('eip155:') ? network.slice('eip155:'.length) : network;
}

/**
 * The RPC endpoint for a token: the playground token's own `rpcUrl`, else the user's URL for
 * the network (an empty string turns lookups off for it), else the custom network's RPC (a
 * network the user added), else the rail's built-in default.
 */
export function resolveRpcUrl(
  settings: Pick<StoredSettings, 'playgroundTokens' | 'rpcUrls' | 'customNetworks'>,
  network: string,
  asset: string,
): string | undefined {
  const rail = railOfNetwork(network);
  if (!rail) return undefined;
  const tok = settings.playgroundTokens.find(
    (t) => tokenNetwork(t) === network && rail.addressKey(t.address) === rail.addressKey(asset) && t.rpcUrl,
  );
  if (tok?.rpcUrl) return tok.rpcUrl;
  const key = rpcKey(network);
  const user = settings.rpcUrls ?? {};
  if (Object.prototype.hasOwnProperty.call(user, key)) return user[key] || undefined;
  const custom = (settings.customNetworks ?? []).find((n) => `eip155:${n.chainId}` === network);
  if (custom) return custom.rpcUrl;
  return rail.defaultRpcUrl(network);
}

const keyOf = (asset: { rail: RailId; network: string; address: string }, owner?: string) => {
  const rail = railById(asset.rail);
  return `${asset.network}|${rail.addressKey(asset.address)}|${owner ? rail.addressKey(owner) : ''}`;
};

/** Reads balances with a timeout and a short cache. */
export class BalanceReader {
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  readonly now: () => number;
  private readonly transport?: TransportFactory;
  private readonly cache = new Map<string, { at: number; rpcUrl: string; value: Promise<TimedRead>; read?: TimedRead }>();

  constructor(opts: BalanceReaderOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? BALANCE_TIMEOUT_MS;
    this.ttlMs = opts.ttlMs ?? BALANCE_TTL_MS;
    this.now = opts.now ?? Date.now;
    this.transport = opts.transport;
  }

  /**
   * The balance, from the cache while it is fresh (within the TTL and, with `notBefore`, looked up
   * at or after that time; concurrent callers share one lookup). Failures are cached too: a dead
   * RPC is not asked again for every payment.
   */
  read(q: BalanceQuery, opts: { notBefore?: number } = {}): Promise<TimedRead> {
    const key = keyOf(q.asset, q.owner);
    const hit = this.cache.get(key);
    const now = this.now();
    if (hit && hit.rpcUrl === q.rpcUrl && now - hit.at < this.ttlMs && hit.at >= (opts.notBefore ?? -Infinity)) return hit.value;
    const entry: { at: number; rpcUrl: string; value: Promise<TimedRead>; read?: TimedRead } = { at: now, rpcUrl: q.rpcUrl, value: undefined as never };
    entry.value = this.fetch(q).then((r): TimedRead => (entry.read = { ...r, at: now }));
    this.cache.set(key, entry);
    if (this.cache.size > 500) this.prune(now);
    return entry.value;
  }

  /** Forget cached balances of a token (all accounts), e.g. after a payment with it settled. */
  invalidate(asset: { rail: RailId; network: string; address: string }): void {
    const prefix = keyOf(asset);
    for (const k of [...this.cache.keys()]) if (k.startsWith(prefix)) this.cache.delete(k);
  }

  /**
   * A payment of `amount` from `owner` settled: a cached balance read before it was signed
   * (`signedAt`, reader clock) still holds that money — it is kept, less the amount, so the next
   * payment need not wait for the RPC. Anything else (a read after signing, one still in flight,
   * a failed one) is dropped and read again. A balance too low from the cache is always read
   * fresh before it refuses (Balances.forPayment), so the estimate can only cost a look-up.
   */
  debit(asset: { rail: RailId; network: string; address: string }, owner: string, amount: bigint, signedAt: number | undefined): void {
    const key = keyOf(asset, owner);
    const hit = this.cache.get(key);
    const r = hit?.read;
    if (hit && r?.ok && signedAt !== undefined && r.at < signedAt && amount >= 0n) {
      const read: TimedRead = { ...r, atomic: r.atomic > amount ? r.atomic - amount : 0n };
      this.cache.set(key, { ...hit, read, value: Promise.resolve(read) });
    } else this.cache.delete(key);
    // other accounts' balances of this token did not move, but a stale view costs nothing to drop
    const prefix = keyOf(asset);
    for (const k of [...this.cache.keys()]) if (k !== key && k.startsWith(prefix)) this.cache.delete(k);
  }

  clear(): void {
    this.cache.clear();
  }

  private prune(now: number): void {
    for (const [k, v] of this.cache) if (now - v.at >= this.ttlMs) this.cache.delete(k);
  }

  private async fetch(q: BalanceQuery): Promise<BalanceRead> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<BalanceRead>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${this.timeoutMs / 1000} s` }), this.timeoutMs);
    });
    const rq = { asset: q.asset, owner: q.owner, rpcUrl: q.rpcUrl, timeoutMs: this.timeoutMs };
    const lookup: Promise<BalanceRead> = (
      q.asset.rail === 'evm' && this.transport ? readEvmBalance({ ...rq, asset: q.asset }, this.transport) : railById(q.asset.rail).readBalance(rq)
    ).catch((e: unknown): BalanceRead => ({ ok: false, reason: String((e as Error)?.message ?? 'RPC error').slice(0, 160) }));
    try {
      return await Promise.race([lookup, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A balance as the approval window shows it (null = unknown). */
export interface OptionBalance {
  atomic: string;
  token: string;
  /** whether it covers this payment on top of what is still pending in the same token */
  sufficient: boolean;
  /** signed or reserved payments in this token not settled yet ("0.02 USDC"), when any */
  pending?: string;
}

/** The wallet's active account on each rail (a rail without an account has no balances). */
export type Owners = Partial<Record<RailId, string>>;

/** The active account's address per rail, from the custody status. */
export function ownersOf(s: { activeAddress?: string | null; activeSvmAddress?: string | null; activeTronAddress?: string | null }): Owners {
  return {
    ...(s.activeAddress ? { evm: s.activeAddress } : {}),
    ...(s.activeSvmAddress ? { svm: s.activeSvmAddress } : {}),
    ...(s.activeTronAddress ? { tron: s.activeTronAddress } : {}),
  };
}

/**
 * Balances of trusted assets for the active accounts, with RPC URLs from the settings. One
 * instance lives in the background; `reader` is shared so the cache serves the approval and the popup.
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
  async forPayment(asset: TrustedAsset, amount: bigint, owner: string | null | undefined, pending = 0n): Promise<OptionBalance | null> {
    if (!owner) return null;
    const start = this.reader.now();
    const need = amount + pending;
    let r = await this.read(asset, owner);
    if (r?.ok && r.atomic < need && r.at < start) r = await this.read(asset, owner, undefined, start);
    if (!r?.ok) return null;
    const out: OptionBalance = { atomic: r.atomic.toString(), token: formatTokenAmount(r.atomic, asset), sufficient: r.atomic >= need };
    if (pending > 0n) out.pending = formatTokenAmount(pending, asset);
    return out;
  }

  /**
   * Balances of every trusted asset that has a known RPC and an account on its rail (the popup's
   * list); built-in tokens of test networks only while "Show test networks" is on (the registry knows).
   */
  async list(registry: Registry, owners: Owners, pending: ReadonlyMap<string, bigint> = new Map()): Promise<BalanceDto[]> {
    const settings = await this.deps.settings.get();
    const assets = registry
      .assets()
      .filter((a) => owners[a.rail] && !registry.testnetHidden(a) && resolveRpcUrl(settings, a.network, a.address));
    // A network's playground label belongs to the playground token, not to the real tokens there.
    const plain = createRegistry();
    return Promise.all(
      assets.map(async (a): Promise<BalanceDto> => {
        const r = await this.read(a, owners[a.rail]!, settings);
        const p = pending.get(tokenKey(a.network, a.address)) ?? 0n;
        return {
          ...(p > 0n ? { pending: { atomic: p.toString(), token: formatTokenAmount(p, a) } } : {}),
          rail: a.rail,
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

  /**
   * TRON exact_permit: how much the PaymentPermit contract (`spender`, from the trusted table)
   * may move of `owner`'s token, compared with what the payment needs (amount + fee). Not
   * cached: an approval granted a moment ago must show. null = unknown (no RPC, failed, timeout).
   */
  /** TRON: the PaymentPermit contract's allowance; EVM: Permit2's (ERC-20 `allowance(owner, spender)`). */
  async allowanceFor(asset: TronAsset | EvmAsset, owner: string, spender: string, need: bigint): Promise<{ atomic: string; token: string; sufficient: boolean } | null> {
    const settings = await this.deps.settings.get();
    const rpcUrl = resolveRpcUrl(settings, asset.network, asset.address);
    if (!rpcUrl) return null;
    const timeoutMs = BALANCE_TIMEOUT_MS;
    const r = await Promise.race([
      asset.rail === 'evm' ? readEvmAllowance({ asset, owner, spender, rpcUrl, timeoutMs }) : readTronAllowance({ asset, owner, spender, rpcUrl, timeoutMs }),
      new Promise<BalanceRead>((resolve) => setTimeout(() => resolve({ ok: false, reason: 'timeout' }), timeoutMs)),
    ]);
    if (!r.ok) return null;
    return { atomic: r.atomic.toString(), token: formatTokenAmount(r.atomic, asset), sufficient: r.atomic >= need };
  }

  /** A payment settled: its amount leaves the cached balance it was paid from (see BalanceReader.debit). */
  settled(r: { network: string; asset: { address: string }; payer?: string; amount: bigint; times: Partial<Record<string, number>> }): void {
    const rail = railOfNetwork(r.network);
    if (!rail) return;
    const asset = { rail: rail.id, network: r.network, address: r.asset.address };
    if (r.payer) this.reader.debit(asset, r.payer, r.amount, r.times.signed);
    else this.reader.invalidate(asset);
  }

  /** Drop cached balances of the token of a settled (or failed) payment. */
  invalidate(network: string, asset: string): void {
    const rail = railOfNetwork(network);
    if (rail) this.reader.invalidate({ rail: rail.id, network, address: asset });
  }

  private async read(asset: TrustedAsset, owner: string, s?: StoredSettings, notBefore?: number): Promise<TimedRead | null> {
    const settings = s ?? (await this.deps.settings.get());
    const rpcUrl = resolveRpcUrl(settings, asset.network, asset.address);
    if (!rpcUrl) return null;
    return this.reader.read({ asset, owner, rpcUrl }, { notBefore });
  }
}
