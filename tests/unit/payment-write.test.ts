/**
 * One storage write per signed payment: the signed record and its re-send ticket go to
 * storage.local in the same call (saved together or not at all).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Ledger } from '../../lib/ledger/ledger';
import { offer, paymentWorld } from './security/harness';

const ticketKeys = async () => Object.keys(await fakeBrowser.storage.local.get(null)).filter((k) => k.startsWith('ticket.'));

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

describe('signed record and re-send ticket: one storage.local.set', () => {
  it('an automatic payment writes the signed record and its ticket in one call', async () => {
    const w = await paymentWorld();
    await w.auto();
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    const a = await w.pay({ doc: offer() });
    expect(a.action).toBe('retry');
    const id = a.action === 'retry' ? a.ticket : '';
    const withTicket = set.mock.calls.filter(([items]) => Object.keys(items).some((k) => k.startsWith('ticket.')));
    expect(withTicket).toHaveLength(1);
    const items = withTicket[0]![0] as Record<string, { status?: string; headerValue?: string }>;
    expect(items[`ledger.r.${id}`]?.status).toBe('signed');
    expect(items[`ticket.${id}`]?.headerValue).toBe(a.action === 'retry' ? a.headerValue : undefined);
    // only this payment's ticket: no write carries the other tickets along
    expect(Object.keys(items).filter((k) => k.startsWith('ticket.'))).toEqual([`ticket.${id}`]);
    // and no other write carries either of them
    expect(set.mock.calls.filter(([i]) => `ledger.r.${id}` in i && (i as { [k: string]: { status?: string } })[`ledger.r.${id}`]?.status === 'signed')).toHaveLength(1);
    // the ticket is durable: a new service (restarted worker) re-sends it rather than signing again
    expect(await ticketKeys()).toEqual([`ticket.${id}`]);
  });

  it('storage refusing that one write saves neither, and the header never leaves', async () => {
    const w = await paymentWorld();
    await w.auto();
    const real = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items: Record<string, unknown>) => {
      if (Object.keys(items).some((k) => k.startsWith('ticket.')) && Object.keys(items).some((k) => k.startsWith('ledger.r.'))) throw new Error('QUOTA_BYTES quota exceeded');
      return real(items);
    });
    const a = await w.pay({ doc: offer() });
    expect(a).toMatchObject({ action: 'pass', code: 'storage-failed' });
    expect(await ticketKeys()).toEqual([]);
    const [rec] = await w.ledger.list({ limit: 5 });
    expect(rec?.status).toBe('failed');
  });

  it("the ledger refuses to carry another caller's write over its own keys", async () => {
    const ledger = new Ledger();
    const res = await ledger.reserve({
      site: 'https://a.example', resourceUrl: 'https://a.example/x', network: 'eip155:1', asset: '0x0000000000000000000000000000000000000001',
      payTo: '0x0000000000000000000000000000000000000002', amount: 1n, expiresAt: Date.now() + 60_000, auto: false,
      policyCheck: () => ({ action: 'pay' }) as never,
    } as never);
    const id = res.record!.id;
    await expect(ledger.markSigned(id, { expiresAt: Date.now() + 60_000, alsoWrite: { 'ledger.gen': 'x' } })).rejects.toThrow(/key of the ledger/);
    await expect(ledger.markSigned(id, { expiresAt: Date.now() + 60_000, alsoWrite: { [`ledger.r.${id}`]: {} } })).rejects.toThrow(/key of the ledger/);
    expect((await ledger.get(id))?.status).toBe('reserved');
  });
});

describe('re-send lookup: one ledger transaction, however many tickets the resource holds', () => {
  it('20 signed payments for one resource: the next 402 for it reads the ledger once, and pays anew', async () => {
    const w = await paymentWorld();
    await w.auto();
    for (let i = 0; i < 20; i++) expect((await w.pay({ doc: offer() })).action).toBe('retry');
    expect(await ticketKeys()).toHaveLength(20);
    const get = vi.spyOn(w.ledger, 'get');
    const getMany = vi.spyOn(w.ledger, 'getMany');
    const a = await w.pay({ doc: offer() });
    expect(a.action).toBe('retry');
    // the 20 are still in flight ('signed'), not 'unknown': this is a new purchase with its own signature
    expect(await ticketKeys()).toHaveLength(21);
    expect(get).not.toHaveBeenCalled();
    expect(getMany).toHaveBeenCalledTimes(1);
    expect(getMany.mock.calls[0]![0]).toHaveLength(20);
  });

  it('getMany answers in order, copies, undefined for an unknown id', async () => {
    const w = await paymentWorld();
    await w.auto();
    const a = await w.pay({ doc: offer() });
    const id = a.action === 'retry' ? a.ticket : '';
    const [r, none] = await w.ledger.getMany([id, 'nope']);
    expect(r?.id).toBe(id);
    expect(none).toBeUndefined();
    r!.status = 'settled';
    expect((await w.ledger.get(id))?.status).toBe('signed');
  });
});
