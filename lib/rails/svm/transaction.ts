/**
 * The wallet's own reading of a Solana x402 `exact` transaction before it signs it. The
 * official client scheme builds the transaction; this module decodes the bytes that would be
 * signed and refuses anything that is not exactly, in this order:
 *
 *   1. ComputeBudget SetComputeUnitLimit   units ≤ MAX_COMPUTE_UNIT_LIMIT
 *   2. ComputeBudget SetComputeUnitPrice   µlamports/CU ≤ MAX_COMPUTE_UNIT_PRICE
 *   3. TransferChecked (Token or Token-2022) of exactly `amount` with the trusted decimals,
 *      mint = the trusted mint, from the user's associated token account, to the payTo's
 *      associated token account, authority = the user
 *   4. Memo (optional; no accounts, ≤ 256 bytes; equal to `extra.memo` when the server set one)
 *
 * with a v0 message, no address lookup tables, the fee payer = `extra.feePayer` ≠ the user,
 * exactly two signers (fee payer, user), and the fee payer in no instruction's accounts. Nothing
 * else can move or approve anything. Pure (PDA derivation hashes with WebCrypto).
 */
import {
  getAddressEncoder,
  getCompiledTransactionMessageDecoder,
  getCompiledTransactionMessageEncoder,
  getProgramDerivedAddress,
  type Address,
} from '@solana/kit';
import type { SvmOption } from '../types.ts';
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from './assets.ts';

export const COMPUTE_BUDGET_PROGRAM = 'ComputeBudget111111111111111111111111111111';
export const MEMO_PROGRAM = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr';
export const ASSOCIATED_TOKEN_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL';
/** Cap on the compute-unit limit the wallet signs (the official client asks for 20,000). */
export const MAX_COMPUTE_UNIT_LIMIT = 200_000;
/** Cap on the compute-unit price (µlamports per CU); the x402 facilitator's own ceiling is 5,000,000. */
export const MAX_COMPUTE_UNIT_PRICE = 5_000_000n;
export const MAX_MEMO_BYTES = 256;

export class SvmTransactionError extends Error {
  override name = 'SvmTransactionError';
}

const bad = (what: string): never => {
  throw new SvmTransactionError(`the transaction to sign is not the validated payment: ${what}`);
};

/** The associated token account of `owner` for `mint` under `tokenProgram`. */
export async function associatedTokenAddress(owner: string, mint: string, tokenProgram: string): Promise<string> {
  const enc = getAddressEncoder();
  const [pda] = await getProgramDerivedAddress({
    programAddress: ASSOCIATED_TOKEN_PROGRAM as Address,
    seeds: [enc.encode(owner as Address), enc.encode(tokenProgram as Address), enc.encode(mint as Address)],
  });
  return pda;
}

function u32(data: Uint8Array, at: number): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(at, true);
}

function u64(data: Uint8Array, at: number): bigint {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(at, true);
}

export interface CheckedSvmTransaction {
  /** recent blockhash (the lifetime token) */
  blockhash: string;
  tokenProgram: string;
  computeUnitLimit: number;
  computeUnitPrice: bigint;
}

/**
 * Check the message bytes of a transaction against the validated option and the signing
 * account. Throws SvmTransactionError with the first mismatch.
 */
export async function checkSvmTransaction(messageBytes: Uint8Array, option: SvmOption, owner: string): Promise<CheckedSvmTransaction> {
  let msg: ReturnType<ReturnType<typeof getCompiledTransactionMessageDecoder>['decode']>;
  try {
    msg = getCompiledTransactionMessageDecoder().decode(messageBytes);
  } catch {
    return bad('the message does not decode');
  }
  if (msg.version !== 0) bad('not a v0 message');
  const m = msg as Extract<typeof msg, { version: 0 }>;
  // Every byte is what was read: no trailing data, no second reading of the same bytes.
  const again = Uint8Array.from(getCompiledTransactionMessageEncoder().encode(msg));
  if (again.length !== messageBytes.length || again.some((b, i) => b !== messageBytes[i])) bad('it carries bytes the message does not account for');
  if (m.addressTableLookups && m.addressTableLookups.length > 0) bad('it loads address lookup tables');
  const keys = m.staticAccounts.map(String);
  if (new Set(keys).size !== keys.length) bad('duplicate accounts');
  if (keys[0] !== option.feePayer) bad('the fee payer is not the one the server named');
  if (option.feePayer === owner) bad('the fee payer is the wallet account');
  const h = m.header;
  if (h.numSignerAccounts !== 2) bad(`it needs ${h.numSignerAccounts} signatures, not 2`);
  // [0] fee payer: writable signer; [1] the wallet: read-only signer (it only authorizes the transfer)
  if (keys[1] !== owner) bad('the wallet account is not the second signer');
  if (h.numReadonlySignerAccounts !== 1) bad('the signer roles are not fee payer (writable) and wallet (read-only)');
  const writableEnd = keys.length - h.numReadonlyNonSignerAccounts;
  if (!(writableEnd >= 2 && writableEnd <= keys.length)) bad('the account roles are malformed');
  const writable = (address: string | undefined) => {
    const i = address === undefined ? -1 : keys.indexOf(address);
    return i >= 2 && i < writableEnd;
  };

  const ixs = m.instructions;
  if (ixs.length !== 3 && ixs.length !== 4) bad(`it has ${ixs.length} instructions`);
  const program = (i: number) => keys[ixs[i]!.programAddressIndex];
  const data = (i: number) => Uint8Array.from(ixs[i]!.data ?? []);
  const accounts = (i: number) => (ixs[i]!.accountIndices ?? []).map((k) => keys[k]);
  for (let i = 0; i < ixs.length; i++) if (accounts(i).includes(option.feePayer)) bad('the fee payer appears in an instruction');

  // 1. compute-unit limit
  const d0 = data(0);
  if (program(0) !== COMPUTE_BUDGET_PROGRAM || d0.length !== 5 || d0[0] !== 2 || accounts(0).length !== 0) bad('instruction 1 is not SetComputeUnitLimit');
  const computeUnitLimit = u32(d0, 1);
  if (computeUnitLimit > MAX_COMPUTE_UNIT_LIMIT) bad(`compute-unit limit ${computeUnitLimit} is over ${MAX_COMPUTE_UNIT_LIMIT}`);
  // 2. compute-unit price
  const d1 = data(1);
  if (program(1) !== COMPUTE_BUDGET_PROGRAM || d1.length !== 9 || d1[0] !== 3 || accounts(1).length !== 0) bad('instruction 2 is not SetComputeUnitPrice');
  const computeUnitPrice = u64(d1, 1);
  if (computeUnitPrice > MAX_COMPUTE_UNIT_PRICE) bad(`compute-unit price ${computeUnitPrice} µlamports is over ${MAX_COMPUTE_UNIT_PRICE}`);
  // 3. TransferChecked
  const tokenProgram = program(2)!;
  if (tokenProgram !== TOKEN_PROGRAM && tokenProgram !== TOKEN_2022_PROGRAM) bad('instruction 3 is not a token program');
  if (option.asset.tokenProgram && tokenProgram !== option.asset.tokenProgram) bad('the token program is not the mint’s');
  const d2 = data(2);
  if (d2.length !== 10 || d2[0] !== 12) bad('instruction 3 is not TransferChecked');
  if (u64(d2, 1) !== option.amount) bad('the amount differs');
  if (d2[9] !== option.asset.decimals) bad('the decimals differ from the trusted table');
  const [source, mint, destination, authority, ...extraAccounts] = accounts(2);
  if (extraAccounts.length > 0) bad('TransferChecked carries extra accounts');
  if (mint !== option.asset.address) bad('the mint differs');
  if (authority !== owner) bad('the transfer authority is not the wallet account');
  if (!writable(source) || !writable(destination) || writable(mint)) bad('the token accounts have the wrong roles');
  if (source !== (await associatedTokenAddress(owner, option.asset.address, tokenProgram))) bad('the source is not the wallet’s token account');
  if (destination !== (await associatedTokenAddress(option.payTo, option.asset.address, tokenProgram))) bad('the destination is not the payee’s token account');
  // 4. memo
  if (ixs.length === 4) {
    const d3 = data(3);
    if (program(3) !== MEMO_PROGRAM || accounts(3).length !== 0) bad('instruction 4 is not a memo');
    if (d3.length > MAX_MEMO_BYTES) bad('the memo is too long');
    const memo = (option.raw.extra as Record<string, unknown> | undefined)?.memo;
    if (typeof memo === 'string' && new TextDecoder().decode(d3) !== memo) bad('the memo is not the server’s');
  }
  return { blockhash: String(m.lifetimeToken), tokenProgram, computeUnitLimit, computeUnitPrice };
}
