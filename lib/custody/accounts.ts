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

/** BIP-39 seed (64 bytes) of a normalized phrase, no passphrase. */
export function seedFromMnemonic(phrase: string): Promise<Uint8Array> {
  return mnemonicToSeed(phrase);
}

export async function deriveAccount(phrase: string, index: number) {
  const seed = await seedFromMnemonic(phrase);
  try {
    return deriveAccountFromSeed(seed, index);
  } finally {
    seed.fill(0);
  }
}
