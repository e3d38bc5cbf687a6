/**
 * What `viem` is to the official `@x402/*` packages inside the extension build (wxt.config.ts
 * resolves their `import … from 'viem'` here; everything else gets viem itself).
 *
 * Everything is viem's own, except `createPublicClient`: @x402/evm's client keeps one for the
 * optional gas-sponsoring RPC back-fill and calls exactly `readContract`,
 * `getTransactionCount` and `estimateFeesPerGas` on it. viem's full public client would pull
 * every public action (ENS, filters, multicall, simulation, proofs, …) into the background
 * bundle; this one is `createClient` with those three viem actions.
 */
import { createClient, type ClientConfig } from 'viem';
import { estimateFeesPerGas, getTransactionCount, readContract } from 'viem/actions';

export * from 'viem';

export function createPublicClient(config: ClientConfig) {
  const c = createClient(config);
  return {
    readContract: (args: Parameters<typeof readContract>[1]) => readContract(c, args),
    getTransactionCount: (args: Parameters<typeof getTransactionCount>[1]) => getTransactionCount(c, args),
    estimateFeesPerGas: () => estimateFeesPerGas(c),
  };
}
