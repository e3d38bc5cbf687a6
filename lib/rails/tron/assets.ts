/**
 * The trusted TRC-20 table. Copied as DATA from the reference SDK `@bankofai/x402` 0.5.8
 * (`dist/tokens.js`, the TRON entries of TOKENS) — the reference's list has USDT on mainnet,
 * Shasta and Nile and USDD on mainnet and Nile (it lists no TRON USDC); a unit test checks this
 * copy against the installed reference. Decimals, symbol and address come from here, never from
 * a server. User-added playground tokens (6-decimal test stablecoins) join through the registry.
 */
import { RegistryError } from '../registry-error.ts';
import type { TronAsset } from '../types.ts';
import { isTronAddress, tronToEvmHex, TRON_ZERO_ADDRESS } from './address.ts';
import { TRON_MAINNET, TRON_NILE, TRON_SHASTA, tronNetwork } from './networks.ts';

/** network → tokens, as in the reference's TOKENS table (USD stablecoins all). */
export const TRON_TOKENS: Readonly<Record<string, readonly { address: string; decimals: number; name: string; symbol: string }[]>> = Object.freeze({
  [TRON_MAINNET]: [
    { address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', decimals: 6, name: 'Tether USD', symbol: 'USDT' },
    { address: 'TXDk8mbtRbXeYuMNS83CfKPaYYT8XWv9Hz', decimals: 18, name: 'Decentralized USD', symbol: 'USDD' },
  ],
  [TRON_SHASTA]: [{ address: 'TG3XXyExBkPp9nzdajDZsozEu4BkaSJozs', decimals: 6, name: 'Tether USD', symbol: 'USDT' }],
  [TRON_NILE]: [
    { address: 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf', decimals: 6, name: 'Tether USD', symbol: 'USDT' },
    { address: 'TGjgvdTWWrybVLaVeFqSyVqJQWjxqRYbaK', decimals: 18, name: 'Decentralized USD', symbol: 'USDD' },
  ],
});

/** Validate and freeze a TRON asset (base58check address, chain id from the network table). Throws RegistryError. */
export function checkTronAsset(a: TronAsset): TronAsset {
  const where = `trusted asset ${String(a?.symbol)} on ${String(a?.network)}`;
  if (!a || typeof a !== 'object') throw new RegistryError('trusted asset must be an object');
  const net = tronNetwork(a.network);
  if (!net) throw new RegistryError(`${where}: network must be tron:mainnet, tron:shasta or tron:nile`);
  if (a.chainId !== net.chainId) throw new RegistryError(`${where}: chain id must be ${net.chainId}`);
  if (!isTronAddress(a.address) || a.address === TRON_ZERO_ADDRESS) throw new RegistryError(`${where}: bad address (base58check T… expected)`);
  if (!Number.isInteger(a.decimals) || a.decimals < 0 || a.decimals > 36) throw new RegistryError(`${where}: bad decimals`);
  if (typeof a.symbol !== 'string' || a.symbol.length === 0 || a.symbol.length > 16) throw new RegistryError(`${where}: bad symbol`);
  const out: TronAsset = {
    rail: 'tron',
    network: a.network,
    chainId: net.chainId,
    address: a.address,
    hex: tronToEvmHex(a.address),
    symbol: a.symbol,
    decimals: a.decimals,
    usdPegged: a.usdPegged === true,
  };
  if (typeof a.name === 'string' && a.name) out.name = a.name;
  if (typeof a.networkLabel === 'string' && a.networkLabel) out.networkLabel = a.networkLabel;
  if (a.local) out.local = true;
  return Object.freeze(out);
}

export function defaultTronAssets(): TronAsset[] {
  const out: TronAsset[] = [];
  for (const [network, tokens] of Object.entries(TRON_TOKENS)) {
    const chainId = tronNetwork(network)!.chainId;
    for (const t of tokens) {
      out.push(checkTronAsset({ rail: 'tron', network, chainId, address: t.address, hex: '0x', symbol: t.symbol, decimals: t.decimals, name: t.name, usdPegged: true }));
    }
  }
  return out;
}

/** A user-added TRC-20 test stablecoin (6 decimals, "USDT") on one of the TRON networks, e.g. a local playground token. */
export function localTronPlaygroundAsset(args: { network: string; address: string; label?: string }): TronAsset {
  const net = tronNetwork(args.network);
  if (!net) throw new RegistryError(`${args.network} is not a TRON network (tron:mainnet, tron:shasta, tron:nile)`);
  return checkTronAsset({
    rail: 'tron',
    network: args.network,
    chainId: net.chainId,
    address: args.address,
    hex: '0x',
    symbol: 'USDT',
    decimals: 6,
    usdPegged: true,
    networkLabel: args.label ?? 'Local TRON',
    local: true,
  });
}
