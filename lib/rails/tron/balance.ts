/**
 * TRC-20 reads over the TRON node's Ethereum-compatible JSON-RPC (`<node>/jsonrpc`, e.g.
 * https://api.trongrid.io/jsonrpc): `eth_chainId` (must be the network's TIP-712 chain id, so an
 * endpoint of another TRON network never answers for this one) batched with `eth_call` of
 * `balanceOf` / `allowance` on the token's 20-byte hex address, and `eth_getTransactionReceipt`
 * for settlements. viem does the encoding; nothing here signs. Never throws.
 */
import { erc20Abi, http, parseEventLogs, TransactionReceiptNotFoundError, type Transport } from 'viem';
import { createReadClient, type ReadClient } from '../../util/read-client.ts';
import type { BalanceQuery, BalanceRead, SettlementCheck, SettlementQuery, TronAsset } from '../types.ts';
import { tronToEvmHex } from './address.ts';

export type TronTransportFactory = (rpcUrl: string, timeoutMs: number) => Transport;
const defaultTransport: TronTransportFactory = (url, timeout) => http(url, { batch: true, retryCount: 0, timeout });

function client(rpcUrl: string, timeoutMs: number, factory: TronTransportFactory): ReadClient {
  return createReadClient(factory(rpcUrl, timeoutMs));
}

function reason(e: unknown): string {
  const err = e as { shortMessage?: unknown; message?: unknown };
  const text = typeof err?.shortMessage === 'string' ? err.shortMessage : typeof err?.message === 'string' ? err.message : 'RPC error';
  return text.split('\n')[0]!.slice(0, 160);
}

export async function readTronBalance(q: BalanceQuery<TronAsset>, transport: TronTransportFactory = defaultTransport): Promise<BalanceRead> {
  try {
    const c = client(q.rpcUrl, q.timeoutMs, transport);
    const [chainId, atomic] = await Promise.all([
      c.getChainId(),
      c.readContract({ address: q.asset.hex, abi: erc20Abi, functionName: 'balanceOf', args: [tronToEvmHex(q.owner)] }),
    ]);
    if (chainId !== q.asset.chainId) return { ok: false, reason: `the RPC serves chain ${chainId}, not ${q.asset.chainId}` };
    return { ok: true, atomic };
  } catch (e) {
    return { ok: false, reason: reason(e) };
  }
}

/** How much `spender` (the PaymentPermit contract) may move of `owner`'s tokens. */
export async function readTronAllowance(
  q: { asset: TronAsset; owner: string; spender: string; rpcUrl: string; timeoutMs: number },
  transport: TronTransportFactory = defaultTransport,
): Promise<BalanceRead> {
  try {
    const c = client(q.rpcUrl, q.timeoutMs, transport);
    const [chainId, atomic] = await Promise.all([
      c.getChainId(),
      c.readContract({ address: q.asset.hex, abi: erc20Abi, functionName: 'allowance', args: [tronToEvmHex(q.owner), tronToEvmHex(q.spender)] }),
    ]);
    if (chainId !== q.asset.chainId) return { ok: false, reason: `the RPC serves chain ${chainId}, not ${q.asset.chainId}` };
    return { ok: true, atomic };
  } catch (e) {
    return { ok: false, reason: reason(e) };
  }
}

/** A TRON transaction id: 32 bytes hex, as Tronscan writes it (no prefix) or 0x-prefixed. */
export function tronTxHash(tx: string): `0x${string}` | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(tx)) return `0x${tx.toLowerCase()}`;
  if (/^0x[0-9a-fA-F]{64}$/.test(tx)) return tx.toLowerCase() as `0x${string}`;
  return undefined;
}

/**
 * The chain's word on a claimed settlement. The PaymentPermit contract moves `amount` to the
 * payee and the fee to the fee receiver in one transaction: confirmed when the receipt is a
 * success on this chain, the token logs a Transfer(payer → payee), and everything the token
 * moved from the payer in it adds up to exactly `amount` (the ledger's amount = price + fee).
 */
export async function readTronSettlement(q: SettlementQuery<TronAsset>, transport: TronTransportFactory = defaultTransport): Promise<SettlementCheck> {
  const hash = tronTxHash(q.tx);
  if (!hash) return { state: 'mismatch', reason: 'the transaction id is malformed' };
  try {
    const c = client(q.rpcUrl, q.timeoutMs, transport);
    const [chainId, receipt] = await Promise.all([
      c.getChainId(),
      c.getTransactionReceipt({ hash }).catch((e: unknown) => {
        if (e instanceof TransactionReceiptNotFoundError) return null;
        throw e;
      }),
    ]);
    if (chainId !== q.asset.chainId) return { state: 'unknown', reason: `the RPC serves chain ${chainId}, not ${q.asset.chainId}` };
    if (!receipt) return { state: 'not-found' };
    if (receipt.status !== 'success') return { state: 'failed', reason: 'the transaction reverted' };
    const from = tronToEvmHex(q.from);
    const to = tronToEvmHex(q.to);
    const transfers = parseEventLogs({ abi: erc20Abi, eventName: 'Transfer', logs: receipt.logs }).filter(
      (l) => l.address.toLowerCase() === q.asset.hex && l.args.from.toLowerCase() === from,
    );
    const total = transfers.reduce((n, l) => n + l.args.value, 0n);
    if (!transfers.some((l) => l.args.to.toLowerCase() === to) || total !== q.amount) {
      return { state: 'mismatch', reason: `the transaction moves no ${q.asset.symbol} from the payer to the payee for this amount` };
    }
    return { state: 'confirmed' };
  } catch (e) {
    return { state: 'unknown', reason: reason(e) };
  }
}
