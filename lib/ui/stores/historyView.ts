/**
 * The options page's history view: the filter, the payment whose details are open, and the
 * read-only view of an imported file. An imported file stays in this page's memory only: it
 * is never sent to the background, so budgets, spend and balances cannot change because of it.
 */
import { create } from 'zustand';
import { MAX_IMPORT_BYTES, parseHistoryFile, type ImportedHistory } from '../../history/import';
import type { HistoryFilter } from '../../history/filter';

/** What the page needs of a picked file (a File; a plain object in tests). */
export interface PickedFile {
  name: string;
  size: number;
  text(): Promise<string>;
}

export interface ImportedView extends ImportedHistory {
  fileName: string;
}

export interface HistoryViewState {
  filter: HistoryFilter;
  /** id of the payment whose details are shown */
  selectedId: string | null;
  /** the imported file being looked at (null: the wallet's own history) */
  imported: ImportedView | null;
  importing: boolean;
  importError: string | null;
  setFilter(patch: Partial<HistoryFilter>): void;
  clearFilter(): void;
  select(id: string | null): void;
  /** Reads and checks a file; on success shows it read-only (filters reset). */
  importFile(file: PickedFile): Promise<void>;
  /** Back to the wallet's history (filters reset). */
  leaveImport(): void;
}

function withoutEmpty(f: HistoryFilter): HistoryFilter {
  const out: HistoryFilter = {};
  for (const [k, v] of Object.entries(f) as [keyof HistoryFilter, string | undefined][]) if (v) (out as Record<string, string>)[k] = v;
  return out;
}

export const useHistoryViewStore = create<HistoryViewState>()((set, get) => ({
  filter: {},
  selectedId: null,
  imported: null,
  importing: false,
  importError: null,
  setFilter: (patch) => set({ filter: withoutEmpty({ ...get().filter, ...patch }) }),
  clearFilter: () => set({ filter: {} }),
  select: (id) => set({ selectedId: id }),
  async importFile(file) {
    set({ importError: null });
    if (file.size > MAX_IMPORT_BYTES) {
      set({ importError: `“${file.name}” is too large (${(file.size / (1024 * 1024)).toFixed(1)} MB); at most 5 MB can be imported.` });
      return;
    }
    set({ importing: true });
    try {
      const text = await file.text();
      const r = parseHistoryFile(text, file.size);
      if (!r.ok) set({ importError: `“${file.name}”: ${r.error}`, importing: false });
      else {
        const { ok: _ok, ...data } = r;
        set({ imported: { ...data, fileName: file.name }, importing: false, filter: {}, selectedId: null });
      }
    } catch (e) {
      set({ importError: `“${file.name}” could not be read: ${(e as Error).message}`, importing: false });
    }
  },
  leaveImport: () => set({ imported: null, importError: null, filter: {}, selectedId: null }),
}));
