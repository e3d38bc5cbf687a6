/**
 * Truth from the chain (owner: background). A settlement counts when the chain says so: the
 * receipt of the reported transaction (EVM) or its signature status and token balances (Solana)
 * must show exactly this payment. A page's report is only a hint that triggers the check; the
 * server's `PAYMENT-RESPONSE` is checked too when an RPC can be asked.
 *
 * `PaymentService.reconcile()` runs on start and before each periodic sweep: payments whose outcome the
 * wallet did not see are settled when the chain shows them (a claimed transaction confirmed, or an
 * EIP-3009 authorization used), and left to the expiry sweep otherwise.
 */
import { railOfNetwork, type SettlementCheck, type TrustedAsset } from '../rails';
import type { PaymentRecord } from '../ledger/types';
import type { Registry } from '../x402';
import { resolveRpcUrl } from './balances';
import type { StoredSettings } from './settings';

export const CHAIN_TIMEOUT_MS = 3_000;
/** A fresh transaction may take a moment to be visible through the RPC (Solana confirmation). */
const NOT_FOUND_RETRIES_MS = [250, 750, 1_500];

export interface ChainDeps {
  settings: { get(): Promise<StoredSettings>; registry(): Promise<Registry> };
  sleep?: (ms: number) => Promise<void>;
}

export type ChainVerdict = SettlementCheck | { state: 'used-no-tx' };

export class ChainTruth {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: ChainDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private async context(rec: PaymentRecord): Promise<{ asset: TrustedAsset; rpcUrl: string } | { reason: string; noRpc?: true }> {
    const registry = await this.deps.settings.registry();
    const asset = registry.lookup(rec.network, rec.asset.address);
    if (!asset) return { reason: `${rec.asset.symbol} on ${rec.network} is no longer in the trusted table` };
    const rpcUrl = resolveRpcUrl(await this.deps.settings.get(), rec.network, rec.asset.address);
    if (!rpcUrl) return { reason: `no RPC endpoint for ${registry.networkName(rec.network)}`, noRpc: true };
    return { asset, rpcUrl };
  }

  /** Is `tx` this payment on chain? Retries a not-yet-visible transaction briefly when `retry`. */
  async settlement(rec: PaymentRecord, tx: string, opts: { retry?: boolean } = {}): Promise<SettlementCheck> {
    const rail = railOfNetwork(rec.network);
    if (!rail) return { state: 'unknown', reason: `no rail for ${rec.network}` };
    if (!rec.payer) return { state: 'unknown', reason: 'the signing account was not recorded' };
    const ctx = await this.context(rec);
    if ('reason' in ctx) return { state: 'unknown', reason: ctx.reason, ...(ctx.noRpc ? { noRpc: true as const } : {}) };
    const q = {
      asset: ctx.asset,
      tx,
      from: rec.payer,
      to: rec.payTo,
      // upto: the record holds the signed maximum until the chain shows what moved
      amount: rec.maxAmount ?? rec.amount,
      ...(rec.scheme === 'upto' ? { upTo: true } : {}),
      ...(rec.authorizationId ? { authorizationId: rec.authorizationId } : {}),
      rpcUrl: ctx.rpcUrl,
      timeoutMs: CHAIN_TIMEOUT_MS,
    };
    let check = await rail.readSettlement(q);
    for (const wait of opts.retry ? NOT_FOUND_RETRIES_MS : []) {
      if (check.state !== 'not-found') break;
      await this.sleep(wait);
      check = await rail.readSettlement(q);
    }
    return check;
  }

  /** Was the signed authorization used, when the rail can tell without a transaction id? */
  async authorizationUsed(rec: PaymentRecord): Promise<boolean | undefined> {
    const rail = railOfNetwork(rec.network);
    if (!rail?.readAuthorizationUsed || !rec.payer || !rec.authorizationId) return undefined;
    const ctx = await this.context(rec);
    if ('reason' in ctx) return undefined;
    return rail.readAuthorizationUsed({ asset: ctx.asset, from: rec.payer, nonce: rec.authorizationId, rpcUrl: ctx.rpcUrl, timeoutMs: CHAIN_TIMEOUT_MS });
  }

  /** The transaction that used the signed authorization, when the rail can find it (see the rail). */
  async authorizationTx(rec: PaymentRecord): Promise<{ tx: string } | { none: true } | undefined> {
    const rail = railOfNetwork(rec.network);
    if (!rail?.findAuthorizationTx || !rec.payer || !rec.authorizationId) return undefined;
    const ctx = await this.context(rec);
    if ('reason' in ctx) return undefined;
    return rail.findAuthorizationTx({ asset: ctx.asset, from: rec.payer, nonce: rec.authorizationId, rpcUrl: ctx.rpcUrl, timeoutMs: CHAIN_TIMEOUT_MS });
  }
}
