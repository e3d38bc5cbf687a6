/** Settings store (options page): notifications and the allowed-sites list. */
import { create } from 'zustand';
import { call } from '../../messaging/client';
import type { ApiError, SettingsDto } from '../../messaging/contract';
import { toApiError } from '../errors';

export interface SettingsState {
  settings: SettingsDto | null;
  error: ApiError | null;
  load(): Promise<void>;
  /** Throws on failure. */
  update(patch: Partial<SettingsDto>): Promise<SettingsDto>;
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: null,
  error: null,
  async load() {
    try {
      set({ settings: await call('settings.get'), error: null });
    } catch (e) {
      set({ error: toApiError(e) });
    }
  },
  async update(patch) {
    const settings = await call('settings.update', patch);
    set({ settings, error: null });
    return settings;
  },
}));
