/**
 * Truth from the chain, in both browsers: a settlement counts when the chain shows it. A page
 * that reports a made-up successful settlement for its own ticket does not make the payment
 * "settled" — the wallet asks the chain, which does not know the hash — and the real outcome
 * (the same authorization re-sent, settled once) is recorded as checked on chain. And when the
 * background dies after signing, while the settlement is in flight (settled on chain, its answer
 * never heard), the restarted background asks the chain and records it settled — once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CHANNEL } from '../../lib/messaging/contract';
import { PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { answerApproval, balances, historyFor, noApprovalPending, settledFor, type World } from './world';
import { useWorld } from './suite';

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`truth from the chain (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    let page: TestPage;

    beforeAll(async () => {
      ({ w, ext } = suite);
      page = await suite.open(w.net.v2.url('/page'));
    });

    it('a normal payment is recorded as checked on chain (the receipt shows the transfer)', async () => {
      const { net } = w;
      await noApprovalPending(ext);
      const r = page.evaluate(() => (window as any).demo.fetchPath('/api/cheap'));
      await answerApproval(ext, 'approve-pay-once');
      expect(((await r) as { status: number }).status).toBe(200);
      const [h] = await settledFor(ext, net.v2.url('/api/cheap'));
      expect(h).toMatchObject({ status: 'settled', confirmedBy: 'chain' });
    });

    it('a page reporting a fake success with a made-up hash does not settle its payment; the chain decides', async () => {
      const { net } = w;
      const url = net.v2.url('/api/data');
      const before = await balances(net, 'v2');
      net.v2.failNextSettles(1);
      await noApprovalPending(ext);
      // The hostile page listens to the wallet's answers to learn its ticket.
      await page.evaluate((channel) => {
        const g = window as unknown as { __tickets: string[] };
        g.__tickets = [];
        window.addEventListener('message', (ev) => {
          const d = ev.data;
          if (d && d.channel === channel && d.dir === 'to-page' && d.answer && typeof d.answer.ticket === 'string') g.__tickets.push(d.answer.ticket);
        });
      }, PAGE_CHANNEL);
      const first = page.evaluate(() => (window as any).demo.fetchGet());
      await answerApproval(ext, 'approve-pay-once');
      expect(((await first) as { status: number }).status).not.toBe(200);
      await expect.poll(async () => (await historyFor(ext, url))[0]?.status, { timeout: 10_000 }).toBe('unknown');
      const ticket = (await page.evaluate(() => (window as unknown as { __tickets: string[] }).__tickets))[0]!;
      expect(ticket).toBeTruthy();

      // Forge the wrapper's result report: "settled, here is the transaction".
      const fake = `0x${'de'.repeat(32)}`;
      const forged = Buffer.from(JSON.stringify({ success: true, transaction: fake, network: net.v2.network, payer: '0x41CAcd5819833aE857686f9C387d25B5C257B880' })).toString('base64');
      await page.evaluate(
        ({ channel, ticket, forged }) =>
          window.postMessage({ channel, dir: 'to-ext', id: 'forged-result-1', kind: 'result', payload: { ticket, status: 200, paymentResponse: forged } }, location.origin),
        { channel: PAGE_CHANNEL, ticket, forged },
      );
      // The wallet checked it and said why it does not count (not merely ignored the message).
      await expect
        .poll(async () => (await historyFor(ext, url))[0]?.errorReason ?? '', { timeout: 10_000 })
        .toMatch(/The page reported settlement 0xdededede.*is not on the chain/);
      // A second forged claim is not even checked (one chain check per payment): the reason stays the first one's.
      await page.evaluate(
        ({ channel, ticket, forged }) =>
          window.postMessage({ channel, dir: 'to-ext', id: 'forged-result-2', kind: 'result', payload: { ticket, status: 200, paymentResponse: forged } }, location.origin),
        { channel: PAGE_CHANNEL, ticket, forged: Buffer.from(JSON.stringify({ success: true, transaction: `0x${'ee'.repeat(32)}`, network: net.v2.network })).toString('base64') },
      );
      await new Promise((r) => setTimeout(r, 500));
      const h = (await historyFor(ext, url))[0]!;
      expect(h.errorReason).toMatch(/0xdededede/);
      expect(h.status).toBe('unknown');
      expect(h.txHash).toBeUndefined();
      expect(await balances(net, 'v2')).toEqual(before);
      // Balances are shown net of it: the signed payment may still settle, the balance must cover it.
      const list = await ext.call<{ network: string; asset: string; pending?: { atomic: string } }[]>('balances.list');
      const local = list.value!.find((b) => b.network === net.v2.network && b.asset.toLowerCase() === net.v2.usdc.toLowerCase());
      expect(local?.pending?.atomic).toBe(PRICES.data.toString());

      // The real outcome: the same authorization is re-sent, settles once, and the chain confirms it.
      await noApprovalPending(ext);
      const again = (await page.evaluate(() => (window as any).demo.fetchGet())) as { status: number };
      expect(again.status).toBe(200);
      const [settled] = await settledFor(ext, url);
      expect(settled).toMatchObject({ confirmedBy: 'chain' });
      expect(settled!.txHash).not.toBe(fake);
      const after = await balances(net, 'v2');
      expect(before.payer - after.payer).toBe(PRICES.data);
      const list2 = await ext.call<{ network: string; asset: string; pending?: unknown }[]>('balances.list');
      expect(list2.value!.find((b) => b.network === net.v2.network && b.asset.toLowerCase() === net.v2.usdc.toLowerCase())?.pending).toBeUndefined();
      expect(after.merchant - before.merchant).toBe(PRICES.data);
    });

    it('the background dies after signing, mid-settlement: on restart the chain decides (settled, counted once)', async () => {
      const { net } = w;
      const url = net.v2.url('/api/echo');
      const before = await balances(net, 'v2');
      const settles = net.v2.facilitatorCalls().settle;
      net.v2.holdNextSettles(1); // settles on chain; the server's answer is held
      await noApprovalPending(ext);
      const pending = page.evaluate(() => (window as any).demo.fetchPost()).catch((e: Error) => ({ status: -1, error: e.message }));
      await answerApproval(ext, 'approve-pay-once');
      // the money moved on chain, while the wallet has only signed
      await expect.poll(async () => net.v2.facilitatorCalls().settle, { timeout: 15_000 }).toBe(settles + 1);
      await expect.poll(async () => (await balances(net, 'v2')).payer, { timeout: 15_000 }).toBe(before.payer - PRICES.echo);
      expect((await historyFor(ext, url))[0]?.status).toBe('signed');

      // the tab goes away (nobody will ever report the answer) and the background dies:
      // everything in memory is gone; storage and the chain remain
      await page.goto('about:blank');
      await Promise.race([pending, new Promise((r) => setTimeout(r, 2_000))]);
      await ext.restartBackground();
      net.v2.releaseHeld(); // the server's answer reaches no one

      // the restarted background reconciles on start: the chain shows the authorization used
      const [h] = await settledFor(ext, url, 1, 20_000);
      expect(h).toMatchObject({ status: 'settled', confirmedBy: 'chain' });
      const after = await balances(net, 'v2');
      expect(before.payer - after.payer).toBe(PRICES.echo);
      expect(after.merchant - before.merchant).toBe(PRICES.echo);
      expect((await historyFor(ext, url)).filter((x) => x.status === 'settled')).toHaveLength(1);
      expect(net.v2.facilitatorCalls().settle).toBe(settles + 1); // nothing re-sent or signed again
      page = await suite.open(w.net.v2.url('/page')); // the old tab may have lost its bridge in the reload
    });
  });
}
