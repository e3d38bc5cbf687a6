import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Ledger, LedgerError, type ReserveInput } from '../../lib/ledger/ledger';
import type { LedgerAsset } from '../../lib/ledger/types';
import { decide } from '../../lib/policy/decide';
import type { PaymentRequest, SitePolicy, SpendSnapshot } from '../../lib/policy/types';
import { tokenKey } from '../../lib/policy/units';

const SITE = 'https://news.example';
const NET = 'eip155:84532';
const USDC: LedgerAsset = { address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', symbol: 'USDC', decimals: 6, usdPegged: true };
const TZ = 'Europe/Berlin';
const T0 = Date.parse('2026-05-14T10:00:00Z');
const CENT = 10_000n;
const PAY = () => ({ action: 'pay' as const });

function input(over: Partial<ReserveInput> = {}): ReserveInput {
  return {
    site: SITE,
    requestOrigin: 'https://api.news.example',
    resourceUrl: 'https://api.news.example/article/1',
    network: NET,
    asset: USDC,
    amount: CENT,
    payTo: '0x1111111111111111111111111111111111111111',
    expiresAt: T0 + 120_000,
    auto: true,
    now: T0,
    policyCheck: PAY,
    ...over,
  };
}

function newLedger(clock = () => T0) {
  return new Ledger({ timeZone: TZ, clock });
}

/** A policy check built from the real decide(): daily budget of `cap` micro-dollars. */
function dailyBudget(cap: bigint, now = T0) {
  const policy: SitePolicy = { site: SITE, mode: 'auto', caps: { day: { unit: 'usd', amount: cap } }, createdAt: 0, updatedAt: 0 };
  return (snap: SpendSnapshot) => {
    const req: PaymentRequest = { site: SITE, requestOrigin: SITE, network: NET, asset: USDC, amount: CENT, now };
    return decide(policy, {}, snap, req, TZ);
  };
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('reservation lifecycle', () => {
  it('reserve → signed → commit: counted throughout, settled at the end', async () => {
    const l = newLedger();
    const { decision, record } = await l.reserve(input({ paymentIdentifier: 'pid-1' }));
    expect(decision).toEqual({ action: 'pay' });
    expect(record).toMatchObject({ status: 'reserved', amount: CENT, site: SITE, createdAt: T0 });
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(CENT);

    const signed = await l.markSigned(record!.id, { expiresAt: T0 + 60_000, paymentIdentifier: 'pid-1' }, T0 + 1);
    expect(signed).toMatchObject({ status: 'signed', expiresAt: T0 + 60_000, updatedAt: T0 + 1 });
    expect((await l.snapshot(SITE, T0 + 2)).site.usd.day).toBe(CENT);

    const settled = await l.commit(record!.id, { txHash: '0xabc', network: NET, payer: '0x2222222222222222222222222222222222222222' }, T0 + 3);
    expect(settled).toMatchObject({ status: 'settled', txHash: '0xabc', payer: '0x2222222222222222222222222222222222222222' });
    expect(settled.settledNetwork).toBeUndefined();
    const snap = await l.snapshot(SITE, T0 + 4);
    expect(snap.site.usd).toEqual({ day: CENT, week: CENT, month: CENT, lifetime: CENT });
    expect(snap.site.tokens[tokenKey(NET, USDC.address)]?.lifetime).toBe(CENT);
    expect(snap.global.usd.day).toBe(CENT);
    expect(snap.recent).toEqual([T0]);
    // settled never expires out of the budget
    expect((await l.sweep(T0 + 10 * 86_400_000)).released).toEqual([]);
    expect((await l.snapshot(SITE, T0 + 10 * 86_400_000)).site.usd.lifetime).toBe(CENT);
  });

  it('a non-pay decision writes nothing and returns the decision', async () => {
    const l = newLedger();
    const res = await l.reserve(input({ policyCheck: () => ({ action: 'ask', reason: 'no-budget', detail: 'x' }) }));
    expect(res).toEqual({ decision: { action: 'ask', reason: 'no-budget', detail: 'x' } });
    expect(await l.list()).toEqual([]);
  });

  it('policyCheck sees the spend snapshot including earlier reservations', async () => {
    const l = newLedger();
    await l.reserve(input());
    await l.reserve(input({ site: 'https://other.example' }));
    let seen: SpendSnapshot | undefined;
    await l.reserve(input({ policyCheck: (s) => ((seen = s), PAY()) }));
    expect(seen?.site.usd.day).toBe(CENT);
    expect(seen?.global.usd.day).toBe(2n * CENT);
    expect(seen?.timeZone).toBe(TZ);
  });

  it('reserve → fail definite releases the budget', async () => {
    const l = newLedger();
    const { record } = await l.reserve(input());
    const failed = await l.fail(record!.id, 'invalid_signature', { definite: true }, T0 + 5);
    expect(failed).toMatchObject({ status: 'failed', errorReason: 'invalid_signature' });
    expect((await l.snapshot(SITE, T0 + 6)).site.usd.day).toBe(0n);
  });

  it('ambiguous failure stays counted; after expiry (+grace) the sweep releases it unverified — still counted until the chain shows it unused', async () => {
    const l = newLedger();
    const { record } = await l.reserve(input());
    await l.markSigned(record!.id, { expiresAt: T0 + 60_000 });
    const u = await l.fail(record!.id, 'timeout', { definite: false }, T0 + 1000);
    expect(u.status).toBe('unknown');
    expect((await l.snapshot(SITE, T0 + 60_000)).site.usd.day).toBe(CENT);
    // cannot be released by hand while it could still settle
    await expect(l.release(record!.id, T0 + 2000)).rejects.toMatchObject({ code: 'invalid-transition' });
    expect((await l.sweep(T0 + 60_000)).released).toEqual([]);
    expect((await l.sweep(T0 + 60_000 + 60_000)).released).toEqual([]); // still inside the 60 s grace
    const { released } = await l.sweep(T0 + 120_001);
    expect(released.map((r) => r.id)).toEqual([record!.id]);
    expect(await l.get(record!.id)).toMatchObject({ status: 'released', unverified: true });
    expect((await l.snapshot(SITE, T0 + 120_002)).site.usd.day).toBe(CENT); // it may have settled
    await l.releaseUnused(record!.id, T0 + 120_003); // the chain shows it unused
    expect((await l.snapshot(SITE, T0 + 120_004)).site.usd.day).toBe(0n);
  });

  it('an unsigned reservation expires exactly at expiresAt (no grace) and then cannot be signed', async () => {
    const l = newLedger();
    const { record } = await l.reserve(input({ expiresAt: T0 + 1000 }));
    expect((await l.snapshot(SITE, T0 + 1000)).site.usd.day).toBe(CENT);
    expect((await l.snapshot(SITE, T0 + 1001)).site.usd.day).toBe(0n); // already not counted
    expect((await l.sweep(T0 + 1001)).released).toHaveLength(1);
    await expect(l.markSigned(record!.id, { expiresAt: T0 + 5000 })).rejects.toBeInstanceOf(LedgerError);
  });

  it('commit after an unknown outcome settles it; fail after settle is ignored', async () => {
    const l = newLedger();
    const { record } = await l.reserve(input());
    await l.fail(record!.id, '502', { definite: false });
    await l.commit(record!.id, { txHash: '0xdef', network: 'eip155:1', payer: '0x3' });
    const after = await l.fail(record!.id, 'late', { definite: true });
    expect(after).toMatchObject({ status: 'settled', txHash: '0xdef', settledNetwork: 'eip155:1' });
    expect(after.errorReason).toBeUndefined();
    await expect(l.release(record!.id)).rejects.toMatchObject({ code: 'invalid-transition' });
  });

  it('release is idempotent; unknown ids and duplicate ids are errors', async () => {
    const l = newLedger();
    const { record } = await l.reserve(input({ id: 'fixed-id' }));
    const r1 = await l.release('fixed-id', T0 + 1);
    const r2 = await l.release('fixed-id', T0 + 2);
    expect(r1.status).toBe('released');
    expect(r2).toEqual(r1);
    await expect(l.release('nope')).rejects.toMatchObject({ code: 'not-found' });
    await expect(l.reserve(input({ id: record!.id }))).rejects.toMatchObject({ code: 'duplicate-id' });
    await expect(l.reserve(input({ amount: -1n }))).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('a failing policyCheck rejects that call and does not break the mutex', async () => {
    const l = newLedger();
    const bad = l.reserve(input({ policyCheck: () => { throw new Error('boom'); } }));
    const good = l.reserve(input());
    await expect(bad).rejects.toThrow('boom');
    expect((await good).record?.status).toBe('reserved');
    expect(await l.list()).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('50 concurrent reserves against a budget for exactly 10 → exactly 10 reserved', async () => {
    const l = newLedger();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 50 }, () => l.reserve(input({ policyCheck: dailyBudget(10n * CENT) }))));
    const ms = performance.now() - started;
    const paid = results.filter((r) => r.decision.action === 'pay');
    expect(paid).toHaveLength(10);
    expect(results.filter((r) => r.decision.action === 'ask' && r.decision.reason === 'period-cap-day')).toHaveLength(40);
    expect(await l.list({ status: 'reserved' })).toHaveLength(10);
    expect((await l.snapshot(SITE, T0)).site.usd.day).toBe(10n * CENT);
    console.info(`50 concurrent reserves: ${ms.toFixed(1)} ms`);
  });

  it('two Ledger instances over the same storage key are serialized too', async () => {
    const a = newLedger();
    const b = newLedger();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).reserve(input({ policyCheck: dailyBudget(7n * CENT) }))),
    );
    expect(results.filter((r) => r.decision.action === 'pay')).toHaveLength(7);
  });

  it('racing settle of 10 then 40 more payments never exceeds the budget', async () => {
    const l = newLedger();
    const first = await Promise.all(Array.from({ length: 10 }, () => l.reserve(input({ policyCheck: dailyBudget(10n * CENT) }))));
    await Promise.all(first.map((r, i) => l.commit(r.record!.id, { txHash: `0x${i}`, network: NET, payer: '0x2' })));
    const more = await Promise.all(Array.from({ length: 40 }, () => l.reserve(input({ policyCheck: dailyBudget(10n * CENT) }))));
    expect(more.every((r) => r.decision.action === 'ask')).toBe(true);
    expect(await l.list({ status: 'settled' })).toHaveLength(10);
  });
});

describe('persistence across a simulated restart', () => {
  it('a fresh instance sees the previous instance’s reservations; releasing twice is a no-op', async () => {
    const before = newLedger();
    const a = await before.reserve(input({ amount: 3n * CENT }));
    const b = await before.reserve(input({ amount: 2n * CENT }));
    await before.markSigned(b.record!.id, { expiresAt: T0 + 90_000, paymentIdentifier: 'pid-b' });
    const spendBefore = await before.snapshot(SITE, T0);

    // "restart": a new Ledger (no memory of the old one) over the same fakeBrowser storage
    const after = new Ledger({ timeZone: TZ, clock: () => T0 });
    const spendAfter = await after.snapshot(SITE, T0);
    expect(spendAfter).toEqual(spendBefore);
    expect(spendAfter.site.usd.day).toBe(5n * CENT);
    expect((await after.get(b.record!.id))).toMatchObject({ status: 'signed', paymentIdentifier: 'pid-b', amount: 2n * CENT });

    await after.release(a.record!.id);
    const again = new Ledger({ timeZone: TZ, clock: () => T0 });
    const once = await again.release(a.record!.id);
    expect(once.status).toBe('released');
    expect((await again.snapshot(SITE, T0)).site.usd.day).toBe(2n * CENT);

    // a budget check after the restart counts what the old instance reserved
    const res = await again.reserve(input({ policyCheck: dailyBudget(3n * CENT) }));
    expect(res.decision.action).toBe('pay');
    const res2 = await again.reserve(input({ policyCheck: dailyBudget(3n * CENT) }));
    expect(res2.decision).toMatchObject({ action: 'ask', reason: 'period-cap-day' });
  });

  it('stores each record under its own key, bigint amounts as decimal strings, with the schema version', async () => {
    // at first install the first write records the schema version
    const l = new Ledger({ timeZone: TZ, clock: () => T0 });
    const { record } = await l.reserve(input({ amount: 123_456_789_012_345_678_901_234_567_890n }));
    const key = `ledger.r.${record!.id}`;
    const raw = (await fakeBrowser.storage.local.get(key)) as Record<string, { amount: unknown; times: unknown }>;
    expect(raw[key]?.amount).toBe('123456789012345678901234567890');
    expect(raw[key]?.times).toEqual({ reserved: T0 });
    expect(await fakeBrowser.storage.local.get('ledger.meta')).toEqual({ 'ledger.meta': { version: 2, archive: {} } });
    expect(await fakeBrowser.storage.local.get('ledger')).toEqual({});
  });
});

describe('periods, listing and pruning', () => {
  it('a payment made yesterday (Berlin time) counts for the week but not today', async () => {
    const l = newLedger();
    const lateYesterday = Date.parse('2026-05-13T21:59:00Z'); // 23:59 CEST on Wed 13 May
    await l.reserve(input({ now: lateYesterday, expiresAt: T0 + 1e9 }));
    await l.reserve(input({ now: Date.parse('2026-05-13T22:00:00Z'), expiresAt: T0 + 1e9 })); // 00:00 Thu
    const snap = await l.snapshot(SITE, T0);
    expect(snap.site.usd.day).toBe(CENT);
    expect(snap.site.usd.week).toBe(2n * CENT);
    const utc = await l.snapshot(SITE, T0, 'UTC'); // in UTC both are on the 13th... and the 13th isn't today
    expect(utc.site.usd.day).toBe(0n);
  });

  it('list: newest first, by site, by status, with limit', async () => {
    const l = newLedger();
    for (let i = 0; i < 5; i++) await l.reserve(input({ id: `r${i}`, now: T0 + i, site: i % 2 ? 'https://other.example' : SITE }));
    expect((await l.list()).map((r) => r.id)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
    expect((await l.list({ site: 'https://other.example/' })).map((r) => r.id)).toEqual(['r3', 'r1']);
    expect((await l.list({ limit: 2 })).map((r) => r.id)).toEqual(['r4', 'r3']);
    await l.release('r2');
    expect((await l.list({ status: ['released'] })).map((r) => r.id)).toEqual(['r2']);
  });

  it('prunes old released/failed records and folds old settled history into lifetime totals', async () => {
    const DAY = 86_400_000;
    const l = new Ledger({ timeZone: TZ, clock: () => T0, retention: { inactiveDays: 30, maxSettled: 2, settledMinAgeDays: 40 } });
    const old = T0 - 100 * DAY;
    for (let i = 0; i < 4; i++) {
      const { record } = await l.reserve(input({ id: `s${i}`, now: old + i, expiresAt: old + 1e6 }));
      await l.commit(record!.id, { txHash: `0x${i}`, network: NET, payer: '0x2' }, old + i);
    }
    const { record: f } = await l.reserve(input({ id: 'f', now: old, expiresAt: old + 1e6 }));
    await l.fail(f!.id, 'bad', { definite: true }, old);
    const recent = await l.reserve(input({ id: 'new', now: T0 }));
    await l.commit(recent.record!.id, { txHash: '0xn', network: NET, payer: '0x2' }, T0);

    const lifetimeBefore = (await l.snapshot(SITE, T0)).site.usd.lifetime;
    expect(lifetimeBefore).toBe(5n * CENT);
    // the payment path leaves pruning to the sweep while the history is within its limits
    expect((await l.list()).map((r) => r.id)).toEqual(['new', 's3', 's2', 's1', 'f', 's0']);
    const { pruned } = await l.sweep(T0);
    expect(pruned).toBe(4);
    for (const id of ['s0', 's1', 's2', 'f']) expect(await fakeBrowser.storage.local.get(`ledger.r.${id}`)).toEqual({});
    expect((await l.list()).map((r) => r.id)).toEqual(['new', 's3']);
    const snap = await l.snapshot(SITE, T0);
    expect(snap.site.usd.lifetime).toBe(lifetimeBefore);
    expect(snap.global.usd.lifetime).toBe(lifetimeBefore);
    expect(snap.site.tokens[tokenKey(NET, USDC.address)]?.lifetime).toBe(5n * CENT);
    expect(snap.site.usd.day).toBe(CENT);
  });

  it('a reservation prunes at once when the history is over its hard limit (settled + inactive caps)', async () => {
    const DAY = 86_400_000;
    const l = new Ledger({ timeZone: TZ, clock: () => T0, retention: { maxSettled: 2, maxInactive: 1, settledMinAgeDays: 40 } });
    const old = T0 - 100 * DAY;
    for (let i = 0; i < 4; i++) {
      const { record } = await l.reserve(input({ id: `s${i}`, now: old + i, expiresAt: old + 1e6 }));
      await l.commit(record!.id, { txHash: `0x${i}`, network: NET, payer: '0x2' }, old + i);
    }
    expect((await l.list()).map((r) => r.id)).toEqual(['s3', 's2', 's1', 's0']); // young then: kept
    // 5 records > 2 + 1: today's reservation prunes the two oldest settled beyond the cap into the archive
    await l.reserve(input({ id: 'new', now: T0 }));
    expect((await l.list()).map((r) => r.id)).toEqual(['new', 's3', 's2']);
    expect((await l.snapshot(SITE, T0)).site.usd.lifetime).toBe(5n * CENT);
    expect((await fakeBrowser.storage.local.get('ledger.meta'))['ledger.meta']).toMatchObject({ version: 2, archive: { [SITE]: { usd: String(2n * CENT) } } });
  });

  it('never prunes settled records young enough to matter for a calendar period', async () => {
    const l = new Ledger({ timeZone: TZ, clock: () => T0, retention: { maxSettled: 1 } });
    for (let i = 0; i < 3; i++) {
      const { record } = await l.reserve(input({ now: T0 - i * 86_400_000 }));
      await l.commit(record!.id, { txHash: '0x', network: NET, payer: '0x2' });
    }
    expect((await l.sweep(T0)).pruned).toBe(0);
    expect((await l.snapshot(SITE, T0)).site.usd.month).toBe(3n * CENT);
  });
});
