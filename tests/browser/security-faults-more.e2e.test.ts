/**
 * More faults on the payment path (issue 16), one world per browser, automatic payments unless
 * said otherwise. Each case counts: records lost (a signature the ledger does not hold),
 * double settlements (more moved on chain, or more records settled, than purchases made) and
 * blind re-signs (a new signature for a purchase whose first one is still undecided).
 *  - the facilitator answers garbage: a non-JSON page after settling on chain; JSON of the wrong
 *    shape without settling;
 *  - the facilitator answers slower than the resource server waits (it settles on chain; the
 *    server gives up);
 *  - the RPC lies: a receipt of another payment (same payer, payee, amount — another
 *    authorization), a Transfer of the wrong amount, a wrong chain id, an unused authorization
 *    reported used; and the RPC is slow;
 *  - browser storage refuses the payment's writes (quota exhausted, test-build hook);
 *  - the browser restarts while a payment's outcome is unknown (storage.session cleared);
 *  - the background dies with an approval open (before anything is reserved or signed), and
 *    after the paid retry left, before its settlement is heard of.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { useWorld } from './suite';
import { answerApproval, balances, historyFor, isApproval, PASSWORD, type HistoryEntry } from './world';

/** the resource server waits this long for its facilitator (30 s by default) */
const SERVER_WAIT_MS = 5_000;
const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

type Lie = 'honest' | 'other-receipt' | 'wrong-amount' | 'wrong-chain' | 'slow' | 'auth-used';
/** EIP-3009 authorizationState(address,bytes32) */
const AUTHORIZATION_STATE = '0xe94a0102';

/** A JSON-RPC proxy in front of anvil that lies as told (batches included: the wallet batches). */
async function lyingRpc(upstream: string) {
  const state: { lie: Lie; otherTx?: string; calls: number } = { lie: 'honest', calls: 0 };
  const forward = async (body: unknown) => (await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  const one = async (m: { id: unknown; method: string; params?: unknown[] }) => {
    state.calls++;
    if (state.lie === 'wrong-chain' && m.method === 'eth_chainId') return { jsonrpc: '2.0', id: m.id, result: '0x1' };
    if (state.lie === 'other-receipt' && m.method === 'eth_getTransactionReceipt' && state.otherTx) return forward({ ...m, params: [state.otherTx] });
    // "this authorization was used" for every authorization (the chain's logs stay honest)
    if (state.lie === 'auth-used' && m.method === 'eth_call' && String((m.params?.[0] as { data?: string; input?: string })?.data ?? (m.params?.[0] as { input?: string })?.input ?? '').startsWith(AUTHORIZATION_STATE))
      return { jsonrpc: '2.0', id: m.id, result: `0x${'0'.repeat(63)}1` };
    const r = (await forward(m)) as { result?: { logs?: { topics: string[]; data: string }[] } };
    if (state.lie === 'wrong-amount' && m.method === 'eth_getTransactionReceipt' && r.result?.logs)
      for (const l of r.result.logs) if (l.topics[0] === TRANSFER_TOPIC) l.data = `0x${(BigInt(l.data) + 1n).toString(16).padStart(64, '0')}`;
    return r;
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      try {
        const body = JSON.parse(raw);
        if (state.lie === 'slow') await new Promise((r) => setTimeout(r, 5_000));
        const out = Array.isArray(body) ? await Promise.all(body.map(one)) : await one(body);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(out));
      } catch (e) {
        res.statusCode = 502;
        res.end(String(e));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const get = (page: TestPage, path = '/api/data') => page.evaluate((p) => fetch(p).then((r) => r.status), path);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function fireSweep(ext: ExtensionBrowser): Promise<void> {
  const popup = await ext.openExtensionPage('/popup.html');
  await popup.evaluate(() => ((globalThis as any).browser ?? (globalThis as any).chrome).runtime.sendMessage({ channel: 'x402.test', type: 'test.fireAlarm', payload: { name: 'x402-ledger-sweep' } }));
  await popup.close();
}

async function testHook(ext: ExtensionBrowser, type: string, payload: Record<string, unknown>): Promise<any> {
  const popup = await ext.openExtensionPage('/popup.html');
  const r = await popup.evaluate(({ type, payload }) => ((globalThis as any).browser ?? (globalThis as any).chrome).runtime.sendMessage({ channel: 'x402.test', type, payload }), { type, payload });
  await popup.close();
  return r;
}

/** records for `url` not in `before` (ids), newest first */
async function fresh(ext: ExtensionBrowser, url: string, before: Set<string>): Promise<HistoryEntry[]> {
  return (await historyFor(ext, url)).filter((h) => !before.has(h.id));
}

async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Firefox's extension reload locks the wallet (Chromium's restarted worker keeps the session): unlock again */
async function unlockIfLocked(ext: ExtensionBrowser, kind: BrowserKind): Promise<void> {
  const st = await ext.call<{ unlocked: boolean }>('wallet.status');
  if (st.value?.unlocked) return;
  if (kind === 'chromium') console.warn('chromium: the restarted worker came back locked');
  expect((await ext.call('wallet.unlock', { password: PASSWORD })).ok).toBe(true);
}

async function activity(ext: ExtensionBrowser): Promise<string[]> {
  return ((await ext.call<{ text: string }[]>('activity.list')).value ?? []).map((a) => a.text);
}

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`more faults on the payment path (${kind})`, () => {
    // the resource server of this world gives its facilitator SERVER_WAIT_MS (read when it starts)
    beforeAll(() => void (process.env.X402_FIXTURE_FACILITATOR_TIMEOUT_MS = String(SERVER_WAIT_MS)));
    const suite = useWorld(kind);
    beforeAll(() => void delete process.env.X402_FIXTURE_FACILITATOR_TIMEOUT_MS);
    const counts = { cases: 0, lost: 0, double: 0, resigned: 0 };
    let page: TestPage;
    let url: string;

    beforeAll(async () => {
      const { w, ext } = suite;
      url = w.net.v2.url('/api/data');
      expect((await ext.call('sites.save', { site: w.net.v2.origin, mode: 'auto', paused: false, dayUsd: '5.00' })).ok).toBe(true);
      page = await suite.open(w.net.v2.url('/page'));
    });

    /**
     * One purchase under a fault: `run` makes it happen (and heals the fault); afterwards exactly
     * one new record for it, settled once, confirmed by the chain; the chain moved one price.
     */
    async function onePurchase(name: string, run: (before: Set<string>) => Promise<void>, path = '/api/data') {
      const { w, ext } = suite;
      const u = w.net.v2.url(path);
      const price = path === '/api/echo' ? PRICES.echo : PRICES.data;
      const ids = new Set((await historyFor(ext, u)).map((h) => h.id));
      const bal0 = await balances(w.net, 'v2');
      await run(ids);
      const recs = await waitFor(async () => {
        const f = await fresh(ext, u, ids);
        return f.length > 0 && f.every((h) => h.status === 'settled') ? f : undefined;
      }, `${name}: settled`).catch(() => fresh(ext, u, ids)); // counted, then the expectations below fail
      const bal1 = await balances(w.net, 'v2');
      const moved = bal0.payer - bal1.payer;
      counts.cases++;
      if (recs.length > 1) counts.resigned += recs.length - 1;
      const settled = recs.filter((h) => h.status === 'settled').length;
      if (moved > price || settled > 1) counts.double++;
      if (moved > 0n && settled === 0) counts.lost++; // money moved, the wallet does not count it settled
      expect(recs, name).toHaveLength(1);
      expect(recs[0], name).toMatchObject({ status: 'settled', confirmedBy: 'chain' });
      expect(moved, name).toBe(price);
      expect(bal1.merchant - bal0.merchant, name).toBe(price);
      await waitFor(async () => ((await ext.pages(isApproval(ext))).length === 0 ? true : undefined), 'no approval window', 10_000);
      return recs[0]!;
    }

    /** runs `fn` with the v2 chain's RPC replaced by a lying proxy (honest until told), then puts the real one back */
    async function throughLyingRpc(fn: (rpc: Awaited<ReturnType<typeof lyingRpc>>) => Promise<void>) {
      const { w, ext } = suite;
      const tokens = (await ext.call<{ playgroundTokens: any[] }>('settings.get')).value!.playgroundTokens;
      const honest = tokens.find((t) => t.chainId === w.net.v2.chainId)!.rpcUrl as string;
      const rpc = await lyingRpc(honest);
      try {
        const lying = tokens.map((t) => (t.chainId === w.net.v2.chainId ? { ...t, rpcUrl: rpc.url } : t));
        expect((await ext.call('settings.update', { playgroundTokens: lying })).ok).toBe(true);
        await fn(rpc);
      } finally {
        await ext.call('settings.update', { playgroundTokens: tokens });
        await rpc.close();
      }
    }

    /** a purchase whose facilitator answers JSON of the wrong shape (nothing settles): its outcome is unknown */
    async function unknownOutcome(ids: Set<string>) {
      const { w, ext } = suite;
      w.net.v2.garbleNextSettles(['shape']);
      expect(await get(page)).not.toBe(200);
      await waitFor(async () => ((await fresh(ext, url, ids))[0]?.status === 'unknown' ? true : undefined), 'unknown');
    }

    it('the facilitator settles on chain, then answers a non-JSON page: unknown (counted, said why), then settled from the chain', async () => {
      const { w, ext } = suite;
      await onePurchase('garbage after settling', async (ids) => {
        w.net.v2.garbleNextSettles(['text']);
        expect(await get(page)).not.toBe(200);
        const [r] = await waitFor(async () => {
          const f = await fresh(ext, url, ids);
          return f[0] && f[0].status !== 'signed' ? f : undefined;
        }, 'the outcome');
        expect(r!.status).toBe('unknown');
        expect(r!.errorReason).toBeTruthy();
        await fireSweep(ext); // the chain shows the authorization used
      });
    }, 90_000);

    it('the facilitator answers JSON of the wrong shape without settling: the same authorization is re-sent, settles once', async () => {
      const { w, ext } = suite;
      await onePurchase('wrong shape', async (ids) => {
        const settles = w.net.v2.facilitatorCalls().settle;
        await unknownOutcome(ids);
        expect(await get(page)).toBe(200); // the re-send
        expect(w.net.v2.facilitatorCalls().settle).toBe(settles + 2);
      });
    }, 90_000);

    it('the browser restarts while a payment\'s outcome is unknown: after it, the same authorization is re-sent (never signed again) and settles once', async () => {
      const { w, ext } = suite;
      await onePurchase('browser restart', async (ids) => {
        const settles = w.net.v2.facilitatorCalls().settle;
        await unknownOutcome(ids);
        // Chromium: the whole browser closes and starts on the same profile; Firefox: the extension
        // reloads. Both clear storage.session and the wallet's memory.
        await ext.restartBrowser();
        const st = await ext.call<{ unlocked: boolean }>('wallet.status');
        expect(st.value?.unlocked, 'a restart locks the wallet').toBe(false);
        expect((await ext.call('wallet.unlock', { password: PASSWORD })).ok).toBe(true);
        page = await suite.open(w.net.v2.url('/page'));
        expect(await get(page)).toBe(200); // the stored signature, re-sent
        expect(w.net.v2.facilitatorCalls().settle).toBe(settles + 2);
      });
    }, 120_000);

    it('the facilitator is slower than the server waits (it settles; the server gives up): unknown, then settled from the chain, never twice', async () => {
      const { w, ext } = suite;
      await onePurchase('slow facilitator', async (ids) => {
        const settles = w.net.v2.facilitatorCalls().settle;
        w.net.v2.delayNextSettles(1, SERVER_WAIT_MS + 2_000);
        const t0 = Date.now();
        expect(await get(page)).not.toBe(200);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(SERVER_WAIT_MS - 500);
        const [r] = await waitFor(async () => {
          const f = await fresh(ext, url, ids);
          return f[0] && f[0].status !== 'signed' ? f : undefined;
        }, 'the outcome');
        expect(r!.status).toBe('unknown');
        await sleep(2_500); // the late answer arrives nowhere
        await fireSweep(ext);
        expect(w.net.v2.facilitatorCalls().settle).toBe(settles + 1);
      });
    }, 90_000);

    it('the RPC lies (another payment\'s receipt, a wrong amount, a wrong chain id) or is slow: never settled on it; settled once the truth is back', async () => {
      const { ext } = suite;
      await throughLyingRpc(async (rpc) => {
        // a real settled payment of the same amount between the same accounts: the "other" receipt
        const settledBefore = (await historyFor(ext, url)).find((h) => h.status === 'settled' && h.txHash);
        expect(settledBefore?.txHash).toMatch(/^0x[0-9a-f]{64}$/i);
        rpc.state.otherTx = settledBefore!.txHash;
        const reasons: Record<string, RegExp> = {
          'other-receipt': /is not this payment: the transaction settles another authorization/,
          'wrong-amount': /is not this payment: the transaction moves no \S+ from the payer to the payee for this amount/,
          'wrong-chain': /could not be checked \(the RPC serves chain 1, not \d+\)/,
          slow: /could not be checked/,
        };
        for (const lie of Object.keys(reasons) as Lie[]) {
          await onePurchase(`rpc ${lie}`, async (ids) => {
            rpc.state.lie = lie;
            expect(await get(page), lie).toBe(200); // the server settled for real
            const [r] = await waitFor(async () => {
              const f = await fresh(ext, url, ids);
              return f[0] && f[0].status !== 'signed' ? f : undefined;
            }, `${lie}: the outcome`);
            expect(r!.status, lie).toBe('unknown');
            expect(r!.errorReason, lie).toMatch(reasons[lie]!);
            expect(r!.txHash, lie).toBeUndefined();
            rpc.state.lie = 'honest';
            await fireSweep(ext);
          });
        }
        // the settled ones carry the real transaction (the one the server reported), each its own
        const all = (await historyFor(ext, url)).filter((h) => h.status === 'settled' && h.txHash);
        expect(new Set(all.map((h) => h.txHash)).size).toBe(all.length);
      });
    }, 180_000);

    it('the RPC says an unused authorization was used: not settled on its word (no transaction used it), said why; the re-sent payment settles once', async () => {
      const { ext } = suite;
      await throughLyingRpc(async (rpc) => {
        await onePurchase('rpc says used', async (ids) => {
          await unknownOutcome(ids);
          rpc.state.lie = 'auth-used';
          await fireSweep(ext);
          const [r] = await waitFor(async () => {
            const f = await fresh(ext, url, ids);
            return f[0] && /shows no transaction that used it/.test(f[0].errorReason ?? '') ? f : undefined;
          }, 'the reconciliation to refuse the RPC\'s word');
          expect(r!.status).toBe('unknown');
          rpc.state.lie = 'honest';
          expect(await get(page)).toBe(200); // the same authorization, re-sent
        });
      });
    }, 120_000);

    it('storage refuses the payment\'s writes: nothing is signed or sent without its record, the page and the activity list say why; the next attempt pays once', async () => {
      const { w, ext } = suite;
      for (const nth of [1, 2]) {
        // 1: the reservation cannot be saved; 2: the reservation is saved, "signed" cannot be
        const ids = new Set((await historyFor(ext, url)).map((h) => h.id));
        const settles = w.net.v2.facilitatorCalls();
        const bal0 = await balances(w.net, 'v2');
        expect((await testHook(ext, 'test.failStorageWrites', { n: 1, skip: nth - 1, prefix: 'ledger.r.' })).ok).toBe(true);
        expect(await get(page)).toBe(402);
        const failed = (await testHook(ext, 'test.failStorageWrites', { n: 0 })).failed;
        expect(failed, `write ${nth}`).toBeGreaterThanOrEqual(1);
        const f = await fresh(ext, url, ids);
        // the reservation never existed, or the record says it was not sent; not counted
        if (nth === 1) expect(f.every((h) => h.status === 'failed'), JSON.stringify(f.map((h) => h.status))).toBe(true);
        else expect(f.map((h) => h.status)).toEqual(['failed']);
        for (const h of f) expect(h.errorReason).toMatch(/could not save this payment/);
        expect(await activity(ext)).toContainEqual(expect.stringMatching(/could not save this payment.*nothing was sent/));
        expect(w.net.v2.facilitatorCalls().verify).toBe(settles.verify); // no payment header reached the server
        expect(await balances(w.net, 'v2')).toEqual(bal0);
        counts.cases++;
      }
      await onePurchase('after storage recovers', async () => {
        expect(await get(page)).toBe(200);
      });
    }, 120_000);

    it('the background dies with an approval open: nothing reserved or signed, the window goes; asked again, it pays once', async () => {
      const { w, ext } = suite;
      expect((await ext.call('sites.save', { site: w.net.v2.origin, mode: 'ask', paused: false, dayUsd: '5.00' })).ok).toBe(true);
      try {
        await onePurchase(
          'killed with the approval open',
          async (ids) => {
            const u = w.net.v2.url('/api/echo');
            const first = page.evaluate(() => (window as any).demo.fetchPost()).catch(() => ({ status: -1 }));
            await waitFor(async () => ((await ext.pages(isApproval(ext))).length > 0 ? true : undefined), 'the approval window');
            await ext.restartBackground();
            await unlockIfLocked(ext, kind); // Firefox: the reload locked it
            const st = (await Promise.race([first, sleep(8_000).then(() => ({ status: -2 }))])) as { status: number };
            expect(st.status).not.toBe(200);
            expect(await fresh(ext, u, ids)).toHaveLength(0); // nothing was reserved, nothing signed
            // nothing left to approve (a window still open shows an empty queue; a click there decides nothing)
            await waitFor(async () => ((await ext.call<unknown[]>('approvals.list')).value?.length === 0 ? true : undefined), 'an empty approval queue', 10_000);
            for (const p of await ext.pages(isApproval(ext))) await p.close().catch(() => undefined);
            page = await suite.open(w.net.v2.url('/page')); // the old tab may have lost its bridge
            const again = page.evaluate(() => (window as any).demo.fetchPost());
            await answerApproval(ext, 'approve-pay-once');
            expect(((await again) as { status: number }).status).toBe(200);
          },
          '/api/echo',
        );
      } finally {
        await ext.call('sites.save', { site: w.net.v2.origin, mode: 'auto', paused: false, dayUsd: '5.00' });
      }
    }, 120_000);

    it('the background dies after the paid retry left, before its settlement is heard of: on restart the chain decides, once', async () => {
      const { w, ext } = suite;
      await onePurchase('killed after the retry', async (ids) => {
        const settles = w.net.v2.facilitatorCalls().settle;
        w.net.v2.holdNextSettles(1);
        const pending = page.evaluate(() => fetch('/api/data').then((r) => r.status)).catch(() => -1);
        await waitFor(async () => (w.net.v2.facilitatorCalls().settle === settles + 1 ? true : undefined), 'the settlement to start');
        expect((await fresh(ext, url, ids))[0]?.status).toBe('signed');
        await page.goto('about:blank');
        await Promise.race([pending, sleep(2_000)]);
        await ext.restartBackground();
        w.net.v2.releaseHeld();
        await unlockIfLocked(ext, kind);
        await fireSweep(ext);
        expect(w.net.v2.facilitatorCalls().settle).toBe(settles + 1);
      });
      page = await suite.open(w.net.v2.url('/page'));
    }, 120_000);

    afterAll(() => {
      console.log(
        `[security] ${kind} payment-path faults (more): ${counts.cases} cases (facilitator non-JSON after settling, wrong shape, browser restart with the outcome unknown, slower than the server waits; RPC other receipt, wrong amount, wrong chain id, slow, an unused authorization reported used; storage refusing the reservation and the signed write; background killed with an approval open and after the retry left), ${counts.lost} lost records, ${counts.double} double settlements, ${counts.resigned} blind re-signs`,
      );
    });
  });
}
