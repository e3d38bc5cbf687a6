/**
 * Persistent custody state (owner: background custody only — never import from
 * content scripts or pages). WXT storage items, each versioned for future migrations.
 *
 * local:   vault record, public wallet metadata (kind, accounts, active index),
 *          auto-lock setting, unlock-attempt guard.
 * session: the unlocked session — the derived AES key (base64) and idle deadline.
 *          storage.session is memory-only and cleared when the browser closes; it must
 *          stay at Chrome's default TRUSTED_CONTEXTS access level (never opened to
 *          content scripts with setAccessLevel).
 */
import { storage } from 'wxt/utils/storage';
import type { Address } from 'viem';
import type { VaultRecord } from './vault';

export interface AccountInfo {
  index: number;
  name: string;
  /** EVM address (m/44'/60'/0'/0/index) */
  address: Address;
  /** Solana address (m/44'/501'/index'/0'); recovery-phrase wallets only. Added on unlock to older records. */
  svmAddress?: string;
  /**
   * TRON address, base58check `T…` (m/44'/195'/0'/0/index; a raw-key wallet: the same secp256k1
   * key in TRON's form). Added on unlock to older records.
   */
  tronAddress?: string;
}

export type WalletKind = 'mnemonic' | 'privateKey';

export interface WalletMeta {
  kind: WalletKind;
  accounts: AccountInfo[];
  activeIndex: number;
}

/** Minutes of inactivity, or lock only when the browser closes, or never (same until restart). */
export type AutoLockSetting = number | 'browser-close' | 'never';

export const DEFAULT_AUTO_LOCK: AutoLockSetting = 15;

export interface CustodySettings {
  autoLock: AutoLockSetting;
}

export interface UnlockGuard {
  /** Consecutive failed password checks (unlock or reveal). */
  failures: number;
  /** Epoch ms until which password checks are refused; 0 = none. */
  lockoutUntil: number;
}

export interface UnlockedSession {
  /** base64 of the 32-byte AES-GCM key derived from the password. */
  key: string;
  /** Epoch ms after which the session is locked; null = until the browser closes. */
  deadline: number | null;
}

export const vaultItem = storage.defineItem<VaultRecord | null>('local:custody.vault', {
  fallback: null,
  version: 1,
});

export const walletItem = storage.defineItem<WalletMeta | null>('local:custody.wallet', {
  fallback: null,
  version: 1,
});

export const settingsItem = storage.defineItem<CustodySettings>('local:custody.settings', {
  fallback: { autoLock: DEFAULT_AUTO_LOCK },
  version: 1,
});

export const guardItem = storage.defineItem<UnlockGuard>('local:custody.unlockGuard', {
  fallback: { failures: 0, lockoutUntil: 0 },
  version: 1,
});

export const sessionItem = storage.defineItem<UnlockedSession | null>('session:custody.session', {
  fallback: null,
  version: 1,
});
