/**
 * Solana account derivation (pure, no I/O): BIP-39 seed → SLIP-0010 ed25519
 * m/44'/501'/i'/0' (the path Phantom and Solflare use, so an imported phrase shows the user's
 * usual address) → base58 public key. Used only by the background's custody service.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';
import { HDKey } from 'micro-key-producer/slip10.js';
import { assertAccountIndex } from '../evm/accounts.ts';
import type { RailKey } from '../types.ts';

export function solanaDerivationPath(index: number): string {
  assertAccountIndex(index);
  return `m/44'/501'/${index}'/0'`;
}

/** Solana account `index` of a BIP-39 seed: base58 address and the 32-byte ed25519 private key. */
export function deriveSolanaKey(seed: Uint8Array, index: number): RailKey {
  const root = HDKey.fromMasterSeed(seed);
  const node = root.derive(solanaDerivationPath(index));
  const privateKey = Uint8Array.from(node.privateKey);
  // the library's nodes hold key material too: wipe what it lets us reach
  for (const n of [root, node]) (n.privateKey as Uint8Array).fill(0);
  return { address: base58.encode(ed25519.getPublicKey(privateKey)), privateKey };
}

/** ed25519 signature of `message` (64 bytes). */
export function signEd25519(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, privateKey);
}

export function verifyEd25519(signature: Uint8Array, message: Uint8Array, address: string): boolean {
  try {
    return ed25519.verify(signature, message, base58.decode(address));
  } catch {
    return false;
  }
}

/** A base58 string that decodes to 32 bytes (a Solana address; on or off the curve). */
export function isSolanaAddress(s: unknown): s is string {
  if (typeof s !== 'string' || s.length < 32 || s.length > 44 || !/^[1-9A-HJ-NP-Za-km-z]+$/.test(s)) return false;
  try {
    return base58.decode(s).length === 32;
  } catch {
    return false;
  }
}
