/**
 * The background custody service (owner: background only). Creates/imports the wallet,
 * locks and unlocks it, keeps the unlocked state across service-worker restarts (the
 * derived AES key lives in storage.session, never the password), auto-locks on idle,
 * rate-limits password guesses, manages accounts and signs with the active account.
 *
 * Wire-up (done by the background entrypoint):
 *   const custody = createCustodyService();
 *   await custody.restore();                                  // on every worker start
 *   browser.alarms.onAlarm.addListener((a) => void custody.onAlarm(a.name));
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { tuneCurveTables } from './curve-tables';
import {
  bytesToHex,
  hexToBytes,
  recoverMessageAddress,
  type Address,
  type Hex,
  type LocalAccount,
  type SignableMessage,
  type TypedData,
  type TypedDataDefinition,
  type TransactionSerializable,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { EvmSigner, RailId, RailKey, SvmSigner, TronSigner } from '../rails/types';
import { hexToTron } from '../rails/tron/address';
import { sha256 } from '@noble/hashes/sha2.js';
import { signEd25519, verifyEd25519 } from '../rails/svm/accounts';
import { addressOfPrivateKey, deriveAccountFromSeed, deriveSolanaKey, deriveTronKey, seedFromMnemonic, MAX_ACCOUNT_INDEX } from './accounts';
import { bytesToBase64 } from './encoding';
import { validateMnemonic, validatePrivateKey } from './mnemonic';
import { WarmItem } from '../util/warm-item';
import { checkPasswordPolicy } from './password';
import {
  DEFAULT_AUTO_LOCK,
  guardItem,
  sessionItem,
  settingsItem,
  vaultItem,
  walletItem,
  type AccountInfo,
  type AutoLockSetting,
  type UnlockGuard,
  type UnlockedSession,
  type WalletKind,
  type WalletMeta,
} from './store';
import {
  DEFAULT_VAULT_POLICY,
  VaultError,
  createVault,
  decryptWithRawKey,
  unlockVault,
  upgradeVault,
  type VaultPolicy,
  type VaultRecord,
  type VaultSecret,
} from './vault';

export type { AccountInfo, AutoLockSetting, WalletKind } from './store';

export const AUTOLOCK_ALARM = 'x402-autolock';
/** Fixed message the Solana key signs on unlock (proves the derived key works). */
const SVM_SELF_CHECK = new TextEncoder().encode('x402 Wallet Solana self-check');
/** Fixed message the TRON key signs on unlock. */
const TRON_SELF_CHECK = 'x402 Wallet TRON self-check';
/** Failed password checks allowed before delays start. */
export const FREE_ATTEMPTS = 3;
export const LOCKOUT_BASE_MS = 1_000;
export const LOCKOUT_MAX_MS = 5 * 60_000;
export const MAX_AUTO_LOCK_MINUTES = 24 * 60;
const MAX_ACCOUNT_NAME = 40;
/** touch() only rewrites the deadline when it moves by at least this much. */
const TOUCH_MIN_STEP_MS = 15_000;
const SELF_CHECK_MESSAGE = 'x402 Wallet custody self-check';

export type CustodyErrorCode =
  | 'not-initialized'
  | 'already-initialized'
  | 'locked'
  | 'locked-out'
  | 'wrong-password'
  | 'weak-password'
  | 'invalid-mnemonic'
  | 'invalid-private-key'
  | 'vault-corrupt'
  | 'vault-unsupported-version'
  | 'vault-weak-params'
  | 'integrity'
  | 'not-mnemonic'
  | 'unknown-account'
  | 'invalid-argument';

export class CustodyError extends Error {
  readonly code: CustodyErrorCode;
  /** For 'locked-out' (and a 'wrong-password' that started a lockout): ms until the next try. */
  readonly retryAfterMs?: number;
  constructor(code: CustodyErrorCode, message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'CustodyError';
    this.code = code;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

export interface CustodyStatus {
  initialized: boolean;
  unlocked: boolean;
  kind: WalletKind | null;
  accounts: AccountInfo[];
  activeIndex: number;
  activeAddress: Address | null;
  /** The active account's Solana address (recovery-phrase wallets). */
  activeSvmAddress: string | null;
  /** The active account's TRON address (base58check). */
  activeTronAddress: string | null;
  autoLock: AutoLockSetting;
  /** Epoch ms of the idle auto-lock, when unlocked with a minutes setting. */
  lockDeadline?: number;
  /** Present while password checks are refused. */
  lockoutUntil?: number;
  failedAttempts: number;
}

/** Subset of viem's LocalAccount used by @x402/evm's ClientEvmSigner, tagged with its rail. */
export type CustodySigner = Pick<LocalAccount, 'address' | 'signTypedData'> & {
  rail: 'evm';
  /**
   * Sign an EVM transaction (EIP-1559). Only the Permit2 allowance approval uses it
   * (background/evm-allowance.ts); the payment path hands the x402 schemes typed-data signing only.
   */
  signTransaction: LocalAccount['signTransaction'];
};

export interface AlarmsLike {
  create(name: string, info: { when: number }): unknown;
  clear(name: string): unknown;
}

export interface CustodyServiceOptions {
  /** PBKDF2 policy; tests inject small iteration counts. Defaults to production. */
  vaultPolicy?: VaultPolicy;
  /** Clock (epoch ms); tests inject a fake one. */
  now?: () => number;
  /** Defaults to browser.alarms. */
  alarms?: AlarmsLike;
}

/** Delay imposed after `failures` consecutive wrong passwords. */
export function lockoutDelayMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(LOCKOUT_BASE_MS * 2 ** Math.min(failures - FREE_ATTEMPTS, 30), LOCKOUT_MAX_MS);
}

export function isValidAutoLock(v: unknown): v is AutoLockSetting {
  return (
    v === 'browser-close' ||
    v === 'never' ||
    (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_AUTO_LOCK_MINUTES)
  );
}

interface Cache {
  /** The session key this cache was built from; a different/missing session key invalidates it. */
  sessionKey: string;
  secret: VaultSecret;
  seed: Uint8Array | null;
  accounts: Map<number, LocalAccount>;
  /** Solana keys by account index (recovery-phrase wallets only) */
  svmKeys: Map<number, RailKey>;
  /** TRON secp256k1 accounts by index (a raw-key wallet: its one key) */
  tronAccounts: Map<number, LocalAccount>;
}

export function createCustodyService(options: CustodyServiceOptions = {}): CustodyService {
  return new CustodyService(options);
}

export class CustodyService {
  private readonly policy: VaultPolicy;
  private readonly now: () => number;
  private readonly alarmsOverride?: AlarmsLike;
  private cache: Cache | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: CustodyServiceOptions = {}) {
    tuneCurveTables();
    this.policy = options.vaultPolicy ?? DEFAULT_VAULT_POLICY;
    this.now = options.now ?? (() => Date.now());
    if (options.alarms) this.alarmsOverride = options.alarms;
  }

  private get alarms(): AlarmsLike {
    return this.alarmsOverride ?? browser.alarms;
  }

  /** Serialize state-changing operations (password checks especially: no parallel guessing). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- state reads

  private async readMeta(): Promise<WalletMeta | null> {
    const m = await walletMem.get();
    if (!m || (m.kind !== 'mnemonic' && m.kind !== 'privateKey') || !Array.isArray(m.accounts)) return null;
    return m;
  }

  private async readAutoLock(): Promise<AutoLockSetting> {
    const s = await settingsMem.get();
    return isValidAutoLock(s?.autoLock) ? s.autoLock : DEFAULT_AUTO_LOCK;
  }

  private async readGuard(): Promise<UnlockGuard> {
    const g = await guardMem.get();
    const failures = Number.isSafeInteger(g?.failures) && g.failures > 0 ? g.failures : 0;
    const lockoutUntil = Number.isFinite(g?.lockoutUntil) && g.lockoutUntil > 0 ? g.lockoutUntil : 0;
    return { failures, lockoutUntil };
  }

  /**
   * The live session, or null. An expired session is locked on the spot; `inside` says
   * whether the caller already holds the exclusive queue (otherwise the lock is queued
   * behind any running unlock so it can never wipe a session that was just created).
   */
  private async liveSession(inside: boolean): Promise<UnlockedSession | null> {
    const s = await sessionMem.get();
    if (!s || typeof s.key !== 'string') {
      this.dropCache();
      return null;
    }
    if (s.deadline !== null && this.now() >= s.deadline) {
      await this.expireSession(s, inside);
      return null;
    }
    return s;
  }

  /** Lock, but only if the stored session is still the one found stale. */
  private async expireSession(stale: UnlockedSession, inside: boolean): Promise<void> {
    const run = async () => {
      const cur = await sessionMem.get();
      if (cur && cur.key === stale.key && cur.deadline === stale.deadline) await this.lockNow();
      else if (!cur) this.dropCache();
    };
    await (inside ? run() : this.exclusive(run));
  }

  private dropCache(): void {
    if (this.cache?.seed) this.cache.seed.fill(0);
    for (const k of this.cache?.svmKeys.values() ?? []) k.privateKey.fill(0);
    this.cache = null;
  }

  private deadlineFor(setting: AutoLockSetting): number | null {
    return typeof setting === 'number' ? this.now() + setting * 60_000 : null;
  }

  private async schedule(deadline: number | null): Promise<void> {
    if (deadline === null) await this.alarms.clear(AUTOLOCK_ALARM);
    else await this.alarms.create(AUTOLOCK_ALARM, { when: deadline });
  }

  private async startSession(rawKey: Uint8Array, secret: VaultSecret): Promise<void> {
    const key = bytesToBase64(rawKey);
    rawKey.fill(0);
    const deadline = this.deadlineFor(await this.readAutoLock());
    await sessionMem.set({ key, deadline });
    await this.schedule(deadline);
    this.dropCache();
    this.cache = { sessionKey: key, secret, seed: null, accounts: new Map(), svmKeys: new Map(), tronAccounts: new Map() };
  }

  private async lockNow(): Promise<void> {
    this.dropCache();
    await sessionMem.remove();
    await this.alarms.clear(AUTOLOCK_ALARM);
  }

  /** The decrypted secret for the live session (from cache, or re-opened with the session key). */
  private async unlockedSecret(inside: boolean): Promise<Cache> {
    const session = await this.liveSession(inside);
    if (!session) throw new CustodyError('locked', 'The wallet is locked.');
    if (this.cache && this.cache.sessionKey === session.key) return this.cache;
    const vault = await vaultMem.get();
    let secret: VaultSecret;
    try {
      secret = await decryptWithRawKey(vault, session.key, this.policy);
    } catch {
      await this.expireSession(session, inside); // the session key no longer opens the vault
      throw new CustodyError('locked', 'The wallet is locked.');
    }
    this.dropCache();
    this.cache = { sessionKey: session.key, secret, seed: null, accounts: new Map(), svmKeys: new Map(), tronAccounts: new Map() };
    return this.cache;
  }

  private async accountFor(cache: Cache, index: number): Promise<LocalAccount> {
    const hit = cache.accounts.get(index);
    if (hit) return hit;
    let account: LocalAccount;
    if (cache.secret.kind === 'privateKey') {
      if (index !== 0) throw new CustodyError('unknown-account', `No account ${index}.`);
      account = privateKeyToAccount(cache.secret.key);
    } else {
      cache.seed ??= await seedFromMnemonic(cache.secret.phrase);
      account = privateKeyToAccount(deriveAccountFromSeed(cache.seed, index).privateKey);
    }
    cache.accounts.set(index, account);
    return account;
  }

  /** The Solana key of account `index` (recovery-phrase wallets only; null for a raw EVM key). */
  private async svmKeyFor(cache: Cache, index: number): Promise<RailKey | null> {
    if (cache.secret.kind !== 'mnemonic') return null;
    const hit = cache.svmKeys.get(index);
    if (hit) return hit;
    cache.seed ??= await seedFromMnemonic(cache.secret.phrase);
    const key = deriveSolanaKey(cache.seed, index);
    cache.svmKeys.set(index, key);
    return key;
  }

  /**
   * The TRON account `index`: m/44'/195'/0'/0/index of the seed; for a raw-key wallet the same
   * secp256k1 key as its EVM account (TRON and EVM addresses of one key share the 20 bytes).
   */
  private async tronAccountFor(cache: Cache, index: number): Promise<LocalAccount> {
    const hit = cache.tronAccounts.get(index);
    if (hit) return hit;
    let account: LocalAccount;
    if (cache.secret.kind === 'privateKey') account = await this.accountFor(cache, index);
    else {
      cache.seed ??= await seedFromMnemonic(cache.secret.phrase);
      account = privateKeyToAccount(deriveTronKey(cache.seed, index).privateKey);
    }
    cache.tronAccounts.set(index, account);
    return account;
  }

  /** The public record of account `index`: its address on every rail the secret derives. */
  private async accountInfo(cache: Cache, index: number, name: string): Promise<AccountInfo> {
    const info: AccountInfo = { index, name, address: (await this.accountFor(cache, index)).address };
    const svm = await this.svmKeyFor(cache, index);
    if (svm) info.svmAddress = svm.address;
    info.tronAddress = hexToTron((await this.tronAccountFor(cache, index)).address);
    return info;
  }

  private wipe(cache: Cache): void {
    cache.seed?.fill(0);
    for (const k of cache.svmKeys.values()) k.privateKey.fill(0);
  }

  // ---------------------------------------------------------------- status & lifecycle

  status(): Promise<CustodyStatus> {
    return this.readStatus(false);
  }

  /** `inside`: the caller holds the exclusive queue (see liveSession). */
  private async readStatus(inside: boolean): Promise<CustodyStatus> {
    const [vault, meta, autoLock, guard, session] = await Promise.all([
      vaultMem.get(),
      this.readMeta(),
      this.readAutoLock(),
      this.readGuard(),
      this.liveSession(inside),
    ]);
    const accounts = meta?.accounts.map((a) => ({ ...a })) ?? [];
    const activeIndex = meta?.activeIndex ?? 0;
    const active = accounts.find((a) => a.index === activeIndex);
    const status: CustodyStatus = {
      initialized: vault != null,
      unlocked: vault != null && session != null,
      kind: meta?.kind ?? null,
      accounts,
      activeIndex,
      activeAddress: active?.address ?? null,
      activeSvmAddress: active?.svmAddress ?? null,
      activeTronAddress: active?.tronAddress ?? null,
      autoLock,
      failedAttempts: guard.failures,
    };
    if (status.unlocked && session?.deadline != null) status.lockDeadline = session.deadline;
    if (guard.lockoutUntil > this.now()) status.lockoutUntil = guard.lockoutUntil;
    return status;
  }

  /** Call on every worker start: locks an expired session and re-arms the auto-lock alarm. */
  restore(): Promise<CustodyStatus> {
    return this.exclusive(async () => {
      const session = await this.liveSession(true); // locks if the deadline passed
      if (session && !(await vaultMem.get())) await this.lockNow();
      else if (session) await this.schedule(session.deadline);
      return this.readStatus(true);
    });
  }

  lock(): Promise<void> {
    return this.exclusive(() => this.lockNow());
  }

  /** Extend the idle deadline on user activity. Returns whether the wallet is (still) unlocked. */
  touch(): Promise<boolean> {
    return this.exclusive(async () => {
      const session = await this.liveSession(true);
      if (!session) return false;
      const deadline = this.deadlineFor(await this.readAutoLock());
      // Throttle storage writes: extensions shorter than the alarm granularity are skipped.
      const trivial = deadline !== null && session.deadline !== null && deadline - session.deadline < TOUCH_MIN_STEP_MS;
      if (deadline !== session.deadline && !trivial) {
        await sessionMem.set({ key: session.key, deadline });
        await this.schedule(deadline);
      }
      return true;
    });
  }

  /** Alarm handler. Returns true when it locked the wallet. */
  onAlarm(name: string): Promise<boolean> {
    if (name !== AUTOLOCK_ALARM) return Promise.resolve(false);
    return this.exclusive(async () => {
      const s = await sessionMem.get();
      if (!s) return false;
      if (s.deadline !== null && this.now() >= s.deadline) {
        await this.lockNow();
        return true;
      }
      await this.schedule(s.deadline); // deadline was extended since the alarm was set
      return false;
    });
  }

  setAutoLock(setting: AutoLockSetting): Promise<void> {
    return this.exclusive(async () => {
      if (!isValidAutoLock(setting)) {
        throw new CustodyError(
          'invalid-argument',
          `Auto-lock must be 1–${MAX_AUTO_LOCK_MINUTES} minutes, 'browser-close' or 'never'.`,
        );
      }
      await settingsMem.set({ autoLock: setting });
      const session = await this.liveSession(true);
      if (session) {
        const deadline = this.deadlineFor(setting);
        await sessionMem.set({ key: session.key, deadline });
        await this.schedule(deadline);
      }
    });
  }

  // ---------------------------------------------------------------- create / import / reset

  createFromMnemonic(phrase: string, password: string): Promise<CustodyStatus> {
    return this.importMnemonic(phrase, password);
  }

  importMnemonic(phrase: string, password: string): Promise<CustodyStatus> {
    return this.exclusive(async () => {
      const v = validateMnemonic(phrase);
      if (!v.ok) throw new CustodyError('invalid-mnemonic', v.error);
      return this.initialize({ kind: 'mnemonic', phrase: v.phrase }, password);
    });
  }

  importPrivateKey(key: string, password: string): Promise<CustodyStatus> {
    return this.exclusive(async () => {
      const v = validatePrivateKey(key);
      if (!v.ok) throw new CustodyError('invalid-private-key', v.error);
      return this.initialize({ kind: 'privateKey', key: v.key }, password);
    });
  }

  /**
   * First run of a provisioned browser: open the operator's keystore (a vault record in this
   * wallet's own format, PBKDF2 ≥ 600k + AES-256-GCM) with the password the operator's script
   * supplies — never stored, never in the policy — and make it this wallet's vault (unlocked).
   */
  importProvisioned(record: unknown, password: string): Promise<CustodyStatus> {
    return this.exclusive(async () => {
      if ((await vaultMem.get()) != null)
        throw new CustodyError('already-initialized', 'A wallet already exists; reset it before creating or importing another.');
      let secret: VaultSecret;
      try {
        secret = (await unlockVault(record, typeof password === 'string' ? password : '', this.policy)).secret;
      } catch (e) {
        if (e instanceof VaultError && e.code === 'wrong-password') throw new CustodyError('wrong-password', 'Wrong password for the provisioned keystore.');
        if (e instanceof VaultError) throw vaultToCustodyError(e);
        throw e;
      }
      if (secret.kind === 'mnemonic') {
        const v = validateMnemonic(secret.phrase);
        if (!v.ok) throw new CustodyError('invalid-mnemonic', v.error);
      } else if (!validatePrivateKey(secret.key).ok) throw new CustodyError('invalid-private-key', 'The provisioned key is not a valid private key.');
      return this.initialize(secret, password);
    });
  }

  private async initialize(secret: VaultSecret, password: string): Promise<CustodyStatus> {
    if ((await vaultMem.get()) != null) {
      throw new CustodyError('already-initialized', 'A wallet already exists; reset it before creating or importing another.');
    }
    const policyError = checkPasswordPolicy(password);
    if (policyError) throw new CustodyError('weak-password', policyError);
    const probe: Cache = { sessionKey: '', secret, seed: null, accounts: new Map(), svmKeys: new Map(), tronAccounts: new Map() };
    let first: AccountInfo;
    try {
      first = await this.accountInfo(probe, 0, 'Account 1');
    } finally {
      this.wipe(probe);
    }
    const sealed = await createVault(secret, password, this.policy);
    const meta: WalletMeta = { kind: secret.kind, accounts: [first], activeIndex: 0 };
    // One storage.local.set for both, so a dying worker cannot leave a vault without accounts.
    await storageSetLocal(sealed.record, meta);
    await guardMem.remove();
    await this.startSession(sealed.rawKey, secret);
    return this.readStatus(true);
  }

  /** Wipe vault, accounts, session, attempt counter and settings. */
  reset(): Promise<void> {
    return this.exclusive(async () => {
      await this.lockNow();
      await Promise.all([vaultMem.remove(), walletMem.remove(), guardMem.remove(), settingsMem.remove()]);
    });
  }

  // ---------------------------------------------------------------- password checks

  /** Refuse during a lockout without touching the KDF. */
  private async checkLockout(): Promise<void> {
    const guard = await this.readGuard();
    const wait = guard.lockoutUntil - this.now();
    if (wait > 0) {
      throw new CustodyError(
        'locked-out',
        `Too many wrong passwords. Try again in ${Math.ceil(wait / 1000)} s.`,
        wait,
      );
    }
  }

  private async recordFailure(): Promise<CustodyError> {
    const guard = await this.readGuard();
    const failures = guard.failures + 1;
    const delay = lockoutDelayMs(failures);
    await guardMem.set({ failures, lockoutUntil: delay ? this.now() + delay : 0 });
    return delay
      ? new CustodyError('wrong-password', `Wrong password. Try again in ${Math.ceil(delay / 1000)} s.`, delay)
      : new CustodyError('wrong-password', 'Wrong password.');
  }

  /** Check the password against the stored vault, with lockout accounting. */
  private async openWithPassword(password: string): Promise<{ record: VaultRecord; unlocked: Awaited<ReturnType<typeof unlockVault>> }> {
    await this.checkLockout();
    const record = await vaultMem.get();
    if (record == null) throw new CustodyError('not-initialized', 'No wallet has been created or imported yet.');
    try {
      const unlocked = await unlockVault(record, typeof password === 'string' ? password : '', this.policy);
      return { record, unlocked };
    } catch (e) {
      if (e instanceof VaultError) {
        if (e.code === 'wrong-password') throw await this.recordFailure();
        throw vaultToCustodyError(e);
      }
      throw e;
    }
  }

  unlock(password: string): Promise<CustodyStatus> {
    return this.exclusive(async () => {
      const { unlocked } = await this.openWithPassword(password);
      const { secret } = unlocked;
      let rawKey = unlocked.rawKey;
      try {
        const meta = await this.verifyAgainstAccounts(secret);
        if (unlocked.needsUpgrade) {
          const sealed = await upgradeVault(secret, password, this.policy);
          await storageSetLocal(sealed.record, meta);
          rawKey.fill(0);
          rawKey = sealed.rawKey;
        } else if (JSON.stringify(meta) !== JSON.stringify(await walletMem.get())) {
          await walletMem.set(meta); // rebuilt or repaired metadata
        }
      } catch (e) {
        rawKey.fill(0);
        throw e;
      }
      await guardMem.remove();
      await this.startSession(rawKey, secret);
      return this.readStatus(true);
    });
  }

  /**
   * Prove the decrypted secret is the one the stored accounts came from: every stored
   * address re-derives, and the active key signs a fixed message that recovers to it.
   * Returns the (possibly rebuilt) wallet metadata.
   */
  private async verifyAgainstAccounts(secret: VaultSecret): Promise<WalletMeta> {
    const stored = await this.readMeta();
    const probe: Cache = { sessionKey: '', secret, seed: null, accounts: new Map(), svmKeys: new Map(), tronAccounts: new Map() };
    try {
      if (stored && stored.accounts.length > 0 && stored.kind !== secret.kind) {
        throw new CustodyError('integrity', 'The vault does not match the stored accounts; refusing to unlock.');
      }
      const meta: WalletMeta =
        stored && stored.accounts.length > 0
          ? stored
          : {
              kind: secret.kind,
              accounts: [await this.accountInfo(probe, 0, 'Account 1')],
              activeIndex: 0,
            };
      const accounts: AccountInfo[] = [];
      for (const a of meta.accounts) {
        const derived = await this.accountInfo(probe, a.index, a.name);
        if (
          derived.address !== a.address ||
          (a.svmAddress !== undefined && derived.svmAddress !== a.svmAddress) ||
          (a.tronAddress !== undefined && derived.tronAddress !== a.tronAddress)
        ) {
          throw new CustodyError('integrity', `The vault does not match stored account ${a.index + 1}; refusing to unlock.`);
        }
        // Records from before Solana / TRON get those addresses (derived from the same secret).
        accounts.push(derived);
      }
      const activeIndex = meta.accounts.some((a) => a.index === meta.activeIndex) ? meta.activeIndex : meta.accounts[0]!.index;
      const active = await this.accountFor(probe, activeIndex);
      const signature = await active.signMessage({ message: SELF_CHECK_MESSAGE });
      const recovered = await recoverMessageAddress({ message: SELF_CHECK_MESSAGE, signature });
      if (recovered !== active.address) {
        throw new CustodyError('integrity', 'The unlocked key failed its signing self-check; refusing to unlock.');
      }
      const svm = await this.svmKeyFor(probe, activeIndex);
      if (svm && !verifyEd25519(signEd25519(svm.privateKey, SVM_SELF_CHECK), SVM_SELF_CHECK, svm.address)) {
        throw new CustodyError('integrity', 'The unlocked Solana key failed its signing self-check; refusing to unlock.');
      }
      const tron = await this.tronAccountFor(probe, activeIndex);
      const tronSig = await tron.signMessage({ message: TRON_SELF_CHECK });
      if ((await recoverMessageAddress({ message: TRON_SELF_CHECK, signature: tronSig })) !== tron.address) {
        throw new CustodyError('integrity', 'The unlocked TRON key failed its signing self-check; refusing to unlock.');
      }
      return { ...meta, accounts, activeIndex };
    } finally {
      this.wipe(probe);
    }
  }

  /** Re-check the password and return the recovery phrase or the active account's private key. */
  reveal(password: string, what: 'mnemonic' | 'privateKey'): Promise<string> {
    return this.exclusive(async () => {
      if (what !== 'mnemonic' && what !== 'privateKey') {
        throw new CustodyError('invalid-argument', "reveal() takes 'mnemonic' or 'privateKey'.");
      }
      const { unlocked } = await this.openWithPassword(password);
      unlocked.rawKey.fill(0);
      await guardMem.remove();
      const { secret } = unlocked;
      if (what === 'mnemonic') {
        if (secret.kind !== 'mnemonic') {
          throw new CustodyError('not-mnemonic', 'This wallet was imported from a private key; it has no recovery phrase.');
        }
        return secret.phrase;
      }
      if (secret.kind === 'privateKey') return secret.key;
      const meta = await this.readMeta();
      const index = meta?.activeIndex ?? 0;
      const seed = await seedFromMnemonic(secret.phrase);
      try {
        return deriveAccountFromSeed(seed, index).privateKey;
      } finally {
        seed.fill(0);
      }
    });
  }

  // ---------------------------------------------------------------- accounts

  addAccount(name?: string): Promise<AccountInfo> {
    return this.exclusive(async () => {
      const cache = await this.unlockedSecret(true);
      if (cache.secret.kind !== 'mnemonic') {
        throw new CustodyError('not-mnemonic', 'Only wallets created from a recovery phrase can derive more accounts.');
      }
      const meta = await this.requireMeta();
      const index = meta.accounts.reduce((m, a) => Math.max(m, a.index), -1) + 1;
      if (index > MAX_ACCOUNT_INDEX) throw new CustodyError('invalid-argument', 'No more accounts can be derived.');
      const label = name === undefined ? `Account ${index + 1}` : cleanName(name);
      const info = await this.accountInfo(cache, index, label);
      await walletMem.set({ ...meta, accounts: [...meta.accounts, info] });
      return { ...info };
    });
  }

  renameAccount(index: number, name: string): Promise<void> {
    return this.exclusive(async () => {
      const meta = await this.requireMeta();
      const label = cleanName(name);
      if (!meta.accounts.some((a) => a.index === index)) throw new CustodyError('unknown-account', `No account ${index}.`);
      await walletMem.set({
        ...meta,
        accounts: meta.accounts.map((a) => (a.index === index ? { ...a, name: label } : a)),
      });
    });
  }

  selectAccount(index: number): Promise<void> {
    return this.exclusive(async () => {
      const meta = await this.requireMeta();
      if (!meta.accounts.some((a) => a.index === index)) throw new CustodyError('unknown-account', `No account ${index}.`);
      await walletMem.set({ ...meta, activeIndex: index });
    });
  }

  private async requireMeta(): Promise<WalletMeta> {
    const [meta, vault] = await Promise.all([this.readMeta(), vaultMem.get()]);
    if (!meta || vault == null) {
      throw new CustodyError('not-initialized', 'No wallet has been created or imported yet.');
    }
    return meta;
  }

  // ---------------------------------------------------------------- signing

  /** Resolve a signing account: unlocked, and (when pinned) still the same address. */
  private async signingAccount(pinned?: { index: number; address: Address }): Promise<LocalAccount> {
    return (await this.signingContext(pinned)).account;
  }

  /** `signingAccount` and the wallet meta it was checked against (one read of each, in parallel). */
  private async signingContext(pinned?: { index: number; address: Address }): Promise<{ account: LocalAccount; meta: WalletMeta }> {
    // both at once; "locked" still wins over any other error, as when they ran one after the other
    const [unlocked, stored] = await Promise.allSettled([this.unlockedSecret(false), this.requireMeta()]);
    if (unlocked.status === 'rejected') throw unlocked.reason;
    if (stored.status === 'rejected') throw stored.reason;
    const cache = unlocked.value;
    const meta = stored.value;
    const index = pinned?.index ?? meta.activeIndex;
    const info = meta.accounts.find((a) => a.index === index);
    if (!info || (pinned && info.address !== pinned.address)) {
      throw new CustodyError('unknown-account', 'The signing account no longer exists.');
    }
    const account = await this.accountFor(cache, index);
    if (account.address !== info.address) {
      throw new CustodyError('integrity', 'The key does not match the stored account address.');
    }
    return { account, meta };
  }

  /** EIP-712 signature by the active account (viem parameters). */
  async signTypedData<
    const typedData extends TypedData | Record<string, unknown>,
    primaryType extends keyof typedData | 'EIP712Domain' = keyof typedData,
  >(parameters: TypedDataDefinition<typedData, primaryType>): Promise<Hex> {
    const account = await this.signingAccount();
    return account.signTypedData(parameters);
  }

  /**
   * A raw EVM transaction signed by the active account, pinned to `from` (the address the caller
   * built and showed it for). Only the background's direct-transfer flow uses it, after the user
   * confirmed that exact transfer.
   */
  async signEvmTransaction(from: Address, tx: TransactionSerializable): Promise<Hex> {
    const account = await this.signingAccount();
    if (account.address !== from) throw new CustodyError('unknown-account', 'The active account changed; nothing was signed.');
    return account.signTransaction(tx);
  }

  /** EIP-191 personal_sign by the active account. */
  async signMessage(message: SignableMessage): Promise<Hex> {
    const account = await this.signingAccount();
    return account.signMessage({ message });
  }

  /**
   * A signer pinned to the account that is active now, for one rail: EVM (ClientEvmSigner /
   * viem LocalAccount subset for @x402/evm) or Solana (ed25519 over a transaction message the
   * rail has checked). It signs through the service, so it stops working when the wallet locks
   * and never silently switches to another account.
   */
  async getSigner(): Promise<CustodySigner>;
  async getSigner(rail: 'evm'): Promise<CustodySigner>;
  async getSigner(rail: 'svm'): Promise<SvmSigner>;
  async getSigner(rail: 'tron'): Promise<TronSigner>;
  async getSigner(rail: RailId): Promise<EvmSigner | SvmSigner | TronSigner>;
  async getSigner(rail: RailId = 'evm'): Promise<CustodySigner | SvmSigner | TronSigner> {
    // the meta the account was checked against (not a second read that could differ)
    const { account, meta } = await this.signingContext();
    const pinned = { index: meta.activeIndex, address: account.address };
    if (rail === 'svm') {
      const info = meta.accounts.find((a) => a.index === pinned.index);
      if (!info?.svmAddress) throw new CustodyError('unknown-account', 'This wallet has no Solana account (it was imported from an EVM private key).');
      const svmAddress = info.svmAddress;
      return {
        rail: 'svm',
        address: svmAddress,
        signMessageBytes: async (message: Uint8Array) => {
          await this.signingAccount(pinned);
          const key = await this.svmKeyFor(await this.unlockedSecret(false), pinned.index);
          if (!key || key.address !== svmAddress) throw new CustodyError('integrity', 'The key does not match the stored Solana address.');
          return signEd25519(key.privateKey, message);
        },
      };
    }
    if (rail === 'tron') {
      const info = meta.accounts.find((a) => a.index === pinned.index);
      if (!info?.tronAddress) throw new CustodyError('unknown-account', 'This account has no TRON address yet: lock and unlock the wallet once.');
      const tronAddress = info.tronAddress;
      return {
        rail: 'tron',
        address: tronAddress,
        // TIP-712 = EIP-712 over the 20-byte hex addresses (the TRON rail builds the typed data)
        signTypedData: async (request) => {
          await this.signingAccount(pinned);
          const account = await this.tronAccountFor(await this.unlockedSecret(false), pinned.index);
          if (hexToTron(account.address) !== tronAddress) throw new CustodyError('integrity', 'The key does not match the stored TRON address.');
          return account.signTypedData(request as never);
        },
        signTransaction: async (raw: Uint8Array) => {
          await this.signingAccount(pinned);
          const account = await this.tronAccountFor(await this.unlockedSecret(false), pinned.index);
          if (hexToTron(account.address) !== tronAddress || !account.sign) throw new CustodyError('integrity', 'The key does not match the stored TRON address.');
          const signature = await account.sign({ hash: bytesToHex(sha256(raw)) });
          return hexToBytes(signature);
        },
      };
    }
    const signTypedData: LocalAccount['signTypedData'] = async (parameters) =>
      (await this.signingAccount(pinned)).signTypedData(parameters);
    const signTransaction: LocalAccount['signTransaction'] = async (tx, opts) => (await this.signingAccount(pinned)).signTransaction(tx, opts);
    return { rail: 'evm', address: pinned.address, signTypedData, signTransaction };
  }
}

function cleanName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim().replace(/\s+/gu, ' ') : '';
  if (!n || [...n].length > MAX_ACCOUNT_NAME) {
    throw new CustodyError('invalid-argument', `Account names are 1–${MAX_ACCOUNT_NAME} characters.`);
  }
  return n;
}

function vaultToCustodyError(e: VaultError): CustodyError {
  const restore = ' If this persists, reset the wallet and restore it from your recovery phrase.';
  switch (e.code) {
    case 'unsupported-version':
      return new CustodyError('vault-unsupported-version', e.message + ' Update the extension.');
    case 'weak-params':
      return new CustodyError('vault-weak-params', e.message + restore);
    default:
      return new CustodyError('vault-corrupt', e.message + restore);
  }
}

async function storageSetLocal(record: VaultRecord, meta: WalletMeta): Promise<void> {
  // one storage call for both; each mirror takes its value once storage accepted it
  await vaultMem.writeVia(record, () =>
    walletMem.writeVia(meta, () =>
      storage.setItems([
        { item: vaultItem, value: record },
        { item: walletItem, value: meta },
      ]),
    ),
  );
}

/*
 * Custody's storage, mirrored in memory (lib/util/warm-item.ts): a payment asks for the status,
 * a signer and a signature, and each read the session, the wallet meta and the vault again — three
 * storage round trips (~1 ms each in Chrome) before the signature left. Every custody write goes
 * through these mirrors (storage first, memory after storage accepted it; a removal drops memory
 * before and after), and memory is trusted only while the storage.onChanged listener is installed,
 * so a change from any other context (or storage cleared) is followed. Storage stays the durable
 * copy: a restarted worker reads it again; the lock state is still checked on every signature.
 */
const vaultMem = new WarmItem(vaultItem);
const walletMem = new WarmItem(walletItem);
const settingsMem = new WarmItem(settingsItem);
const guardMem = new WarmItem(guardItem);
const sessionMem = new WarmItem(sessionItem);
