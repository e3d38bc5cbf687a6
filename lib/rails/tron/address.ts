/**
 * TRON addresses (pure, no I/O). One account has three spellings:
 *   - base58check `T…` (34 characters): what TRON wallets show and what x402-tron puts on the wire;
 *   - 21-byte hex with the 0x41 version byte (`41…`, 42 hex characters): TRON's own hex form;
 *   - 20-byte EVM-style hex (`0x…`): what TIP-712 typed data signs (the version byte dropped).
 * Base58check = base58(0x41 ‖ 20 bytes ‖ first 4 bytes of sha256(sha256(0x41 ‖ 20 bytes))).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';

const b58check = createBase58check(sha256);

/** The TRON version byte of account and contract addresses. */
export const TRON_ADDRESS_PREFIX = 0x41;
/** base58check of 0x41 ‖ 20 zero bytes (the reference SDK's TRON_ZERO_ADDRESS). */
export const TRON_ZERO_ADDRESS = 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb';

const BASE58 = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The 21 bytes (0x41 ‖ 20) of a base58check TRON address, or undefined (bad characters, length, checksum or version byte). */
function decodeBase58(s: string): Uint8Array | undefined {
  if (typeof s !== 'string' || !BASE58.test(s)) return undefined;
  try {
    const bytes = b58check.decode(s);
    return bytes.length === 21 && bytes[0] === TRON_ADDRESS_PREFIX ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** A valid base58check TRON address (`T…`, checksum and version byte checked). */
export function isTronAddress(s: unknown): s is string {
  return typeof s === 'string' && decodeBase58(s) !== undefined;
}

/** base58check `T…` → 20-byte EVM-style hex (`0x…`, lower case), as TIP-712 signs it. Throws on an invalid address. */
export function tronToEvmHex(address: string): `0x${string}` {
  const bytes = decodeBase58(address);
  if (!bytes) throw new TypeError('not a valid base58check TRON address');
  return `0x${toHex(bytes.subarray(1))}`;
}

/** base58check `T…` → TRON hex (`41…`, 42 characters). Throws on an invalid address. */
export function tronToHex41(address: string): string {
  const bytes = decodeBase58(address);
  if (!bytes) throw new TypeError('not a valid base58check TRON address');
  return toHex(bytes);
}

/** 20-byte `0x…` or TRON `41…` hex → base58check `T…`. Throws on anything else. */
export function hexToTron(hex: string): string {
  let body: string;
  if (/^0x[0-9a-fA-F]{40}$/.test(hex)) body = hex.slice(2);
  else if (/^41[0-9a-fA-F]{40}$/.test(hex)) body = hex.slice(2);
  else throw new TypeError('not a 20-byte 0x hex or 21-byte 41… hex address');
  return b58check.encode(fromHex(`41${body.toLowerCase()}`));
}

/**
 * The 20-byte hex of an address in any of the three spellings, or undefined. For comparisons
 * and lookups only: what is signed or sent always comes from the base58check form.
 */
export function tronAddressKey(s: string): string | undefined {
  if (typeof s !== 'string') return undefined;
  const b = decodeBase58(s);
  if (b) return `0x${toHex(b.subarray(1))}`;
  if (/^0x[0-9a-fA-F]{40}$/.test(s)) return s.toLowerCase();
  if (/^41[0-9a-fA-F]{40}$/.test(s)) return `0x${s.slice(2).toLowerCase()}`;
  return undefined;
}

/** Which spelling a string is in (for precise refusal reasons). */
export function tronAddressForm(s: unknown): 'base58' | 'hex41' | 'hex0x' | 'invalid' {
  if (typeof s !== 'string') return 'invalid';
  if (decodeBase58(s)) return 'base58';
  if (/^41[0-9a-fA-F]{40}$/.test(s)) return 'hex41';
  if (/^0x[0-9a-fA-F]{40}$/.test(s)) return 'hex0x';
  return 'invalid';
}
