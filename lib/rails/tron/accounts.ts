/**
 * TRON account derivation (pure, no I/O): BIP-39 seed → BIP-32 m/44'/195'/0'/0/i (TronLink's
 * path, SLIP-44 coin type 195) → secp256k1 key → base58check `T…` address (0x41 ‖ the last 20
 * bytes of keccak256(public key) — the EVM address of the same key with TRON's version byte).
 * A raw secp256k1 private key has a TRON account too: the same key, shown in TRON's form.
 * Used only by the background's custody service.
 */
import { HDKey } from '@scure/bip32';
import { privateKeyToAccount } from 'viem/accounts';
import { bytesToHex, type Hex } from 'viem';
import { assertAccountIndex } from '../evm/accounts.ts';
import { hexToTron } from './address.ts';

export const TRON_DERIVATION_BASE = "m/44'/195'/0'/0";

export function tronDerivationPath(index: number): string {
  assertAccountIndex(index);
  return `${TRON_DERIVATION_BASE}/${index}`;
}

export interface TronKey {
  /** base58check `T…` */
  address: string;
  /** 0x-prefixed 32-byte secp256k1 private key (kept inside custody). */
  privateKey: Hex;
}

/** The TRON address of a secp256k1 private key. */
export function tronAddressOfPrivateKey(privateKey: Hex): string {
  return hexToTron(privateKeyToAccount(privateKey).address);
}

/** TRON account `index` of a BIP-39 seed. */
export function deriveTronKey(seed: Uint8Array, index: number): TronKey {
  const node = HDKey.fromMasterSeed(seed).derive(tronDerivationPath(index));
  const pk = node.privateKey;
  if (!pk) throw new Error('derivation produced no private key');
  const privateKey = bytesToHex(pk);
  node.wipePrivateData();
  return { address: tronAddressOfPrivateKey(privateKey), privateKey };
}
