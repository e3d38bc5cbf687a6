/**
 * "Only on sites I allow" (Settings → Sites the wallet works on; lib/background/activation.ts):
 * a site the user has not allowed gets no page wrapper, and the wallet does not observe its
 * requests (a 402 navigation there opens no approval, a 402 form post is not even noticed); the
 * popup's "Use the wallet on this site" (sites.activate) turns it on, the tab reloads with the
 * wrapper and the site pays, exactly the price moving on chain. Back on "all sites", every site
 * has the wrapper again. Both browsers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { balances, isApproval, noApprovalPending, PASSWORD, settledFor, type World } from './world';
import { useWorld } from './suite';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ok<T = unknown>(ext: ExtensionBrowser, type: string, payload?: unknown): Promise<T> {
  const r = await ext.call<T>(type, payload);
  if (!r.ok) throw new Error(`${type}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const hasWrapper = (p: TestPage) => p.evaluate(() => (window as unknown as { __x402WrapperInstalled?: boolean }).__x402WrapperInstalled === true);

/** polls until the page's wrapper state is `want` (a reload is under way), reloading once if needed */
async function wrapperBecomes(p: TestPage, want: boolean, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const now = await hasWrapper(p).catch(() => !want);
    if (now === want || Date.now() > end) return now;
    await sleep(150);
  }
}

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`activation: only on sites I allow (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    beforeAll(() => {
      ({ w, ext } = suite);
    });
    afterAll(async () => {
      await ext?.call('settings.update', { activation: 'all', allowedSites: [] }).catch(() => undefined);
    });

    it('a site not allowed: no wrapper, its 402s are neither handled nor observed; nothing is asked, signed or moved', async () => {
      const { net } = w;
      const s = await ok<{ activation: string; allowedSites: string[] }>(ext, 'settings.update', { activation: 'allowed', allowedSites: [] });
      expect(s).toMatchObject({ activation: 'allowed', allowedSites: [] });
      await noApprovalPending(ext);
      const before = await balances(net, 'v2');
      const calls = net.v2.facilitatorCalls();
      const page = await suite.open(net.v2.url('/page'));
      expect(await hasWrapper(page)).toBe(false);
      // fetch: the page gets the server's 402 as is
      const r = await page.evaluate(async () => {
        const res = await fetch('/api/cheap');
        return { status: res.status, required: res.headers.get('payment-required') !== null, refusal: 'x402Refusal' in res };
      });
      expect(r).toEqual({ status: 402, required: true, refusal: false });
      // a 402 form POST navigation: with observation on, the wallet tells the user it does not
      // resend forms (pay-nav.e2e); here it never sees the response at all
      await page.evaluate(() => {
        const f = document.createElement('form');
        f.method = 'POST';
        f.action = '/api/echo';
        document.body.appendChild(f);
        f.submit();
      });
      // a 402 GET navigation: with observation on, an approval window opens (pay-nav.e2e)
      const nav = await suite.open(net.v2.url('/article'));
      await sleep(1_500);
      expect((await ext.pages(isApproval(ext))).length).toBe(0);
      const act = await ok<{ text: string }[]>(ext, 'activity.list');
      expect(act.some((a) => /does not resend forms/.test(a.text))).toBe(false);
      expect(await nav.evaluate(() => document.getElementById('article-body') === null)).toBe(true);
      expect(await balances(net, 'v2')).toEqual(before);
      expect(net.v2.facilitatorCalls()).toEqual(calls);
      // (allowing the site reloads its tabs: these two would ask again then)
      await nav.close();
      await page.close();
    });

    it('"Use the wallet on this site": the tab reloads with the wrapper and pays within a budget; other sites stay off', async () => {
      const { net } = w;
      const site = net.v2.origin;
      const page = await suite.open(net.v2.url('/page'));
      expect(await hasWrapper(page)).toBe(false);
      const current = await ok<{ site: string; active: boolean }>(ext, 'sites.activate', { site });
      expect(current).toMatchObject({ site, active: true });
      expect((await ok<{ allowedSites: string[] }>(ext, 'settings.get')).allowedSites).toEqual([site]);
      // sites.activate reloaded the tab: the wrapper is in the page now
      expect(await wrapperBecomes(page, true)).toBe(true);
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05' });
      const before = await balances(net, 'v2');
      const status = await page.evaluate(async () => (await fetch('/api/cheap')).status);
      expect(status).toBe(200);
      await settledFor(ext, net.v2.url('/api/cheap'));
      const after = await balances(net, 'v2');
      expect(before.payer - after.payer).toBe(PRICES.cheap);
      expect(after.merchant - before.merchant).toBe(PRICES.cheap);
      // the v1 server is another origin (another port of 127.0.0.1): the wallet does not work there.
      // Chromium matches ports, so the page has no wrapper at all; Firefox's match patterns
      // cannot name a port, so there other ports of an allowed host get the wrapper — and the
      // payment path, which checks the exact origin, refuses.
      const other = await suite.open(net.v1.url('/page'));
      if (kind === 'chromium') expect(await hasWrapper(other)).toBe(false);
      else {
        expect(await hasWrapper(other)).toBe(true);
        const refused = await other.evaluate(async () => {
          const res = await fetch('/api/cheap');
          return { status: res.status, code: (res as unknown as { x402Refusal?: { code: string } }).x402Refusal?.code };
        });
        expect(refused).toEqual({ status: 402, code: 'site-not-enabled' });
      }
      expect(await balances(net, 'v2')).toEqual(after);
      // a background that stopped (idle worker / reloaded extension) still sees the allowed site's
      // next 402: the observer starts on every URL and narrows once the setting is read
      await ext.restartBackground();
      // Firefox restarts by reloading the extension, which ends the unlocked session
      if (!(await ok<{ unlocked: boolean }>(ext, 'wallet.status')).unlocked) await ok(ext, 'wallet.unlock', { password: PASSWORD });
      const again = await suite.open(net.v2.url('/page'));
      expect(await hasWrapper(again)).toBe(true);
      expect(await again.evaluate(async () => (await fetch('/api/cheap')).status)).toBe(200);
      await settledFor(ext, net.v2.url('/api/cheap'), 2);
      expect(after.payer - (await balances(net, 'v2')).payer).toBe(PRICES.cheap);
      await ok(ext, 'sites.delete', { site });
    });

    it('back to "On all sites": every site gets the wrapper again', async () => {
      const { net } = w;
      const s = await ok<{ activation: string }>(ext, 'settings.update', { activation: 'all', allowedSites: [] });
      expect(s.activation).toBe('all');
      // registration is applied by the background on the settings change
      const end = Date.now() + 10_000;
      let on = false;
      while (!on && Date.now() < end) {
        const p = await suite.open(net.v1.url('/page'));
        on = await hasWrapper(p);
        await p.close();
        if (!on) await sleep(200);
      }
      expect(on).toBe(true);
    });
  });
}
