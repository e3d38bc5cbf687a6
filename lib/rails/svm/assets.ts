/**
 * Solana clusters and the trusted SPL table, seeded from @x402/svm's `DEFAULT_ASSETS`
 * (USDC, USDT, … with their token programs). v1 names from the x402 network table.
 */
import { DEFAULT_ASSETS } from '@x402/svm';
import { SOLANA_DEVNET, SOLANA_MAINNET, SOLANA_TESTNET, isSolanaNetwork, solanaNetworkName } from '../networks.ts';
import { RegistryError } from '../registry-error.ts';
import type { SvmAsset } from '../types.ts';
import { isSolanaAddress } from './accounts.ts';

export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';

export { SOLANA_DEVNET, SOLANA_MAINNET, SOLANA_TESTNET, isSolanaNetwork, solanaNetworkName };

/** v1 Solana network names → CAIP-2. */
export const V1_SOLANA_NETWORKS: Readonly<Record<string, string>> = Object.freeze({
  solana: SOLANA_MAINNET,
  'solana-devnet': SOLANA_DEVNET,
  'solana-testnet': SOLANA_TESTNET,
});



export function checkSvmAsset(a: SvmAsset): SvmAsset {
  const where = `trusted asset ${String(a?.symbol)} on ${String(a?.network)}`;
  if (!a || typeof a !== 'object') throw new RegistryError('trusted asset must be an object');
  if (!isSolanaNetwork(a.network)) throw new RegistryError(`${where}: network must be a solana CAIP-2 id`);
  if (!isSolanaAddress(a.address)) throw new RegistryError(`${where}: bad mint address`);
  if (!Number.isInteger(a.decimals) || a.decimals < 0 || a.decimals > 18) throw new RegistryError(`${where}: bad decimals`);
  if (typeof a.symbol !== 'string' || a.symbol.length === 0 || a.symbol.length > 16) throw new RegistryError(`${where}: bad symbol`);
  if (a.tokenProgram !== undefined && a.tokenProgram !== TOKEN_PROGRAM && a.tokenProgram !== TOKEN_2022_PROGRAM) {
    throw new RegistryError(`${where}: unknown token program`);
  }
  const out: SvmAsset = { rail: 'svm', network: a.network, address: a.address, symbol: a.symbol, decimals: a.decimals, usdPegged: a.usdPegged === true };
  if (a.tokenProgram) out.tokenProgram = a.tokenProgram;
  if (typeof a.networkLabel === 'string' && a.networkLabel) out.networkLabel = a.networkLabel;
  if (a.local) out.local = true;
  return Object.freeze(out);
}

export function defaultSvmAssets(): SvmAsset[] {
  const out: SvmAsset[] = [];
  for (const [network, entries] of Object.entries(DEFAULT_ASSETS as Record<string, readonly { asset: string; decimals: number; symbol: string; tokenProgram?: unknown }[]>)) {
    if (!isSolanaNetwork(network)) continue;
    for (const e of entries) {
      out.push(
        checkSvmAsset({
          rail: 'svm',
          network,
          address: e.asset,
          symbol: e.symbol,
          decimals: e.decimals,
          usdPegged: true,
          ...(typeof e.tokenProgram === 'string' ? { tokenProgram: e.tokenProgram } : {}),
        }),
      );
    }
  }
  return out;
}

/** A user-added SPL test stablecoin (6 decimals, "USDC"), e.g. the playground's mint. */
export function localSvmPlaygroundAsset(args: { network: string; address: string; label?: string }): SvmAsset {
  return checkSvmAsset({
    rail: 'svm',
    network: args.network,
    address: args.address,
    symbol: 'USDC',
    decimals: 6,
    usdPegged: true,
    networkLabel: args.label ?? 'Local Solana',
    local: true,
  });
}
