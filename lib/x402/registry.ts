/**
 * Trusted network/asset registry. Owns the answer to "may we sign for this token on this
 * network, and what are its decimals, symbol (and, on EVM, EIP-712 domain)?".
 *
 * Built from every rail's default table (lib/rails/<rail>/assets.ts: @x402/evm's and
 * @x402/svm's `DEFAULT_ASSETS`) plus extra assets added at runtime (the local playground's
 * tokens) through `createRegistry(extra)`. Network names and v1 names come from the rails.
 */
import { RAILS, RegistryError, railById, railOfNetwork, railOfV1Name, type TrustedAsset } from '../rails/index.ts';

export { RegistryError };
export { evmChainIdOf, V1_EVM_NETWORKS, checkEvmAsset as checkTrustedAsset, localPlaygroundAsset } from '../rails/evm/assets.ts';
export { V1_SOLANA_NETWORKS as SOLANA_V1_NETWORKS } from '../rails/svm/assets.ts';

/**
 * Wire network (v1 name or CAIP-2) → CAIP-2. Unknown v1 names and malformed ids give
 * undefined; CAIP-2 ids of namespaces no rail speaks pass through when well-formed.
 */
export function toCaip2(network: string): string | undefined {
  if (typeof network !== 'string') return undefined;
  if (network.includes(':')) {
    const rail = railOfNetwork(network);
    if (rail) return network;
    if (network.startsWith('eip155:') || network.startsWith('solana:')) return undefined;
    return /^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}$/.test(network) ? network : undefined;
  }
  return railOfV1Name(network)?.network;
}

export interface Registry {
  /** Trusted asset for a network (CAIP-2 or v1 name) and token address. */
  lookup(network: string, assetAddress: string): TrustedAsset | undefined;
  /** Human-readable network name for display. */
  networkName(network: string): string;
  /** All trusted assets. */
  assets(): readonly TrustedAsset[];
  /** Is the network a test network (built-in table, or the flag of a user-added network)? */
  isTestnet(network: string): boolean;
  /**
   * True when "Show test networks" is off and this asset is a built-in one on a test network:
   * hidden from lists and refused when offered. Tokens the user added (playground, custom) never are.
   */
  testnetHidden(asset: TrustedAsset): boolean;
}

/** A network the user added (EVM): its display name and testnet flag. */
export interface UserNetwork {
  network: string;
  name: string;
  testnet: boolean;
}

export interface RegistryOptions {
  /** user-added networks: names for display, testnet flags */
  networks?: readonly UserNetwork[];
  /** "Show test networks"; default true (the pure table hides nothing; the background passes the setting) */
  showTestnets?: boolean;
}

function keyOf(a: { network: string; address: string; rail: TrustedAsset['rail'] }): string {
  return `${a.network}|${railById(a.rail).addressKey(a.address)}`;
}

function checkAsset(a: TrustedAsset): TrustedAsset {
  if (!a || typeof a !== 'object' || (a.rail !== 'evm' && a.rail !== 'svm' && a.rail !== 'tron')) throw new RegistryError('trusted asset must name its rail');
  return railById(a.rail).checkAsset(a as never);
}

/** Same token facts (a config must not silently redefine a known token). */
function sameAsset(a: TrustedAsset, b: TrustedAsset): boolean {
  if (a.rail !== b.rail || a.decimals !== b.decimals || a.symbol !== b.symbol || a.usdPegged !== b.usdPegged) return false;
  if (a.rail === 'evm' && b.rail === 'evm') {
    return a.eip712.name === b.eip712.name && a.eip712.version === b.eip712.version && !!a.permit2Only === !!b.permit2Only;
  }
  return true;
}

/** The built-in trusted table of every rail. */
export function defaultTrustedAssets(): TrustedAsset[] {
  return RAILS.flatMap((r) => r.defaultAssets());
}

/**
 * Build a registry: every rail's defaults plus `extra` assets. An extra asset that duplicates
 * a default with different data throws.
 */
export function createRegistry(extra: readonly TrustedAsset[] = [], opts: RegistryOptions = {}): Registry {
  const table = new Map<string, TrustedAsset>();
  for (const a of [...defaultTrustedAssets(), ...extra.map(checkAsset)]) {
    const k = keyOf(a);
    const existing = table.get(k);
    if (existing && !sameAsset(existing, a)) throw new RegistryError(`conflicting trusted asset ${a.address} on ${a.network}`);
    if (!existing) table.set(k, a);
  }
  const labels = new Map<string, string>();
  for (const a of table.values()) if (a.networkLabel && !labels.has(a.network)) labels.set(a.network, a.networkLabel);
  const all = Object.freeze([...table.values()]);
  const userNetworks = new Map((opts.networks ?? []).map((n) => [n.network, n]));
  const showTestnets = opts.showTestnets !== false;
  const isTestnet = (network: string): boolean => {
    const caip2 = toCaip2(network) ?? network;
    const user = userNetworks.get(caip2);
    if (user) return user.testnet;
    return railOfNetwork(caip2)?.isTestnet(caip2) ?? false;
  };

  return {
    lookup(network, assetAddress) {
      const caip2 = toCaip2(network);
      const rail = caip2 ? railOfNetwork(caip2) : undefined;
      if (!caip2 || !rail || typeof assetAddress !== 'string' || assetAddress.length > 128) return undefined;
      return table.get(`${caip2}|${rail.addressKey(assetAddress)}`);
    },
    networkName(network) {
      const caip2 = toCaip2(network) ?? network;
      return userNetworks.get(caip2)?.name ?? labels.get(caip2) ?? railOfNetwork(caip2)?.networkName(caip2) ?? caip2;
    },
    assets: () => all,
    isTestnet,
    testnetHidden: (asset) => !showTestnets && !asset.local && !asset.custom && isTestnet(asset.network),
  };
}
