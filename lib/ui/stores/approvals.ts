/**
 * Pending approvals store (approval window, popup badge). `load()` refreshes the queue from
 * the background; `decide()` sends the user's decision and refreshes.
 */
import { create } from 'zustand';
import { call } from '../../messaging/client';
import type { ApiError, ApprovalDecision, ApprovalDto } from '../../messaging/contract';
import { toApiError } from '../errors';

export interface ApprovalsState {
  items: ApprovalDto[];
  /** true once the first load answered (success or failure) */
  loaded: boolean;
  error: ApiError | null;
  load(): Promise<ApprovalDto[]>;
  /** Sends the decision, then reloads; returns the remaining queue. Throws on failure. */
  decide(id: string, decision: ApprovalDecision): Promise<ApprovalDto[]>;
}

export const useApprovalsStore = create<ApprovalsState>()((set, get) => ({
  items: [],
  loaded: false,
  error: null,
  async load() {
    try {
      const items = await call('approvals.list');
      set({ items, loaded: true, error: null });
      return items;
    } catch (e) {
      set({ error: toApiError(e), loaded: true });
      return get().items;
    }
  },
  async decide(id, decision) {
    await call('approvals.decide', { id, decision });
    set({ items: get().items.filter((a) => a.id !== id) });
    return get().load();
  },
}));
