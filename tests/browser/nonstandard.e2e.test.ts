/**
 * Servers that don't follow the x402 spec (tests/fixture/nonstandard.ts), in both browsers, on
 * the local chain with real USDC:
 *  (a) v2 in the JSON body, paid with X-PAYMENT (AgentMetal style) — settled on chain;
 *  (b) the simple X-Payment-* headers — never automatic (even with a budget), the approval says
 *      it cannot be undone and shows the fee, and only "Send" moves tokens: a real ERC-20 transfer
 *      of the wallet's trusted token, proven to the server with X-Payment-Proof, in the ledger and
 *      counted in the site's budget; rejecting moves nothing;
 *  (c) L402, a JSON price of its own, plain words: the page gets its 402 untouched, the activity
 *      list says what the site asked for and why the wallet can't pay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDto, SiteDto } from '../../lib/messaging/contract';
import { NONSTANDARD_PRICES, startNonstandardServer, type NonstandardServer } from '../fixture/nonstandard';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { answerApproval, historyFor, isApproval, noApprovalPending, PAYER, settledFor, type World } from './world';
import { useWorld } from './suite';

type Refusal = { code: string; message: string } | null;

async function ok<T>(ext: ExtensionBrowser, type: string, payload?: unknown): Promise<T> {
  const r = await ext.call<T>(type as never, payload as never);
  if (!r.ok) throw new Error(`${type}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const get = (page: TestPage, path: string) =>
  page.evaluate(async (p) => {
    const r = await fetch(p);
    return {
      status: r.status,
      body: await r.text(),
      auth: r.headers.get('www-authenticate'),
      refusal: ((r as Response & { x402Refusal?: Refusal }).x402Refusal ?? null) as Refusal,
    };
  }, path);

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`non-standard 402s (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    let ns: NonstandardServer;
    const usdc = (a: `0x${string}`) => w.net.usdcBalance('v2', a);

    beforeAll(async () => {
      ({ w, ext } = suite);
      ns = await startNonstandardServer({
        chainId: w.net.v2.chainId,
        usdc: w.net.v2.usdc,
        merchant: w.net.merchant,
        facilitatorUrl: w.net.v2.facilitatorUrl,
        publicClient: w.net.v2.chain.publicClient as never,
      });
    });
    afterAll(async () => {
      await ns?.stop();
    });

    it('(a) a v2 body is paid with X-PAYMENT, the header the server reads; exactly the price moves on chain', async () => {
      const before = { payer: await usdc(PAYER), merchant: await usdc(w.net.merchant) };
      const page = await suite.open(ns.url('/'));
      await noApprovalPending(ext);
      const result = get(page, '/agentmetal/data');
      await answerApproval(ext, 'approve-pay-once');
      const r = await result;
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ ok: true, data: 'agentmetal content' });
      const stats = ns.stats();
      expect(stats.xPayment['/agentmetal/data']).toBe(1);
      expect(stats.paymentSignature['/agentmetal/data']).toBeUndefined();
      expect(await usdc(PAYER)).toBe(before.payer - NONSTANDARD_PRICES.body);
      expect(await usdc(w.net.merchant)).toBe(before.merchant + NONSTANDARD_PRICES.body);
      const [entry] = await settledFor(ext, ns.url('/agentmetal/data'));
      expect((await w.net.v2.chain.publicClient.getTransactionReceipt({ hash: entry!.txHash! as `0x${string}` })).status).toBe('success');
    });

    it('(a) a v2 body naming another origin’s resource is refused unsigned', async () => {
      const page = await suite.open(ns.url('/'));
      const r = await get(page, '/agentmetal/mismatch');
      expect(r.status).toBe(402);
      expect(r.refusal?.code).toBe('body-v2-resource-mismatch');
      expect(ns.stats().xPayment['/agentmetal/mismatch']).toBeUndefined();
      await noApprovalPending(ext, 2_000);
    });

    it('(b) simple headers: never automatic; the approval warns and shows the fee; Send makes a real transfer proven with X-Payment-Proof, recorded and counted', async () => {
      const site = ns.origin;
      // a generous automatic budget must not make a direct transfer automatic
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: '5.00', perPaymentUsd: '1.00' });
      const spent = async () => Number((await ok<SiteDto>(ext, 'sites.get', { site })).usage.find((u) => u.period === 'day')!.spentUsd.replace('$', ''));
      const spentBefore = await spent();
      const client = w.net.v2.chain.publicClient;
      const before = { payer: await usdc(PAYER), merchant: await usdc(w.net.merchant), eth: await client.getBalance({ address: PAYER }) };
      const page = await suite.open(ns.url('/'));
      await noApprovalPending(ext);
      const result = get(page, '/simple/data');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-kind="direct-transfer"]', 15_000);
      expect(await win.text('[data-testid="direct-warning"]')).toMatch(/cannot be undone/);
      expect(await win.waitForText('[data-testid="direct-fee"]', /up to 0\.\d+ ETH/)).toMatch(/ETH/);
      expect(await win.text('[data-testid="approval-amount"]')).toMatch(/0\.25 USDC/);
      expect(await win.text('[data-testid="approval-amount"]')).toMatch(/\$0\.25/);
      expect(await win.text('[data-testid="approval-payto"]')).toBe(w.net.merchant);
      expect((await win.text('[data-testid="approval-asset"]')).toLowerCase()).toBe(w.net.v2.usdc.toLowerCase());
      // nothing has moved while the window waits
      expect(await usdc(PAYER)).toBe(before.payer);
      await win.waitFor('[data-testid="direct-send"]:not([disabled])', 15_000);
      // a click a script makes (not the user's) sends nothing, even once the button is enabled
      await win.evaluate(() => (document.querySelector('[data-testid="direct-send"]') as HTMLButtonElement).click());
      await new Promise((r) => setTimeout(r, 500));
      expect(await usdc(PAYER)).toBe(before.payer);
      expect(ns.stats().acceptedTx).toEqual([]);
      await win.click('[data-testid="direct-send"]');
      const r = await result;
      expect(r.status).toBe(200);
      const body = JSON.parse(r.body) as { ok: boolean; tx: `0x${string}` };
      expect(body.ok).toBe(true);
      expect(ns.stats().acceptedTx).toEqual([body.tx]);
      // on chain: exactly the price, from the payer to the merchant, and the payer paid the gas
      expect(await usdc(PAYER)).toBe(before.payer - NONSTANDARD_PRICES.simple);
      expect(await usdc(w.net.merchant)).toBe(before.merchant + NONSTANDARD_PRICES.simple);
      const receipt = await client.getTransactionReceipt({ hash: body.tx });
      expect(receipt.status).toBe('success');
      expect(receipt.from.toLowerCase()).toBe(PAYER.toLowerCase());
      expect(receipt.to?.toLowerCase()).toBe(w.net.v2.usdc.toLowerCase());
      const gas = receipt.gasUsed * receipt.effectiveGasPrice;
      expect(await client.getBalance({ address: PAYER })).toBe(before.eth - gas);
      // the ledger: settled with that hash, checked on chain; the day's budget counts it
      const [entry] = await settledFor(ext, ns.url('/simple/data'));
      expect(entry!.txHash).toBe(body.tx);
      expect(entry).toMatchObject({ status: 'settled' });
      expect((await spent()) - spentBefore).toBeCloseTo(0.25, 6);
      await ok(ext, 'sites.delete', { site });
    });

    it('(b) rejecting the direct transfer: the page gets its 402, nothing moves', async () => {
      const before = { payer: await usdc(PAYER), merchant: await usdc(w.net.merchant) };
      const page = await suite.open(ns.url('/'));
      await noApprovalPending(ext);
      const result = get(page, '/simple/data');
      await answerApproval(ext, 'approve-reject');
      const r = await result;
      expect(r.status).toBe(402);
      expect(r.refusal?.code).toBe('user-rejected');
      expect(await usdc(PAYER)).toBe(before.payer);
      expect(await usdc(w.net.merchant)).toBe(before.merchant);
      expect((await historyFor(ext, ns.url('/simple/data'))).filter((h) => h.status === 'settled')).toHaveLength(1);
    });

    it('(b) broken simple headers are refused with their reason, without a window', async () => {
      const page = await suite.open(ns.url('/'));
      const cases: [string, string][] = [
        ['/simple/bad-address', 'simple-bad-address'],
        ['/simple/doge', 'simple-unknown-token'],
        ['/simple/and-body', 'ambiguous-402'],
      ];
      for (const [path, code] of cases) {
        const r = await get(page, path);
        expect(r.status, path).toBe(402);
        expect(r.refusal?.code, path).toBe(code);
      }
      const twice = await get(page, '/simple/twice');
      expect(twice.refusal?.code).toMatch(/^simple-(ambiguous|bad-amount)$/);
      await noApprovalPending(ext, 2_000);
    });

    it('(c) other 402s: the page keeps its 402 untouched; the activity says what was asked and why not', async () => {
      const page = await suite.open(ns.url('/'));
      const l402 = await get(page, '/other/l402');
      expect(l402.status).toBe(402);
      expect(l402.body).toBe('Payment Required');
      expect(l402.auth).toMatch(/^L402 macaroon=/);
      expect(l402.refusal?.code).toBe('not-x402');
      expect(l402.refusal?.message).toMatch(/Lightning/);
      const json = await get(page, '/other/json');
      expect(json.status).toBe(402);
      expect(JSON.parse(json.body).x402.price_usd).toBe(0.02);
      expect(json.refusal?.message).toMatch(/JSON body of its own design \(error, x402\)/);
      const text = await get(page, '/other/text');
      expect(text.refusal?.message).toMatch(/Please send 1 USDC/);
      const activity = await ok<ActivityDto[]>(ext, 'activity.list');
      const texts = activity.slice(0, 5).map((a) => a.text);
      expect(texts.some((t) => t.includes(ns.origin) && /Lightning/.test(t))).toBe(true);
      expect(texts.some((t) => /can't pay it/.test(t) && /price|x402/.test(t))).toBe(true);
      await noApprovalPending(ext, 2_000);
    });
  });
}
