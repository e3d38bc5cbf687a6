/**
 * Site budgets store (options page, popup): every site's policy and usage, and the site of
 * the active tab for the popup.
 */
import { create } from 'zustand';
import { call } from '../../messaging/client';
import type { ApiError, CurrentSiteDto, SiteDto, SitePolicyDto } from '../../messaging/contract';
import { toApiError } from '../errors';

export type CurrentSite = CurrentSiteDto;

export interface SitesState {
  sites: SiteDto[];
  loaded: boolean;
  error: ApiError | null;
  current: CurrentSite | null;
  currentError: ApiError | null;
  load(): Promise<void>;
  loadCurrent(): Promise<void>;
  /** Saves a policy and merges the answer into `sites` (and `current`). Throws on failure. */
  save(policy: SitePolicyDto): Promise<SiteDto>;
  remove(site: string): Promise<void>;
  /** "Only on sites I allow": let the wallet work on the current site. Throws on failure. */
  activate(site: string): Promise<void>;
}

export const useSitesStore = create<SitesState>()((set, get) => ({
  sites: [],
  loaded: false,
  error: null,
  current: null,
  currentError: null,
  async load() {
    try {
      const sites = await call('sites.list');
      set({ sites, loaded: true, error: null });
    } catch (e) {
      set({ error: toApiError(e), loaded: true });
    }
  },
  async loadCurrent() {
    try {
      const current = await call('sites.current');
      set({ current, currentError: null });
    } catch (e) {
      set({ currentError: toApiError(e) });
    }
  },
  async save(policy) {
    const saved = await call('sites.save', policy);
    const { sites, current } = get();
    const exists = sites.some((s) => s.policy.site === saved.policy.site);
    set({
      sites: exists ? sites.map((s) => (s.policy.site === saved.policy.site ? saved : s)) : [...sites, saved],
      current: current && current.site === saved.policy.site ? { ...current, entry: saved } : current,
    });
    return saved;
  },
  async remove(site) {
    await call('sites.delete', { site });
    const { sites, current } = get();
    set({
      sites: sites.filter((s) => s.policy.site !== site),
      current: current && current.site === site ? { ...current, entry: null } : current,
    });
  },
  async activate(site) {
    set({ current: await call('sites.activate', { site }) });
  },
}));
