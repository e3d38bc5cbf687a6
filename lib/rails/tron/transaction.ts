/**
 * The one TRON transaction the wallet ever sends: TRC-20 `approve(spender, amount)` for the
 * PaymentPermit contract, when an x402-tron payment needs an allowance the account has not
 * granted. Built here from trusted values (the token and spender from the table, the amount the
 * user chose) — never taken from a node — as TRON's protobuf `Transaction.raw`
 * (TriggerSmartContract), identified by sha256(raw) and signed by custody (secp256k1,
 * r ‖ s ‖ v with v = 27/28, as TronWeb does). A unit test checks the bytes and the signature
 * against TronWeb's own encoder. Pure.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeFunctionData, erc20Abi } from 'viem';
import { tronToEvmHex, tronToHex41 } from './address.ts';

export const TRIGGER_SMART_CONTRACT = 31;
const TYPE_URL = 'type.googleapis.com/protocol.TriggerSmartContract';
/** The wallet's ceiling on what an approval transaction may burn (TRX, in sun). */
export const MAX_FEE_LIMIT_SUN = 100_000_000n;

function varint(n: bigint): number[] {
  if (n < 0n) throw new RangeError('negative varint');
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) b |= 0x80;
    out.push(b);
  } while (n > 0n);
  return out;
}

const key = (field: number, wire: 0 | 2) => varint(BigInt((field << 3) | wire));
const bytesField = (field: number, b: Uint8Array | number[]) => [...key(field, 2), ...varint(BigInt(b.length)), ...b];
const intField = (field: number, n: bigint) => (n === 0n ? [] : [...key(field, 0), ...varint(n)]);

function hexBytes(hex: string): Uint8Array {
  const h = hex.replace(/^0x/, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(h)) throw new TypeError('bad hex');
  return Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export interface ApproveTransaction {
  /** base58check */
  owner: string;
  token: string;
  spender: string;
  amount: bigint;
  /** a recent block: its number and 32-byte hash (TaPoS reference) */
  refBlock: { number: bigint; hash: string };
  /** epoch ms */
  timestamp: number;
  /** epoch ms (TRON nodes accept up to 24 h ahead; the wallet uses a minute) */
  expiration: number;
  feeLimitSun: bigint;
}

/** The ABI call data of approve(spender, amount), spender as 20-byte hex. */
export function approveCallData(spender: string, amount: bigint): string {
  return encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [tronToEvmHex(spender), amount] }).slice(2);
}

/** Protobuf `Transaction.raw` of the approval. */
export function approveTransactionRaw(t: ApproveTransaction): Uint8Array {
  if (t.feeLimitSun <= 0n || t.feeLimitSun > MAX_FEE_LIMIT_SUN) throw new RangeError('fee limit out of range');
  const hash = hexBytes(t.refBlock.hash);
  if (hash.length !== 32) throw new TypeError('block hash must be 32 bytes');
  const num = new Uint8Array(8);
  new DataView(num.buffer).setBigUint64(0, t.refBlock.number);
  const trigger = [
    ...bytesField(1, hexBytes(tronToHex41(t.owner))),
    ...bytesField(2, hexBytes(tronToHex41(t.token))),
    ...bytesField(4, hexBytes(approveCallData(t.spender, t.amount))),
  ];
  const any = [...bytesField(1, new TextEncoder().encode(TYPE_URL)), ...bytesField(2, trigger)];
  const contract = [...intField(1, BigInt(TRIGGER_SMART_CONTRACT)), ...bytesField(2, any)];
  return Uint8Array.from([
    ...bytesField(1, num.subarray(6, 8)),
    ...bytesField(4, hash.subarray(8, 16)),
    ...intField(8, BigInt(t.expiration)),
    ...bytesField(11, contract),
    ...intField(14, BigInt(t.timestamp)),
    ...intField(18, t.feeLimitSun),
  ]);
}

/** TRON transaction id: sha256 of the raw data. */
export function transactionId(raw: Uint8Array): string {
  return toHex(sha256(raw));
}

/** The signed `Transaction` protobuf (raw_data = 1, signature = 2) as hex, for /wallet/broadcasthex. */
export function signedTransactionHex(raw: Uint8Array, signature: Uint8Array): string {
  if (signature.length !== 65) throw new TypeError('a TRON signature is 65 bytes');
  return toHex(Uint8Array.from([...bytesField(1, raw), ...bytesField(2, signature)]));
}

/** Bandwidth a transaction of this size consumes (bytes on the wire, as TRON counts them, roughly). */
export function bandwidthBytes(raw: Uint8Array): number {
  return raw.length + 65 + 64; // raw + signature + protobuf framing and result
}
