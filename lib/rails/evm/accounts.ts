/**
 * EVM account derivation (pure, no I/O): BIP-39 seed → BIP-32 m/44'/60'/0'/0/i → secp256k1
 * key → EIP-55 checksummed address. Used only by the background's custody service.
 */
import { HDKey } from '@scure/bip32';
import { privateKeyToAccount } from 'viem/accounts';
import { bytesToHex, type Address, type Hex } from 'viem';

export const EVM_DERIVATION_BASE = "m/44'/60'/0'/0";
/** Upper bound on account indexes we derive (non-hardened BIP-32 child range). */
export const MAX_ACCOUNT_INDEX = 0x7fffffff;

export interface DerivedAccount {
  index: number;
  path: string;
  address: Address;
  privateKey: Hex;
}

export function assertAccountIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_ACCOUNT_INDEX) {
    throw new RangeError(`account index must be an integer in [0, ${MAX_ACCOUNT_INDEX}]`);
  }
}

export function derivationPath(index: number): string {
  assertAccountIndex(index);
  return `${EVM_DERIVATION_BASE}/${index}`;
}

/** Derive EVM account `index` from a BIP-39 seed. */
export function deriveAccountFromSeed(seed: Uint8Array, index: number): DerivedAccount {
  const path = derivationPath(index);
  const node = HDKey.fromMasterSeed(seed).derive(path);
  const pk = node.privateKey;
  if (!pk) throw new Error('derivation produced no private key');
  const privateKey = bytesToHex(pk);
  node.wipePrivateData();
  return { index, path, privateKey, address: addressOfPrivateKey(privateKey) };
}

/** EIP-55 checksummed address of a private key. */
export function addressOfPrivateKey(privateKey: Hex): Address {
  return privateKeyToAccount(privateKey).address;
}
