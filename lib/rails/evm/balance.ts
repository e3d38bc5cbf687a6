/**
 * ERC-20 `balanceOf` over JSON-RPC (viem): one batched HTTP request (`eth_chainId` +
 * `eth_call`), so an RPC that serves another chain never answers for this one. Never throws.
 */
import {
  erc20Abi,
  getAddress,
  http,
  isAddressEqual,
  parseEventLogs,
  TransactionReceiptNotFoundError,
  type Transport,
} from 'viem';
import { createReadClient, type ReadClient } from '../../util/read-client.ts';
import { PERMIT2_ADDRESS } from '@x402/evm';
import type { BalanceQuery, BalanceRead, EvmAsset, SettlementCheck, SettlementQuery } from '../types.ts';

export type TransportFactory = (rpcUrl: string, timeoutMs: number) => Transport;

const defaultTransport: TransportFactory = (url, timeout) => http(url, { batch: true, retryCount: 0, timeout });
const clients = new WeakMap<TransportFactory, Map<string, ReadClient>>();

function client(rpcUrl: string, timeoutMs: number, factory: TransportFactory): ReadClient {
  let byUrl = clients.get(factory);
  if (!byUrl) clients.set(factory, (byUrl = new Map()));
  const key = `${timeoutMs}|${rpcUrl}`;
  let c = byUrl.get(key);
  if (!c) {
    c = createReadClient(factory(rpcUrl, timeoutMs));
    if (byUrl.size > 50) byUrl.clear();
    byUrl.set(key, c);
  }
  return c;
}

export function shortReason(e: unknown): string {
  const err = e as { shortMessage?: unknown; message?: unknown };
  const text = typeof err?.shortMessage === 'string' ? err.shortMessage : typeof err?.message === 'string' ? err.message : 'RPC error';
  return text.split('\n')[0]!.slice(0, 160);
}

/** `transport`: tests pass viem's `custom`; default HTTP. */
export async function readEvmBalance(q: BalanceQuery<EvmAsset>, transport: TransportFactory = defaultTransport): Promise<BalanceRead> {
  try {
    const c = client(q.rpcUrl, q.timeoutMs, transport);
    const [chainId, atomic] = await Promise.all([
      c.getChainId(),
      c.readContract({ address: getAddress(q.asset.address), abi: erc20Abi, functionName: 'balanceOf', args: [getAddress(q.owner)] }),
    ]);
    if (chainId !== q.asset.chainId) return { ok: false, reason: `the RPC serves chain ${chainId}, not ${q.asset.chainId}` };
    return { ok: true, atomic };
  } catch (e) {
    return { ok: false, reason: shortReason(e) };
  }
}

/**
 * The chain's word on a claimed settlement: the receipt of `tx` must be a success on the
 * asset's chain with an ERC-20 `Transfer(from, to, amount)` log emitted by the asset itself
 * (`upTo`: transfers from → to adding up to 1 … amount; the check reports the sum).
 */
export async function readEvmSettlement(q: SettlementQuery<EvmAsset>, transport: TransportFactory = defaultTransport): Promise<SettlementCheck> {
  if (!/^0x[0-9a-fA-F]{64}$/.test(q.tx)) return { state: 'mismatch', reason: 'the transaction hash is malformed' };
  try {
    const c = client(q.rpcUrl, q.timeoutMs, transport);
    const [chainId, receipt] = await Promise.all([
      c.getChainId(),
      c.getTransactionReceipt({ hash: q.tx as `0x${string}` }).catch((e: unknown) => {
        if (e instanceof TransactionReceiptNotFoundError) return null;
        throw e;
      }),
    ]);
    if (chainId !== q.asset.chainId) return { state: 'unknown', reason: `the RPC serves chain ${chainId}, not ${q.asset.chainId}` };
    if (!receipt) return { state: 'not-found' };
    if (receipt.status !== 'success') return { state: 'failed', reason: 'the transaction reverted' };
    const token = getAddress(q.asset.address);
    const transfers = parseEventLogs({ abi: erc20Abi, eventName: 'Transfer', logs: receipt.logs }).filter((l) => isAddressEqual(l.address, token));
    if (q.upTo) {
      // upto: what moved from the payer to the payee in this transaction is what was paid — the
      // chain's word, not the server's — and it must be within the signed maximum
      const moved = transfers
        .filter((l) => isAddressEqual(l.args.from, getAddress(q.from)) && isAddressEqual(l.args.to, getAddress(q.to)))
        .reduce((sum, l) => sum + l.args.value, 0n);
      if (moved === 0n) return { state: 'mismatch', reason: `the transaction moves no ${q.asset.symbol} from the payer to the payee` };
      if (moved > q.amount) return { state: 'mismatch', reason: `the transaction moves more than the signed maximum` };
      return { state: 'confirmed', amount: moved };
    }
    const ours = transfers.some(
      (l) => isAddressEqual(l.args.from, getAddress(q.from)) && isAddressEqual(l.args.to, getAddress(q.to)) && l.args.value === q.amount,
    );
    if (!ours) return { state: 'mismatch', reason: `the transaction moves no ${q.asset.symbol} from the payer to the payee for this amount` };
    // EIP-3009: the token logs AuthorizationUsed(authorizer, nonce) — this very authorization, not another payment like it
    if (q.authorizationId && /^0x[0-9a-fA-F]{64}$/.test(q.authorizationId)) {
      const used = parseEventLogs({ abi: AUTHORIZATION_USED_EVENT, logs: receipt.logs }).some(
        (l) => isAddressEqual(l.address, token) && isAddressEqual(l.args.authorizer, getAddress(q.from)) && l.args.nonce.toLowerCase() === q.authorizationId!.toLowerCase(),
      );
      if (!used) return { state: 'mismatch', reason: 'the transaction settles another authorization (its nonce differs)' };
    }
    return { state: 'confirmed' };
  } catch (e) {
    return { state: 'unknown', reason: shortReason(e) };
  }
}

const AUTHORIZATION_USED_EVENT = [
  {
    type: 'event',
    name: 'AuthorizationUsed',
    inputs: [
      { name: 'authorizer', type: 'address', indexed: true },
      { name: 'nonce', type: 'bytes32', indexed: true },
    ],
  },
] as const;

const AUTHORIZATION_STATE_ABI = [
  {
    type: 'function',
    name: 'authorizationState',
    stateMutability: 'view',
    inputs: [
      { name: 'authorizer', type: 'address' },
      { name: 'nonce', type: 'bytes32' },
    ],
    outputs: [{ name: '', type: 'bool' }],
  },
] as const;

const PERMIT2_NONCE_BITMAP_ABI = [
  {
    type: 'function',
    name: 'nonceBitmap',
    stateMutability: 'view',
    inputs: [
      { name: 'owner', type: 'address' },
      { name: 'wordPos', type: 'uint256' },
    ],
    outputs: [{ name: '', type: 'uint256' }],
  },
] as const;

/** Prefix of a Permit2 authorization id: `permit2:<nonce, decimal>` (EIP-3009 ids are the bytes32 nonce). */
export const PERMIT2_AUTHORIZATION_PREFIX = 'permit2:';

/**
 * Whether a signed authorization was used (or cancelled): EIP-3009 `authorizationState(from,
 * nonce)` on the token, or — for a Permit2 signature transfer (`permit2:<nonce>`) — the bit of
 * `nonce` in Permit2's `nonceBitmap(owner, nonce >> 8)`. Undefined when it cannot be known.
 */
export async function readEvmAuthorizationUsed(
  q: { asset: EvmAsset; from: string; nonce: string; rpcUrl: string; timeoutMs: number },
  transport: TransportFactory = defaultTransport,
): Promise<boolean | undefined> {
  const permit2 = q.nonce.startsWith(PERMIT2_AUTHORIZATION_PREFIX) ? q.nonce.slice(PERMIT2_AUTHORIZATION_PREFIX.length) : undefined;
  if (permit2 !== undefined ? !/^[0-9]{1,78}$/.test(permit2) || BigInt(permit2) >= 2n ** 256n : !/^0x[0-9a-fA-F]{64}$/.test(q.nonce)) return undefined;
  try {
    const c = client(q.rpcUrl, q.timeoutMs, transport);
    const used =
      permit2 !== undefined
        ? c
            .readContract({ address: PERMIT2_ADDRESS, abi: PERMIT2_NONCE_BITMAP_ABI, functionName: 'nonceBitmap', args: [getAddress(q.from), BigInt(permit2) >> 8n] })
            .then((bitmap) => ((bitmap >> (BigInt(permit2) & 0xffn)) & 1n) === 1n)
        : c.readContract({ address: getAddress(q.asset.address), abi: AUTHORIZATION_STATE_ABI, functionName: 'authorizationState', args: [getAddress(q.from), q.nonce as `0x${string}`] });
    const [chainId, isUsed] = await Promise.all([c.getChainId(), used]);
    return chainId === q.asset.chainId ? isUsed : undefined;
  } catch {
    return undefined;
  }
}

/** keccak256("AuthorizationUsed(address,bytes32)"): EIP-3009's event, emitted by the token. */
const AUTHORIZATION_USED_TOPIC = '0x98de503528ee59b575ef0c0a2576a82497bfc029a5685b209e9ec333479b10a5';
/** How far back the event is looked for (≈ 2.3 days of 2-s blocks; RPCs that limit ranges refuse → undefined). */
export const AUTHORIZATION_LOG_BLOCKS = 100_000n;

/**
 * The transaction that used an EIP-3009 authorization, from the token's `AuthorizationUsed`
 * event (topics: authorizer, nonce), so a "used" answer from `authorizationState` is only
 * believed with the transaction that used it (which the caller then checks like any settlement).
 * Permit2 nonces have no such event: undefined. Never throws.
 */
export async function findEvmAuthorizationTx(
  q: { asset: EvmAsset; from: string; nonce: string; rpcUrl: string; timeoutMs: number },
  transport: TransportFactory = defaultTransport,
): Promise<{ tx: string } | { none: true } | undefined> {
  if (!/^0x[0-9a-fA-F]{64}$/.test(q.nonce)) return undefined;
  try {
    const c = client(q.rpcUrl, q.timeoutMs, transport);
    const [chainId, head] = await Promise.all([c.getChainId(), c.getBlockNumber()]);
    if (chainId !== q.asset.chainId) return undefined;
    const from = head > AUTHORIZATION_LOG_BLOCKS ? head - AUTHORIZATION_LOG_BLOCKS : 0n;
    const logs = await c.getRawLogs({
      address: getAddress(q.asset.address),
      topics: [AUTHORIZATION_USED_TOPIC, `0x${getAddress(q.from).slice(2).toLowerCase().padStart(64, '0')}`, q.nonce.toLowerCase() as `0x${string}`],
      fromBlock: `0x${from.toString(16)}`,
      toBlock: 'latest',
    });
    if (!Array.isArray(logs)) return undefined;
    const hit = logs.find((l) => !l.removed && typeof l.transactionHash === 'string' && /^0x[0-9a-fA-F]{64}$/.test(l.transactionHash));
    return hit ? { tx: hit.transactionHash! } : { none: true };
  } catch {
    return undefined;
  }
}
