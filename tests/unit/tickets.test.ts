/**
 * Re-send tickets: one storage.local key each (lib/background/tickets.ts) — no step rewrites
 * the others, memory follows storage, and the older single document is split on first read.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { TicketStore, type Ticket } from '../../lib/background/tickets';

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

const SITE = 'https://shop.example';
const ticket = (id: string, over: Partial<Ticket> = {}): Ticket => ({
  recordId: id,
  site: SITE,
  url: `${SITE}/item`,
  headerName: 'PAYMENT-SIGNATURE',
  headerValue: `header-${id}`,
  validUntil: Date.now() + 600_000,
  auto: true,
  ...over,
});
const write = (s: TicketStore, t: Ticket) => s.writeVia(t, (items) => fakeBrowser.storage.local.set(items));
const storedKeys = async () => Object.keys(await fakeBrowser.storage.local.get(null)).sort();

describe('TicketStore', () => {
  it('each ticket is written under its own key, alone: 50 concurrent writes each store one key and all are found', async () => {
    const s = new TicketStore();
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    await Promise.all(Array.from({ length: 50 }, (_, i) => write(s, ticket(`r${i}`))));
    expect(set.mock.calls.map(([items]) => Object.keys(items))).toEqual(expect.arrayContaining(Array.from({ length: 50 }, (_, i) => [`ticket.r${i}`])));
    expect(set.mock.calls.every(([items]) => Object.keys(items).length === 1)).toBe(true);
    expect(await s.forResource(SITE, `${SITE}/item`, Date.now())).toHaveLength(50);
    // a new store (a restarted worker) reads the same from storage
    expect(await new TicketStore().forResource(SITE, `${SITE}/item`, Date.now())).toHaveLength(50);
  });

  it('forResource matches site, url and remaining validity only', async () => {
    const s = new TicketStore();
    await write(s, ticket('a'));
    await write(s, ticket('b', { url: `${SITE}/other` }));
    await write(s, ticket('c', { site: 'https://other.example' }));
    await write(s, ticket('d', { validUntil: Date.now() + 5_000 }));
    expect((await s.forResource(SITE, `${SITE}/item`, Date.now() + 15_000)).map((t) => t.recordId)).toEqual(['a']);
  });

  it('drop removes the ticket and every expired one in one call, and leaves the rest', async () => {
    const s = new TicketStore();
    await write(s, ticket('keep'));
    await write(s, ticket('gone'));
    await write(s, ticket('old', { validUntil: Date.now() - 1 }));
    const remove = vi.spyOn(fakeBrowser.storage.local, 'remove');
    await s.drop('gone');
    expect(remove).toHaveBeenCalledTimes(1);
    expect(await storedKeys()).toEqual(['ticket.keep']);
    expect(await s.get('gone')).toBeUndefined();
    expect((await s.get('keep'))?.headerValue).toBe('header-keep');
  });

  it('memory follows a change made by another context (storage.onChanged)', async () => {
    const s = new TicketStore();
    await write(s, ticket('a'));
    expect(await s.get('a')).toBeDefined();
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    await fakeBrowser.storage.local.remove('ticket.a');
    await fakeBrowser.storage.local.set({ 'ticket.b': ticket('b') });
    expect(await s.get('a')).toBeUndefined();
    expect((await s.get('b'))?.headerValue).toBe('header-b');
    expect(get).not.toHaveBeenCalled(); // answered from memory, kept current by the events
  });

  it('a failed write keeps nothing in memory or storage', async () => {
    const s = new TicketStore();
    await write(s, ticket('a'));
    await expect(s.writeVia(ticket('b'), async () => Promise.reject(new Error('QUOTA_BYTES quota exceeded')))).rejects.toThrow(/QUOTA/);
    expect(await s.get('b')).toBeUndefined();
    expect(await storedKeys()).toEqual(['ticket.a']);
  });

  it("an older wallet's single tickets document is split into per-ticket keys and removed; junk entries are dropped", async () => {
    await fakeBrowser.storage.local.set({ tickets: { a: ticket('a'), junk: { recordId: 1 } }, 'ledger.gen': 'g' });
    const s = new TicketStore();
    expect((await s.get('a'))?.headerValue).toBe('header-a');
    expect(await s.get('junk')).toBeUndefined();
    expect(await storedKeys()).toEqual(['ledger.gen', 'ticket.a']);
  });

  it('a stored value that is not a ticket is ignored', async () => {
    await fakeBrowser.storage.local.set({ 'ticket.x': { recordId: 'x' }, 'ticket.y': 'nope' });
    expect(await new TicketStore().forResource(SITE, `${SITE}/item`, 0)).toEqual([]);
  });
});
