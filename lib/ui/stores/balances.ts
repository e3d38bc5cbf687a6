/** Balances store (popup): the active account's balance of each trusted token with a known RPC. */
import { create } from 'zustand';
import { call } from '../../messaging/client';
import type { ApiError, BalanceDto } from '../../messaging/contract';
import { toApiError } from '../errors';

export interface BalancesState {
  items: BalanceDto[];
  loaded: boolean;
  error: ApiError | null;
  load(): Promise<void>;
}

export const useBalancesStore = create<BalancesState>()((set) => ({
  items: [],
  loaded: false,
  error: null,
  async load() {
    try {
      set({ items: await call('balances.list'), loaded: true, error: null });
    } catch (e) {
      set({ error: toApiError(e), loaded: true });
    }
  },
}));
