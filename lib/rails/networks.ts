/**
 * Network facts with no chain library behind them, shared by the rails (background) and the
 * extension pages: the public Solana clusters (CAIP-2 `solana:` + the first 32 characters of
 * the genesis hash; equal to @x402/svm's constants, checked in tests), the TRON networks, and the public RPC
 * endpoints the wallet uses when the user has not set one.
 */
export const SOLANA_MAINNET = 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp';
export const SOLANA_DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1';
export const SOLANA_TESTNET = 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z';

export const SOLANA_NAMES: Readonly<Record<string, string>> = Object.freeze({
  [SOLANA_MAINNET]: 'Solana',
  [SOLANA_DEVNET]: 'Solana Devnet',
  [SOLANA_TESTNET]: 'Solana Testnet',
});

/** CAIP-2 `solana:<first 32 characters of the genesis hash>`. */
const SOLANA_CAIP2 = /^solana:[1-9A-HJ-NP-Za-km-z]{32}$/;

/** A well-formed Solana CAIP-2 id (any cluster, public or not). */
export function isSolanaNetwork(caip2: string): boolean {
  return typeof caip2 === 'string' && SOLANA_CAIP2.test(caip2);
}

/** Name of a public Solana cluster ("Solana Devnet"), or undefined. */
export function solanaNetworkName(caip2: string): string | undefined {
  return SOLANA_NAMES[caip2];
}

/** TRON networks as x402-tron names them (`tron:<name>`; no genesis-hash form exists). */
export const TRON_MAINNET = 'tron:mainnet';
export const TRON_SHASTA = 'tron:shasta';
export const TRON_NILE = 'tron:nile';

export const TRON_NAMES: Readonly<Record<string, string>> = Object.freeze({
  [TRON_MAINNET]: 'TRON',
  [TRON_SHASTA]: 'TRON Shasta',
  [TRON_NILE]: 'TRON Nile',
});

/** One of the TRON networks the wallet knows (the reference SDK's three). */
export function isTronNetwork(caip2: string): boolean {
  return typeof caip2 === 'string' && Object.prototype.hasOwnProperty.call(TRON_NAMES, caip2);
}

/**
 * The built-in networks that are test networks (no real money): hidden from balances, network
 * pickers and RPC lists, and refused when offered, while "Show test networks" is off — except
 * tokens the user added by hand (see docs/ARCHITECTURE.md, "Test networks"). Every testnet that
 * the trusted tables (@x402/evm, @x402/svm) or the v1 network names know; checked in tests.
 */
export const TEST_NETWORKS: ReadonlySet<string> = new Set([
  'eip155:84532', // Base Sepolia
  'eip155:11155111', // Sepolia
  'eip155:43113', // Avalanche Fuji
  'eip155:80002', // Polygon Amoy
  'eip155:421614', // Arbitrum Sepolia
  'eip155:1328', // Sei Testnet
  'eip155:2201', // Stable Testnet
  'eip155:11124', // Abstract Testnet
  'eip155:324705682', // SKALE Base Sepolia
  'eip155:11142220', // Celo Sepolia
  'eip155:31611', // Mezo Testnet
  'eip155:72344', // Radius Testnet
  'eip155:181228', // HPP Sepolia
  'eip155:51', // XDC Apothem
  SOLANA_DEVNET,
  SOLANA_TESTNET,
  TRON_SHASTA,
  TRON_NILE,
]);

/** Is this built-in network a test network? (User-added networks carry their own flag.) */
export function isTestNetwork(caip2: string): boolean {
  return TEST_NETWORKS.has(caip2);
}

/** Built-in public RPC endpoints by CAIP-2 network (TRON: the node's Ethereum-compatible JSON-RPC, `/jsonrpc`). */
export const DEFAULT_RPC_URLS: Readonly<Record<string, string>> = Object.freeze({
  'eip155:8453': 'https://mainnet.base.org',
  'eip155:84532': 'https://sepolia.base.org',
  [SOLANA_MAINNET]: 'https://api.mainnet-beta.solana.com',
  [SOLANA_DEVNET]: 'https://api.devnet.solana.com',
  [SOLANA_TESTNET]: 'https://api.testnet.solana.com',
  [TRON_MAINNET]: 'https://api.trongrid.io/jsonrpc',
  [TRON_SHASTA]: 'https://api.shasta.trongrid.io/jsonrpc',
  [TRON_NILE]: 'https://nile.trongrid.io/jsonrpc',
});
