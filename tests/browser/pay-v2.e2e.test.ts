/**
 * "Intercept and pay", x402 v2, page requests (fetch, XHR, cross-origin iframe), in both
 * browsers against the local network: every paid case checks what the page finally got AND
 * the exact on-chain USDC movement of payer and merchant; refusals check that nothing moved.
 */
import { erc20Abi, parseEventLogs } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser } from './harness';
import {
  answerApproval,
  balances,
  historyFor,
  isApproval,
  noApprovalPending,
  PAYER,
  settledFor,
  type World,
  withApproval,
  frameCall,
} from './world';
import { useWorld } from './suite';

type Demo = { status: number; body: any };
type XhrEvent = [name: string, readyState: number, status: number];
type XhrResult = { events: XhrEvent[]; readyState: number; status: number; responseText: string; contentType: string | null };

/** Runs one XMLHttpRequest in the page, recording every event the page's handlers see. */
function xhrInPage(arg: { method: string; url: string; body?: string }): Promise<XhrResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const events: [string, number, number][] = [];
    const rec = (name: string) => () => events.push([name, xhr.readyState, xhr.status]);
    xhr.onreadystatechange = rec('onreadystatechange');
    xhr.addEventListener('readystatechange', rec('readystatechange'));
    xhr.onload = rec('onload');
    xhr.addEventListener('load', rec('load'));
    xhr.addEventListener('progress', rec('progress'));
    xhr.onerror = rec('onerror');
    xhr.addEventListener('loadend', () => {
      events.push(['loadend', xhr.readyState, xhr.status]);
      resolve({
        events,
        readyState: xhr.readyState,
        status: xhr.status,
        responseText: xhr.responseText,
        contentType: xhr.getResponseHeader('content-type'),
      });
    });
    xhr.open(arg.method, arg.url);
    if (arg.body !== undefined) xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.send(arg.body ?? null);
  });
}

/** The page's handlers saw the request end exactly once, with `status`, and never saw another status. */
function expectOnlyFinal(r: XhrResult, status: number): void {
  const finalRsc = r.events.filter(([n, rs]) => n === 'onreadystatechange' && rs === 4);
  expect(finalRsc).toEqual([['onreadystatechange', 4, status]]);
  expect(r.events.filter(([n, rs]) => n === 'readystatechange' && rs === 4)).toEqual([['readystatechange', 4, status]]);
  expect(r.events.filter(([n]) => n === 'onload')).toEqual([['onload', 4, status]]);
  expect(r.events.filter(([n]) => n === 'load')).toEqual([['load', 4, status]]);
  expect(r.events.filter(([n]) => n === 'loadend')).toEqual([['loadend', 4, status]]);
  expect(r.events.filter(([n]) => n === 'onerror')).toEqual([]);
  // no handler ever observed any other status (e.g. the 402 before the paid retry)
  expect(r.events.filter(([, , s]) => s !== 0 && s !== status)).toEqual([]);
}

const UNICODE = 'Grüße, Zürich — 世界 🌍 «x402» \u2028 end';

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`pay v2 page requests (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    const open = (url: string) => suite.open(url);
    const paid = <T,>(run: () => Promise<T>, button?: Parameters<typeof answerApproval>[1]) => withApproval(ext, run, button);

    beforeAll(() => {
      ({ w, ext } = suite);
    });

    it('fetch GET: approval → 200, exactly the price moves, history has the settled tx on chain', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const page = await open(net.v2.url('/page'));
      const r = (await paid(() => page.evaluate(() => (window as any).demo.fetchGet()))) as Demo;
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ok: true, data: 'paid content', version: 2 });
      const after = await balances(net, 'v2');
      expect(after.payer).toBe(before.payer - PRICES.data);
      expect(after.merchant).toBe(before.merchant + PRICES.data);

      // history: settled, with a transaction hash that exists on chain and moved exactly this payment
      const [entry] = await settledFor(ext, net.v2.url('/api/data'));
      expect(entry!.site).toBe(net.v2.origin);
      expect(entry!.network).toBe('eip155:31337');
      expect(entry!.txHash).toMatch(/^0x[0-9a-f]{64}$/i);
      const receipt = await net.v2.chain.publicClient.getTransactionReceipt({ hash: entry!.txHash! as `0x${string}` });
      expect(receipt.status).toBe('success');
      const transfers = parseEventLogs({ abi: erc20Abi, eventName: 'Transfer', logs: receipt.logs });
      expect(transfers).toHaveLength(1);
      expect(transfers[0]!.address.toLowerCase()).toBe(net.v2.usdc.toLowerCase());
      expect(transfers[0]!.args.from.toLowerCase()).toBe(PAYER.toLowerCase());
      expect(transfers[0]!.args.to.toLowerCase()).toBe(net.merchant.toLowerCase());
      expect(transfers[0]!.args.value).toBe(PRICES.data);
      await page.close();
    });

    it('fetch POST: the JSON body (with Unicode) is replayed byte for byte, init and Request forms', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const page = await open(net.v2.url('/page'));
      const body = { hello: 'x402', text: UNICODE, n: 42, nested: { list: [1, 'zwei', { drei: true }] } };

      const r1 = (await paid(() => page.evaluate((b) => (window as any).demo.fetchPost(b), body))) as Demo;
      expect(r1.status).toBe(200);
      expect(r1.body).toEqual({ ok: true, echo: body });

      // a Request object with its own body (the body must survive the replay)
      const r2 = await paid(() =>
        page.evaluate(async (b) => {
          const req = new Request('/api/echo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
          const res = await fetch(req);
          return { status: res.status, text: await res.text() };
        }, body),
      );
      expect(r2.status).toBe(200);
      expect(r2.text).toBe(JSON.stringify({ ok: true, echo: body }));

      const after = await balances(net, 'v2');
      expect(after.payer).toBe(before.payer - 2n * PRICES.echo);
      expect(after.merchant).toBe(before.merchant + 2n * PRICES.echo);
      await settledFor(ext, net.v2.url('/api/echo'), 2);
      await page.close();
    });

    it('XHR GET: readyState 4 / 200 / paid responseText; the page handlers saw only the final 200', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const page = await open(net.v2.url('/page'));
      const r = await paid(() => page.evaluate(xhrInPage, { method: 'GET', url: '/api/data' }));
      expect(r.readyState).toBe(4);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.responseText)).toEqual({ ok: true, data: 'paid content', version: 2 });
      expect(r.contentType).toMatch(/application\/json/);
      expectOnlyFinal(r, 200);
      const after = await balances(net, 'v2');
      expect(after.payer).toBe(before.payer - PRICES.data);
      expect(after.merchant).toBe(before.merchant + PRICES.data);
      await page.close();
    });

    it('XHR POST: the body (with Unicode) is replayed; the handlers saw only the final 200', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const page = await open(net.v2.url('/page'));
      const body = JSON.stringify({ via: 'xhr', text: UNICODE });
      const r = await paid(() => page.evaluate(xhrInPage, { method: 'POST', url: '/api/echo', body }));
      expect(r.status).toBe(200);
      expect(r.responseText).toBe(JSON.stringify({ ok: true, echo: JSON.parse(body) }));
      expectOnlyFinal(r, 200);
      const after = await balances(net, 'v2');
      expect(after.payer).toBe(before.payer - PRICES.echo);
      expect(after.merchant).toBe(before.merchant + PRICES.echo);
      await page.close();
    });

    it('cross-origin iframe: the frame pays for itself; approval names both the site and the frame origin', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const page = await open(net.v2.url('/frame-relay'));
      await noApprovalPending(ext);
      const result = frameCall(page, 'fetchGet');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
      expect((await win.text('[data-testid="approval-site"]')).trim()).toBe(net.v2.origin);
      expect((await win.text('[data-testid="approval-origin"]')).trim()).toBe(net.v2.frameOrigin);
      expect((await win.text('[data-testid="approval-resource"]')).trim()).toBe(`${net.v2.frameOrigin}/api/data`);
      await win.click('[data-testid="approve-pay-once"]');
      const r = await result;
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ok: true, data: 'paid content', version: 2 });
      const after = await balances(net, 'v2');
      expect(after.payer).toBe(before.payer - PRICES.data);
      expect(after.merchant).toBe(before.merchant + PRICES.data);
      const [entry] = await settledFor(ext, `${net.v2.frameOrigin}/api/data`);
      expect(entry!.site).toBe(net.v2.origin);
      expect(entry!.requestOrigin).toBe(net.v2.frameOrigin);
      await page.close();
    });

    it('reject: the page gets the original 402 with a readable PAYMENT-REQUIRED, nothing moves', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const calls = net.v2.facilitatorCalls();
      const page = await open(net.v2.url('/page'));
      const r = await paid(
        () =>
          page.evaluate(async () => {
            const res = await fetch('/api/cheap');
            return { status: res.status, pr: res.headers.get('PAYMENT-REQUIRED'), body: await res.text() };
          }),
        'approve-reject',
      );
      expect(r.status).toBe(402);
      expect(r.pr).toBeTruthy();
      const decoded = JSON.parse(Buffer.from(r.pr!, 'base64').toString('utf8'));
      expect(decoded.x402Version).toBe(2);
      expect(decoded.accepts[0].amount).toBe(PRICES.cheap.toString());
      expect(await balances(net, 'v2')).toEqual(before);
      expect(net.v2.facilitatorCalls().verify).toBe(calls.verify);
      expect(net.v2.facilitatorCalls().settle).toBe(calls.settle);
      expect((await historyFor(ext, net.v2.url('/api/cheap'))).filter((h) => h.status === 'settled')).toEqual([]);
      await page.close();
    });

    it('closing the approval window: the XHR ends once with the original 402, nothing hangs or moves', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const calls = net.v2.facilitatorCalls();
      const page = await open(net.v2.url('/page'));
      await noApprovalPending(ext);
      const result = page.evaluate(xhrInPage, { method: 'GET', url: '/api/cheap' });
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
      await win.close();
      const r = await result;
      expect(r.readyState).toBe(4);
      expect(r.status).toBe(402);
      expectOnlyFinal(r, 402);
      await noApprovalPending(ext);
      expect(await balances(net, 'v2')).toEqual(before);
      expect(net.v2.facilitatorCalls().verify).toBe(calls.verify);
      await page.close();
    });
  });
}
