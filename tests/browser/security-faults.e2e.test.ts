/**
 * Faults on the payment path (issue 16), automatic payments, one world per browser:
 *  - the facilitator fails three settlements in a row: the page's retries re-send the SAME
 *    authorization (no second signature), the fourth settles — 1 record, 1 transfer;
 *  - two tabs pay the same resource at the same moment: two purchases, each settled once with
 *    its own transaction, the chain moved exactly what the ledger says;
 *  - the RPC is down while a payment settles: recorded as unknown (still counted, never lost,
 *    never "settled" on the server's word), then settled from the chain once the RPC is back.
 * 0 lost records, 0 double settlements, 0 blind re-signs.
 */
import { describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import type { BrowserKind, TestPage } from './harness';
import { useWorld } from './suite';
import { balances, historyFor, isApproval, settledFor } from './world';

const get = (page: TestPage) => page.evaluate(() => fetch('/api/data').then((r) => r.status));

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`faults on the payment path (${kind})`, () => {
    const suite = useWorld(kind);

    it('facilitator fails 3 settlements: the same authorization is re-sent each time, then settles once', async () => {
      const { w, ext } = suite;
      const { net } = w;
      const url = net.v2.url('/api/data');
      expect((await ext.call('sites.save', { site: net.v2.origin, mode: 'auto', paused: false, dayUsd: '1.00' })).ok).toBe(true);
      const before = await balances(net, 'v2');
      const records0 = (await historyFor(ext, url)).length;
      net.v2.failNextSettles(3);
      const page = await suite.open(net.v2.url('/page'));
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push(await get(page));
      expect(statuses.slice(0, 3).every((s) => s !== 200)).toBe(true);
      expect(statuses[3]).toBe(200);
      expect(await ext.pages(isApproval(ext))).toHaveLength(0);
      const recs = (await historyFor(ext, url)).slice(0, (await historyFor(ext, url)).length - records0);
      expect(recs).toHaveLength(1); // one purchase, one signature
      await settledFor(ext, url, records0 + 1);
      const after = await balances(net, 'v2');
      expect(before.payer - after.payer).toBe(PRICES.data);
      expect(after.merchant - before.merchant).toBe(PRICES.data);
    }, 120_000);

    it('two tabs pay the same resource at once: two purchases, each settled once with its own transaction', async () => {
      const { w, ext } = suite;
      const { net } = w;
      const url = net.v2.url('/api/data');
      const before = await balances(net, 'v2');
      const n0 = (await historyFor(ext, url)).length;
      const [a, b] = [await suite.open(net.v2.url('/page')), await suite.open(net.v2.url('/page'))];
      const st = await Promise.all([get(a), get(b)]);
      expect(st).toEqual([200, 200]);
      const settled = await settledFor(ext, url, n0 + 2);
      const fresh = settled.slice(0, 2);
      expect(new Set(fresh.map((h) => h.txHash)).size).toBe(2);
      const after = await balances(net, 'v2');
      expect(before.payer - after.payer).toBe(2n * PRICES.data);
      expect((await historyFor(ext, url)).length).toBe(n0 + 2);
    }, 120_000);

    it('the RPC is down while a payment settles: unknown (still counted, not lost), then settled from the chain once it is back', async () => {
      const { w, ext } = suite;
      const { net } = w;
      const url = net.v2.url('/api/data');
      const tokens = (await ext.call<{ playgroundTokens: any[] }>('settings.get')).value!.playgroundTokens;
      const dead = tokens.map((t) => (t.chainId === net.v2.chainId ? { ...t, rpcUrl: 'http://127.0.0.1:9' } : t));
      expect((await ext.call('settings.update', { playgroundTokens: dead })).ok).toBe(true);
      const before = await balances(net, 'v2');
      const n0 = (await historyFor(ext, url)).length;
      const page = await suite.open(net.v2.url('/page'));
      expect(await get(page)).toBe(200);
      // the server says settled, the chain cannot be asked: not settled on the server's word
      let rec;
      for (let i = 0; i < 100; i++) {
        rec = (await historyFor(ext, url))[0];
        if ((await historyFor(ext, url)).length > n0 && rec && rec.status !== 'signed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(rec!.status).toBe('unknown');
      expect(before.payer - (await balances(net, 'v2')).payer).toBe(PRICES.data);
      // the RPC comes back; the next reconciliation settles it from the chain
      expect((await ext.call('settings.update', { playgroundTokens: tokens })).ok).toBe(true);
      const popup = await ext.openExtensionPage('/popup.html');
      await popup.evaluate(() => ((globalThis as any).browser ?? (globalThis as any).chrome).runtime.sendMessage({ channel: 'x402.test', type: 'test.fireAlarm', payload: { name: 'x402-ledger-sweep' } }));
      await popup.close();
      const done = await settledFor(ext, url, 1, 20_000).then((s) => s.find((h) => h.id === rec!.id));
      expect(done?.status).toBe('settled');
      expect((await historyFor(ext, url)).length).toBe(n0 + 1);
      await ext.call('sites.delete', { site: net.v2.origin });
      console.log(`[security] ${kind} payment-path faults: 3 scenarios (facilitator 5xx ×3, two tabs at once, RPC down then back), 0 lost records, 0 double settlements, 0 blind re-signs`);
    }, 120_000);
  });
}
