/**
 * Permit2 needs an ERC-20 allowance: the payer's token `allowance(owner, Permit2)` must cover
 * what a Permit2 payment (exact with Permit2, or upto) may move, or the facilitator refuses it
 * (`permit2_allowance_required`, HTTP 412). Read over JSON-RPC with the chain id checked in the
 * same batch, and the `approve(Permit2, amount)` call data the wallet's approval transaction carries.
 */
import { PERMIT2_ADDRESS } from '@x402/evm';
import { encodeFunctionData, erc20Abi, getAddress, http } from 'viem';
import { createReadClient } from '../../util/read-client.ts';
import type { BalanceRead, EvmAsset } from '../types.ts';
import { shortReason } from './balance.ts';

export { PERMIT2_ADDRESS };

export async function readEvmAllowance(q: { asset: EvmAsset; owner: string; spender: string; rpcUrl: string; timeoutMs: number }): Promise<BalanceRead> {
  try {
    const c = createReadClient(http(q.rpcUrl, { batch: true, retryCount: 0, timeout: q.timeoutMs }));
    const [chainId, atomic] = await Promise.all([
      c.getChainId(),
      c.readContract({ address: getAddress(q.asset.address), abi: erc20Abi, functionName: 'allowance', args: [getAddress(q.owner), getAddress(q.spender)] }),
    ]);
    if (chainId !== q.asset.chainId) return { ok: false, reason: `the RPC serves chain ${chainId}, not ${q.asset.chainId}` };
    return { ok: true, atomic };
  } catch (e) {
    return { ok: false, reason: shortReason(e) };
  }
}

/** `approve(Permit2, amount)` — the spender is always the canonical Permit2, never an input. */
export function permit2ApproveData(amount: bigint): `0x${string}` {
  return encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [PERMIT2_ADDRESS, amount] });
}
