/**
 * `exact` with Permit2 end to end, in real browsers: the official `@x402/express` server offers
 * `assetTransferMethod: "permit2"` (GET /permit2/api/data, 0.01 USDC), the official exact
 * facilitator settles it on anvil through the x402 exact proxy and the real Permit2 at their
 * canonical addresses (tests/fixture/permit2.ts).
 *  1. No Permit2 allowance: inside a budget it asks instead of paying; the approval says the allowance
 *     is missing and why, Pay is disabled; the grant
 *     shows its gas cost before anything is signed, unlimited needs its own confirmation (the
 *     background refuses it without), "exactly this payment" sends one approve(Permit2, 0.01)
 *     from the account (on chain, gas paid in ETH); then Pay → 200, the payee gets exactly 0.01,
 *     the allowance is used up, history has the chain-confirmed transaction.
 *  2. With an allowance in place: the window shows it approved; Pay → 200 with exact balance deltas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMIT2_ADDRESS } from '@x402/evm';
import { approvePermit2, permit2Allowance, PERMIT2_PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { isApproval, noApprovalPending, PAYER, settledFor, startWorld, type World } from './world';

async function ok<T>(ext: ExtensionBrowser, type: string, payload?: unknown): Promise<T> {
  const r = await ext.call<T>(type, payload);
  if (!r.ok) throw new Error(`${type} failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const fetchPath = (page: TestPage, path: string) =>
  page.evaluate((p) => (window as any).demo.fetchPath(p) as Promise<{ status: number; body: any }>, path);

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`exact with Permit2 (${kind})`, () => {
    let w: World;
    let page: TestPage;
    beforeAll(async () => {
      w = await startWorld(kind);
      page = await w.ext.newPage();
      await page.goto(w.net.v2.url('/page'));
    }, 120_000);
    afterAll(async () => {
      await w?.close();
    });

    const usdc = async () => ({ payer: await w.net.usdcBalance('v2', PAYER), merchant: await w.net.usdcBalance('v2', w.net.merchant) });
    const url = () => w.net.v2.url('/permit2/api/data');

    it('1. missing Permit2 allowance: explained, Pay disabled; the approval transaction (gas shown first, exact amount) is sent from the window; then it pays on chain', async () => {
      const { net, ext } = w;
      const chain = net.v2.chain;
      expect(await permit2Allowance(chain, net.v2.usdc, PAYER)).toBe(0n);
      // inside a budget it would pay by itself — but not without the allowance: it asks, and says why
      await ok(ext, 'sites.save', { site: net.v2.origin, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05' });
      await noApprovalPending(ext);
      const b0 = await usdc();
      const eth0 = await chain.publicClient.getBalance({ address: PAYER });
      const result = fetchPath(page, '/permit2/api/data');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      const text = await win.waitForText('[data-testid="approval-allowance"]', /Missing/, 15_000);
      expect(text).toContain(PERMIT2_ADDRESS);
      expect(text).toMatch(/Permit2/);
      expect(await win.text('[data-testid="approval-why"]')).toMatch(/goes through Permit2 .* Approve Permit2 for at least this amount first/);
      expect(await win.text('[data-testid="approval-amount"]')).toContain('0.01 USDC ($0.01)');
      expect(await win.text('[data-testid="approval-payto"]')).toContain(net.merchant);
      await win.waitFor('[data-testid="approve-pay-once"][disabled]', 5_000);
      await win.waitFor('[data-testid="allowance-grant"]', 5_000);

      // unlimited: nothing can be sent until its own confirmation is ticked, and the background refuses it without
      await win.click('[data-testid="grant-unlimited"]');
      await win.waitFor('[data-testid="grant-send"][disabled]', 5_000);
      const [pending] = await ok<{ id: string }[]>(ext, 'approvals.list');
      const refused = await ext.call('approvals.grantAllowance', { id: pending!.id, optionIndex: 0, unlimited: true });
      expect(refused.ok).toBe(false);
      expect(refused.error?.code).toBe('confirm-unlimited');
      expect(await permit2Allowance(chain, net.v2.usdc, PAYER)).toBe(0n);

      await win.click('[data-testid="grant-exact"]');
      const cost = await win.waitForText('[data-testid="grant-cost"]', /gas/, 15_000);
      expect(cost).toMatch(/Approving 0\.01 USDC costs about \d+ gas — at most [\d.]+ ETH \(gas limit \d+ at up to [\d.]+ gwei per gas\)/);
      const nonce0 = await chain.publicClient.getTransactionCount({ address: PAYER });
      await win.waitFor('[data-testid="grant-send"]:not([disabled])', 5_000);
      await win.click('[data-testid="grant-send"]');
      await win.waitFor('[data-testid="grant-sent"]', 30_000);
      // one transaction from the payer's own key, exactly what the payment needs
      expect(await chain.publicClient.getTransactionCount({ address: PAYER })).toBe(nonce0 + 1);
      expect(await permit2Allowance(chain, net.v2.usdc, PAYER)).toBe(PERMIT2_PRICES.data);
      const eth1 = await chain.publicClient.getBalance({ address: PAYER });
      expect(eth0 - eth1).toBeGreaterThan(0n); // the gas

      await win.waitForText('[data-testid="approval-allowance"]', /Approved/, 10_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 10_000);
      await win.click('[data-testid="approve-pay-once"]');
      const r = await result;
      expect(r.status).toBe(200);
      expect(r.body.data).toBe('paid content (Permit2)');
      const b1 = await usdc();
      expect(b0.payer - b1.payer).toBe(PERMIT2_PRICES.data);
      expect(b1.merchant - b0.merchant).toBe(PERMIT2_PRICES.data);
      expect(await permit2Allowance(chain, net.v2.usdc, PAYER)).toBe(0n);
      const [rec] = await settledFor(ext, url());
      expect(rec).toMatchObject({ status: 'settled', confirmedBy: 'chain' });
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: rec!.txHash as `0x${string}` });
      expect(receipt.status).toBe('success');
      expect(receipt.to?.toLowerCase()).toBe('0x402085c248eea27d92e8b30b2c58ed07f9e20001');
    });

    it('2. with an allowance in place: shown as approved, paid on chain', async () => {
      const { net, ext } = w;
      await approvePermit2(net.v2.chain, net.v2.usdc, PAYER, 1_000_000n);
      await ok(ext, 'sites.save', { site: net.v2.origin, mode: 'ask', paused: false, dayUsd: '1.00' });
      await noApprovalPending(ext);
      const b0 = await usdc();
      const result = fetchPath(page, '/permit2/api/data');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      expect(await win.waitForText('[data-testid="approval-allowance"]', /Approved/, 15_000)).toContain('1 USDC');
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 10_000);
      await win.click('[data-testid="approve-pay-once"]');
      expect((await result).status).toBe(200);
      const b1 = await usdc();
      expect(b0.payer - b1.payer).toBe(PERMIT2_PRICES.data);
      expect(b1.merchant - b0.merchant).toBe(PERMIT2_PRICES.data);
      expect(await permit2Allowance(net.v2.chain, net.v2.usdc, PAYER)).toBe(1_000_000n - PERMIT2_PRICES.data);
      await settledFor(ext, url(), 2);
    });

    it('3. the server sponsors the approval (eip2612GasSponsoring): only with the consent box ticked, the wallet signs an EIP-2612 permit for exactly the amount; the facilitator pays its gas', async () => {
      const { net, ext } = w;
      const chain = net.v2.chain;
      await approvePermit2(chain, net.v2.usdc, PAYER, 0n);
      await noApprovalPending(ext);
      const b0 = await usdc();
      const eth0 = await chain.publicClient.getBalance({ address: PAYER });
      const nonce0 = await chain.publicClient.getTransactionCount({ address: PAYER });
      const result = fetchPath(page, '/permit2/api/sponsored');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitForText('[data-testid="approval-allowance"]', /Missing/, 15_000);
      expect(await win.text('[data-testid="sponsored-permit"]')).toMatch(/exactly 0\.01 USDC/);
      await win.waitFor('[data-testid="approve-pay-once"][disabled]', 5_000);
      await win.click('[data-testid="sponsored-permit-consent"]');
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 5_000);
      await win.click('[data-testid="approve-pay-once"]');
      const r = await result;
      expect(r.status).toBe(200);
      expect(r.body.data).toBe('paid content (Permit2, sponsored approval)');
      const b1 = await usdc();
      expect(b0.payer - b1.payer).toBe(PERMIT2_PRICES.sponsored);
      expect(b1.merchant - b0.merchant).toBe(PERMIT2_PRICES.sponsored);
      // the payer sent no transaction and paid no gas; the permit allowed exactly the amount, now used
      expect(await chain.publicClient.getBalance({ address: PAYER })).toBe(eth0);
      expect(await chain.publicClient.getTransactionCount({ address: PAYER })).toBe(nonce0);
      expect(await permit2Allowance(chain, net.v2.usdc, PAYER)).toBe(0n);
      const [rec] = await settledFor(ext, w.net.v2.url('/permit2/api/sponsored'));
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: rec!.txHash as `0x${string}` });
      expect(receipt.to?.toLowerCase()).toBe('0x402085c248eea27d92e8b30b2c58ed07f9e20001');
      expect(receipt.from.toLowerCase()).toBe('0x70997970c51812dc3a010c7d01b50e0d17dc79c8'); // the facilitator paid the gas
    });
  });
}
