/** The EVM rail (`eip155:*`, x402 `exact` with EIP-3009 or Permit2). */
import { isAddress } from 'viem';
import type { EvmAsset, EvmOption, EvmSigner, Rail } from '../types.ts';
import { V1_EVM_CAIP2, checkEvmAsset, defaultEvmAssets, evmChainIdOf, evmNetworkName, localPlaygroundAsset } from './assets.ts';
import { DEFAULT_RPC_URLS, isTestNetwork } from '../networks.ts';
import { findEvmAuthorizationTx, readEvmAuthorizationUsed, readEvmBalance, readEvmSettlement } from './balance.ts';
import { createEvmPayment } from './payment.ts';
import { evaluateEvmOption } from './validate.ts';

const EXPLORERS: Readonly<Record<string, string>> = {
  'eip155:8453': 'https://basescan.org/tx/',
  'eip155:84532': 'https://sepolia.basescan.org/tx/',
  'eip155:1': 'https://etherscan.io/tx/',
  'eip155:137': 'https://polygonscan.com/tx/',
};

export const evmRail: Rail<EvmAsset, EvmOption, EvmSigner> = {
  id: 'evm',
  label: 'EVM',
  namespace: 'eip155',
  v1Networks: V1_EVM_CAIP2,
  schemes: ['exact', 'upto'],
  isNetwork: (caip2) => evmChainIdOf(caip2) !== undefined,
  networkName: evmNetworkName,
  isTestnet: (caip2) => caip2.startsWith('eip155:') && isTestNetwork(caip2),
  defaultAssets: defaultEvmAssets,
  checkAsset: checkEvmAsset,
  playgroundAsset: ({ network, address, label }) => {
    const chainId = evmChainIdOf(network);
    if (chainId === undefined) throw new Error(`${network} is not an EVM network`);
    return localPlaygroundAsset({ chainId, address, networkLabel: label });
  },
  addressKey: (a) => a.toLowerCase(),
  isAccountAddress: (a) => typeof a === 'string' && /^0x[0-9a-fA-F]{40}$/.test(a) && isAddress(a, { strict: false }),
  evaluate: evaluateEvmOption,
  createPayment: createEvmPayment,
  readBalance: (q) => readEvmBalance(q),
  readSettlement: (q) => readEvmSettlement(q),
  readAuthorizationUsed: (q) => readEvmAuthorizationUsed(q),
  findAuthorizationTx: (q) => findEvmAuthorizationTx(q),
  defaultRpcUrl: (network) => (network.startsWith('eip155:') ? DEFAULT_RPC_URLS[network] : undefined),
  explorerTxUrl: (network, tx) => (EXPLORERS[network] && /^0x[0-9a-fA-F]{64}$/.test(tx) ? EXPLORERS[network] + tx : undefined),
};
