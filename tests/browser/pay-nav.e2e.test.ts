/**
 * Paid top-level navigations (x402 v2 and legacy v1), in both browsers: the user opens the
 * paid article, approves in the wallet's window, the tab reloads with the payment (one-shot
 * declarativeNetRequest rule) and shows the article; exactly the price moves on chain. The
 * rule is gone afterwards: a second load gets the 402 again and re-sends nothing (the
 * facilitator sees no new verify/settle and no funds move).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { answerApproval, balances, isApproval, noApprovalPending, settledFor, type World } from './world';
import { useWorld } from './suite';

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`pay navigations (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    let extPage: TestPage | undefined;

    /** The extension's declarativeNetRequest session rules, read from one of its own pages. */
    const sessionRules = async (): Promise<unknown[]> => {
      if (!extPage || extPage.isClosed()) extPage = await ext.openExtensionPage('/options.html');
      return extPage.evaluate(() => {
        const g = globalThis as any;
        return (g.browser ?? g.chrome).declarativeNetRequest.getSessionRules();
      });
    };
    const waitNoRules = async () => {
      const end = Date.now() + 10_000;
      let rules = await sessionRules();
      while (rules.length && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        rules = await sessionRules();
      }
      return rules;
    };

    beforeAll(() => {
      ({ w, ext } = suite);
    });

    it('a POST navigation that answers 402 is never replayed: the user is told, nothing is asked or signed', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const calls = net.v2.facilitatorCalls();
      await noApprovalPending(ext);
      const page = await suite.open(net.v2.url('/page'));
      // A real form submission (top-level POST navigation) to a paid endpoint.
      await page.evaluate(() => {
        const f = document.createElement('form');
        f.method = 'POST';
        f.action = '/api/echo';
        const i = document.createElement('input');
        i.name = 'note';
        i.value = 'form post';
        f.appendChild(i);
        document.body.appendChild(f);
        f.submit();
      });
      const end = Date.now() + 10_000;
      let told = false;
      while (!told && Date.now() < end) {
        const act = await ext.call<{ text: string }[]>('activity.list');
        told = !!act.value?.some((a) => /does not resend forms/.test(a.text) && /POST/.test(a.text));
        if (!told) await new Promise((r) => setTimeout(r, 100));
      }
      expect(told).toBe(true);
      expect((await ext.pages(isApproval(ext))).length).toBe(0);
      expect(await sessionRules()).toEqual([]);
      expect(await balances(net, 'v2')).toEqual(before);
      expect(net.v2.facilitatorCalls()).toEqual(calls);
    });

    for (const side of ['v2', 'v1'] as const) {
      it(`${side} /article: approve → the tab reloads paid and shows the article; a second load pays nothing`, async () => {
        const { net } = w;
        const s = net[side];
        const url = s.url('/article');
        const before = await balances(net, side);
        expect(await sessionRules()).toEqual([]);
        await noApprovalPending(ext);

        const page = await suite.open(url); // the 402 paywall page loads; the wallet asks at the same time
        expect(await page.evaluate(() => document.getElementById('article-title'))).toBeNull();
        const win = await ext.waitForPage(isApproval(ext), 20_000);
        await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
        expect((await win.text('[data-testid="approval-method"]'))).toMatch(/GET · page load/);
        expect((await win.text('[data-testid="approval-resource"]')).trim()).toBe(url);
        await win.click('[data-testid="approve-pay-once"]');

        await page.waitFor('#article-title', 20_000);
        expect(await page.text('#article-title')).toBe('Paid article');
        expect(await page.text('#article-body')).toContain(`x402 v${s.version}`);
        const after = await balances(net, side);
        expect(after.payer).toBe(before.payer - PRICES.article);
        expect(after.merchant).toBe(before.merchant + PRICES.article);
        const [entry] = await settledFor(ext, url);
        const receipt = await s.chain.publicClient.getTransactionReceipt({ hash: entry!.txHash! as `0x${string}` });
        expect(receipt.status).toBe('success');

        // the one-shot rule is removed right after the paid load
        expect(await waitNoRules()).toEqual([]);

        // a second load: 402 again, nothing re-sent, nothing moves
        const calls = s.facilitatorCalls();
        await noApprovalPending(ext);
        await page.reload();
        expect(await page.evaluate(() => document.getElementById('article-title'))).toBeNull();
        await answerApproval(ext, 'approve-reject');
        await noApprovalPending(ext);
        expect(await page.evaluate(() => document.getElementById('article-title'))).toBeNull();
        expect(s.facilitatorCalls()).toEqual(calls);
        expect(await balances(net, side)).toEqual(after);
        expect(await sessionRules()).toEqual([]);
        expect((await settledFor(ext, url)).length).toBe(1);
        await page.close();
      });
    }
  });
}
