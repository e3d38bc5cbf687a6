/** Activity store (options page): the in-extension fallback for notifications. */
import { create } from 'zustand';
import { call } from '../../messaging/client';
import type { ActivityDto, ApiError } from '../../messaging/contract';
import { toApiError } from '../errors';

export interface ActivityState {
  items: ActivityDto[];
  loaded: boolean;
  error: ApiError | null;
  load(): Promise<void>;
}

export const useActivityStore = create<ActivityState>()((set) => ({
  items: [],
  loaded: false,
  error: null,
  async load() {
    try {
      set({ items: await call('activity.list'), loaded: true, error: null });
    } catch (e) {
      set({ error: toApiError(e), loaded: true });
    }
  },
}));
