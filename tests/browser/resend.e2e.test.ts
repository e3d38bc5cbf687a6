/**
 * One purchase, one signature (design rule 6): when the outcome of a signed payment is
 * unknown (the facilitator failed mid-settlement), the wallet keeps it counted and, when the
 * page asks for the same resource again, re-sends the SAME authorization — no second approval,
 * no second signature — and exactly one transfer ever happens on chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import type { BrowserKind } from './harness';
import { answerApproval, balances, historyFor, isApproval, noApprovalPending, settledFor, startWorld, type World } from './world';

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`ambiguous outcome → the same authorization is re-sent (${kind})`, () => {
    let w: World;
    beforeAll(async () => {
      w = await startWorld(kind);
    });
    afterAll(async () => {
      await w?.close();
    });

    it('facilitator outage during settlement: counted as unknown, then re-sent as is and settled once', async () => {
      const { net, ext } = w;
      const before = await balances(net, 'v2');
      const url = net.v2.url('/api/data');
      net.v2.failNextSettles(1);
      const page = await ext.newPage();
      await page.goto(net.v2.url('/page'));

      const first = page.evaluate(() => (window as any).demo.fetchGet());
      await answerApproval(ext, 'approve-pay-once');
      const r1 = (await first) as { status: number };
      expect(r1.status).not.toBe(200);
      expect(await balances(net, 'v2')).toEqual(before);
      const h1 = await historyFor(ext, url);
      expect(h1).toHaveLength(1);
      expect(h1[0]!.status).toBe('unknown');
      const settlesAfterFirst = net.v2.facilitatorCalls().settle;

      // The page tries again: the wallet re-sends the same authorization without asking.
      await noApprovalPending(ext);
      const r2 = (await page.evaluate(() => (window as any).demo.fetchGet())) as { status: number; body: { data: string } };
      expect(r2.status).toBe(200);
      expect(r2.body.data).toBe('paid content');
      expect((await ext.pages(isApproval(ext))).length).toBe(0);
      expect(net.v2.facilitatorCalls().settle).toBe(settlesAfterFirst + 1);

      // Exactly one transfer on chain, and one record, now settled.
      const after = await balances(net, 'v2');
      expect(after.payer).toBe(before.payer - PRICES.data);
      expect(after.merchant).toBe(before.merchant + PRICES.data);
      // settled once the wallet has read the receipt (the chain check follows the response)
      const h2 = await settledFor(ext, url);
      expect(h2).toHaveLength(1);
      expect(await historyFor(ext, url)).toHaveLength(1);
    });
  });
}
