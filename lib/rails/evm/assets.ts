/**
 * EVM networks and the trusted ERC-20 table: seeded from @x402/evm's `DEFAULT_ASSETS`
 * (USD-pegged stablecoins; entries with `assetTransferMethod: "permit2"` have no EIP-3009 and
 * are marked `permit2Only`), v1 network names from @x402/evm's `EVM_NETWORK_CHAIN_ID_MAP`.
 */
import { DEFAULT_ASSETS } from '@x402/evm';
import { EVM_NETWORK_CHAIN_ID_MAP } from '@x402/evm/v1';
import { getAddress, isAddress } from 'viem';
import { RegistryError } from '../registry-error.ts';
import type { EvmAsset } from '../types.ts';

/** v1 EVM network name → chain id (from @x402/evm). */
export const V1_EVM_NETWORKS: Readonly<Record<string, number>> = Object.freeze({
  ...(EVM_NETWORK_CHAIN_ID_MAP as Record<string, number>),
});

/** v1 EVM network name → CAIP-2. */
export const V1_EVM_CAIP2: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(V1_EVM_NETWORKS).map(([name, id]) => [name, `eip155:${id}`])),
);

const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  'eip155:1': 'Ethereum',
  'eip155:11155111': 'Sepolia',
  'eip155:8453': 'Base',
  'eip155:84532': 'Base Sepolia',
  'eip155:137': 'Polygon',
  'eip155:80002': 'Polygon Amoy',
  'eip155:43114': 'Avalanche',
  'eip155:43113': 'Avalanche Fuji',
  'eip155:42161': 'Arbitrum One',
  'eip155:421614': 'Arbitrum Sepolia',
  'eip155:1329': 'Sei',
  'eip155:1328': 'Sei Testnet',
  'eip155:42220': 'Celo',
  'eip155:143': 'Monad',
  'eip155:4326': 'MegaETH',
  'eip155:14': 'Flare',
  'eip155:988': 'Stable',
  'eip155:2201': 'Stable Testnet',
};

const EIP155 = /^eip155:([1-9][0-9]{0,15})$/;

/** `eip155:<id>` → chain id, or undefined when not a well-formed EVM CAIP-2 id. */
export function evmChainIdOf(caip2: string): number | undefined {
  const m = EIP155.exec(caip2);
  if (!m) return undefined;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) ? id : undefined;
}

export function evmNetworkName(caip2: string): string | undefined {
  if (DISPLAY_NAMES[caip2]) return DISPLAY_NAMES[caip2];
  const id = evmChainIdOf(caip2);
  if (id === undefined) return undefined;
  return Object.keys(V1_EVM_NETWORKS).find((n) => V1_EVM_NETWORKS[n] === id);
}

/** Validate and freeze an EVM asset (address checksummed). Throws RegistryError. */
export function checkEvmAsset(a: EvmAsset): EvmAsset {
  const where = `trusted asset ${String(a?.symbol)} on ${String(a?.network)}`;
  if (!a || typeof a !== 'object') throw new RegistryError('trusted asset must be an object');
  if (!Number.isSafeInteger(a.chainId) || a.chainId <= 0) throw new RegistryError(`${where}: bad chainId`);
  if (a.network !== `eip155:${a.chainId}`) throw new RegistryError(`${where}: network must be eip155:${a.chainId}`);
  if (typeof a.address !== 'string' || !isAddress(a.address, { strict: false }) || /^0x0{40}$/i.test(a.address)) {
    throw new RegistryError(`${where}: bad address`);
  }
  if (!Number.isInteger(a.decimals) || a.decimals < 0 || a.decimals > 36) throw new RegistryError(`${where}: bad decimals`);
  if (typeof a.symbol !== 'string' || a.symbol.length === 0 || a.symbol.length > 16) throw new RegistryError(`${where}: bad symbol`);
  if (!a.eip712 || typeof a.eip712.name !== 'string' || !a.eip712.name || typeof a.eip712.version !== 'string' || !a.eip712.version) {
    throw new RegistryError(`${where}: EIP-712 name and version are required`);
  }
  const out: EvmAsset = {
    rail: 'evm',
    chainId: a.chainId,
    network: a.network,
    address: getAddress(a.address),
    symbol: a.symbol,
    decimals: a.decimals,
    eip712: Object.freeze({ name: a.eip712.name, version: a.eip712.version }),
    usdPegged: a.usdPegged === true,
  };
  if (a.permit2Only) out.permit2Only = true;
  if (typeof a.networkLabel === 'string' && a.networkLabel) out.networkLabel = a.networkLabel;
  if (a.local) out.local = true;
  return Object.freeze(out);
}

/** The trusted table shipped by @x402/evm (all USD-pegged stablecoins). */
export function defaultEvmAssets(): EvmAsset[] {
  const out: EvmAsset[] = [];
  for (const [network, entries] of Object.entries(DEFAULT_ASSETS)) {
    const chainId = evmChainIdOf(network);
    if (chainId === undefined) continue;
    for (const e of entries) {
      out.push(
        checkEvmAsset({
          rail: 'evm',
          chainId,
          network,
          address: e.asset as `0x${string}`,
          symbol: e.symbol,
          decimals: e.decimals,
          eip712: { name: e.name, version: e.version },
          usdPegged: true,
          ...(e.assetTransferMethod === 'permit2' ? { permit2Only: true } : {}),
        }),
      );
    }
  }
  return out;
}

/**
 * A locally deployed Circle FiatToken v2 USDC (EIP-712 "USD Coin" / "2", 6 decimals),
 * as used by the playground and the on-chain tests.
 */
export function localPlaygroundAsset(args: {
  chainId: number;
  address: string;
  /** CAIP-2 id; defaults to (and must equal) `eip155:<chainId>`. */
  network?: string;
  networkLabel?: string;
}): EvmAsset {
  return checkEvmAsset({
    rail: 'evm',
    chainId: args.chainId,
    network: args.network ?? `eip155:${args.chainId}`,
    address: args.address as `0x${string}`,
    symbol: 'USDC',
    decimals: 6,
    eip712: { name: 'USD Coin', version: '2' },
    usdPegged: true,
    networkLabel: args.networkLabel ?? `Local chain ${args.chainId}`,
    local: true,
  });
}
