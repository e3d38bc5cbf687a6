/** The TRON rail (`tron:mainnet|shasta|nile`, x402-tron `exact_permit` and `exact_gasfree`). */
import type { Rail, TronAsset, TronOption, TronSigner } from '../types.ts';
import { DEFAULT_RPC_URLS, TRON_NAMES, isTestNetwork, isTronNetwork } from '../networks.ts';
import { isTronAddress, tronAddressKey } from './address.ts';
import { checkTronAsset, defaultTronAssets, localTronPlaygroundAsset } from './assets.ts';
import { readTronBalance, readTronSettlement, tronTxHash } from './balance.ts';
import { tronNetwork } from './networks.ts';
import { createTronPayment } from './payment.ts';
import { evaluateTronOption } from './validate.ts';

export const tronRail: Rail<TronAsset, TronOption, TronSigner> = {
  id: 'tron',
  label: 'TRON',
  namespace: 'tron',
  v1Networks: Object.freeze({}),
  schemes: Object.freeze(['exact_permit', 'exact_gasfree'] as const),
  isNetwork: isTronNetwork,
  isTestnet: (caip2) => isTronNetwork(caip2) && isTestNetwork(caip2),
  networkName: (n) => TRON_NAMES[n],
  defaultAssets: defaultTronAssets,
  checkAsset: checkTronAsset,
  playgroundAsset: localTronPlaygroundAsset,
  // any spelling of the same account (T…, 41…, 0x…) is one key; what is signed is always base58check
  addressKey: (a) => tronAddressKey(a) ?? a,
  isAccountAddress: isTronAddress,
  evaluate: (ctx) => evaluateTronOption(ctx),
  createPayment: (args) => createTronPayment(args),
  readBalance: (q) => readTronBalance(q),
  readSettlement: (q) => readTronSettlement(q),
  defaultRpcUrl: (network) => (isTronNetwork(network) ? DEFAULT_RPC_URLS[network] : undefined),
  explorerTxUrl: (network, tx) => {
    const net = tronNetwork(network);
    const hash = tronTxHash(tx);
    return net && hash ? net.explorerTx + hash.slice(2) : undefined;
  },
};
