import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VAULT_POLICY,
  PBKDF2_DEFAULT_ITERATIONS,
  VaultError,
  createVault,
  decryptWithRawKey,
  encryptWithRawKey,
  parseVaultRecord,
  unlockVault,
  upgradeVault,
  type VaultPolicy,
  type VaultRecord,
  type VaultSecret,
} from '../../lib/custody/vault';
import { base64ToBytes, bytesToBase64 } from '../../lib/custody/encoding';

const FAST: VaultPolicy = { iterations: 2_000, minIterations: 1_000 };
const PHRASE: VaultSecret = { kind: 'mnemonic', phrase: 'test test test test test test test test test test test junk' };
const PK: VaultSecret = {
  kind: 'privateKey',
  key: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
};
const PW = 'correct horse battery';

async function expectVaultError(p: Promise<unknown>, code: string): Promise<VaultError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `expected VaultError(${code})`).toBeInstanceOf(VaultError);
  expect((e as VaultError).code).toBe(code);
  expect((e as VaultError).message.length).toBeGreaterThan(5);
  return e as VaultError;
}

/** Flip one bit of a base64 field, keeping it valid base64 of the same length. */
function flip(b64: string, byte = 0): string {
  const bytes = base64ToBytes(b64)!;
  bytes[byte] = bytes[byte]! ^ 0x01;
  return bytesToBase64(bytes);
}

const clone = (r: VaultRecord): VaultRecord => JSON.parse(JSON.stringify(r)) as VaultRecord;

describe('vault round trip', () => {
  it('seals and opens a mnemonic and a private key', async () => {
    for (const secret of [PHRASE, PK]) {
      const sealed = await createVault(secret, PW, FAST);
      expect(sealed.record.version).toBe(1);
      expect(sealed.record.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: 2_000 });
      expect(base64ToBytes(sealed.record.kdf.salt)).toHaveLength(16);
      expect(base64ToBytes(sealed.record.cipher.iv)).toHaveLength(12);
      expect(JSON.stringify(sealed.record)).not.toContain('test test');
      expect(JSON.stringify(sealed.record)).not.toContain('ac0974');
      const opened = await unlockVault(sealed.record, PW, FAST);
      expect(opened.secret).toEqual(secret);
      expect(opened.needsUpgrade).toBe(false);
      expect(opened.rawKey).toEqual(sealed.rawKey);
      expect(opened.key.extractable).toBe(false);
    }
  });

  it('uses a fresh salt and IV every time', async () => {
    const a = await createVault(PHRASE, PW, FAST);
    const b = await createVault(PHRASE, PW, FAST);
    expect(a.record.kdf.salt).not.toBe(b.record.kdf.salt);
    expect(a.record.cipher.iv).not.toBe(b.record.cipher.iv);
    expect(a.record.ciphertext).not.toBe(b.record.ciphertext);
  });

  it('rejects the wrong password', async () => {
    const { record } = await createVault(PHRASE, PW, FAST);
    await expectVaultError(unlockVault(record, 'correct horse battery!', FAST), 'wrong-password');
    await expectVaultError(unlockVault(record, '', FAST), 'wrong-password');
  });

  it('normalizes the password to NFC (composed and decomposed é open the same vault)', async () => {
    const { record } = await createVault(PHRASE, 'caf\u00e9-password', FAST);
    const opened = await unlockVault(record, 'cafe\u0301-password', FAST);
    expect(opened.secret).toEqual(PHRASE);
  });
});

describe('production parameters', () => {
  it('uses 600,000 PBKDF2-SHA256 iterations by default and round-trips', async () => {
    expect(PBKDF2_DEFAULT_ITERATIONS).toBe(600_000);
    expect(DEFAULT_VAULT_POLICY.minIterations).toBeGreaterThanOrEqual(600_000);
    const sealed = await createVault(PK, PW);
    expect(sealed.record.kdf.iterations).toBe(600_000);
    const opened = await unlockVault(sealed.record, PW);
    expect(opened.secret).toEqual(PK);
    expect(opened.needsUpgrade).toBe(false);
    await expectVaultError(unlockVault(sealed.record, 'nope nope nope'), 'wrong-password');
    // lowered to just under the floor: refused before any key derivation
    const weak = clone(sealed.record);
    weak.kdf.iterations = 599_999;
    await expectVaultError(unlockVault(weak, PW), 'weak-params');
  });
});

describe('tampering', () => {
  const base = createVault(PHRASE, PW, FAST);

  const cases: Array<[string, (r: VaultRecord) => unknown, string]> = [
    ['salt bit flipped', (r) => ({ ...r, kdf: { ...r.kdf, salt: flip(r.kdf.salt, 3) } }), 'wrong-password'],
    ['iv bit flipped', (r) => ({ ...r, cipher: { ...r.cipher, iv: flip(r.cipher.iv, 5) } }), 'wrong-password'],
    ['ciphertext bit flipped', (r) => ({ ...r, ciphertext: flip(r.ciphertext, 0) }), 'wrong-password'],
    ['tag bit flipped', (r) => ({ ...r, ciphertext: flip(r.ciphertext, base64ToBytes(r.ciphertext)!.length - 1) }), 'wrong-password'],
    ['ciphertext truncated', (r) => ({ ...r, ciphertext: bytesToBase64(base64ToBytes(r.ciphertext)!.slice(0, -4)) }), 'wrong-password'],
    ['ciphertext shorter than a tag', (r) => ({ ...r, ciphertext: bytesToBase64(new Uint8Array(16)) }), 'corrupt'],
    ['iterations raised', (r) => ({ ...r, kdf: { ...r.kdf, iterations: 2_001 } }), 'wrong-password'],
    ['iterations lowered, still >= minimum', (r) => ({ ...r, kdf: { ...r.kdf, iterations: 1_000 } }), 'wrong-password'],
    ['iterations lowered below minimum', (r) => ({ ...r, kdf: { ...r.kdf, iterations: 999 } }), 'weak-params'],
    ['iterations = 1', (r) => ({ ...r, kdf: { ...r.kdf, iterations: 1 } }), 'weak-params'],
    ['iterations absurd (DoS)', (r) => ({ ...r, kdf: { ...r.kdf, iterations: 2 ** 40 } }), 'corrupt'],
    ['iterations as string', (r) => ({ ...r, kdf: { ...r.kdf, iterations: '2000' } }), 'corrupt'],
    ['iterations fractional', (r) => ({ ...r, kdf: { ...r.kdf, iterations: 2000.5 } }), 'corrupt'],
    ['hash SHA-1', (r) => ({ ...r, kdf: { ...r.kdf, hash: 'SHA-1' } }), 'weak-params'],
    ['hash SHA-512', (r) => ({ ...r, kdf: { ...r.kdf, hash: 'SHA-512' } }), 'corrupt'],
    ['kdf name', (r) => ({ ...r, kdf: { ...r.kdf, name: 'scrypt' } }), 'corrupt'],
    ['kdf missing', (r) => ({ ...r, kdf: undefined }), 'corrupt'],
    ['salt shortened', (r) => ({ ...r, kdf: { ...r.kdf, salt: bytesToBase64(base64ToBytes(r.kdf.salt)!.slice(0, 8)) } }), 'weak-params'],
    ['salt lengthened', (r) => ({ ...r, kdf: { ...r.kdf, salt: bytesToBase64(new Uint8Array(32)) } }), 'corrupt'],
    ['salt not base64', (r) => ({ ...r, kdf: { ...r.kdf, salt: '!!not-base64!!' } }), 'corrupt'],
    ['salt url-safe base64', (r) => ({ ...r, kdf: { ...r.kdf, salt: r.kdf.salt.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') + '-_' } }), 'corrupt'],
    ['iv wrong length', (r) => ({ ...r, cipher: { ...r.cipher, iv: bytesToBase64(new Uint8Array(16)) } }), 'corrupt'],
    ['cipher name', (r) => ({ ...r, cipher: { ...r.cipher, name: 'AES-CBC' } }), 'corrupt'],
    ['version 2', (r) => ({ ...r, version: 2 }), 'unsupported-version'],
    ['version 0', (r) => ({ ...r, version: 0 }), 'corrupt'],
    ['version "1"', (r) => ({ ...r, version: '1' }), 'corrupt'],
    ['extra field', (r) => ({ ...r, note: 'x' }), 'corrupt'],
    ['null', () => null, 'corrupt'],
    ['string', () => 'vault', 'corrupt'],
    ['array', () => [1, 2, 3], 'corrupt'],
    ['empty object', () => ({}), 'corrupt'],
    ['number', () => 42, 'corrupt'],
    ['ciphertext as object', (r) => ({ ...r, ciphertext: { toString: () => r.ciphertext } }), 'corrupt'],
    ['kdf as array, cipher as number', (r) => ({ ...r, kdf: [r.kdf], cipher: 7 }), 'corrupt'],
  ];

  it.each(cases)('%s → %s', async (_label, mutate, code) => {
    const { record } = await base;
    const before = JSON.stringify(record);
    await expectVaultError(unlockVault(mutate(clone(record)), PW, FAST), code);
    expect(JSON.stringify(record)).toBe(before); // input never mutated
    // and the genuine record still opens
    expect((await unlockVault(record, PW, FAST)).secret).toEqual(PHRASE);
  });

  it('binds the header as AES-GCM additional data (caught even when the key is unchanged)', async () => {
    const { record, rawKey } = await createVault(PHRASE, PW, FAST);
    // decryptWithRawKey does not re-derive, so only the AAD can notice these edits:
    for (const edit of [
      (r: VaultRecord) => ({ ...r, kdf: { ...r.kdf, iterations: 1_500 } }),
      (r: VaultRecord) => ({ ...r, kdf: { ...r.kdf, salt: flip(r.kdf.salt, 0) } }),
    ]) {
      await expectVaultError(decryptWithRawKey(edit(clone(record)), rawKey, FAST), 'wrong-key');
    }
    expect(await decryptWithRawKey(record, rawKey, FAST)).toEqual(PHRASE);
  });

  it('parseVaultRecord only ever throws VaultError on random garbage', () => {
    const junk: unknown[] = [undefined, true, Symbol('x'), () => 1, { version: 1, kdf: null }, { version: 1, kdf: {}, cipher: {} }, new Uint8Array(4)];
    for (const j of junk) {
      expect(() => parseVaultRecord(j)).toThrow(VaultError);
    }
  });
});

describe('parameter upgrade', () => {
  it('flags records below the current iteration count and re-seals them', async () => {
    const OLD: VaultPolicy = { iterations: 1_000, minIterations: 1_000 };
    const NEW: VaultPolicy = { iterations: 3_000, minIterations: 1_000 };
    const { record } = await createVault(PHRASE, PW, OLD);
    const opened = await unlockVault(record, PW, NEW);
    expect(opened.needsUpgrade).toBe(true);
    const upgraded = await upgradeVault(opened.secret, PW, NEW);
    expect(upgraded.record.kdf.iterations).toBe(3_000);
    expect(upgraded.record.kdf.salt).not.toBe(record.kdf.salt);
    const reopened = await unlockVault(upgraded.record, PW, NEW);
    expect(reopened.needsUpgrade).toBe(false);
    expect(reopened.secret).toEqual(PHRASE);
  });
});

describe('raw-key helpers (session restore without the password)', () => {
  it('opens with the derived key as bytes or base64; refuses other keys', async () => {
    const opened = await unlockVault((await createVault(PK, PW, FAST)).record, PW, FAST);
    const sealed = await createVault(PK, PW, FAST);
    const b64 = bytesToBase64(sealed.rawKey);
    expect(await decryptWithRawKey(sealed.record, b64, FAST)).toEqual(PK);
    expect(await decryptWithRawKey(sealed.record, sealed.rawKey, FAST)).toEqual(PK);
    await expectVaultError(decryptWithRawKey(sealed.record, opened.rawKey, FAST), 'wrong-key');
    await expectVaultError(decryptWithRawKey(sealed.record, 'AAAA', FAST), 'wrong-key');
    await expectVaultError(decryptWithRawKey(sealed.record, new Uint8Array(31), FAST), 'wrong-key');
  });

  it('encryptWithRawKey writes a record the password still opens', async () => {
    const sealed = await createVault(PHRASE, PW, FAST);
    const rewritten = await encryptWithRawKey(PHRASE, bytesToBase64(sealed.rawKey), sealed.record.kdf);
    expect(rewritten.cipher.iv).not.toBe(sealed.record.cipher.iv);
    expect((await unlockVault(rewritten, PW, FAST)).secret).toEqual(PHRASE);
  });
});
