/**
 * Settings store (options page): notifications, allowed sites, developer settings, and the
 * networks & tokens the user added. Custom networks and tokens change only through their own
 * requests, which the background checks on chain; the store keeps what the background answers.
 */
import { create } from 'zustand';
import { call } from '../../messaging/client';
import type { ApiError, In, NetworkDto, PrivilegedApi, SettingsDto, SettingsPatch, TokenLookupDto } from '../../messaging/contract';
import { toApiError } from '../errors';

export interface SettingsState {
  settings: SettingsDto | null;
  error: ApiError | null;
  /** EVM networks a custom token can be added on (from the background, test networks only when shown) */
  networks: NetworkDto[] | null;
  load(): Promise<void>;
  /** Throws on failure. */
  update(patch: SettingsPatch): Promise<SettingsDto>;
  loadNetworks(): Promise<void>;
  /** Each throws on failure (the caller shows the background's reason). */
  addNetwork(input: In<PrivilegedApi, 'networks.add'>): Promise<SettingsDto>;
  removeNetwork(chainId: number): Promise<SettingsDto>;
  lookupToken(input: In<PrivilegedApi, 'tokens.lookup'>): Promise<TokenLookupDto>;
  addToken(input: In<PrivilegedApi, 'tokens.add'>): Promise<SettingsDto>;
  removeToken(input: In<PrivilegedApi, 'tokens.remove'>): Promise<SettingsDto>;
}

export const useSettingsStore = create<SettingsState>()((set, get) => {
  /** a change that returns the new settings; the network list follows (names, testnets, RPCs) */
  const changed = async (p: Promise<SettingsDto>): Promise<SettingsDto> => {
    const settings = await p;
    set({ settings, error: null });
    void get().loadNetworks();
    return settings;
  };
  return {
    settings: null,
    error: null,
    networks: null,
    async load() {
      try {
        set({ settings: await call('settings.get'), error: null });
      } catch (e) {
        set({ error: toApiError(e) });
      }
    },
    update: (patch) => changed(call('settings.update', patch)),
    async loadNetworks() {
      try {
        set({ networks: await call('networks.list') });
      } catch (e) {
        set({ error: toApiError(e) });
      }
    },
    addNetwork: (input) => changed(call('networks.add', input)),
    removeNetwork: (chainId) => changed(call('networks.remove', { chainId })),
    lookupToken: (input) => call('tokens.lookup', input),
    addToken: (input) => changed(call('tokens.add', input)),
    removeToken: (input) => changed(call('tokens.remove', input)),
  };
});
