/** The operator's policy as the wallet applies it (read-only fields in the UI). */
import { create } from 'zustand';
import { call } from '../../messaging/client';
import type { ManagedDto } from '../../messaging/contract';
import { UI_STRINGS } from '../strings';

export const MANAGED_LABEL = UI_STRINGS.managedLabel;

export interface ManagedState {
  managed: ManagedDto | null;
  load(): Promise<void>;
}

export const useManagedStore = create<ManagedState>()((set) => ({
  managed: null,
  async load() {
    try {
      set({ managed: await call('managed.get') });
    } catch {
      set({ managed: null });
    }
  },
}));
