/**
 * The EVM `upto` scheme in real browsers against the official `@x402/express` server (upto
 * server scheme) and the official upto facilitator settling on anvil through Permit2 and the
 * upto proxy (tests/fixture/permit2.ts, permit2-routes.ts). `/upto/api/metered` asks for up to
 * 0.05 USDC and settles 0.012345:
 *  1. the approval says "Up to 0.05 USDC ($0.05)" with site, payee and facilitator; paying it
 *     moves exactly 0.012345 on chain, and history/export keep the maximum and the settled amount;
 *  2. inside a budget it is paid automatically, the budget keeps only what was paid (0.012345),
 *     and the next one — whose MAXIMUM no longer fits — asks instead of paying (every cap counts
 *     the maximum: today's budget and the per-payment cap).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvePermit2, UPTO_PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { isApproval, noApprovalPending, PAYER, startWorld, type World } from './world';

interface PaymentDto {
  id: string;
  resourceUrl: string;
  status: string;
  auto: boolean;
  scheme: string;
  amountAtomic: string;
  txHash?: string;
  confirmedBy?: string;
  maxAmount?: { atomic: string; token: string; usd: string | null };
  settledAmountAtomic?: string;
}
interface SiteDto {
  usage: { period: string; spentUsd: string }[];
}

async function ok<T>(ext: ExtensionBrowser, type: string, payload?: unknown): Promise<T> {
  const r = await ext.call<T>(type, payload);
  if (!r.ok) throw new Error(`${type} failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

async function until<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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

const fetchPath = (page: TestPage, path: string) =>
  page.evaluate((p) => (window as any).demo.fetchPath(p) as Promise<{ status: number; body: any }>, path);

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`upto (${kind})`, () => {
    let w: World;
    let page: TestPage;
    beforeAll(async () => {
      w = await startWorld(kind);
      // the payer allowed Permit2 before (the missing-allowance path is pay-permit2.e2e's)
      await approvePermit2(w.net.v2.chain, w.net.v2.usdc, PAYER, 10_000_000n);
      page = await w.ext.newPage();
      await page.goto(w.net.v2.url('/page'));
    }, 120_000);
    afterAll(async () => {
      await w?.close();
    });

    const balances = async () => ({ payer: await w.net.usdcBalance('v2', PAYER), merchant: await w.net.usdcBalance('v2', w.net.merchant) });
    const metered = () => w.net.v2.url('/upto/api/metered');

    it('1. the approval shows "up to" the maximum; the chain moves what the server settled; history and export keep both', async () => {
      const { net, ext } = w;
      await noApprovalPending(ext);
      const b0 = await balances();
      const result = fetchPath(page, '/upto/api/metered');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      const amount = await win.waitForText('[data-testid="approval-amount"]', /Up to/, 15_000);
      expect(amount).toContain('Up to 0.05 USDC ($0.05)');
      expect(await win.text('[data-testid="approval-site"]')).toContain(net.v2.origin);
      expect(await win.text('[data-testid="approval-payto"]')).toContain(net.merchant);
      expect(await win.text('[data-testid="approval-facilitator"]')).toContain('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
      expect(await win.text('[data-testid="approval-upto"]')).toMatch(/at most 0\.05 USDC \(\$0\.05\)/);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])');
      await win.click('[data-testid="approve-pay-once"]');
      const r = await result;
      expect(r.status).toBe(200);
      expect(r.body.used).toBe(UPTO_PRICES.meteredUsed.toString());
      const b1 = await balances();
      expect(b0.payer - b1.payer).toBe(UPTO_PRICES.meteredUsed);
      expect(b1.merchant - b0.merchant).toBe(UPTO_PRICES.meteredUsed);

      const [rec] = await until(async () => {
        const h = (await ok<PaymentDto[]>(ext, 'history.list', {})).filter((p) => p.resourceUrl === metered() && p.status === 'settled');
        return h.length ? h : null;
      }, 'the upto payment settled in history');
      expect(rec).toMatchObject({
        scheme: 'upto',
        auto: false,
        amountAtomic: UPTO_PRICES.meteredUsed.toString(),
        settledAmountAtomic: UPTO_PRICES.meteredUsed.toString(),
        maxAmount: { atomic: UPTO_PRICES.meteredMax.toString(), token: '0.05 USDC', usd: '$0.05' },
        confirmedBy: 'chain',
      });
      const receipt = await net.v2.chain.publicClient.getTransactionReceipt({ hash: rec!.txHash as `0x${string}` });
      expect(receipt.status).toBe('success');
      expect(receipt.to?.toLowerCase()).toBe('0x4020a4f3b7b90cca423b9fabcc0ce57c6c240002');

      const csv = await ok<{ text: string }>(ext, 'history.export', { format: 'csv' });
      const [head, ...rows] = csv.text.trim().split('\r\n');
      const cols = head!.split(',');
      const row = rows.map((l) => l.split(',')).find((c) => c[cols.indexOf('id')] === rec!.id)!;
      expect(row[cols.indexOf('amount_atomic')]).toBe('12345');
      expect(row[cols.indexOf('max_amount_atomic')]).toBe('50000');
      expect(row[cols.indexOf('settled_amount_atomic')]).toBe('12345');
    });

    it('2. inside a budget: paid automatically, the budget keeps only what was paid, and the next maximum that does not fit asks', async () => {
      const { net, ext } = w;
      const site = net.v2.origin;
      await noApprovalPending(ext);
      // a site without a budget reports no usage: give it one first, then read what it spent today (test 1's payment)
      await ok(ext, 'sites.save', { site, mode: 'ask', paused: false, dayUsd: '10.00' });
      const spent0 = await daySpent(ext, site);
      // today's cap (whole cents, as the budget form takes it) leaves room for one maximum (0.05)
      // but not for a second one after the first settled for 0.012345
      const cap = ((spent0 + UPTO_PRICES.meteredMax + 9_999n) / 10_000n) * 10_000n;
      expect(cap - spent0 - UPTO_PRICES.meteredUsed).toBeLessThan(UPTO_PRICES.meteredMax);
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: usdOf(cap), perPaymentUsd: '0.05' });
      const b0 = await balances();
      const r = await fetchPath(page, '/upto/api/metered');
      expect(r.status).toBe(200);
      expect(await ext.pages(isApproval(ext))).toHaveLength(0);
      const b1 = await balances();
      expect(b0.payer - b1.payer).toBe(UPTO_PRICES.meteredUsed);
      // the budget keeps the settled amount, not the maximum
      await until(async () => (await daySpent(ext, site)) === spent0 + UPTO_PRICES.meteredUsed, 'spent = what was paid');
      const auto = (await ok<PaymentDto[]>(ext, 'history.list', {})).find((p) => p.resourceUrl === metered() && p.auto);
      expect(auto).toMatchObject({ status: 'settled', amountAtomic: '12345', maxAmount: { atomic: '50000' } });

      // the next request's maximum (0.05) exceeds what is left today (0.047655): it asks
      const next = fetchPath(page, '/upto/api/metered');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      expect(await win.waitForText('[data-testid="approval-why"]', /today's budget/i, 15_000)).toBeTruthy();
      await win.waitFor('[data-testid="approve-reject"]:not([disabled])');
      await win.click('[data-testid="approve-reject"]');
      expect((await next).status).toBe(402);
      expect(await balances()).toEqual(b1);
      expect(await daySpent(ext, site)).toBe(spent0 + UPTO_PRICES.meteredUsed);

      if (kind !== 'chromium') return;
      // the per-payment cap counts the maximum too: 0.04 is above what it would settle (0.012345) but below the maximum
      await noApprovalPending(ext);
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: '10.00', perPaymentUsd: '0.04' });
      const capped = fetchPath(page, '/upto/api/metered');
      const win2 = await ext.waitForPage(isApproval(ext), 20_000);
      expect(await win2.waitForText('[data-testid="approval-why"]', /per-payment cap/i, 15_000)).toBeTruthy();
      await win2.waitFor('[data-testid="approve-reject"]:not([disabled])');
      await win2.click('[data-testid="approve-reject"]');
      expect((await capped).status).toBe(402);
      expect(await balances()).toEqual(b1);
    });
  });
}
