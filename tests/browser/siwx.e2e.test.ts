/**
 * Sign-in-with-x against the official `@x402/express` server with the SIWX extension registered
 * (tests/fixture/siwx.ts), in both browsers: pay once (on chain), then come back signed in — the
 * approval shows the full EIP-4361 message bound to the observed origin; "remember" signs in
 * without asking; no money moves on any sign-in. A challenge for another domain, an expired one and
 * a replayed nonce are refused with their reason (nothing signed; the 402 becomes an ordinary
 * payment request, rejected here). The same server issues offer-receipt receipts: the wallet keeps
 * the verified receipt with the payment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDto, PaymentDto } from '../../lib/messaging/contract';
import { RECEIPT_SIGNER, SIWX_PRICE, startSiwxServer, type SiwxServer } from '../fixture/siwx';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { answerApproval, isApproval, noApprovalPending, PAYER, settledFor, type World } from './world';
import { useWorld } from './suite';

const get = (page: TestPage) =>
  page.evaluate(async () => {
    const r = await fetch('/siwx/data');
    return { status: r.status, body: await r.text(), refusal: ((r as Response & { x402Refusal?: { code: string } }).x402Refusal ?? null) as { code: string } | null };
  });

async function activity(ext: ExtensionBrowser): Promise<string[]> {
  const r = await ext.call<ActivityDto[]>('activity.list' as never);
  if (!r.ok) throw new Error('activity.list failed');
  return r.value!.slice(0, 6).map((a) => a.text);
}

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`sign-in-with-x (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    let s: SiwxServer;
    let page: TestPage;
    const usdc = () => w.net.usdcBalance('v2', PAYER);

    beforeAll(async () => {
      ({ w, ext } = suite);
      s = await startSiwxServer({ chainId: w.net.v2.chainId, usdc: w.net.v2.usdc, merchant: w.net.merchant, facilitatorUrl: w.net.v2.facilitatorUrl });
      page = await suite.open(s.url('/'));
    });
    afterAll(async () => {
      await s?.stop();
    });

    it('pays once on chain; the next visit signs in (full message, observed origin) and moves no money', async () => {
      const b0 = await usdc();
      await noApprovalPending(ext);
      const first = get(page);
      await answerApproval(ext, 'approve-pay-once');
      expect((await first).status).toBe(200);
      expect(await usdc()).toBe(b0 - SIWX_PRICE);
      const [entry] = await settledFor(ext, s.url('/siwx/data'));
      // offer-receipt: the server's signed receipt is kept with the payment, verified, signer recovered
      const hist = await ext.call<PaymentDto[]>('history.list' as never, {} as never);
      const paid = hist.ok ? hist.value!.find((p) => p.txHash === entry!.txHash) : undefined;
      expect(paid?.receipt).toMatchObject({ format: 'eip712', verified: true, matches: true, signer: RECEIPT_SIGNER.address });
      // payment-identifier: the id the server received is the one the ledger keeps
      expect(paid?.paymentIdentifier).toMatch(/^pay_[0-9a-f]{32}$/);
      expect(s.stats().paymentIds).toEqual([paid!.paymentIdentifier]);

      await noApprovalPending(ext);
      const again = get(page);
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-kind="sign-in"]', 15_000);
      const message = await win.text('[data-testid="signin-message"]');
      const host = new URL(s.origin).host;
      expect(message.split('\n')[0]).toBe(`${host} wants you to sign in with your Ethereum account:`);
      expect(message.split('\n')[1]).toBe(PAYER);
      expect(message).toContain(`URI: ${s.url('/siwx/data')}`);
      expect(message).toContain('Chain ID: 31337');
      expect(message).toMatch(/Nonce: [0-9a-f]{32}/);
      expect(message).toMatch(/Expiration Time: /);
      expect(await win.text('[data-testid="signin-origin"]')).toBe(s.origin);
      expect(await win.text('[data-testid="signin-paid-before"]')).toMatch(/You paid 0\.03 USDC/);
      await win.waitFor('[data-testid="signin-sign"]:not([disabled])', 15_000); // the security delay
      await win.click('[data-testid="signin-sign"]');
      const r = await again;
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ ok: true, data: 'content you bought' });
      expect(await usdc()).toBe(b0 - SIWX_PRICE);
      expect(s.stats()).toMatchObject({ withSiwx: 1, granted: 1, withPayment: 1 });
    });

    it('not remembered: asks again; with "remember" ticked the next sign-in needs no window', async () => {
      const b0 = await usdc();
      await noApprovalPending(ext);
      const asked = get(page);
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="signin-remember"]', 15_000);
      await win.click('[data-testid="signin-remember"]');
      await win.waitFor('[data-testid="signin-sign"]:not([disabled])', 15_000); // the security delay
      await win.click('[data-testid="signin-sign"]');
      expect((await asked).status).toBe(200);
      await noApprovalPending(ext);
      const silent = await get(page);
      expect(silent.status).toBe(200);
      expect(await ext.pages(isApproval(ext))).toHaveLength(0);
      expect(await usdc()).toBe(b0);
      expect(s.stats()).toMatchObject({ withSiwx: 3, granted: 3, withPayment: 1 });
      expect((await activity(ext)).some((t) => t.includes('remembered for this site'))).toBe(true);
    });

    for (const [mode, why] of [
      ['wrong-domain', /the sign-in is for "evil\.example"/],
      ['expired', /expired/],
    ] as const) {
      it(`a challenge that is ${mode}: refused with the reason, nothing signed, asked as a payment`, async () => {
        s.setMode(mode);
        const before = s.stats().withSiwx;
        const b0 = await usdc();
        await noApprovalPending(ext);
        const r = get(page);
        await answerApproval(ext, 'approve-reject');
        expect((await r).status).toBe(402);
        expect(s.stats().withSiwx).toBe(before);
        expect(await usdc()).toBe(b0);
        expect((await activity(ext)).some((t) => t.startsWith(`Did not sign in to ${s.origin}`) && why.test(t))).toBe(true);
        s.setMode('normal');
      });
    }

    it('a replayed nonce: signed once, refused the second time', async () => {
      s.setMode('static-nonce');
      const first = await get(page); // remembered: signs without a window
      expect(first.status).toBe(200);
      const before = s.stats().withSiwx;
      await noApprovalPending(ext);
      const r = get(page);
      await answerApproval(ext, 'approve-reject');
      expect((await r).status).toBe(402);
      expect(s.stats().withSiwx).toBe(before);
      expect((await activity(ext)).some((t) => t.includes('replayed nonce'))).toBe(true);
      s.setMode('normal');
    });

    it('the per-site setting: listed, and after "forget" the wallet asks again', async () => {
      const list = await ext.call<{ site: string }[]>('siwx.list' as never);
      expect(list.ok && list.value).toEqual([{ site: s.origin }]);
      const off = await ext.call('siwx.setRemember' as never, { site: s.origin, remember: false } as never);
      expect(off.ok).toBe(true);
      const bad = await ext.call('siwx.setRemember' as never, { site: 'javascript:alert(1)', remember: true } as never);
      expect(bad.ok).toBe(false);
      await noApprovalPending(ext);
      const r = get(page);
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-kind="sign-in"]', 15_000);
      await win.click('[data-testid="approve-reject"]');
      expect((await r).refusal?.code).toBe('siwx-declined');
    });
  });
}
