/**
 * Display helpers for the payment rails (EVM, Solana, TRON) on the extension pages: which rail a
 * network belongs to, its label, quick input checks for settings forms, grouping of balances,
 * and texts for playground tokens and RPC keys. Pure; no browser APIs and no chain libraries
 * (the background validates everything again with the rails themselves, lib/rails).
 *
 * Addresses are shown exactly as the background sends them: EVM checksummed, Solana base58,
 * TRON base58check (T…).
 * Nothing here changes their case.
 */
import type { BalanceDto, PlaygroundTokenDto } from '../messaging/contract';

export type UiRail = 'evm' | 'svm' | 'tron';

import { DEFAULT_RPC_URLS, SOLANA_DEVNET, SOLANA_MAINNET, SOLANA_TESTNET, TRON_NAMES, isSolanaNetwork, isTestNetwork, isTronNetwork, solanaNetworkName } from '../rails/networks';

/** CAIP-2 ids of the public Solana clusters (shared with the rails: lib/rails/networks.ts). */
export { DEFAULT_RPC_URLS, SOLANA_MAINNET as SOLANA_MAINNET_ID, SOLANA_DEVNET as SOLANA_DEVNET_ID, SOLANA_TESTNET as SOLANA_TESTNET_ID };

/** Is this built-in network a test network (shared with the rails)? */
export { isTestNetwork };

/** A quick check of a typed chain id ("31337"); null when it is fine. The background checks again. */
export function chainIdProblem(input: string): string | null {
  const s = input.trim();
  if (!/^[1-9][0-9]{0,15}$/.test(s) || !Number.isSafeInteger(Number(s))) return 'Enter the chain id as a whole number, like 31337.';
  return null;
}

/** Default network id for a new Solana test mint (the fixture's local validator answers as devnet). */
export const DEFAULT_SOLANA_PLAYGROUND_NETWORK = SOLANA_DEVNET;

const BASE58 = '1-9A-HJ-NP-Za-km-z';
/** 32 bytes in base58 are 32–44 characters. */
const SOLANA_ADDRESS_RE = new RegExp(`^[${BASE58}]{32,44}$`);
const EVM_ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

/** The rail of a CAIP-2 network id, or undefined for one the wallet does not speak. */
export function railOfNetwork(network: string): UiRail | undefined {
  if (network.startsWith('eip155:')) return 'evm';
  if (network.startsWith('solana:')) return 'svm';
  if (network.startsWith('tron:')) return 'tron';
  return undefined;
}

/** "EVM" / "Solana" / "TRON" */
export function railLabel(rail: UiRail): string {
  return rail === 'svm' ? 'Solana' : rail === 'tron' ? 'TRON' : 'EVM';
}

/** The TRON networks (tron:mainnet|shasta|nile) and their names, shared with the rails. */
export { TRON_NAMES, isTronNetwork as isTronNetworkId };

/** Looks like a TRON address (base58check `T…`, 34 characters); the background checks the checksum. */
export function looksLikeTronAddress(s: string): boolean {
  return /^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(s);
}

/** Shared with the rails (lib/rails/networks.ts). */
export { solanaNetworkName, isSolanaNetwork as isSolanaNetworkId };

/** Looks like a Solana address or mint (base58, 32–44 characters); the background checks the 32 bytes. */
export function looksLikeSolanaAddress(s: string): boolean {
  return SOLANA_ADDRESS_RE.test(s);
}

export function looksLikeEvmAddress(s: string): boolean {
  return EVM_ADDRESS_RE.test(s);
}

/**
 * A transaction id shortened for tables: an EVM hash as "0x1234…abcd", a Solana signature
 * (87–88 base58 characters) as "5VERv8NM…Jh7pKq2L" (8 + 8: a signature needs more than an address).
 */
export function shortTxId(tx: string): string {
  if (tx.startsWith('0x')) return tx.length > 12 ? `${tx.slice(0, 6)}…${tx.slice(-4)}` : tx;
  return tx.length > 20 ? `${tx.slice(0, 8)}…${tx.slice(-8)}` : tx;
}

/** A group of balance rows sharing a network name, in the order the background sent them. */
export interface BalanceGroup {
  key: string;
  networkName: string;
  rail: UiRail;
  items: BalanceDto[];
}

/**
 * Groups balances by network name (and rail): "Base", "Local playground (v2)", "Solana Devnet".
 * Two tokens on the same chain with different names (e.g. real Base Sepolia USDC and a playground
 * token on chain 84532) stay in separate groups, as the background names them.
 */
export function groupBalances(items: readonly BalanceDto[]): BalanceGroup[] {
  const groups = new Map<string, BalanceGroup>();
  for (const b of items) {
    const rail: UiRail = b.rail ?? railOfNetwork(b.network) ?? 'evm';
    const key = `${rail}|${b.networkName}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, networkName: b.networkName, rail, items: [] };
      groups.set(key, g);
    }
    g.items.push(b);
  }
  return [...groups.values()];
}

/** The rail of a playground token (EVM by chain id, Solana by network id). */
export function playgroundTokenRail(t: PlaygroundTokenDto): UiRail {
  return t.network !== undefined ? 'svm' : 'evm';
}

/** Where a playground token lives: "chain 31337" or "solana:EtWT…" (the full network id). */
export function playgroundTokenWhere(t: PlaygroundTokenDto): string {
  return t.network !== undefined ? t.network : `chain ${t.chainId}`;
}

/** "chain 31337 · 0x…" (EVM) or "solana:EtWT… · <mint>" (Solana). */
export function playgroundTokenText(t: PlaygroundTokenDto): string {
  return `${playgroundTokenWhere(t)} · ${t.address}`;
}

/** A stable key of a playground token for lists and edits. */
export function playgroundTokenKey(t: PlaygroundTokenDto): string {
  return `${t.network ?? `eip155:${t.chainId}`}|${t.address}`;
}

export type RpcKeyCheck = { ok: true; key: string; rail: UiRail } | { ok: false; error: string };

/**
 * The key of an RPC endpoint as typed: an EVM chain id ("8453") or a Solana CAIP-2 id
 * ("solana:5eyk…"). A quick check before asking the background, which validates again.
 */
export function parseRpcKey(input: string): RpcKeyCheck {
  const s = input.trim();
  if (s === '') return { ok: false, error: 'Enter a chain id (like 8453) or a Solana network id (like solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp).' };
  if (/^[1-9][0-9]{0,15}$/.test(s) && Number.isSafeInteger(Number(s))) return { ok: true, key: s, rail: 'evm' };
  if (s.startsWith('eip155:')) return { ok: false, error: 'Enter an EVM chain by its number only, like 8453 (without "eip155:").' };
  if (s.startsWith('solana:')) {
    if (isSolanaNetwork(s)) return { ok: true, key: s, rail: 'svm' };
    return { ok: false, error: 'A Solana network id is "solana:" followed by 32 base58 characters, like solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp.' };
  }
  if (s.startsWith('tron:')) {
    if (isTronNetwork(s)) return { ok: true, key: s, rail: 'tron' };
    return { ok: false, error: 'A TRON network is tron:mainnet, tron:shasta or tron:nile.' };
  }
  return { ok: false, error: 'Enter a chain id as a whole number (like 8453) or a Solana network id (solana:…).' };
}

/** "chain 8453" or "Solana Devnet (solana:EtWT…)" / "solana:…" for an RPC key. */
export function rpcKeyText(key: string): string {
  if (key.startsWith('tron:')) return TRON_NAMES[key] ? `${TRON_NAMES[key]} (${key})` : key;
  if (!key.startsWith('solana:')) return `chain ${key}`;
  const name = solanaNetworkName(key);
  return name ? `${name} (${key})` : key;
}

/** RPC keys in display order: EVM chain ids by number, then Solana network ids. */
export function compareRpcKeys(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "Fee paid by <fee payer> (the facilitator, not you)" — the Solana fee payer of an option, in full. */
export function feePayerText(feePayer: string): string {
  return `Fee paid by ${feePayer} (the facilitator, not you)`;
}

type FeeView = { atomic: string; token: string; to: string; totalToken: string; totalUsd: string | null };
type AllowanceView = { spender: string; needed: string; atomic: string | null; token: string | null; sufficient: boolean | null };

/** The fee an x402-tron option charges on top of its amount, in full. */
export function feeText(fee: FeeView, scheme?: string): string {
  if (fee.atomic === '0') return 'No fee';
  const most = scheme === 'exact_gasfree' ? 'at most ' : '';
  return `${most}${fee.token} to ${fee.to} (the facilitator), paid on top of the amount from the same token`;
}

/** "Total 1.6 USDT ($1.60)" — amount + fee, what the payment can take and what budgets count. */
export function totalText(fee: FeeView): string {
  return `Total ${fee.totalToken}${fee.totalUsd ? ` (${fee.totalUsd})` : ''}, fee included`;
}

/**
 * The PaymentPermit allowance of an x402-tron exact_permit option: the facilitator moves the
 * tokens with transferFrom through that contract, so the account must have approved it.
 */
export function allowanceText(a: AllowanceView, rail: 'evm' | 'tron' = 'tron'): string {
  const why =
    rail === 'evm'
      ? `This payment goes through Permit2 (${a.spender}): the facilitator's x402 proxy moves the tokens with Permit2, so this account must have approved Permit2 for at least ${a.needed}.`
      : `The facilitator moves the tokens with transferFrom through the PaymentPermit contract ${a.spender}, so this account must have approved it for at least ${a.needed}.`;
  if (a.sufficient === null) return `Unknown: the allowance could not be read. ${why}`;
  if (a.sufficient) return `Approved: that contract may move ${a.token} of this account's tokens. ${why}`;
  return `Missing: that contract may move only ${a.token}. ${why} Approve it below (${rail === 'evm' ? 'an approval transaction from this account, its gas shown first' : 'or from another TRON wallet'}), then pay.`;
}

/** "1.5" (token units) → atomic units with `decimals`; undefined when not a plain positive decimal. */
export function parseTokenAmount(text: string, decimals: number): bigint | undefined {
  const m = /^\s*(\d{1,30})(?:\.(\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  const frac = m[2] ?? '';
  if (frac.length > decimals) return undefined;
  const n = BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
  return n > 0n ? n : undefined;
}
