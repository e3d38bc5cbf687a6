/**
 * Payment history store (options page, popup's recent payments): the wallet's payments as the
 * background lists them, and exports. The options page's filters, selection and read-only
 * imported view live in `historyView.ts`.
 */
import { create } from 'zustand';
import { call } from '../../messaging/client';
import type { ApiError, HistoryFilterDto, PaymentDto } from '../../messaging/contract';
import { toApiError } from '../errors';

export interface HistoryState {
  items: PaymentDto[];
  /** '' = all sites */
  site: string;
  limit?: number;
  loaded: boolean;
  error: ApiError | null;
  /** Loads with the given filter (remembered for later reloads). */
  load(opts?: { site?: string; limit?: number }): Promise<void>;
  /** Asks the background for the export of the ledger's records matching `filter`; throws on failure. */
  exportAs(format: 'csv' | 'json', filter?: HistoryFilterDto): Promise<{ text: string; filename: string }>;
}

export const useHistoryStore = create<HistoryState>()((set, get) => ({
  items: [],
  site: '',
  loaded: false,
  error: null,
  async load(opts) {
    const site = opts?.site ?? get().site;
    const limit = opts && 'limit' in opts ? opts.limit : get().limit;
    set({ site, limit });
    try {
      const items = await call('history.list', {
        ...(site ? { site } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      // ignore an answer for a filter the user already changed
      if (get().site === site) set({ items, loaded: true, error: null });
    } catch (e) {
      set({ error: toApiError(e), loaded: true });
    }
  },
  exportAs: (format, filter) => call('history.export', { format, ...(filter ? { filter } : {}) }),
}));
