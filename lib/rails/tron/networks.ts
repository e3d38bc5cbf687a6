/**
 * The TRON networks the wallet speaks and their trusted facts. Copied as data from the
 * reference SDK `@bankofai/x402` 0.5.8 (`dist/config.js`: CHAIN_IDS, PAYMENT_PERMIT_ADDRESSES,
 * GASFREE_CONTROLLER_ADDRESSES, GASFREE_API_BASE_URLS; the GasFree domain from
 * `@gasfree/gasfree-sdk` 1.1.2 `GasFree.getGasFreeTypedDataDomain`). A unit test checks every
 * value against the installed reference, so a drift is caught, never silently followed.
 *
 * What a server says about a chain id, a PaymentPermit or GasFree contract is never used:
 * these come from here, keyed by the network name.
 */
import { TRON_MAINNET, TRON_NILE, TRON_SHASTA } from '../networks.ts';

export { TRON_MAINNET, TRON_NILE, TRON_SHASTA };

export interface TronNetwork {
  network: string;
  /** TIP-712 `chainId` (the reference's CHAIN_IDS; also what the node's JSON-RPC `eth_chainId` returns). */
  chainId: number;
  /** The PaymentPermit contract (exact_permit): the spender the payer approves, and the TIP-712 verifying contract. */
  paymentPermit: string;
  /** The GasFreeController (exact_gasfree TIP-712 verifying contract). */
  gasFreeController: string;
  /** The GasFree service's API (account nonce and fees for exact_gasfree). */
  gasFreeApi: string;
  /** Tronscan transaction page prefix. */
  explorerTx: string;
}

export const TRON_NETWORK_TABLE: Readonly<Record<string, Readonly<TronNetwork>>> = Object.freeze({
  [TRON_MAINNET]: Object.freeze({
    network: TRON_MAINNET,
    chainId: 728126428,
    paymentPermit: 'TT8rEWbCoNX7vpEUauxb7rWJsTgs8vDLAn',
    gasFreeController: 'TFFAMQLZybALaLb4uxHA9RBE7pxhUAjF3U',
    gasFreeApi: 'https://facilitator.bankofai.io/mainnet',
    explorerTx: 'https://tronscan.org/#/transaction/',
  }),
  [TRON_SHASTA]: Object.freeze({
    network: TRON_SHASTA,
    chainId: 2494104990,
    paymentPermit: 'TR2XninQ3jsvRRLGTifFyUHTBysffooUjt',
    gasFreeController: 'TQghdCeVDA6CnuNVTUhfaAyPfTetqZWNpm',
    gasFreeApi: 'https://facilitator.bankofai.io/shasta',
    explorerTx: 'https://shasta.tronscan.org/#/transaction/',
  }),
  [TRON_NILE]: Object.freeze({
    network: TRON_NILE,
    chainId: 3448148188,
    paymentPermit: 'TFxDcGvS7zfQrS1YzcCMp673ta2NHHzsiH',
    gasFreeController: 'THQGuFzL87ZqhxkgqYEryRAd7gqFqL5rdc',
    gasFreeApi: 'https://facilitator.bankofai.io/nile',
    explorerTx: 'https://nile.tronscan.org/#/transaction/',
  }),
});

/** The GasFree TIP-712 domain's fixed name and version. */
export const GASFREE_DOMAIN_NAME = 'GasFreeController';
export const GASFREE_DOMAIN_VERSION = 'V1.0.0';

export function tronNetwork(network: string): Readonly<TronNetwork> | undefined {
  return Object.prototype.hasOwnProperty.call(TRON_NETWORK_TABLE, network) ? TRON_NETWORK_TABLE[network] : undefined;
}
