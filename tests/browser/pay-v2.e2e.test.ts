import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import type { BrowserKind } from './harness';
import { answerApproval, PAYER, startWorld, type World } from './world';

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`pay v2 with approval (${kind})`, () => {
    let w: World;
    beforeAll(async () => {
      w = await startWorld(kind);
    });
    afterAll(async () => {
      await w?.close();
    });

    it('fetch GET: approval → the page gets its 200 and exactly the price moves on chain', async () => {
      const { net, ext } = w;
      const payer0 = await net.usdcBalance('v2', PAYER);
      const merchant0 = await net.usdcBalance('v2', net.merchant);
      const page = await ext.newPage();
      await page.goto(net.v2.url('/page'));
      const result = page.evaluate(() => (window as any).demo.fetchGet());
      await answerApproval(ext, 'approve-pay-once');
      const r = (await result) as { status: number; body: { ok: boolean; data: string } };
      expect(r.status).toBe(200);
      expect(r.body.data).toBe('paid content');
      expect(await net.usdcBalance('v2', PAYER)).toBe(payer0 - PRICES.data);
      expect(await net.usdcBalance('v2', net.merchant)).toBe(merchant0 + PRICES.data);
    });
  });
}
