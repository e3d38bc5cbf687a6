/**
 * Malicious servers and malicious pages, in both browsers.
 *
 * Servers: every /bad/* route of the v2 server answers a crafted 402. For the malformed ones
 * the page must get the original 402 at once, with NO approval window, no payment header
 * ever sent to the server (`withPayment` 0) and no funds moved. `huge-amount` is a
 * well-formed request for 1,000,000 USDC (more than the wallet holds): it is validated and
 * shown to the user with the trusted decimals — rejected here, nothing moves.
 *
 * Pages: a page that forges the wrapper's "I got a 402" report (window.postMessage on the
 * page channel) for URLs that never answered 402 gets a pass — no approval, no signature.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CHANNEL } from '../../lib/messaging/contract';
import { HOSTILE_ROUTES, PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { balances, isApproval, noApprovalPending, type World } from './world';
import { useWorld } from './suite';

/** Fetches a URL from the page; the 402 answer is returned with its PAYMENT-REQUIRED header. */
function fetchInPage(arg: { url: string; method: string }): Promise<{ status: number; pr: string | null; ms: number }> {
  const t0 = performance.now();
  return fetch(arg.url, arg.method === 'GET' ? {} : { method: arg.method, body: '{"x":1}', headers: { 'Content-Type': 'application/json' } }).then(
    async (res) => {
      await res.text();
      return { status: res.status, pr: res.headers.get('PAYMENT-REQUIRED'), ms: performance.now() - t0 };
    },
  );
}

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`hostile servers and pages (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    let page: TestPage;

    const expectNothingAsked = async () => {
      expect(await ext.pages(isApproval(ext))).toEqual([]);
      const list = await ext.call<unknown[]>('approvals.list');
      expect(list.ok && list.value).toEqual([]);
    };

    beforeAll(async () => {
      ({ w, ext } = suite);
      page = await suite.open(w.net.v2.url('/page'));
    });

    const malformed = HOSTILE_ROUTES.filter((r) => r !== 'huge-amount');
    /** Why the wallet refused each one (its activity log): proves it saw and judged the 402, not that it was absent. */
    const WHY: Record<string, RegExp> = {
      malformed: /malformed payment request/i,
      urlsafe: /malformed payment request/i,
      'unknown-network': /eip155:999999/,
      'unknown-asset': /not in the trusted table/,
      'zero-payto': /zero address/,
      'short-timeout': /maxTimeoutSeconds 2 is below/,
      'name-mismatch': /EIP-712 domain "Fake USD"/,
      'negative-amount': /amount must be a decimal integer/,
      'float-amount': /amount must be a decimal integer/,
      'svm-unknown-mint': /not in the trusted table/,
      'svm-feepayer-is-user': /feePayer is your own account/,
      'svm-payto-malformed': /not a valid Solana address/,
      'svm-amount-not-integer': /amount must be a decimal integer/,
      'svm-compute-price': /computeUnitPrice 1000000000 is over/,
      'svm-network-mint-mismatch': /on solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp is not in the trusted table/,
      'svm-v1-fields': /malformed payment request.*maxAmountRequired/i,
    };
    const activity = async () => {
      const res = await ext.call<{ id: string; text: string; level: string }[]>('activity.list');
      return res.value ?? [];
    };
    for (const route of malformed) {
      it(`/bad/${route}: the page gets the original 402, no approval, no payment header, nothing moves`, async () => {
        const { net } = w;
        const before = await balances(net, 'v2');
        const calls = net.v2.facilitatorCalls();
        const stats0 = net.hostileStats()[route];
        const seen0 = new Set((await activity()).map((a) => a.id));
        // GET and POST, fetch only: the promise resolving without anyone touching the
        // wallet proves no approval was waiting (a pending approval holds the request).
        for (const method of ['GET', 'POST']) {
          const r = await page.evaluate(fetchInPage, { url: `/bad/${route}`, method });
          expect(r.status).toBe(402);
          expect(r.pr).toBeTruthy(); // the original header, still readable
          await expectNothingAsked();
        }
        const stats = net.hostileStats()[route];
        expect(stats.requests - stats0.requests).toBe(2); // each request once, never retried
        expect(stats.withPayment).toBe(0);
        expect(await balances(net, 'v2')).toEqual(before);
        expect(net.v2.facilitatorCalls()).toEqual(calls);
        const all = await activity();
        const fresh = all.filter((a) => !seen0.has(a.id));
        // GET and POST give the same line: recorded once; the same line as the previous route's
        // (same reason) is not repeated within 3 s either — the newest line then stands for it
        if (fresh.length === 0 && all[0]) fresh.push(all[0]);
        expect(fresh.map((a) => a.level)).toEqual(['warning']);
        for (const a of fresh) expect(a.text).toMatch(WHY[route]!);
      });
    }

    it('/bad/huge-amount: well-formed, shown with the trusted decimals (1,000,000 USDC); rejected → 402, nothing sent', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const stats0 = net.hostileStats()['huge-amount'];
      await noApprovalPending(ext);
      const result = page.evaluate(fetchInPage, { url: '/bad/huge-amount', method: 'GET' });
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-reject"]:not([disabled])', 15_000);
      expect(await win.text('[data-testid="approval-amount"]')).toMatch(/1,?000,?000(\.00)? USDC|\$1,000,000\.00/);
      await win.click('[data-testid="approve-reject"]');
      const r = await result;
      expect(r.status).toBe(402);
      await noApprovalPending(ext);
      const stats = net.hostileStats()['huge-amount'];
      expect(stats.requests - stats0.requests).toBe(1);
      expect(stats.withPayment).toBe(0);
      expect(await balances(net, 'v2')).toEqual(before);
    });

    it('the hostile routes never received a payment header', () => {
      const stats = w.net.hostileStats();
      for (const r of HOSTILE_ROUTES) expect(stats[r], r).toEqual({ requests: expect.any(Number), withPayment: 0 });
      for (const r of HOSTILE_ROUTES) expect(stats[r].requests, r).toBeGreaterThan(0);
    });

    it("a page's own x402 flow: a request that already carried a payment header and got 402 is left alone", async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const calls = net.v2.facilitatorCalls();
      await noApprovalPending(ext);
      for (const header of ['PAYMENT-SIGNATURE', 'X-PAYMENT']) {
        // If the wallet missed the page's header it would open an approval and hold the request.
        const r = await page.evaluate(
          (h) =>
            Promise.race([
              fetch('/api/cheap', { headers: { [h]: 'bm90IGEgcmVhbCBwYXltZW50' } }).then((res) => res.status),
              new Promise<string>((resolve) => setTimeout(() => resolve('held'), 8_000)),
            ]),
          header,
        );
        expect(r, header).toBe(402);
        await expectNothingAsked();
      }
      expect(await balances(net, 'v2')).toEqual(before);
      expect(net.v2.facilitatorCalls().settle).toBe(calls.settle);
    });

    it('a page forging "I got a 402" reports gets a pass: no approval, no signature, nothing moves', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const calls = net.v2.facilitatorCalls();
      await noApprovalPending(ext);
      // A perfectly payable requirement the page made up (it never came from a server).
      const forgedHeader = Buffer.from(
        JSON.stringify({
          x402Version: 2,
          error: 'Payment required',
          resource: { url: net.v2.url('/free'), description: 'forged', mimeType: 'application/json' },
          accepts: [
            {
              scheme: 'exact',
              network: 'eip155:31337',
              amount: PRICES.data.toString(),
              asset: net.v2.usdc,
              payTo: net.merchant,
              maxTimeoutSeconds: 60,
              extra: { name: 'USD Coin', version: '2' },
            },
          ],
        }),
      ).toString('base64');
      const targets = [
        net.v2.url('/free'), // same origin, never a 402
        net.v2.url('/api/data'), // a paid URL this tab never requested
        net.v1.url('/api/data'), // another origin
      ];
      const answers = await Promise.all(targets.map(async (url) => {
        const msgs = await page.evaluate(
          (arg) =>
            new Promise<unknown[]>((resolve) => {
              const id = 'forged' + Math.random().toString(16).slice(2);
              const seen: unknown[] = [];
              window.addEventListener('message', (ev) => {
                const d = ev.data;
                if (!d || d.channel !== arg.channel || d.dir !== 'to-page' || d.id !== id) return;
                seen.push(d);
                if (d.answer) resolve(seen);
              });
              window.postMessage(
                { channel: arg.channel, dir: 'to-ext', id, kind: '402', payload: { url: arg.url, method: 'GET', paymentRequired: arg.header, bodyText: '{}' } },
                '*',
              );
            }),
          { channel: PAGE_CHANNEL, url, header: forgedHeader },
        );
        expect((msgs[0] as any).ack).toBe(true); // the bridge relayed it
        return (msgs.find((m: any) => m.answer) as any).answer;
      }));
      for (const answer of answers) {
        expect(answer.action).toBe('pass');
        expect(answer.headerValue).toBeUndefined();
        expect(answer.reason).toMatch(/did not see this 402/);
      }
      await expectNothingAsked();
      expect(await balances(net, 'v2')).toEqual(before);
      expect(net.v2.facilitatorCalls()).toEqual(calls);
      const hist = await ext.call<unknown[]>('history.list', {});
      expect(hist.ok).toBe(true);
      expect((hist.value as { resourceUrl: string }[]).filter((h) => targets.includes(h.resourceUrl))).toEqual([]);
    });
  });
}
