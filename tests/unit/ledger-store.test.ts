/**
 * Ledger storage schema v2: migrations from every older layout, one record written per step,
 * a cache that follows other writers, write failures that lose nothing, and the incremental
 * spend index proven equal to the reference `computeSpend` on random operation sequences.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Ledger, type ReserveInput } from '../../lib/ledger/ledger';
import { computeSpend } from '../../lib/ledger/spend';
import { SpendIndex } from '../../lib/ledger/spend-index';
import type { ArchivedTotals, PaymentRecord, PaymentStatus } from '../../lib/ledger/types';

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

/** A v1 record exactly as the schema-1 code wrote it (no scheme, x402Version or times). */
const v1Record = (id: string, status: PaymentStatus, extra: Record<string, unknown> = {}) => ({
  id,
  site: SITE,
  requestOrigin: SITE,
  resourceUrl: `${SITE}/${id}`,
  network: NET,
  asset: USDC,
  amount: String(CENT),
  payTo: '0x1111111111111111111111111111111111111111',
  status,
  createdAt: T0 - 1000,
  updatedAt: T0 - 500,
  expiresAt: T0 + 300_000,
  auto: false,
  ...extra,
});

beforeEach(() => fakeBrowser.reset());

describe('ledger schema migrations', () => {
  const v1Doc = {
    records: [
      v1Record('a', 'settled', { txHash: '0xaa', payer: '0x2', confirmedBy: 'chain' }),
      v1Record('b', 'signed', { authorizationId: '0xnonce' }),
      v1Record('c', 'released'),
      { id: 'bad', amount: 'not a number', status: 'settled' },
    ],
    archive: { [SITE]: { usd: String(5n * CENT), tokens: {} }, '*': { usd: String(5n * CENT), tokens: {} } },
  };

  for (const [name, meta] of [
    ['v1 (wxt item, meta ledger$ = {v:1})', { ledger$: { v: 1 } }],
    ['v0 (the document without a version)', {}],
  ] as const) {
    it(`${name} → v2: every record to its own key with defaults, spend unchanged, old keys gone`, async () => {
      await fakeBrowser.storage.local.set({ ledger: v1Doc, ...meta });
      const l = new Ledger({ timeZone: TZ, clock: () => T0 });
      const a = await l.get('a');
      expect(a).toMatchObject({ status: 'settled', scheme: 'exact', x402Version: 0, txHash: '0xaa', times: { reserved: T0 - 1000, settled: T0 - 500 } });
      expect(await l.get('b')).toMatchObject({ status: 'signed', authorizationId: '0xnonce', times: { reserved: T0 - 1000, signed: T0 - 500 } });
      expect((await l.list()).map((r) => r.id).sort()).toEqual(['a', 'b', 'c']);
      const snap = await l.snapshot(SITE, T0);
      expect(snap.site.usd.day).toBe(2n * CENT); // a (settled) + b (signed)
      expect(snap.site.usd.lifetime).toBe(7n * CENT); // + the archive
      const all = await fakeBrowser.storage.local.get(null);
      expect(all.ledger).toBeUndefined();
      expect(all.ledger$).toBeUndefined();
      expect(all['ledger.meta']).toEqual({ version: 2, archive: v1Doc.archive });
      expect(Object.keys(all).filter((k) => k.startsWith('ledger.r.')).sort()).toEqual(['ledger.r.a', 'ledger.r.b', 'ledger.r.c', 'ledger.r.corrupt-bad']);
      // the record that did not decode is kept for investigation, never counted
      expect(all['ledger.r.corrupt-bad']).toEqual(v1Doc.records[3]);
      // a fresh instance (restart) reads the migrated layout the same way
      const again = new Ledger({ timeZone: TZ, clock: () => T0 });
      expect(await again.snapshot(SITE, T0)).toEqual(snap);
    });
  }

  it('a migration interrupted after writing its records finishes without duplicating anything', async () => {
    await fakeBrowser.storage.local.set({ ledger: v1Doc, ledger$: { v: 1 } });
    await new Ledger({ timeZone: TZ }).get('a'); // migrates
    // simulate the crash before the removal: the old document is back beside the new layout
    await fakeBrowser.storage.local.set({ ledger: v1Doc, ledger$: { v: 1 } });
    await fakeBrowser.storage.local.set({ 'ledger.gen': 'other-writer' });
    const l = new Ledger({ timeZone: TZ, clock: () => T0 });
    await l.commit('b', { txHash: '0xbb', network: NET, payer: '0x2' }, T0);
    const again = new Ledger({ timeZone: TZ, clock: () => T0 });
    expect((await again.list()).map((r) => [r.id, r.status])).toEqual(
      expect.arrayContaining([['a', 'settled'], ['b', 'settled'], ['c', 'released']]),
    );
    expect(await again.list()).toHaveLength(3);
    expect(await fakeBrowser.storage.local.get('ledger')).toEqual({});
  });

  it('a ledger written by a newer wallet is refused with a reason and left untouched', async () => {
    await fakeBrowser.storage.local.set({ 'ledger.meta': { version: 99, archive: {} }, 'ledger.r.x': { id: 'x' } });
    const l = new Ledger({ timeZone: TZ });
    await expect(l.list()).rejects.toThrow(/newer version of the wallet \(schema 99\)/);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ 'ledger.meta': { version: 99, archive: {} }, 'ledger.r.x': { id: 'x' } });
  });
});

describe('ledger storage: one step writes one record', () => {
  it('reserve, markSigned and commit each write exactly the record they change (plus the generation)', async () => {
    const l = new Ledger({ timeZone: TZ, clock: () => T0 });
    for (let i = 0; i < 50; i++) {
      const { record } = await l.reserve(input({ id: `old${i}` }));
      await l.commit(record!.id, { txHash: '0x1', network: NET, payer: '0x2' }, T0);
    }
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    const { record } = await l.reserve(input({ id: 'p' }));
    await l.markSigned(record!.id, { expiresAt: T0 + 60_000, payer: '0x2' }, T0);
    await l.commit(record!.id, { txHash: '0x3', network: NET, payer: '0x2' }, T0);
    expect(set.mock.calls.map((c) => Object.keys(c[0] as object).sort())).toEqual([
      ['ledger.gen', 'ledger.r.p'],
      ['ledger.gen', 'ledger.r.p'],
      ['ledger.gen', 'ledger.r.p'],
    ]);
    // reading (spend, list, pending) writes nothing
    set.mockClear();
    await l.snapshot(SITE, T0);
    await l.pending();
    await l.list();
    expect(set).not.toHaveBeenCalled();
  });

  it('a cached instance sees what another instance wrote (generation check)', async () => {
    const a = new Ledger({ timeZone: TZ, clock: () => T0 });
    const b = new Ledger({ timeZone: TZ, clock: () => T0 });
    await a.reserve(input({ id: 'x' }));
    expect((await b.snapshot(SITE, T0)).site.usd.day).toBe(CENT);
    await b.reserve(input({ id: 'y' }));
    await b.release('y', T0);
    expect(await a.get('y')).toMatchObject({ status: 'released' });
    expect((await a.snapshot(SITE, T0)).site.usd.day).toBe(CENT);
    fakeBrowser.reset(); // storage wiped under a cached instance: it follows
    expect(await a.list()).toEqual([]);
  });

  it('a failed write (e.g. storage quota) rejects the step and loses nothing: memory is not ahead of storage', async () => {
    const l = new Ledger({ timeZone: TZ, clock: () => T0 });
    const { record } = await l.reserve(input({ id: 'kept' }));
    const set = vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValueOnce(new Error('QUOTA_BYTES quota exceeded'));
    await expect(l.reserve(input({ id: 'lost' }))).rejects.toThrow(/quota/);
    await expect(l.commit(record!.id, { txHash: '0x1', network: NET, payer: '0x2' }, T0)).resolves.toMatchObject({ status: 'settled' });
    set.mockRestore();
    expect(await l.get('lost')).toBeUndefined();
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(CENT);
    expect(await new Ledger({ timeZone: TZ }).get('kept')).toMatchObject({ status: 'settled' });
  });
});

describe('ledger storage: faults and bad records lose nothing and count nothing twice', () => {
  const DAY_MS = 86_400_000;
  it('pruning interrupted after the archive was written (remove fails, worker dies) never counts a record twice', async () => {
    const l = new Ledger({ timeZone: TZ, clock: () => T0, retention: { maxSettled: 1, settledMinAgeDays: 40 } });
    const old = T0 - 100 * DAY_MS;
    for (let i = 0; i < 4; i++) {
      const { record } = await l.reserve(input({ id: `s${i}`, now: old + i, expiresAt: old + 1e6 }));
      await l.commit(record!.id, { txHash: `0x${i}`, network: NET, payer: '0x2' }, old + i);
    }
    const lifetime = (await l.snapshot(SITE, T0)).site.usd.lifetime;
    expect(lifetime).toBe(4n * CENT);
    const remove = vi.spyOn(fakeBrowser.storage.local, 'remove').mockRejectedValue(new Error('worker killed'));
    expect((await l.sweep(T0)).pruned).toBe(3);
    remove.mockRestore();
    // a fresh instance after the "crash": archive + tombstones, no record counted twice
    const again = new Ledger({ timeZone: TZ, clock: () => T0, retention: { maxSettled: 1, settledMinAgeDays: 40 } });
    expect((await again.snapshot(SITE, T0)).site.usd.lifetime).toBe(lifetime);
    expect((await again.list()).map((r) => r.id)).toEqual(['s3']);
    await again.sweep(T0);
    expect((await again.snapshot(SITE, T0)).site.usd.lifetime).toBe(lifetime);
    // the tombstones were cleaned up by the load
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).filter((k) => k.startsWith('ledger.r.')).sort()).toEqual(['ledger.r.s3']);
  });

  it('a malformed stored record is left out (kept in storage); the ledger keeps working and counting the rest', async () => {
    const l = new Ledger({ timeZone: TZ, clock: () => T0 });
    await l.reserve(input({ id: 'good' }));
    const bad = [
      { id: 'no-asset', site: SITE, requestOrigin: SITE, resourceUrl: SITE, network: NET, amount: '5', payTo: 'x', status: 'settled', createdAt: T0, updatedAt: T0, expiresAt: T0 },
      { id: 'str-decimals', site: SITE, requestOrigin: SITE, resourceUrl: SITE, network: NET, asset: { ...USDC, decimals: '6' }, amount: '5', payTo: 'x', status: 'settled', createdAt: T0, updatedAt: T0, expiresAt: T0 },
      { id: 'num-network', site: SITE, requestOrigin: SITE, resourceUrl: SITE, network: 7, asset: USDC, amount: '5', payTo: 'x', status: 'settled', createdAt: T0, updatedAt: T0, expiresAt: T0 },
    ];
    await fakeBrowser.storage.local.set(Object.fromEntries(bad.map((b) => [`ledger.r.${b.id}`, b])));
    await fakeBrowser.storage.local.set({ 'ledger.gen': 'someone-else' });
    expect((await l.list()).map((r) => r.id)).toEqual(['good']);
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(CENT);
    expect(await fakeBrowser.storage.local.get('ledger.r.no-asset')).toEqual({ 'ledger.r.no-asset': bad[0] });
  });

  it('records created within the same millisecond (or at fractional times) stay ordered and counted', async () => {
    const l = new Ledger({ timeZone: TZ, clock: () => T0 });
    for (const [id, now] of [['a', T0 + 2], ['b', T0 + 1.5], ['c', T0 + 1.5], ['d', T0 + 1]] as const) {
      const { record } = await l.reserve(input({ id, now }));
      await l.commit(record!.id, { txHash: `0x${id}`, network: NET, payer: '0x2' }, now);
    }
    expect((await l.snapshot(SITE, T0 + 3)).recent).toEqual([T0 + 1, T0 + 1.5, T0 + 1.5, T0 + 2]);
    expect((await l.list()).map((r) => r.id).slice(0, 1)).toEqual(['a']);
  });

  it('a payment settled on "authorization used" gets its transaction hash from a later confirmed receipt, counted once', async () => {
    const l = new Ledger({ timeZone: TZ, clock: () => T0 });
    const { record } = await l.reserve(input({ id: 'p' }));
    await l.commit(record!.id, { txHash: '', network: NET, payer: '0x2', confirmedBy: 'chain' }, T0);
    expect((await l.get('p'))!.txHash).toBeUndefined();
    const again = await l.commitWithUsage('p', { txHash: '0xFeed', network: NET, payer: '0x2', confirmedBy: 'chain' }, { now: T0 });
    expect(again.before).toBeUndefined(); // no second step: nothing counted again
    expect((await l.get('p'))!.txHash).toBe('0xFeed');
    expect(await l.settledByTx('0xfeed')).toBe('p');
    await l.commit('p', { txHash: '0xother', network: NET, payer: '0x2' }, T0); // a hash once set stays
    expect((await l.get('p'))!.txHash).toBe('0xFeed');
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(CENT);
  });

  it('settledByTx: which record a transaction settled, without walking the history', async () => {
    const l = new Ledger({ timeZone: TZ, clock: () => T0 });
    const { record } = await l.reserve(input({ id: 'p' }));
    expect(await l.settledByTx('0xABCD')).toBeUndefined();
    await l.commit(record!.id, { txHash: '0xAbCd', network: NET, payer: '0x2' }, T0);
    expect(await l.settledByTx('0xabcd')).toBe('p');
    expect(await new Ledger({ timeZone: TZ }).settledByTx('0xABCD')).toBe('p'); // rebuilt on load
  });

  it('a signed payment released at expiry without the chain\'s answer stays counted (unverified) for 7 days; an unsigned one does not', async () => {
    const l = new Ledger({ timeZone: TZ, clock: () => T0 });
    const signed = (await l.reserve(input({ id: 'signed' }))).record!;
    await l.reserve(input({ id: 'unsigned', expiresAt: T0 - 1 }));
    await l.markSigned(signed.id, { expiresAt: T0 - 120_000, authorizationId: 'x' }, T0);
    await l.sweep(T0);
    expect(await l.get('signed')).toMatchObject({ status: 'released', unverified: true });
    expect((await l.get('unsigned'))!.unverified).toBeUndefined();
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(CENT); // the unverified one still counts
    expect((await l.pending(undefined, T0)).size).toBe(0); // but is not 'pending' against the balance
    expect((await l.snapshot(SITE, T0 + 7 * DAY_MS + 1)).site.usd.lifetime).toBe(0n); // given up after the window
    expect((await l.releaseUnused('signed', T0)).unverified).toBeUndefined(); // the chain shows it unused: released for good
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(0n);
  });
});

// ---- the incremental spend index equals the reference computation --------------------------

const SITES = ['https://a.example', 'https://b.example', 'https://a.example/x'];
const TOKENS = [
  { network: NET, asset: USDC },
  { network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', asset: { address: '7LHurnExzbrPM5iPZGytbqM89baf1E2WbTsfQnw4pJpD', symbol: 'USDC', decimals: 6, usdPegged: true } },
  { network: NET, asset: { address: '0x00000000000000000000000000000000000000aa', symbol: 'XYZ', decimals: 18, usdPegged: false } },
];
const STATUSES: PaymentStatus[] = ['reserved', 'signed', 'settled', 'failed', 'released', 'unknown'];
const DAY = 86_400_000;

// times cluster on the edges that matter: the rate window (60 s), day/week/month starts, expiry grace
const EDGES = [0, -1, 1, 0.5, -0.5, 1.5, -59_999, -60_000, -60_001, -61_000, -10 * 60_000, -DAY, -2 * DAY, -8 * DAY, -32 * DAY, -65 * DAY, DAY];
const timeArb = fc.oneof(fc.constantFrom(...EDGES), fc.integer({ min: -70 * DAY, max: DAY }));
const recordArb = fc.record({
  site: fc.constantFrom(...SITES),
  token: fc.constantFrom(...TOKENS),
  amount: fc.oneof(fc.constantFrom(0n, 1n, 5n, 9999n), fc.bigInt({ min: 0n, max: 10n ** 20n })),
  status: fc.constantFrom(...STATUSES),
  created: timeArb,
  expires: timeArb,
  unverified: fc.boolean(),
  updated: fc.oneof(fc.constantFrom(0, -7 * DAY + 1, -7 * DAY, -7 * DAY - 1), fc.integer({ min: -10 * DAY, max: DAY })),
});
const queryArb = fc.record({
  offset: fc.oneof(fc.constantFrom(0, 1, 30_000, 61_000, -DAY, 3 * DAY), fc.integer({ min: -40 * DAY, max: 2 * DAY })),
  tz: fc.constantFrom('UTC', TZ, 'America/Los_Angeles', 'Asia/Kolkata'),
  site: fc.constantFrom(...SITES),
  active: fc.boolean(),
});

type RecordGen = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;
type QueryGen = typeof queryArb extends fc.Arbitrary<infer T> ? T : never;
type Op =
  | { kind: 'add'; r: RecordGen }
  | { kind: 'change'; at: number; status: PaymentStatus; amount?: bigint }
  | { kind: 'remove'; at: number }
  | { kind: 'query'; q: QueryGen };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: recordArb.map((r) => ({ kind: 'add' as const, r })) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('change' as const), at: fc.nat(), status: fc.constantFrom(...STATUSES), amount: fc.option(fc.bigInt({ min: 0n, max: 10n ** 9n }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
  // queries between the changes: the cached period totals must follow every change
  { weight: 2, arbitrary: queryArb.map((q) => ({ kind: 'query' as const, q })) },
);

describe('SpendIndex ≡ computeSpend', () => {
  it('on random records, state changes and removals, for any now and time zone (2,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 40 }),
        fc.array(queryArb, { minLength: 1, maxLength: 3 }),
        (ops, queries) => {
          const records: PaymentRecord[] = [];
          const index = new SpendIndex();
          const archive: Record<string, ArchivedTotals> = { [SITES[0]!]: { usd: '7', tokens: { [`${NET}|x`]: '3' } }, '*': { usd: '9', tokens: {} } };
          const check = (q: QueryGen) => {
            const now = T0 + q.offset;
            const base = q.active ? records : records.filter((r) => r.status === 'settled');
            expect(index.snapshot(archive, q.site, now, q.tz, q.active)).toEqual(computeSpend(base, archive, q.site, now, q.tz));
          };
          let n = 0;
          for (const op of ops) {
            if (op.kind === 'query') check(op.q);
            else if (op.kind === 'add') {
              const r: PaymentRecord = {
                id: `r${n++}`, site: op.r.site, requestOrigin: op.r.site, resourceUrl: op.r.site, scheme: 'exact', x402Version: 2,
                network: op.r.token.network, asset: op.r.token.asset, amount: op.r.amount, payTo: 'p', status: op.r.status,
                createdAt: T0 + op.r.created, updatedAt: T0 + op.r.updated, expiresAt: T0 + op.r.expires, auto: true, times: {},
                ...(op.r.unverified ? { unverified: true } : {}),
              };
              records.push(r);
              index.add(r);
            } else if (records.length > 0) {
              const r = records[op.at % records.length]!;
              index.remove(r);
              if (op.kind === 'remove') records.splice(records.indexOf(r), 1);
              else {
                r.status = op.status;
                if (op.amount !== undefined) r.amount = op.amount;
                index.add(r);
              }
            }
          }
          for (const q of queries) check(q);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
