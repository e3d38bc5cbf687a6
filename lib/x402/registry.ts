/**
 * Trusted network/asset registry. Owns the answer to "may we sign for this token on this
 * chain, and what are its decimals, symbol and EIP-712 domain?".
 *
 * Seeded from @x402/evm's `DEFAULT_ASSETS` (USD-pegged stablecoins; entries with
 * `assetTransferMethod: "permit2"` have no EIP-3009 and are marked `permit2Only`), v1
 * network names from @x402/evm's `EVM_NETWORK_CHAIN_ID_MAP`. Extra assets (e.g. the local
 * playground's USDC) are added at runtime through `createRegistry(extra)`.
 */
import { DEFAULT_ASSETS } from '@x402/evm';
import { EVM_NETWORK_CHAIN_ID_MAP } from '@x402/evm/v1';
import { getAddress, isAddress } from 'viem';
import type { TrustedAsset } from './types.ts';

/** v1 Solana network names (display only; this layer signs EVM only). */
export const SOLANA_V1_NETWORKS: Readonly<Record<string, string>> = Object.freeze({
  solana: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
  'solana-devnet': 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
  'solana-testnet': 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z',
});

/** v1 EVM network name → chain id (from @x402/evm). */
export const V1_EVM_NETWORKS: Readonly<Record<string, number>> = Object.freeze({
  ...(EVM_NETWORK_CHAIN_ID_MAP as Record<string, number>),
});

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
  [SOLANA_V1_NETWORKS.solana!]: 'Solana',
  [SOLANA_V1_NETWORKS['solana-devnet']!]: 'Solana Devnet',
  [SOLANA_V1_NETWORKS['solana-testnet']!]: 'Solana Testnet',
};

const EIP155 = /^eip155:([1-9][0-9]{0,15})$/;

/** `eip155:<id>` → chain id, or undefined when not a well-formed EVM CAIP-2 id. */
export function evmChainIdOf(caip2: string): number | undefined {
  const m = EIP155.exec(caip2);
  if (!m) return undefined;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) ? id : undefined;
}

/**
 * Wire network (v1 name or CAIP-2) → CAIP-2. Unknown v1 names and malformed ids give
 * undefined. Solana names map to their CAIP-2 ids.
 */
export function toCaip2(network: string): string | undefined {
  if (typeof network !== 'string') return undefined;
  if (network.includes(':')) {
    if (network.startsWith('eip155:')) return evmChainIdOf(network) !== undefined ? network : undefined;
    return /^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}$/.test(network) ? network : undefined;
  }
  if (Object.prototype.hasOwnProperty.call(V1_EVM_NETWORKS, network)) return `eip155:${V1_EVM_NETWORKS[network]}`;
  if (Object.prototype.hasOwnProperty.call(SOLANA_V1_NETWORKS, network)) return SOLANA_V1_NETWORKS[network];
  return undefined;
}

export interface Registry {
  /** Trusted asset for a network (CAIP-2 or v1 name) and token address (any case). */
  lookup(network: string, assetAddress: string): TrustedAsset | undefined;
  /** Human-readable network name for display. */
  networkName(network: string): string;
  /** All trusted assets. */
  assets(): readonly TrustedAsset[];
}

export class RegistryError extends Error {
  override name = 'RegistryError';
}

function keyOf(network: string, address: string): string {
  return `${network}|${address.toLowerCase()}`;
}

/** Validate and freeze a TrustedAsset (addresses checksummed). Throws RegistryError. */
export function checkTrustedAsset(a: TrustedAsset): TrustedAsset {
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
  const out: TrustedAsset = {
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
  return Object.freeze(out);
}

/** The trusted table shipped by @x402/evm (all USD-pegged stablecoins). */
export function defaultTrustedAssets(): TrustedAsset[] {
  const out: TrustedAsset[] = [];
  for (const [network, entries] of Object.entries(DEFAULT_ASSETS)) {
    const chainId = evmChainIdOf(network);
    if (chainId === undefined) continue;
    for (const e of entries) {
      out.push(
        checkTrustedAsset({
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

function sameAsset(a: TrustedAsset, b: TrustedAsset): boolean {
  return (
    a.decimals === b.decimals &&
    a.symbol === b.symbol &&
    a.eip712.name === b.eip712.name &&
    a.eip712.version === b.eip712.version &&
    a.usdPegged === b.usdPegged &&
    !!a.permit2Only === !!b.permit2Only
  );
}

/**
 * Build a registry: the @x402/evm defaults plus `extra` assets. An extra asset that
 * duplicates a default with different data throws (a config must not silently redefine
 * a known token's decimals or domain).
 */
export function createRegistry(extra: readonly TrustedAsset[] = []): Registry {
  const table = new Map<string, TrustedAsset>();
  for (const a of [...defaultTrustedAssets(), ...extra.map(checkTrustedAsset)]) {
    const k = keyOf(a.network, a.address);
    const existing = table.get(k);
    if (existing && !sameAsset(existing, a)) {
      throw new RegistryError(`conflicting trusted asset ${a.address} on ${a.network}`);
    }
    if (!existing) table.set(k, a);
  }
  const labels = new Map<string, string>();
  for (const a of table.values()) if (a.networkLabel && !labels.has(a.network)) labels.set(a.network, a.networkLabel);
  const all = Object.freeze([...table.values()]);

  return {
    lookup(network, assetAddress) {
      const caip2 = toCaip2(network);
      if (!caip2 || typeof assetAddress !== 'string') return undefined;
      return table.get(keyOf(caip2, assetAddress));
    },
    networkName(network) {
      const caip2 = toCaip2(network) ?? network;
      return labels.get(caip2) ?? DISPLAY_NAMES[caip2] ?? v1NameOf(caip2) ?? caip2;
    },
    assets: () => all,
  };
}

function v1NameOf(caip2: string): string | undefined {
  const id = evmChainIdOf(caip2);
  if (id === undefined) return undefined;
  return Object.keys(V1_EVM_NETWORKS).find((n) => V1_EVM_NETWORKS[n] === id);
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
}): TrustedAsset {
  return checkTrustedAsset({
    chainId: args.chainId,
    network: args.network ?? `eip155:${args.chainId}`,
    address: args.address as `0x${string}`,
    symbol: 'USDC',
    decimals: 6,
    eip712: { name: 'USD Coin', version: '2' },
    usdPegged: true,
    networkLabel: args.networkLabel ?? `Local chain ${args.chainId}`,
  });
}
