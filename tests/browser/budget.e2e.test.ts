/**
 * Per-site budgets in real browsers against the local x402 network:
 *  1. inside a budget the wallet pays by itself (no approval window), exactly once (both browsers);
 *  2. over the per-payment cap it asks, and says why;
 *  3. 50 concurrent paid requests against a budget for exactly 10: exactly 10 settle, the rest
 *     ask, closing the approval window answers all of them with 402; 80 % / 100 % alerts fire
 *     once each and the tab's badge turns red;
 *  4. the budget belongs to the TOP-LEVEL site: another site cannot spend it, and a
 *     cross-origin iframe spends (or asks) under the page that embeds it;
 *  5. (Chromium) the service worker dies while the paid retry is being settled: spend stays exact.
 */
import { parseAbiItem, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { frameCall, isApproval, PAYER, startWorld, type World } from './world';

interface SiteDto {
  policy: { site: string; mode: string };
  usage: { period: string; capUsd: string; spentUsd: string; remainingUsd: string; percent: number }[];
}
interface PaymentDto {
  id: string;
  site: string;
  requestOrigin: string;
  resourceUrl: string;
  status: string;
  auto: boolean;
  amountToken: string;
  txHash?: string;
}
interface ApprovalDto {
  id: string;
  site: string;
  requestOrigin: string;
  whyAsked?: string;
}
interface ActivityDto {
  text: string;
  level: string;
}

const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');

async function ok<T>(ext: ExtensionBrowser, type: string, payload?: unknown): Promise<T> {
  const r = await ext.call<T>(type, payload);
  if (!r.ok) throw new Error(`${type} failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

async function until<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `n` concurrent same-origin fetches of `path` from the page; resolves with their statuses. The
 * page keeps a tally (`fetchTally`) so a test that waits too long can say what is still open.
 */
function fetchMany(page: TestPage, path: string, n: number): Promise<{ status: number; body: string }[]> {
  return page.evaluate(
    ({ path, n }) => {
      const tally: Record<string, number> = { open: n };
      (window as any).__fetchTally = tally;
      return Promise.all(
        Array.from({ length: n }, () =>
          fetch(path)
            .then(
              async (r) => ({ status: r.status, body: await r.text() }),
              (e) => ({ status: 0, body: String(e) }),
            )
            .then((r) => {
              tally.open!--;
              tally[r.status] = (tally[r.status] ?? 0) + 1;
              return r;
            }),
        ),
      );
    },
    { path, n },
  );
}

function fetchTally(page: TestPage): Promise<Record<string, number> | undefined> {
  return page.evaluate(() => (window as any).__fetchTally as Record<string, number> | undefined);
}

/**
 * `p`, or — after `ms` — an error that says what was still waiting (`state()`), instead of a bare
 * test timeout that names nothing.
 */
async function within<T>(p: Promise<T>, ms: number, what: string, state: () => Promise<unknown>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), ms)));
  try {
    const v = await Promise.race([p, late]);
    if (v !== 'late') return v as T;
  } finally {
    clearTimeout(timer);
  }
  const s = await state().catch((e: Error) => `state unreadable: ${e.message}`);
  throw new Error(`${what}: not done after ${ms} ms; ${JSON.stringify(s)}`);
}

const microOf = (usd: string) => {
  const m = /^\$?(\d+)(?:\.(\d{1,6}))?$/.exec(usd.trim());
  if (!m) throw new Error(`not a dollar amount: ${usd}`);
  return BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
};
const usdOf = (micro: bigint) => `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;

async function daySpent(ext: ExtensionBrowser, site: string): Promise<bigint> {
  const s = await ok<SiteDto | null>(ext, 'sites.get', { site });
  const day = s?.usage.find((u) => u.period === 'day');
  return day ? microOf(day.spentUsd) : 0n;
}

async function approvalPages(ext: ExtensionBrowser): Promise<TestPage[]> {
  return ext.pages(isApproval(ext));
}

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`per-site budgets (${kind})`, () => {
    let w: World;
    beforeAll(async () => {
      w = await startWorld(kind);
    }, 120_000);
    afterAll(async () => {
      await w?.close();
    });

    const balances = async () => ({
      payer: await w.net.usdcBalance('v2', PAYER),
      merchant: await w.net.usdcBalance('v2', w.net.merchant),
    });

    it('1. inside its budget a site is paid automatically: no approval window, exact on-chain move, history auto+settled', async () => {
      const { net, ext } = w;
      const site = net.v2.origin;
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05' });
      const b0 = await balances();
      const page = await ext.newPage();
      await page.goto(net.v2.url('/page'));
      const r = await page.evaluate(() => (window as any).demo.fetchGet() as Promise<{ status: number; body: { data: string } }>);
      expect(r.status).toBe(200);
      expect(r.body.data).toBe('paid content');
      // Nobody clicked anything, and no approval was ever queued or shown.
      expect(await approvalPages(ext)).toHaveLength(0);
      expect(await ok<ApprovalDto[]>(ext, 'approvals.list')).toHaveLength(0);
      const b1 = await balances();
      expect(b0.payer - b1.payer).toBe(PRICES.data);
      expect(b1.merchant - b0.merchant).toBe(PRICES.data);
      const hist = await until(async () => {
        const h = await ok<PaymentDto[]>(ext, 'history.list', { site });
        return h[0]?.status === 'settled' ? h : null;
      }, 'the payment to be recorded as settled');
      expect(hist).toHaveLength(1);
      expect(hist[0]).toMatchObject({ site, requestOrigin: site, auto: true, status: 'settled' });
      expect(hist[0]!.txHash).toMatch(/^0x[0-9a-f]{64}$/i);
      const rcpt = await net.v2.chain.publicClient.getTransactionReceipt({ hash: hist[0]!.txHash as `0x${string}` });
      expect(rcpt.status).toBe('success');
      expect(await daySpent(ext, site)).toBe(PRICES.data);
      await page.close();
    });

    if (kind !== 'chromium') return;

    it('2. over the per-payment cap: the approval window explains why; reject → 402, nothing moves', async () => {
      const { net, ext } = w;
      const site = net.v2.origin;
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.005' });
      const b0 = await balances();
      const spent0 = await daySpent(ext, site);
      const page = await ext.newPage();
      await page.goto(net.v2.url('/page'));
      const result = page.evaluate(() => (window as any).demo.fetchGet() as Promise<{ status: number }>);
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      const why = await win.waitForText('[data-testid="approval-why"]', /per-payment cap/i, 15_000);
      expect(why).toMatch(/\$0\.01/);
      const [pending] = await ok<ApprovalDto[]>(ext, 'approvals.list');
      expect(pending?.site).toBe(site);
      await win.waitFor('[data-testid="approve-reject"]:not([disabled])');
      await win.click('[data-testid="approve-reject"]');
      expect((await result).status).toBe(402);
      // A late "approve" for an approval that is no longer waiting is refused.
      const late = await ext.call('approvals.decide', { id: pending!.id, decision: { kind: 'pay-once', optionIndex: 0 } });
      expect(late.ok).toBe(false);
      expect(late.error?.code).toBe('not-found');
      expect(await balances()).toEqual(b0);
      expect(await daySpent(ext, site)).toBe(spent0);
      await until(async () => (await approvalPages(ext)).length === 0, 'the approval window to close');
      await page.close();
    });

    it('3. 50 concurrent paid requests, budget for exactly 10: 10 settle, the 40 over it are one question (the same purchase is not asked 40 times), closing the window → 40 × 402', async () => {
      const { net, ext } = w;
      const site = net.v2.origin;
      const spent0 = await daySpent(ext, site);
      // today's cap = what this site already spent today + exactly 10 × $0.001
      const cap = spent0 + 10n * PRICES.cheap;
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: usdOf(cap), perPaymentUsd: '0.05' });
      const activity0 = await ok<ActivityDto[]>(ext, 'activity.list');
      const settle0 = net.v2.facilitatorCalls().settle;
      const b0 = await balances();
      const block0 = await net.v2.chain.publicClient.getBlockNumber();

      const page = await ext.newPage();
      await page.goto(net.v2.url('/page'));
      const all = fetchMany(page, '/api/cheap', 50);

      // The 40 over-budget requests are the same purchase: ONE question in ONE window (the rest are
      // refused as duplicates while it waits); the badge counts it.
      const queued = await until(async () => {
        const q = await ok<ApprovalDto[]>(ext, 'approvals.list');
        return q.length === 1 ? q : null;
      }, 'the pending approval', 40_000);
      expect(queued[0]!.site).toBe(site);
      expect(queued[0]!.whyAsked).toMatch(/would exceed today's budget/);
      const extPage = await ext.openExtensionPage('/options.html');
      await until(
        async () => (await extPage.evaluate(() => (globalThis as any).chrome.action.getBadgeText({}) as Promise<string>)) === '1',
        'badge text 1',
      );
      const wins = await approvalPages(ext);
      expect(wins).toHaveLength(1);
      // Exactly 10 settle while the approval waits; nothing else was queued meanwhile.
      await until(async () => net.v2.facilitatorCalls().settle - settle0 >= 10, '10 settlements', 40_000);
      expect(await ok<ApprovalDto[]>(ext, 'approvals.list')).toHaveLength(1);
      const t0 = Date.now();
      const state = async () => ({
        sinceClose: Date.now() - t0,
        page: await fetchTally(page),
        approvals: (await ok<ApprovalDto[]>(ext, 'approvals.list')).map((a) => a.whyAsked),
        approvalWindows: (await approvalPages(ext)).length,
        settled: net.v2.facilitatorCalls().settle - settle0,
      });
      await within(wins[0]!.close(), 15_000, 'closing the approval window', state);

      // closing the window answers the waiting question at once (not at its 2-minute expiry)
      const results = await within(all, 30_000, 'the 50 requests after the window closed', state);
      // Approving one of them after the window closed changes nothing.
      const late = await ext.call('approvals.decide', { id: queued[0]!.id, decision: { kind: 'pay-once', optionIndex: 0 } });
      expect(late.error?.code).toBe('not-found');
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 402)).toHaveLength(40);
      expect(results.filter((r) => r.status === 200).every((r) => JSON.parse(r.body).data === 'cheap content')).toBe(true);

      // On chain: exactly 10 transfers of exactly the price, nothing else.
      const b1 = await balances();
      expect(b0.payer - b1.payer).toBe(10n * PRICES.cheap);
      expect(b1.merchant - b0.merchant).toBe(10n * PRICES.cheap);
      expect(net.v2.facilitatorCalls().settle - settle0).toBe(10);
      const logs = await net.v2.chain.publicClient.getLogs({
        address: net.v2.usdc,
        event: TRANSFER,
        args: { from: PAYER as Address },
        fromBlock: block0 + 1n,
      });
      expect(logs).toHaveLength(10);
      expect(logs.every((l) => l.args.value === PRICES.cheap && l.args.to === net.merchant)).toBe(true);

      // The ledger agrees to the unit: 10 settled auto payments, spend = cap, no leftovers.
      const hist = await until(async () => {
        const h = (await ok<PaymentDto[]>(ext, 'history.list', { site })).filter((p) => p.resourceUrl.endsWith('/api/cheap'));
        return h.length >= 10 && h.every((p) => p.status === 'settled') ? h : null;
      }, '10 settled records');
      expect(hist).toHaveLength(10);
      expect(hist.every((p) => p.auto)).toBe(true);
      expect(new Set(hist.map((p) => p.txHash))).toEqual(new Set(logs.map((l) => l.transactionHash)));
      expect(await daySpent(ext, site)).toBe(cap);
      expect(await ok<ApprovalDto[]>(ext, 'approvals.list')).toHaveLength(0);
      await until(
        async () => (await extPage.evaluate(() => (globalThis as any).chrome.action.getBadgeText({}) as Promise<string>)) === '',
        'the global badge to clear',
      );

      // Alerts: exactly one 80 % and one 100 % crossing for this site's daily budget …
      const activity = await ok<ActivityDto[]>(ext, 'activity.list');
      const fresh = activity.slice(0, activity.length - activity0.length);
      const host = new URL(site).host;
      const at80 = fresh.filter((a) => /You have used 8\d% of today's budget/.test(a.text) && a.text.includes(host));
      const at100 = fresh.filter((a) => /You have used all of today's budget/.test(a.text) && a.text.includes(host));
      expect(at80).toHaveLength(1);
      expect(at100).toHaveLength(1);
      expect(at100[0]!.level).toBe('warning');
      // … and the badge of that site's tab is red.
      const colour = await extPage.evaluate(async (origin) => {
        const c = (globalThis as any).chrome;
        const [tab] = await c.tabs.query({ url: `${origin}/*` });
        return {
          color: (await c.action.getBadgeBackgroundColor({ tabId: tab.id })) as number[],
          text: (await c.action.getBadgeText({ tabId: tab.id })) as string,
        };
      }, site);
      expect(colour.color.slice(0, 3)).toEqual([0xb9, 0x1c, 0x1c]);
      expect(colour.text).toBe('!');
      await extPage.close();
      await page.close();
    }, 180_000);

    it('4. the budget belongs to the top-level site: another site asks; an iframe spends (or asks) as the page that embeds it', async () => {
      const { net, ext } = w;
      const site = net.v2.origin; // http://127.0.0.1:P
      const other = net.v2.frameOrigin; // http://localhost:Q — same server, another site
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05' });
      expect(await ok(ext, 'sites.get', { site: other })).toBeNull();
      const b0 = await balances();

      // (a) a page on the other site fetching its own paid endpoint must ask.
      const page = await ext.newPage();
      await page.goto(`${other}/page`);
      const r = fetchMany(page, '/api/cheap', 1);
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitForText('[data-testid="approval-site"]', new RegExp(new URL(other).host.replace('.', '\\.')), 15_000);
      await win.waitFor('[data-testid="approve-reject"]:not([disabled])');
      await win.click('[data-testid="approve-reject"]');
      expect((await r)[0]!.status).toBe(402);
      expect(await balances()).toEqual(b0);
      await until(async () => (await approvalPages(ext)).length === 0, 'the approval window to close');
      await page.close();

      // (b) the iframe's own origin has a budget, the embedding page does not: it must ask, for the embedding site.
      await ok(ext, 'sites.save', { site: other, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05' });
      await ok(ext, 'sites.save', { site, mode: 'ask', paused: false });
      const host = await ext.newPage();
      await host.goto(net.v2.url('/frame-relay')); // embeds http://localhost:Q/page-relay
      const asked = frameCall(host, 'fetchGet');
      const approval = await until(async () => (await ok<ApprovalDto[]>(ext, 'approvals.list'))[0], 'the iframe payment to ask');
      expect(approval.site).toBe(site);
      expect(approval.requestOrigin).toBe(other);
      const win2 = await ext.waitForPage(isApproval(ext), 20_000);
      await win2.waitFor('[data-testid="approve-reject"]:not([disabled])');
      await win2.click('[data-testid="approve-reject"]');
      await until(async () => (await approvalPages(ext)).length === 0, 'the approval window to close');
      expect((await asked).status).toBe(402);
      expect(await balances()).toEqual(b0);

      // (c) the embedding site has the budget and lets embedded content pay from it (off by
      // default: without it the cross-site frame asks — security.e2e): automatic, booked to it.
      await ok(ext, 'sites.delete', { site: other });
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05', embeddedPay: true });
      const spent0 = await daySpent(ext, site);
      await host.reload();
      expect((await frameCall(host, 'fetchGet')).status).toBe(200);
      const rec = await until(async () => {
        const h = await ok<PaymentDto[]>(ext, 'history.list', { limit: 1 });
        return h[0]?.requestOrigin === other && h[0].status === 'settled' ? h[0] : null;
      }, 'the iframe payment to settle');
      expect(rec).toMatchObject({ site, requestOrigin: other, auto: true });
      expect(rec.resourceUrl).toBe(`${other}/api/data`);
      expect(await approvalPages(ext)).toHaveLength(0);
      const b1 = await balances();
      expect(b0.payer - b1.payer).toBe(PRICES.data);
      expect(await daySpent(ext, site)).toBe(spent0 + PRICES.data);
      expect(await daySpent(ext, other)).toBe(0n);
      await host.close();
    }, 90_000);

    it('5. the worker dies while the paid retry is settling: one signature, one transfer, spend exact after restart', async () => {
      const { net, ext } = w;
      const site = net.v2.origin;
      const chain = net.v2.chain;
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05' });
      const spent0 = await daySpent(ext, site);
      const b0 = await balances();
      const settle0 = net.v2.facilitatorCalls().settle;
      const block0 = await chain.publicClient.getBlockNumber();
      const before = new Set((await ok<PaymentDto[]>(ext, 'history.list', { site })).map((p) => p.id));

      const page = await ext.newPage();
      await page.goto(net.v2.url('/page'));
      await chain.testClient.setAutomine(false);
      try {
        // Hold the settlement transaction in the mempool: the paid retry is in flight.
        void page.evaluate(() => {
          (window as any).__paid = fetch('/api/cheap').then(
            async (r) => ({ status: r.status, receipt: r.headers.get('payment-response'), body: await r.text() }),
            (e) => ({ status: 0, receipt: null, body: String(e) }),
          );
        });
        await until(async () => (await chain.testClient.getTxpoolStatus()).pending > 0, 'the settlement tx to be pending');
        const signed = await until(async () => {
          const h = (await ok<PaymentDto[]>(ext, 'history.list', { site })).filter((p) => !before.has(p.id));
          return h.length === 1 && h[0]!.status === 'signed' ? h[0] : null;
        }, 'one signed record');
        expect(signed.auto).toBe(true);
        // The worker's identity from the browser (asking does not wake it).
        const probe = await ext.openExtensionPage('/options.html');
        const workers = () =>
          probe.evaluate(async () =>
            ((await (globalThis as any).chrome.runtime.getContexts({ contextTypes: ['BACKGROUND'] })) as { contextId: string }[]).map(
              (c) => c.contextId,
            ),
          );
        const [old] = await workers();
        expect(old).toBeTruthy();
        await ext.stopServiceWorker().catch((e: Error) => {
          // playwright's worker list never empties after a CDP stop here; checked below instead
          if (!/service worker to stop/.test(e.message)) throw e;
        });
        await until(async () => !(await workers()).includes(old!), 'the old worker to be gone');
        await probe.close();
        await chain.testClient.mine({ blocks: 1 });
      } finally {
        await chain.testClient.setAutomine(true);
      }
      const res = await until(
        () => page.evaluate(() => (window as any).__paid as Promise<{ status: number; receipt: string | null; body: string }>),
        'the paid response',
      );
      expect(res.status).toBe(200);
      expect(res.receipt).toBeTruthy();

      // One signature → exactly one transfer on chain, one settlement call.
      const logs = await chain.publicClient.getLogs({
        address: net.v2.usdc,
        event: TRANSFER,
        args: { from: PAYER as Address },
        fromBlock: block0 + 1n,
      });
      expect(logs).toHaveLength(1);
      expect(logs[0]!.args.value).toBe(PRICES.cheap);
      expect(net.v2.facilitatorCalls().settle - settle0).toBe(1);
      const b1 = await balances();
      expect(b0.payer - b1.payer).toBe(PRICES.cheap);

      // The restarted worker learns the outcome from the page's report: still one record,
      // still counted (settled — or 'unknown' at worst, never released while it could settle).
      const recs = await until(async () => {
        const h = (await ok<PaymentDto[]>(ext, 'history.list', { site })).filter((p) => !before.has(p.id));
        return h.length === 1 && h[0]!.status !== 'signed' ? h : null;
      }, 'the record to leave "signed"');
      expect(recs).toHaveLength(1);
      expect(['settled', 'unknown']).toContain(recs[0]!.status);
      if (recs[0]!.status === 'settled') {
        // settled by the restarted worker's reconciliation (the authorization is used) or by the
        // page's report checked on chain; either way the receipt's hash ends up on the record
        const tx = await until(async () => {
          const h = (await ok<PaymentDto[]>(ext, 'history.list', { site })).find((p) => p.id === recs[0]!.id);
          return h?.txHash ?? null;
        }, 'the transaction hash on the record');
        expect(tx).toBe(logs[0]!.transactionHash);
      }
      expect(await daySpent(ext, site)).toBe(spent0 + PRICES.cheap);
      // The sweep after the restart keeps it counted too.
      const sweep = await ext.openExtensionPage('/options.html');
      await sweep.evaluate(() =>
        (globalThis as any).chrome.runtime.sendMessage({ channel: 'x402.test', type: 'test.fireAlarm', payload: { name: 'x402-ledger-sweep' } }),
      );
      await sweep.close();
      expect(await daySpent(ext, site)).toBe(spent0 + PRICES.cheap);
      await page.close();
    }, 90_000);
  });
}
