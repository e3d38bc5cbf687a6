/**
 * Account keys of a wallet (owner: background custody; pure, no I/O). One BIP-39 seed gives
 * every rail its account `i`: EVM at m/44'/60'/0'/0/i, Solana at m/44'/501'/i'/0', TRON at
 * m/44'/195'/0'/0/i (a raw secp256k1 key is also a TRON account, in TRON's address form). The
 * derivations themselves live with their rails (lib/rails/<rail>/accounts.ts).
 */
import { mnemonicToSeed } from '@scure/bip39';
import { deriveAccountFromSeed } from '../rails/evm/accounts';

export {
  EVM_DERIVATION_BASE,
  MAX_ACCOUNT_INDEX,
  addressOfPrivateKey,
  deriveAccountFromSeed,
  derivationPath,
  type DerivedAccount,
} from '../rails/evm/accounts';
export { deriveSolanaKey, solanaDerivationPath } from '../rails/svm/accounts';
export { deriveTronKey, tronAddressOfPrivateKey, tronDerivationPath } from '../rails/tron/accounts';

/**
 * BIP-39 seed (64 bytes) of a normalized phrase, no passphrase: PBKDF2-HMAC-SHA512, 2,048
 * rounds, salt "mnemonic". The browser's WebCrypto computes it natively (a few ms; the pure-JS
 * @scure/bip39 takes ~0.2–0.4 s, which a restarted service worker paid before its first
 * signature); @scure/bip39 where WebCrypto is missing. Both give the same bytes (unit test).
 */
export async function seedFromMnemonic(phrase: string): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return mnemonicToSeed(phrase);
  const enc = new TextEncoder();
  const key = await subtle.importKey('raw', enc.encode(phrase.normalize('NFKD')), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-512', salt: enc.encode('mnemonic'), iterations: 2048 }, key, 512);
  return new Uint8Array(bits);
}

export async function deriveAccount(phrase: string, index: number) {
  const seed = await seedFromMnemonic(phrase);
  try {
    return deriveAccountFromSeed(seed, index);
  } finally {
    seed.fill(0);
  }
}
