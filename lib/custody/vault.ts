/**
 * The encrypted vault record (owner: background custody; pure WebCrypto, no storage).
 *
 * Format v1:
 *   { version: 1,
 *     kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: b64(16 bytes) },
 *     cipher: { name: 'AES-GCM', iv: b64(12 bytes) },
 *     ciphertext: b64(AES-256-GCM(JSON secret) || 16-byte tag) }
 * The version, KDF parameters and cipher name are bound as AES-GCM additional data,
 * so changing any of them makes decryption fail instead of silently changing meaning.
 *
 * Iterations: 600,000 PBKDF2-HMAC-SHA256 — the figure OWASP's Password Storage Cheat
 * Sheet recommends for PBKDF2-HMAC-SHA256 (since 2023, still current) and the value
 * MetaMask and Bitwarden adopted; it is also this project's floor (design rule 7).
 * ~120 ms per unlock in Node 20 on this machine's class of CPU — see bench/unlock.ts.
 * Records below the floor are refused ('weak-params') before any key derivation, so an
 * attacker who can write storage cannot downgrade the vault to cheap guesses.
 * Records at or above the floor but below the current default unlock with
 * `needsUpgrade: true`; the caller then re-seals with `upgradeVault`.
 */
import type { Hex } from 'viem';
import { base64ToBytes, bytesToBase64, utf8 } from './encoding';

export const VAULT_VERSION = 1 as const;
export const PBKDF2_DEFAULT_ITERATIONS = 600_000;
export const PBKDF2_MIN_ITERATIONS = 600_000;
/** Anything above this is treated as corrupt (prevents a "hang the worker" record). */
export const PBKDF2_MAX_ITERATIONS = 10_000_000;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_CIPHERTEXT_BYTES = 4096;
const AAD_LABEL = 'x402-wallet/vault';

export type VaultSecret = { kind: 'mnemonic'; phrase: string } | { kind: 'privateKey'; key: Hex };

export interface VaultKdfParams {
  name: 'PBKDF2';
  hash: 'SHA-256';
  iterations: number;
  /** base64, 16 bytes */
  salt: string;
}

export interface VaultRecord {
  version: typeof VAULT_VERSION;
  kdf: VaultKdfParams;
  cipher: { name: 'AES-GCM'; /** base64, 12 bytes */ iv: string };
  /** base64 of ciphertext followed by the 16-byte GCM tag */
  ciphertext: string;
}

/** Iteration policy; tests inject small numbers, production uses the defaults. */
export interface VaultPolicy {
  /** Iterations used when sealing; records below this unlock with needsUpgrade. */
  iterations: number;
  /** Records below this are refused as 'weak-params'. */
  minIterations: number;
}

export const DEFAULT_VAULT_POLICY: Readonly<VaultPolicy> = Object.freeze({
  iterations: PBKDF2_DEFAULT_ITERATIONS,
  minIterations: PBKDF2_MIN_ITERATIONS,
});

export type VaultErrorCode =
  | 'wrong-password'
  | 'wrong-key'
  | 'corrupt'
  | 'unsupported-version'
  | 'weak-params';

export class VaultError extends Error {
  readonly code: VaultErrorCode;
  constructor(code: VaultErrorCode, message: string) {
    super(message);
    this.name = 'VaultError';
    this.code = code;
  }
}

export interface SealedVault {
  record: VaultRecord;
  /** Non-extractable AES-GCM key (encrypt/decrypt). */
  key: CryptoKey;
  /** The same 32-byte key as raw bytes, for storage.session; wipe when done. */
  rawKey: Uint8Array;
}

export interface UnlockedVault {
  secret: VaultSecret;
  key: CryptoKey;
  rawKey: Uint8Array;
  /** True when the record is valid but was sealed with weaker-than-current parameters. */
  needsUpgrade: boolean;
}

interface ParsedRecord {
  record: VaultRecord;
  salt: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
}

const subtle = (): SubtleCrypto => {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available');
  return s;
};

function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

function checkPolicy(policy: VaultPolicy): void {
  const ok = (n: number) => Number.isSafeInteger(n) && n >= 1 && n <= PBKDF2_MAX_ITERATIONS;
  if (!ok(policy.iterations) || !ok(policy.minIterations) || policy.iterations < policy.minIterations) {
    throw new RangeError('invalid vault policy');
  }
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const corrupt = (what: string) =>
  new VaultError('corrupt', `The stored vault is damaged or was modified (${what}).`);

/** Validate every field of an untrusted record. Throws VaultError; never anything else. */
export function parseVaultRecord(input: unknown, policy: VaultPolicy = DEFAULT_VAULT_POLICY): ParsedRecord {
  if (!isObj(input)) throw corrupt('not an object');
  const { version, kdf, cipher, ciphertext } = input;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw corrupt('bad version field');
  }
  if (version !== VAULT_VERSION) {
    throw new VaultError(
      'unsupported-version',
      `The vault was written in format version ${version}, which this version of the wallet cannot read.`,
    );
  }
  if (!isObj(kdf)) throw corrupt('missing key-derivation parameters');
  if (kdf.name !== 'PBKDF2') throw corrupt('unknown key-derivation function');
  if (kdf.hash !== 'SHA-256') {
    if (typeof kdf.hash === 'string' && /^sha-?1$/i.test(kdf.hash)) {
      throw new VaultError('weak-params', 'The vault asks for SHA-1 key derivation, which is refused as a downgrade.');
    }
    throw corrupt('unknown key-derivation hash');
  }
  const it = kdf.iterations;
  if (typeof it !== 'number' || !Number.isSafeInteger(it) || it < 1) throw corrupt('bad iteration count');
  if (it > PBKDF2_MAX_ITERATIONS) throw corrupt('iteration count out of range');
  if (it < policy.minIterations) {
    throw new VaultError(
      'weak-params',
      `The vault's key-derivation cost (${it} iterations) is below the minimum of ${policy.minIterations}; refusing it as tampering.`,
    );
  }
  const salt = base64ToBytes(kdf.salt);
  if (!salt) throw corrupt('salt is not base64');
  if (salt.length < SALT_BYTES) {
    throw new VaultError('weak-params', `The vault's salt is shorter than ${SALT_BYTES} bytes; refusing it as tampering.`);
  }
  if (salt.length !== SALT_BYTES) throw corrupt('salt has the wrong length');
  if (!isObj(cipher) || cipher.name !== 'AES-GCM') throw corrupt('unknown cipher');
  const iv = base64ToBytes(cipher.iv);
  if (!iv || iv.length !== IV_BYTES) throw corrupt('bad IV');
  const ct = base64ToBytes(ciphertext);
  if (!ct || ct.length <= TAG_BYTES || ct.length > MAX_CIPHERTEXT_BYTES) throw corrupt('bad ciphertext');
  const extra = Object.keys(input).filter((k) => !['version', 'kdf', 'cipher', 'ciphertext'].includes(k));
  if (extra.length) throw corrupt('unexpected fields');
  const record: VaultRecord = {
    version: VAULT_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: it, salt: kdf.salt as string },
    cipher: { name: 'AES-GCM', iv: cipher.iv as string },
    ciphertext: ciphertext as string,
  };
  return { record, salt: own(salt), iv: own(iv), ciphertext: own(ct) };
}

/** Additional authenticated data: everything in the header that is not the IV. */
function additionalData(version: number, kdf: VaultKdfParams, cipherName: string): Uint8Array<ArrayBuffer> {
  return own(utf8.encode(JSON.stringify([AAD_LABEL, version, kdf.name, kdf.hash, kdf.iterations, kdf.salt, cipherName])));
}

async function deriveRawKey(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array<ArrayBuffer>> {
  const pw = own(utf8.encode(password.normalize('NFC')));
  try {
    const base = await subtle().importKey('raw', pw, 'PBKDF2', false, ['deriveBits']);
    const bits = await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256);
    return new Uint8Array(bits);
  } finally {
    pw.fill(0);
  }
}

function toRawKey(rawKey: Uint8Array | string): Uint8Array<ArrayBuffer> {
  const bytes = typeof rawKey === 'string' ? base64ToBytes(rawKey) : rawKey;
  if (!bytes || bytes.length !== 32) throw new VaultError('wrong-key', 'The session key is malformed.');
  return own(bytes);
}

export function importAesKey(rawKey: Uint8Array | string): Promise<CryptoKey> {
  return subtle().importKey('raw', toRawKey(rawKey), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

function parseSecret(plain: Uint8Array): VaultSecret {
  let v: unknown;
  try {
    v = JSON.parse(utf8.decode(plain));
  } catch {
    throw corrupt('secret is not JSON');
  }
  if (isObj(v) && v.kind === 'mnemonic' && typeof v.phrase === 'string' && v.phrase.length > 0 && v.phrase.length < 1000) {
    return { kind: 'mnemonic', phrase: v.phrase };
  }
  if (isObj(v) && v.kind === 'privateKey' && typeof v.key === 'string' && /^0x[0-9a-f]{64}$/.test(v.key)) {
    return { kind: 'privateKey', key: v.key as Hex };
  }
  throw corrupt('secret has an unknown shape');
}

function serializeSecret(secret: VaultSecret): Uint8Array<ArrayBuffer> {
  const plain =
    secret.kind === 'mnemonic' ? { kind: 'mnemonic', phrase: secret.phrase } : { kind: 'privateKey', key: secret.key };
  // Round-trip through the parser so we never seal something we could not open.
  const bytes = own(utf8.encode(JSON.stringify(plain)));
  parseSecret(bytes);
  return bytes;
}

async function seal(secret: VaultSecret, key: CryptoKey, kdf: VaultKdfParams): Promise<VaultRecord> {
  const iv = randomBytes(IV_BYTES);
  const plain = serializeSecret(secret);
  try {
    const ct = await subtle().encrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(VAULT_VERSION, kdf, 'AES-GCM'), tagLength: 128 },
      key,
      plain,
    );
    return {
      version: VAULT_VERSION,
      kdf: { ...kdf },
      cipher: { name: 'AES-GCM', iv: bytesToBase64(iv) },
      ciphertext: bytesToBase64(new Uint8Array(ct)),
    };
  } finally {
    plain.fill(0);
  }
}

async function open(parsed: ParsedRecord, key: CryptoKey): Promise<VaultSecret | null> {
  const { record, iv, ciphertext } = parsed;
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await subtle().decrypt(
        { name: 'AES-GCM', iv, additionalData: additionalData(record.version, record.kdf, record.cipher.name), tagLength: 128 },
        key,
        ciphertext,
      ),
    );
  } catch {
    return null; // authentication failed
  }
  try {
    return parseSecret(plain);
  } finally {
    plain.fill(0);
  }
}

/** Encrypt a secret under a fresh salt and IV with the policy's iteration count. */
export async function createVault(
  secret: VaultSecret,
  password: string,
  policy: VaultPolicy = DEFAULT_VAULT_POLICY,
): Promise<SealedVault> {
  checkPolicy(policy);
  if (typeof password !== 'string' || password.length === 0) throw new TypeError('password required');
  const salt = randomBytes(SALT_BYTES);
  const rawKey = await deriveRawKey(password, salt, policy.iterations);
  const key = await importAesKey(rawKey);
  const kdf: VaultKdfParams = { name: 'PBKDF2', hash: 'SHA-256', iterations: policy.iterations, salt: bytesToBase64(salt) };
  return { record: await seal(secret, key, kdf), key, rawKey };
}

/** Re-seal an unlocked secret with the current policy (new salt, new key). */
export function upgradeVault(
  secret: VaultSecret,
  password: string,
  policy: VaultPolicy = DEFAULT_VAULT_POLICY,
): Promise<SealedVault> {
  return createVault(secret, password, policy);
}

/**
 * Open a stored record with the password. Throws VaultError:
 * 'corrupt' | 'unsupported-version' | 'weak-params' before any key derivation,
 * 'wrong-password' when authentication fails (wrong password, or a modified salt,
 * iteration count, IV or ciphertext — indistinguishable by design).
 */
export async function unlockVault(
  record: unknown,
  password: string,
  policy: VaultPolicy = DEFAULT_VAULT_POLICY,
): Promise<UnlockedVault> {
  checkPolicy(policy);
  const parsed = parseVaultRecord(record, policy);
  if (typeof password !== 'string' || password.length === 0) {
    throw new VaultError('wrong-password', 'Wrong password.');
  }
  const rawKey = await deriveRawKey(password, parsed.salt, parsed.record.kdf.iterations);
  const key = await importAesKey(rawKey);
  const secret = await open(parsed, key);
  if (!secret) {
    rawKey.fill(0);
    throw new VaultError('wrong-password', 'Wrong password.');
  }
  return { secret, key, rawKey, needsUpgrade: parsed.record.kdf.iterations < policy.iterations };
}

/** Re-encrypt a secret under an already-derived key; `kdf` must be the parameters that key came from. */
export async function encryptWithRawKey(
  secret: VaultSecret,
  rawKey: Uint8Array | string,
  kdf: VaultKdfParams,
): Promise<VaultRecord> {
  const key = await importAesKey(rawKey);
  return seal(secret, key, { name: 'PBKDF2', hash: 'SHA-256', iterations: kdf.iterations, salt: kdf.salt });
}

/** Open a stored record with a derived key (e.g. from storage.session after a worker restart). */
export async function decryptWithRawKey(
  record: unknown,
  rawKey: Uint8Array | string,
  policy: VaultPolicy = DEFAULT_VAULT_POLICY,
): Promise<VaultSecret> {
  const parsed = parseVaultRecord(record, policy);
  const key = await importAesKey(rawKey);
  const secret = await open(parsed, key);
  if (!secret) throw new VaultError('wrong-key', 'The session key does not open this vault.');
  return secret;
}
