/**
 * The ledger answers from memory between its own writes (lib/ledger/store.ts `stale`): a
 * payment's steps read nothing from storage once the ledger is loaded, yet a write by anyone
 * else — another instance in this realm, another context (seen through storage.onChanged),
 * storage cleared, a change reported while a load was reading — is never missed, and budgets
 * stay exact when instances race.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Ledger, type ReserveInput } from '../../lib/ledger/ledger';
import type { Decision, SpendSnapshot } from '../../lib/policy/types';

const TZ = 'Europe/Berlin';
const T0 = Date.parse('2026-05-14T10:00:00Z');
const SITE = 'https://news.example';
const NET = 'eip155:84532';
const USDC = { address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', symbol: 'USDC', decimals: 6, usdPegged: true };
const CENT = 10_000n;

const input = (over: Partial<ReserveInput> = {}): ReserveInput => ({
  site: SITE,
  requestOrigin: SITE,
  resourceUrl: `${SITE}/a`,
  network: NET,
  asset: USDC,
  amount: CENT,
  payTo: '0x1111111111111111111111111111111111111111',
  expiresAt: T0 + 300_000,
  auto: true,
  now: T0,
  policyCheck: () => ({ action: 'pay' }),
  ...over,
});
const dailyBudget =
  (cap: bigint) =>
  (s: SpendSnapshot): Decision =>
    s.site.usd.day + CENT <= cap ? { action: 'pay' } : { action: 'ask', reason: 'period-cap-day', detail: 'cap' };
const newLedger = () => new Ledger({ timeZone: TZ, clock: () => T0 });

/** A record as another context would store it (the codec's shape). */
const foreignRecord = (id: string) => ({
  id,
  site: SITE,
  requestOrigin: SITE,
  resourceUrl: `${SITE}/${id}`,
  scheme: 'exact',
  x402Version: 2,
  network: NET,
  asset: USDC,
  amount: String(CENT),
  payTo: '0x1111111111111111111111111111111111111111',
  status: 'reserved',
  createdAt: T0,
  updatedAt: T0,
  expiresAt: T0 + 300_000,
  auto: true,
  times: { reserved: T0 },
});

beforeEach(() => fakeBrowser.reset());
afterEach(() => vi.restoreAllMocks());

describe('ledger memory between its own writes', () => {
  it("a payment's steps (pending, reserve, markSigned, get, commit, snapshot) read nothing from storage once loaded", async () => {
    const l = newLedger();
    await l.list(); // loaded
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    await l.pending();
    const { record } = await l.reserve(input({ id: 'p' }));
    await l.markSigned(record!.id, { expiresAt: T0 + 60_000, payer: '0x2' }, T0);
    await l.get('p');
    await l.settledByTx('0x3');
    await l.commit('p', { txHash: '0x3', network: NET, payer: '0x2' }, T0);
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(CENT);
    expect(get).not.toHaveBeenCalled();
  });

  it('a write by another context (its change event) is seen by the next step', async () => {
    const l = newLedger();
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(0n);
    // what another JS realm does: its own records and a generation this store never wrote
    await fakeBrowser.storage.local.set({ 'ledger.r.elsewhere': foreignRecord('elsewhere'), 'ledger.gen': 'written-elsewhere' });
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(CENT);
    expect(await l.get('elsewhere')).toMatchObject({ status: 'reserved' });
  });

  it('its own change events, however late, never force a reload', async () => {
    const l = newLedger();
    const gens: string[] = [];
    for (let i = 0; i < 5; i++) {
      await l.reserve(input({ id: `r${i}` }));
      gens.push(((await fakeBrowser.storage.local.get('ledger.gen')) as Record<string, string>)['ledger.gen']!);
    }
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    // the events of the first writes arriving after the last one (as Chrome may deliver them)
    for (const g of gens) await fakeBrowser.storage.onChanged.trigger({ 'ledger.gen': { newValue: g } }, 'local');
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(5n * CENT);
    expect(get).not.toHaveBeenCalled();
  });

  it('a change reported while a load was reading it is not lost: the next step loads again', async () => {
    const l = newLedger();
    const realGet = fakeBrowser.storage.local.get.bind(fakeBrowser.storage.local);
    let raced = false;
    vi.spyOn(fakeBrowser.storage.local, 'get').mockImplementation((async (keys: unknown) => {
      const out = await realGet(keys as never);
      if (keys === null && !raced) {
        raced = true;
        // another context wrote after this read took its copy, before the load finished
        await realGet('x'); // (a tick)
        await fakeBrowser.storage.local.set({ 'ledger.r.late': foreignRecord('late'), 'ledger.gen': 'late-writer' });
      }
      return out;
    }) as never);
    expect(await l.get('late')).toBeUndefined(); // the load's copy predates it
    expect(await l.get('late')).toMatchObject({ status: 'reserved' }); // …and the next step sees it
  });

  it('storage cleared under a loaded ledger: it follows', async () => {
    const l = newLedger();
    await l.reserve(input({ id: 'gone' }));
    await fakeBrowser.storage.local.clear();
    expect(await l.list()).toEqual([]);
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(0n);
  });

  it('two instances in one realm racing reservations against one budget stay exact (no event needed)', async () => {
    const a = newLedger();
    const b = newLedger();
    await a.list();
    await b.list();
    // no change event reaches either instance (yet both believe they listen): the realm's shared generation alone
    fakeBrowser.storage.onChanged.removeAllListeners();
    vi.spyOn(fakeBrowser.storage.onChanged, 'hasListener').mockReturnValue(true);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).reserve(input({ policyCheck: dailyBudget(9n * CENT) }))),
    );
    expect(results.filter((r) => r.decision.action === 'pay')).toHaveLength(9);
    expect((await a.snapshot(SITE, T0)).site.usd.day).toBe(9n * CENT);
    expect((await b.snapshot(SITE, T0)).site.usd.day).toBe(9n * CENT);
    expect(await newLedger().list({ status: 'reserved' })).toHaveLength(9);
  });
});
