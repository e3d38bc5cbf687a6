/**
 * Wallet status store (popup, onboarding, options): the background's WalletStatusDto and the
 * user actions that answer a new status. Mutations throw WalletApiError for the form to show;
 * `load()` records its failure in `error`.
 */
import { create } from 'zustand';
import { call } from '../../messaging/client';
import type { ApiError, AutoLock, WalletStatusDto } from '../../messaging/contract';
import { toApiError } from '../errors';

export interface WalletState {
  status: WalletStatusDto | null;
  loading: boolean;
  error: ApiError | null;
  load(): Promise<void>;
  unlock(password: string): Promise<WalletStatusDto>;
  lock(): Promise<WalletStatusDto>;
  setAutoLock(autoLock: AutoLock): Promise<WalletStatusDto>;
  addAccount(name?: string): Promise<WalletStatusDto>;
  selectAccount(index: number): Promise<WalletStatusDto>;
  renameAccount(index: number, name: string): Promise<WalletStatusDto>;
  reset(): Promise<WalletStatusDto>;
  /** store a status answered by another call (create/import) */
  setStatus(status: WalletStatusDto): void;
}

export const useWalletStore = create<WalletState>()((set) => {
  const apply = (status: WalletStatusDto): WalletStatusDto => {
    set({ status, error: null });
    return status;
  };
  return {
    status: null,
    loading: false,
    error: null,
    async load() {
      set({ loading: true });
      try {
        const status = await call('wallet.status');
        set({ status, error: null, loading: false });
      } catch (e) {
        set({ error: toApiError(e), loading: false });
      }
    },
    unlock: async (password) => apply(await call('wallet.unlock', { password })),
    lock: async () => apply(await call('wallet.lock')),
    setAutoLock: async (autoLock) => apply(await call('wallet.setAutoLock', { autoLock })),
    addAccount: async (name) => apply(await call('accounts.add', name ? { name } : {})),
    selectAccount: async (index) => apply(await call('accounts.select', { index })),
    renameAccount: async (index, name) => apply(await call('accounts.rename', { index, name })),
    reset: async () => apply(await call('wallet.reset', { confirm: 'RESET' })),
    setStatus: (status) => void apply(status),
  };
});
