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
  'eip155:11142220': 'Celo Sepolia',
  'eip155:31612': 'Mezo',
  'eip155:31611': 'Mezo Testnet',
  'eip155:723487': 'Radius',
  'eip155:72344': 'Radius Testnet',
  'eip155:36900': 'ADI Chain',
  'eip155:190415': 'HPP',
  'eip155:181228': 'HPP Sepolia',
  'eip155:50': 'XDC Network',
  'eip155:51': 'XDC Apothem',
  'eip155:38833': 'Igra',
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

/**
 * The chain ids the wallet knows by itself: a display name, a v1 network name or a trusted token
 * of @x402/evm. A user-added network may not redefine any of them (its name, RPC or testnet flag
 * would then contradict the built-in facts); the user sets a built-in network's RPC instead.
 */
export function builtInEvmChains(): { chainId: number; network: string; name: string }[] {
  const ids = new Set<number>();
  for (const n of [...Object.keys(DISPLAY_NAMES), ...Object.keys(DEFAULT_ASSETS)]) {
    const id = evmChainIdOf(n);
    if (id !== undefined) ids.add(id);
  }
  for (const id of Object.values(V1_EVM_NETWORKS)) ids.add(id);
  return [...ids].sort((a, b) => a - b).map((chainId) => {
    const network = `eip155:${chainId}`;
    return { chainId, network, name: evmNetworkName(network) ?? network };
  });
}

/** Is this chain id one of the built-in networks (see builtInEvmChains)? */
export function isBuiltInEvmChain(chainId: number): boolean {
  const network = `eip155:${chainId}`;
  return (
    Object.prototype.hasOwnProperty.call(DISPLAY_NAMES, network) ||
    Object.prototype.hasOwnProperty.call(DEFAULT_ASSETS, network) ||
    Object.values(V1_EVM_NETWORKS).includes(chainId)
  );
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
  if (a.custom) out.custom = true;
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

/**
 * A custom token the user added: every fact (symbol, decimals, EIP-712 name and version, whether
 * it has EIP-3009) was read from the contract by the background and checked against its
 * DOMAIN_SEPARATOR (lib/rails/evm/token-facts.ts); `usdPegged` only when the user said so.
 */
export function customEvmAsset(args: {
  chainId: number;
  address: string;
  symbol: string;
  decimals: number;
  eip712: { name: string; version: string };
  usdPegged: boolean;
  permit2Only?: boolean;
  networkLabel?: string;
}): EvmAsset {
  return checkEvmAsset({
    rail: 'evm',
    chainId: args.chainId,
    network: `eip155:${args.chainId}`,
    address: args.address as `0x${string}`,
    symbol: args.symbol,
    decimals: args.decimals,
    eip712: { name: args.eip712.name, version: args.eip712.version },
    usdPegged: args.usdPegged === true,
    ...(args.permit2Only ? { permit2Only: true } : {}),
    ...(args.networkLabel ? { networkLabel: args.networkLabel } : {}),
    custom: true,
  });
}
