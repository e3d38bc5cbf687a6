/**
 * ERC-20 `balanceOf` over JSON-RPC (viem): one batched HTTP request (`eth_chainId` +
 * `eth_call`), so an RPC that serves another chain never answers for this one. Never throws.
 */
import { createPublicClient, erc20Abi, getAddress, http, type PublicClient, type Transport } from 'viem';
import type { BalanceQuery, BalanceRead, EvmAsset } from '../types.ts';

export type TransportFactory = (rpcUrl: string, timeoutMs: number) => Transport;

const defaultTransport: TransportFactory = (url, timeout) => http(url, { batch: true, retryCount: 0, timeout });
const clients = new WeakMap<TransportFactory, Map<string, PublicClient>>();

function client(rpcUrl: string, timeoutMs: number, factory: TransportFactory): PublicClient {
  let byUrl = clients.get(factory);
  if (!byUrl) clients.set(factory, (byUrl = new Map()));
  const key = `${timeoutMs}|${rpcUrl}`;
  let c = byUrl.get(key);
  if (!c) {
    c = createPublicClient({ transport: factory(rpcUrl, timeoutMs) }) as PublicClient;
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
