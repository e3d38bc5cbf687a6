/** The Solana rail (`solana:*`, x402 `exact` with SPL TransferChecked). */
import type { Rail, SvmAsset, SvmOption, SvmSigner } from '../types.ts';
import { isSolanaAddress } from './accounts.ts';
import {
  SOLANA_DEVNET,
  SOLANA_MAINNET,
  SOLANA_TESTNET,
  V1_SOLANA_NETWORKS,
  checkSvmAsset,
  defaultSvmAssets,
  isSolanaNetwork,
  localSvmPlaygroundAsset,
  solanaNetworkName,
} from './assets.ts';
import { DEFAULT_RPC_URLS, isTestNetwork } from '../networks.ts';
import { readSvmBalance, readSvmSettlement } from './balance.ts';
import { createSvmPayment } from './payment.ts';
import { evaluateSvmOption } from './validate.ts';

const CLUSTER: Readonly<Record<string, string>> = { [SOLANA_MAINNET]: '', [SOLANA_DEVNET]: '?cluster=devnet', [SOLANA_TESTNET]: '?cluster=testnet' };

export const svmRail: Rail<SvmAsset, SvmOption, SvmSigner> = {
  id: 'svm',
  label: 'Solana',
  namespace: 'solana',
  v1Networks: V1_SOLANA_NETWORKS,
  schemes: ['exact'],
  isNetwork: isSolanaNetwork,
  networkName: solanaNetworkName,
  isTestnet: (caip2) => caip2.startsWith('solana:') && isTestNetwork(caip2),
  defaultAssets: defaultSvmAssets,
  checkAsset: checkSvmAsset,
  playgroundAsset: localSvmPlaygroundAsset,
  addressKey: (a) => a,
  isAccountAddress: isSolanaAddress,
  evaluate: evaluateSvmOption,
  createPayment: createSvmPayment,
  readBalance: readSvmBalance,
  readSettlement: readSvmSettlement,
  defaultRpcUrl: (network) => (isSolanaNetwork(network) ? DEFAULT_RPC_URLS[network] : undefined),
  explorerTxUrl: (network, tx) =>
    Object.prototype.hasOwnProperty.call(CLUSTER, network) && /^[1-9A-HJ-NP-Za-km-z]{64,90}$/.test(tx)
      ? `https://explorer.solana.com/tx/${tx}${CLUSTER[network]}`
      : undefined,
};
