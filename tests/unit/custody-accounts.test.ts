import { describe, expect, it } from 'vitest';
import { generateMnemonic, mnemonicToSeedSync } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  addressOfPrivateKey,
  deriveAccount,
  deriveAccountFromSeed,
  derivationPath,
  seedFromMnemonic,
} from '../../lib/custody/accounts';

const TEST_PHRASE = 'test test test test test test test test test test test junk';

describe('EVM account derivation', () => {
  it('derives the well-known test vectors (checksummed)', async () => {
    const a0 = await deriveAccount(TEST_PHRASE, 0);
    const a1 = await deriveAccount(TEST_PHRASE, 1);
    expect(a0.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(a0.privateKey).toBe('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
    expect(a0.path).toBe("m/44'/60'/0'/0/0");
    expect(a1.address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
  });

  it('derives the same accounts from a reused seed', async () => {
    const seed = await seedFromMnemonic(TEST_PHRASE);
    expect(deriveAccountFromSeed(seed, 1).address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    expect(addressOfPrivateKey(deriveAccountFromSeed(seed, 0).privateKey)).toBe(
      '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    );
  });

  it('the seed (WebCrypto PBKDF2) is byte for byte the BIP-39 seed of @scure/bip39, for the vector and random phrases', async () => {
    // BIP-39 reference vector (no passphrase) for the all-"abandon … about" phrase
    const about = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    expect(bytesToHex(await seedFromMnemonic(about))).toBe(
      '5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4',
    );
    for (let i = 0; i < 20; i++) {
      const phrase = generateMnemonic(wordlist, i % 2 ? 128 : 256);
      expect(bytesToHex(await seedFromMnemonic(phrase))).toBe(bytesToHex(mnemonicToSeedSync(phrase)));
    }
  });

  it('rejects invalid indexes', () => {
    expect(() => derivationPath(-1)).toThrow(RangeError);
    expect(() => derivationPath(1.5)).toThrow(RangeError);
    expect(() => derivationPath(2 ** 31)).toThrow(RangeError);
    expect(derivationPath(7)).toBe("m/44'/60'/0'/0/7");
  });
});
