/**
 * Legacy x402 v1 (x402-express 1.2, network "base-sepolia" on the local chain 84532) paid
 * from page requests in both browsers: the 402 comes as a JSON body (no header), the wallet
 * answers with X-PAYMENT (the only header a v1 server reads). Page result + exact on-chain
 * movement on the v1 chain; a rejection leaves the page the original 402 body.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser } from './harness';
import { answerApproval, balances, historyFor, settledFor, withApproval, type World } from './world';
import { useWorld } from './suite';

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`pay v1 page requests (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    const open = (url: string) => suite.open(url);
    const answered = <T,>(run: () => Promise<T>, button: Parameters<typeof answerApproval>[1]) => withApproval(ext, run, button);

    beforeAll(() => {
      ({ w, ext } = suite);
    });

    it('fetch GET: the JSON-body 402 is paid with X-PAYMENT; 200 and exactly the price moves', async () => {
      const { net } = w;
      const before = await balances(net, 'v1');
      const v2Before = await balances(net, 'v2');
      const page = await open(net.v1.url('/page'));
      const r = await answered(
        () =>
          page.evaluate(async () => {
            const res = await fetch('/api/data');
            return { status: res.status, body: await res.json(), receipt: res.headers.get('X-PAYMENT-RESPONSE') };
          }),
        'approve-pay-once',
      );
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ok: true, data: 'paid content', version: 1 });
      const receipt = JSON.parse(Buffer.from(r.receipt!, 'base64').toString('utf8'));
      expect(receipt.success).toBe(true);
      expect(receipt.network).toBe('base-sepolia');
      const after = await balances(net, 'v1');
      expect(after.payer).toBe(before.payer - PRICES.data);
      expect(after.merchant).toBe(before.merchant + PRICES.data);
      expect(await balances(net, 'v2')).toEqual(v2Before); // the other chain is untouched
      const [entry] = await settledFor(ext, net.v1.url('/api/data'));
      expect(entry!.txHash).toBe(receipt.transaction);
      expect((await net.v1.chain.publicClient.getTransactionReceipt({ hash: entry!.txHash! as `0x${string}` })).status).toBe('success');
      await page.close();
    });

    it('XHR POST: v1 body replayed with Unicode; 200 and exactly the price moves', async () => {
      const { net } = w;
      const before = await balances(net, 'v1');
      const page = await open(net.v1.url('/page'));
      const body = { v: 1, text: 'Grüße — 世界 🌍' };
      const r = (await answered(() => page.evaluate((b) => (window as any).demo.xhrPost(b), body), 'approve-pay-once')) as {
        status: number;
        body: unknown;
      };
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ok: true, echo: body });
      const after = await balances(net, 'v1');
      expect(after.payer).toBe(before.payer - PRICES.echo);
      expect(after.merchant).toBe(before.merchant + PRICES.echo);
      await page.close();
    });

    it('reject: the page gets the original 402 and its JSON requirements, nothing moves', async () => {
      const { net } = w;
      const before = await balances(net, 'v1');
      const calls = net.v1.facilitatorCalls();
      const page = await open(net.v1.url('/page'));
      const r = await answered(
        () =>
          page.evaluate(async () => {
            const res = await fetch('/api/cheap');
            return { status: res.status, body: await res.json() };
          }),
        'approve-reject',
      );
      expect(r.status).toBe(402);
      expect(r.body.x402Version).toBe(1);
      expect(r.body.accepts[0].maxAmountRequired).toBe(PRICES.cheap.toString());
      expect(await balances(net, 'v1')).toEqual(before);
      expect(net.v1.facilitatorCalls()).toEqual(calls);
      expect((await historyFor(ext, net.v1.url('/api/cheap'))).filter((h) => h.status === 'settled')).toEqual([]);
      await page.close();
    });
  });
}
