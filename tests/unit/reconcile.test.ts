/**
 * Reconciliation (PaymentService.reconcile) over the real ledger: the chain decides the payments
 * whose outcome the wallet did not see — a claimed transaction it confirms, or an EIP-3009
 * authorization it reports used, settles them (counted, checked on chain); an expired one it
 * reports unused is released on its word; payments released unverified at expiry (the chain could
 * not be asked) are asked again until they are decided. The chain here is a stub of ChainTruth (its rail readings are tested
 * in chain-truth.test.ts and end to end in the browser suites).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ChainTruth } from '../../lib/background/chain';
import { PaymentService, type PaymentDeps } from '../../lib/background/payments';
import { UNVERIFIED_KEEP_MS } from '../../lib/ledger/ledger';
import { Ledger } from '../../lib/ledger/ledger';
import type { PaymentRecord } from '../../lib/ledger/types';
import type { SettlementCheck } from '../../lib/rails';

const ASSET = { address: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0', symbol: 'USDC', decimals: 6, usdPegged: true };

async function signedRecord(l: Ledger, nonce?: string): Promise<PaymentRecord> {
  const res = await l.reserve({
    site: 'http://127.0.0.1:1', requestOrigin: 'http://127.0.0.1:1', resourceUrl: 'http://127.0.0.1:1/api', network: 'eip155:31337',
    asset: ASSET, amount: 10_000n, payTo: '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720', expiresAt: Date.now() + 60_000, auto: false,
    policyCheck: () => ({ action: 'pay' }),
  });
  return l.markSigned(res.record!.id, { expiresAt: Date.now() + 60_000, payer: '0x41CAcd5819833aE857686f9C387d25B5C257B880', ...(nonce ? { authorizationId: nonce } : {}) });
}

function service(l: Ledger, chain: Partial<ChainTruth>) {
  const deps = {
    ledger: l,
    // a rail that cannot look up the using transaction unless the test says so
    chain: { authorizationTx: async () => undefined, ...chain } as ChainTruth,
    timeZone: () => 'UTC',
    policies: { get: async () => undefined, getGlobal: async () => ({}) },
    settings: { notify: async () => undefined },
  } as unknown as PaymentDeps;
  return new PaymentService(deps);
}

describe('reconcile: the chain decides unseen outcomes', () => {
  beforeEach(() => fakeBrowser.reset());

  it('a claimed transaction the chain confirms settles the payment, checked on chain', async () => {
    const l = new Ledger();
    const rec = await signedRecord(l);
    const tx = `0x${'ab'.repeat(32)}`;
    await l.fail(rec.id, 'The server reported settlement …, but it is not on the chain', { definite: false, claimedTxHash: tx });
    const asked: string[] = [];
    const svc = service(l, { settlement: async (_r, t): Promise<SettlementCheck> => (asked.push(t), { state: 'confirmed' }), authorizationUsed: async () => undefined });
    expect(await svc.reconcile()).toEqual({ checked: 1, settled: 1, released: 0 });
    expect(asked).toEqual([tx]);
    expect(await l.get(rec.id)).toMatchObject({ status: 'settled', txHash: tx, confirmedBy: 'chain' });
    expect((await l.get(rec.id))!.claimedTxHash).toBeUndefined();
  });

  it('an EIP-3009 authorization the chain reports used settles it (no receipt ever seen)', async () => {
    const l = new Ledger();
    const rec = await signedRecord(l, `0x${'11'.repeat(32)}`);
    const svc = service(l, { settlement: async () => ({ state: 'not-found' }), authorizationUsed: async (r) => r.authorizationId === `0x${'11'.repeat(32)}` });
    expect(await svc.reconcile()).toEqual({ checked: 1, settled: 1, released: 0 });
    expect(await l.get(rec.id)).toMatchObject({ status: 'settled', confirmedBy: 'chain' });
  });

  it('"used" is believed only with the transaction that used it: an RPC that shows none leaves the payment unknown, said why', async () => {
    const l = new Ledger();
    const rec = await signedRecord(l, `0x${'12'.repeat(32)}`);
    await l.fail(rec.id, 'Outcome unknown (HTTP 502)', { definite: false });
    const svc = service(l, { settlement: async () => ({ state: 'not-found' }), authorizationUsed: async () => true, authorizationTx: async () => ({ none: true }) });
    expect(await svc.reconcile()).toEqual({ checked: 1, settled: 0, released: 0 });
    expect(await l.get(rec.id)).toMatchObject({ status: 'unknown', errorReason: expect.stringMatching(/says this payment was used, but shows no transaction/) });
  });

  it('the transaction that used the authorization settles it when it is this payment (its hash recorded), not when it is another', async () => {
    const l = new Ledger();
    const good = await signedRecord(l, `0x${'13'.repeat(32)}`);
    const bad = await signedRecord(l, `0x${'14'.repeat(32)}`);
    const txGood = `0x${'c1'.repeat(32)}`;
    const txBad = `0x${'c2'.repeat(32)}`;
    const svc = service(l, {
      settlement: async (_r, t): Promise<SettlementCheck> => (t === txGood ? { state: 'confirmed' } : { state: 'mismatch', reason: 'the transaction moves no USDC from the payer to the payee for this amount' }),
      authorizationUsed: async () => true,
      authorizationTx: async (r) => ({ tx: r.id === good.id ? txGood : txBad }),
    });
    expect(await svc.reconcile()).toEqual({ checked: 2, settled: 1, released: 0 });
    expect(await l.get(good.id)).toMatchObject({ status: 'settled', txHash: txGood, confirmedBy: 'chain' });
    expect((await l.get(bad.id))!.status).not.toBe('settled');
  });

  it('a claimed hash the chain does not confirm does not stop the authorization check; the first claim is kept', async () => {
    const l = new Ledger();
    const rec = await signedRecord(l, `0x${'33'.repeat(32)}`);
    const real = `0x${'aa'.repeat(32)}`;
    await l.fail(rec.id, 'server claim', { definite: false, claimedTxHash: real });
    await l.fail(rec.id, 'a later claim', { definite: false, claimedTxHash: `0x${'ff'.repeat(32)}` });
    expect((await l.get(rec.id))!.claimedTxHash).toBe(real);
    const svc = service(l, { settlement: async () => ({ state: 'not-found' }), authorizationUsed: async () => true });
    expect(await svc.reconcile()).toEqual({ checked: 1, settled: 1, released: 0 });
    expect(await l.get(rec.id)).toMatchObject({ status: 'settled', confirmedBy: 'chain' });
  });

  it('a transaction that already settled another payment does not settle a second one', async () => {
    const l = new Ledger();
    const tx = `0x${'ab'.repeat(32)}`;
    const a = await signedRecord(l);
    await l.commit(a.id, { txHash: tx, network: 'eip155:31337', payer: '0x41CAcd5819833aE857686f9C387d25B5C257B880' });
    const b = await signedRecord(l);
    await l.fail(b.id, 'claimed', { definite: false, claimedTxHash: tx });
    const svc = service(l, { settlement: async () => ({ state: 'confirmed' }), authorizationUsed: async () => undefined });
    expect(await svc.reconcile()).toEqual({ checked: 1, settled: 0, released: 0 });
    expect((await l.get(b.id))!.status).toBe('unknown');
  });

  it('not on chain, unused, or the chain cannot be asked: nothing changes (left to the expiry sweep)', async () => {
    const l = new Ledger();
    const a = await signedRecord(l, `0x${'22'.repeat(32)}`);
    const b = await signedRecord(l);
    await l.fail(b.id, 'claimed', { definite: false, claimedTxHash: `0x${'cd'.repeat(32)}` });
    const svc = service(l, { settlement: async () => ({ state: 'unknown', reason: 'no RPC' }), authorizationUsed: async () => false });
    expect(await svc.reconcile()).toEqual({ checked: 2, settled: 0, released: 0 });
    expect((await l.get(a.id))!.status).toBe('signed');
    expect((await l.get(b.id))!.status).toBe('unknown');
  });

  it('an expired authorization the chain reports unused is released on the chain’s word; a valid one is left', async () => {
    const l = new Ledger();
    const valid = await signedRecord(l, `0x${'55'.repeat(32)}`);
    const expired = await signedRecord(l, `0x${'44'.repeat(32)}`);
    await l.markSigned(expired.id, { expiresAt: Date.now() - 120_000 });
    const svc = service(l, { settlement: async () => ({ state: 'not-found' }), authorizationUsed: async () => false });
    expect(await svc.reconcile()).toEqual({ checked: 2, settled: 0, released: 1 });
    expect(await l.get(expired.id)).toMatchObject({ status: 'released', errorReason: expect.stringMatching(/never used/) });
    expect((await l.get(expired.id))!.unverified).toBeUndefined();
    expect((await l.get(valid.id))!.status).toBe('signed');
  });

  it('released unverified at expiry (RPC down) → asked again later: used → settled and counted; unused → confirmed released', async () => {
    const l = new Ledger();
    const a = await signedRecord(l, `0x${'66'.repeat(32)}`);
    const b = await signedRecord(l, `0x${'77'.repeat(32)}`);
    const c = await signedRecord(l, `0x${'88'.repeat(32)}`);
    for (const r of [a, b, c]) await l.markSigned(r.id, { expiresAt: Date.now() - 120_000 });
    expect((await l.list({ status: 'signed' })).length).toBe(3); // expired, not swept yet
    // the RPC is down: reconcile learns nothing, the sweep releases them — unverified
    const down = service(l, { settlement: async () => ({ state: 'unknown', reason: 'down' }), authorizationUsed: async () => undefined });
    expect(await down.reconcile()).toEqual({ checked: 3, settled: 0, released: 0 });
    await l.sweep();
    for (const r of [a, b, c]) expect(await l.get(r.id)).toMatchObject({ status: 'released', unverified: true });
    expect((await l.snapshot('http://127.0.0.1:1')).site.usd.day).toBe(30_000n); // any of them may have settled: still counted
    // the RPC is back: a was used (settled before it expired), b never was, c still unknown
    const answers: Record<string, boolean | undefined> = { [a.id]: true, [b.id]: false, [c.id]: undefined };
    const up = service(l, { settlement: async () => ({ state: 'not-found' }), authorizationUsed: async (r) => answers[r.id] });
    expect(await up.reconcile()).toEqual({ checked: 3, settled: 1, released: 0 });
    expect(await l.get(a.id)).toMatchObject({ status: 'settled', confirmedBy: 'chain' });
    expect((await l.get(a.id))!.unverified).toBeUndefined();
    expect(await l.get(b.id)).toMatchObject({ status: 'released', errorReason: expect.stringMatching(/never used/) });
    expect((await l.get(b.id))!.unverified).toBeUndefined();
    expect(await l.get(c.id)).toMatchObject({ status: 'released', unverified: true });
    // budgets follow the chain: a settled, b given back, c still counted while undecided
    expect((await l.snapshot('http://127.0.0.1:1')).site.usd.day).toBe(20_000n);
    // decided ones are not asked again
    const asked: string[] = [];
    const again = service(l, { settlement: async () => ({ state: 'not-found' }), authorizationUsed: async (r) => (asked.push(r.id), undefined) });
    await again.reconcile();
    expect(asked).toEqual([c.id]);
  });

  it('an unverified release older than the recheck window is no longer asked', async () => {
    const l = new Ledger();
    const a = await signedRecord(l, `0x${'99'.repeat(32)}`);
    await l.markSigned(a.id, { expiresAt: Date.now() - 120_000 });
    await l.sweep();
    const asked: string[] = [];
    const svc = service(l, { settlement: async () => ({ state: 'not-found' }), authorizationUsed: async (r) => (asked.push(r.id), undefined) });
    await svc.reconcile(Date.now() + UNVERIFIED_KEEP_MS + 1000);
    expect(asked).toEqual([]);
  });

  it('replays are harmless: reconciling again with the same chain answers changes nothing and counts nothing twice', async () => {
    const l = new Ledger();
    const a = await signedRecord(l, `0x${'ab'.repeat(32)}`);
    const b = await signedRecord(l);
    await l.fail(b.id, 'claimed', { definite: false, claimedTxHash: `0x${'cd'.repeat(32)}` });
    const svc = service(l, { settlement: async () => ({ state: 'confirmed' }), authorizationUsed: async () => true });
    expect(await svc.reconcile()).toEqual({ checked: 2, settled: 2, released: 0 });
    const records = await l.list();
    const at = Date.now();
    const spend = await l.snapshot('http://127.0.0.1:1', at);
    for (let i = 0; i < 3; i++) expect(await svc.reconcile()).toEqual({ checked: 0, settled: 0, released: 0 });
    expect(await l.list()).toEqual(records);
    expect(await l.snapshot('http://127.0.0.1:1', at)).toEqual(spend);
    expect(spend.site.usd.day).toBe(20_000n);
    expect((await l.get(a.id))!.status).toBe('settled');
  });
});
