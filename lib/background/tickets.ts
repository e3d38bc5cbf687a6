/**
 * Re-send tickets: a signed payment whose outcome is not known yet, kept so that a retry (or a
 * restarted worker) re-sends the same signature and never signs again.
 *
 * One `storage.local` key per ticket (`ticket.<recordId>`), like the ledger's records: a new
 * ticket is written in the same storage call as its signed record (Ledger.markSigned
 * `alsoWrite`, so both or neither are saved), a settled or refused one is removed by its own
 * key. No step rewrites the other tickets, so concurrent payments never queue behind one
 * another here (a single `tickets` document rewritten under a mutex made 100 concurrent
 * payments O(n²) in bytes written).
 *
 * Memory mirrors storage: the tickets are read once (and an older single `tickets` document
 * is split into per-ticket keys), then kept current from this store's own writes and from
 * `storage.onChanged` (another context, storage cleared). Memory is trusted only while that
 * listener is registered, and a load that overlapped a reported change is not kept.
 */
import { browser } from 'wxt/browser';

export interface Ticket {
  recordId: string;
  site: string;
  url: string;
  headerName: string;
  headerValue: string;
  /** epoch ms: the authorization's validBefore */
  validUntil: number;
  auto: boolean;
}

export const TICKET_PREFIX = 'ticket.';
/** schema before per-ticket keys: one document, recordId → ticket */
export const LEGACY_TICKETS_KEY = 'tickets';

type ChangeListener = (changes: Record<string, { newValue?: unknown }>, area: string) => void;

function isTicket(v: unknown): v is Ticket {
  if (!v || typeof v !== 'object') return false;
  const t = v as Record<string, unknown>;
  return (
    typeof t.recordId === 'string' &&
    typeof t.site === 'string' &&
    typeof t.url === 'string' &&
    typeof t.headerName === 'string' &&
    typeof t.headerValue === 'string' &&
    typeof t.validUntil === 'number'
  );
}

export class TicketStore {
  private memory: Map<string, Ticket> | undefined;
  /** bumped by every reported change: a load that overlapped one is not kept */
  private changes = 0;
  private loading: Promise<Map<string, Ticket>> | undefined;
  private readonly listener: ChangeListener = (changes, area) => {
    if (area !== 'local') return;
    for (const [k, c] of Object.entries(changes)) {
      if (k === LEGACY_TICKETS_KEY && c.newValue !== undefined) {
        // an older wallet (or a test) wrote the old document: read everything again
        this.memory = undefined;
        this.changes++;
        continue;
      }
      if (!k.startsWith(TICKET_PREFIX)) continue;
      this.changes++;
      const id = k.slice(TICKET_PREFIX.length);
      if (!this.memory) continue;
      if (isTicket(c.newValue)) this.memory.set(id, c.newValue);
      else this.memory.delete(id);
    }
  };

  constructor(private readonly local: () => typeof browser.storage.local = () => browser.storage.local) {}

  key(id: string): string {
    return TICKET_PREFIX + id;
  }

  /** Memory is only trusted while the change listener is installed (a reset event source drops it). */
  private listening(): boolean {
    const ev = browser.storage?.onChanged;
    if (!ev) return false;
    if (ev.hasListener(this.listener as never)) return true;
    this.memory = undefined;
    ev.addListener(this.listener as never);
    return true;
  }

  private async all(): Promise<Map<string, Ticket>> {
    const listening = this.listening();
    if (listening && this.memory) return this.memory;
    if (this.loading) return this.loading;
    const changesBefore = this.changes;
    const load = (async () => {
      const stored = (await this.local().get(null)) as Record<string, unknown>;
      const map = new Map<string, Ticket>();
      for (const [k, v] of Object.entries(stored)) if (k.startsWith(TICKET_PREFIX) && isTicket(v)) map.set(k.slice(TICKET_PREFIX.length), v);
      const legacy = stored[LEGACY_TICKETS_KEY];
      if (legacy !== undefined) {
        // split the old document into per-ticket keys (kept first), then remove it
        const items: Record<string, Ticket> = {};
        if (legacy && typeof legacy === 'object')
          for (const [id, t] of Object.entries(legacy as Record<string, unknown>)) if (isTicket(t) && !map.has(id)) items[this.key(id)] = t;
        if (Object.keys(items).length > 0) await this.local().set(items);
        await this.local().remove(LEGACY_TICKETS_KEY);
        for (const [k, t] of Object.entries(items)) map.set(k.slice(TICKET_PREFIX.length), t);
      }
      return map;
    })();
    this.loading = load;
    try {
      const map = await load;
      if (listening && this.changes === changesBefore) this.memory = map;
      return map;
    } finally {
      this.loading = undefined;
    }
  }

  /** A copy of one ticket, if stored. */
  async get(id: string): Promise<Ticket | undefined> {
    const t = (await this.all()).get(id);
    return t && { ...t };
  }

  /** Tickets for this resource whose authorization is valid until at least `minValidUntil`. */
  async forResource(site: string, url: string, minValidUntil: number): Promise<Ticket[]> {
    const out: Ticket[] = [];
    for (const t of (await this.all()).values()) if (t.site === site && t.url === url && t.validUntil >= minValidUntil) out.push({ ...t });
    return out;
  }

  /**
   * Store `ticket` through `write`, which must save `{ [key(ticket.recordId)]: ticket }` as part
   * of its own storage call (the ledger's signed record). Memory follows only a write storage accepted.
   */
  async writeVia(ticket: Ticket, write: (items: Record<string, Ticket>) => Promise<unknown>): Promise<void> {
    const copy = { ...ticket };
    await write({ [this.key(ticket.recordId)]: copy });
    if (this.memory) this.memory.set(ticket.recordId, copy);
  }

  /** Remove this ticket and every expired one, in one storage call. */
  async drop(id: string, now = Date.now()): Promise<void> {
    const map = await this.all();
    const ids = new Set([id]);
    for (const [k, t] of map) if (t.validUntil < now) ids.add(k);
    try {
      await this.local().remove([...ids].map((i) => this.key(i)));
    } catch (e) {
      this.memory = undefined; // the next read asks storage what it really holds
      throw e;
    }
    if (this.memory) for (const i of ids) this.memory.delete(i);
  }
}
