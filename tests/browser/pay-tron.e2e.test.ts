/**
 * TRON, end to end, in both browsers: the built extension pays x402-tron `exact_permit` to
 * the local x402-tron server (tests/fixture/tron.ts: requirements with a facilitator fee and a
 * server-issued permit context; a facilitator that recovers the TIP-712 signer with the
 * reference SDK's own definitions and settles from the PaymentPermit address on a chain that
 * answers as Nile — see that file's header for what stands in for the contract and why).
 * Every paid case checks what the page got and the exact token movement (payee + amount, fee
 * receiver + fee, payer − both, the PaymentPermit allowance − both); refusals check that nothing
 * was signed or moved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MNEMONIC } from '../fixture/network';
import { TRON_FEE, TRON_HOSTILE_ROUTES, TRON_PERMIT, TRON_PRICES, TRON_START_BALANCE, startTronNetwork, type LocalTron } from '../fixture/tron';
import { launchChromium, launchFirefox, type BrowserKind, type ExtensionBrowser, type TestPage } from './harness';
import { PASSWORD, answerApproval, isApproval, noApprovalPending, settledFor } from './world';

type Demo = { status: number; body: any };
const fetchPath = (page: TestPage, path: string, init?: { method?: string; body?: string }) =>
  page.evaluate(
    ({ p, i }) => (window as unknown as { demo: { fetchPath(p: string, i?: unknown): Promise<Demo> } }).demo.fetchPath(p, i),
    { p: path, i: init },
  );

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`pay on TRON (${kind})`, () => {
    let net: LocalTron;
    let ext: ExtensionBrowser;
    let page: TestPage;
    const opened: TestPage[] = [];

    beforeAll(async () => {
      net = await startTronNetwork();
      ext = kind === 'chromium' ? await launchChromium() : await launchFirefox(net.url('/tron/page'));
      const imp = await ext.call('wallet.import', { kind: 'mnemonic', secret: DEMO_MNEMONIC, password: PASSWORD });
      if (!imp.ok) throw new Error(`wallet.import failed: ${JSON.stringify(imp.error)}`);
      const set = await ext.call('settings.update', {
        playgroundTokens: [
          { network: net.network, address: net.token, label: 'Local TRON', rpcUrl: net.rpcUrl },
          { network: net.network, address: net.tokenNoAllowance, label: 'Local TRON', rpcUrl: net.rpcUrl },
        ],
      });
      if (!set.ok) throw new Error(`settings.update failed: ${JSON.stringify(set.error)}`);
      page = await ext.newPage();
      opened.push(page);
      await page.goto(net.url('/tron/page'));
    });

    afterAll(async () => {
      for (const p of opened) if (!p.isClosed()) await p.close().catch(() => undefined);
      await ext?.close();
      await net?.stop();
    });

    const moved = async () => ({
      payer: await net.balanceOf(net.token, net.payer),
      merchant: await net.balanceOf(net.token, net.merchant),
      feeTo: await net.balanceOf(net.token, net.feeTo),
      allowance: await net.allowanceOf(net.token, net.payer),
    });

    it("the wallet derives the TRON address TronLink would show (m/44'/195'/0'/0/0) and the popup shows it with the TRON balance", async () => {
      const s = await ext.call<{ activeTronAddress?: string; accounts: { tronAddress?: string }[] }>('wallet.status');
      expect(s.ok && s.value!.activeTronAddress).toBe(net.payer);
      const popup = await ext.openExtensionPage('/popup.html');
      try {
        expect(await popup.waitForText('[data-testid="tron-address"]', /T/, 15_000)).toContain(net.payer.slice(0, 6));
        const row = `[data-testid="balance-row"][data-network="tron:nile"][data-asset="${net.token}"] [data-testid="balance-value"]`;
        expect(await popup.waitForText(row, /USDT/, 15_000)).toBe(`${Number(TRON_START_BALANCE) / 1e6} USDT`);
      } finally {
        await popup.close();
      }
    });

    it('approve in the window → 200: the window shows the fee, the total and the allowance; the payee gets the price, the facilitator the fee; history has the chain-confirmed transaction', async () => {
      const before = await moved();
      const calls0 = net.calls();
      await noApprovalPending(ext);
      const result = fetchPath(page, '/tron/api/data');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
      expect(await win.text('[data-testid="approval-rail"]')).toBe('TRON');
      expect(await win.text('[data-testid="approval-network"]')).toBe('Local TRON');
      expect(await win.text('[data-testid="approval-asset"]')).toContain(net.token);
      expect(await win.text('[data-testid="approval-payto"]')).toContain(net.merchant);
      expect(await win.text('[data-testid="approval-amount"]')).toMatch(/0\.01 USDT/);
      expect(await win.text('[data-testid="approval-total"]')).toMatch(/Total 0\.011 USDT/);
      const fee = await win.text('[data-testid="approval-fee"]');
      expect(fee).toContain('0.001 USDT');
      expect(fee).toContain(net.feeTo);
      expect(fee).toMatch(/on top of the amount/);
      const allowance = await win.waitForText('[data-testid="approval-allowance"]', /Approved/, 10_000);
      expect(allowance).toContain(TRON_PERMIT);
      expect(allowance).toContain('5 USDT'); // what the payer allowed the PaymentPermit contract
      expect(allowance).toMatch(/transferFrom/);
      expect(await win.text('[data-testid="approval-balance"]')).toMatch(/100 USDT/);
      await win.click('[data-testid="approve-pay-once"]');
      const r = await result;
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ ok: true, route: 'data' });
      expect(net.calls().verify - calls0.verify).toBe(1);
      const after = await moved();
      expect(after.merchant - before.merchant).toBe(TRON_PRICES.data);
      expect(after.feeTo - before.feeTo).toBe(TRON_FEE);
      expect(before.payer - after.payer).toBe(TRON_PRICES.data + TRON_FEE);
      expect(before.allowance - after.allowance).toBe(TRON_PRICES.data + TRON_FEE);
      const [h] = await settledFor(ext, net.url('/tron/api/data'));
      expect(h!.network).toBe('tron:nile');
      expect(h!.payTo).toBe(net.merchant);
      expect(h!.txHash).toMatch(/^[0-9a-f]{64}$/);
      expect(h!.confirmedBy).toBe('chain'); // the wallet read the receipt's transfers itself
      expect(h!.explorerUrl).toBeUndefined(); // a local token: Tronscan does not know it
    });

    it('reject → the page gets the 402; nothing is signed, verified or moved', async () => {
      const before = await moved();
      const calls0 = net.calls();
      await noApprovalPending(ext);
      const result = fetchPath(page, '/tron/api/data');
      await answerApproval(ext, 'approve-reject');
      const r = await result;
      expect(r.status).toBe(402);
      expect(await moved()).toEqual(before);
      expect(net.calls()).toEqual(calls0);
    });

    it('no allowance for the PaymentPermit contract: the window says so and Pay is disabled; reject → 402, nothing signed', async () => {
      const calls0 = net.calls();
      await noApprovalPending(ext);
      const result = fetchPath(page, '/tron/api/noallow');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      const text = await win.waitForText('[data-testid="approval-allowance"]', /Missing/, 15_000);
      expect(text).toContain(TRON_PERMIT);
      expect(text).toMatch(/approve it/i);
      expect(await win.text('[data-testid="approval-balance"]')).toMatch(/100 USDT/); // funds are there, the allowance is not
      await win.waitFor('[data-testid="approve-pay-once"][disabled]', 5_000);
      await win.click('[data-testid="approve-reject"]');
      expect((await result).status).toBe(402);
      expect(net.calls()).toEqual(calls0);
    });

    it('grant the missing allowance from the window: the cost is shown first, unlimited needs its own confirmation, exactly what is needed is approved on chain, then pay → 200', async () => {
      const calls0 = net.calls();
      const token = net.tokenNoAllowance;
      const before = { payer: await net.balanceOf(token, net.payer), merchant: await net.balanceOf(token, net.merchant) };
      expect(await net.allowanceOf(token, net.payer)).toBe(0n);
      await noApprovalPending(ext);
      const result = fetchPath(page, '/tron/api/noallow');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitForText('[data-testid="approval-allowance"]', /Missing/, 15_000);
      await win.waitFor('[data-testid="allowance-grant"]', 5_000);
      // unlimited: nothing can be sent until its own confirmation is ticked
      await win.click('[data-testid="grant-unlimited"]');
      await win.waitFor('[data-testid="grant-send"][disabled]', 5_000);
      await win.click('[data-testid="grant-exact"]');
      const cost = await win.waitForText('[data-testid="grant-cost"]', /energy/, 15_000);
      expect(cost).toMatch(/Approving 0\.011 USDT costs about \d+ energy \([\d.]+ TRX burned at 210 sun per energy/);
      expect(cost).toMatch(/bandwidth/);
      expect(net.calls().broadcasts).toBe(calls0.broadcasts); // a quote signs and sends nothing
      await win.waitFor('[data-testid="grant-send"]:not([disabled])', 5_000);
      await win.click('[data-testid="grant-send"]');
      await win.waitFor('[data-testid="grant-sent"]', 30_000).catch(async (e) => {
        throw new Error(`no grant: ${await win.text('[data-testid="allowance-grant"]').catch(() => '?')} ${net.lastVerifyError()} ${JSON.stringify(net.calls())}`, { cause: e });
      });
      expect(net.calls().broadcasts).toBe(calls0.broadcasts + 1);
      expect(await net.allowanceOf(token, net.payer)).toBe(TRON_PRICES.noallow + TRON_FEE); // exactly what is needed
      await win.waitForText('[data-testid="approval-allowance"]', /Approved/, 10_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 10_000);
      await win.click('[data-testid="approve-pay-once"]');
      const r = await result;
      expect(r.status).toBe(200);
      expect(before.payer - (await net.balanceOf(token, net.payer))).toBe(TRON_PRICES.noallow + TRON_FEE);
      expect((await net.balanceOf(token, net.merchant)) - before.merchant).toBe(TRON_PRICES.noallow);
      expect(await net.allowanceOf(token, net.payer)).toBe(0n);
    });

    for (const route of TRON_HOSTILE_ROUTES) {
      it(`hostile offer "${route}": refused with a reason, no window, no signature`, async () => {
        const calls0 = net.calls();
        await noApprovalPending(ext);
        const r = await fetchPath(page, `/tron/hostile/${route}`);
        expect(r.status).toBe(402);
        expect(await ext.pages(isApproval(ext))).toEqual([]);
        expect(net.calls()).toEqual(calls0);
        expect(net.calls().hostileSignatures).toBe(0);
        const why = {
          'unknown-token': /not in the trusted table/,
          'hex-payto': /payTo is written as TRON hex/,
          'zero-payto': /zero address/,
          'hidden-fee': /looks like a charge outside extra\.fee/,
          'wrong-chain': /is not 3448148188, the chain id of tron:nile/,
          'foreign-permit': /not the PaymentPermit contract of tron:nile/,
        }[route];
        await expect
          .poll(async () => {
            const res = await ext.call<{ text: string }[]>('activity.list');
            return (res.value ?? []).some((a) => a.text.includes(net.origin) && why.test(a.text));
          }, { timeout: 5_000 })
          .toBe(true);
      });
    }

    it('a budget counts the fee: auto-pay within it, no window; the day spend grows by price + fee', async () => {
      const site = net.origin;
      const saved = await ext.call('sites.save', { site, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05' });
      expect(saved.ok).toBe(true);
      const spent = async () => {
        const s = await ext.call<{ usage: { period: string; spentUsd: string }[] }>('sites.get', { site });
        return Math.round(Number(s.value!.usage.find((u) => u.period === 'day')!.spentUsd.replace('$', '')) * 1e6);
      };
      const spent0 = await spent();
      const before = await moved();
      const r = await fetchPath(page, '/tron/api/echo', { method: 'POST', body: JSON.stringify({ hello: 'tron' }) });
      expect(r.status).toBe(200);
      expect(await ext.pages(isApproval(ext))).toEqual([]);
      expect(before.payer - (await moved()).payer).toBe(TRON_PRICES.echo + TRON_FEE);
      await settledFor(ext, net.url('/tron/api/echo'));
      await expect.poll(async () => (await spent()) - spent0, { timeout: 5_000 }).toBe(Number(TRON_PRICES.echo + TRON_FEE));
      await ext.call('sites.delete', { site });
    });

    it('history export (CSV and JSON) carries the TRON payments: network, token, payee, transaction', async () => {
      const [h] = await settledFor(ext, net.url('/tron/api/data'));
      const csv = await ext.call<{ text: string }>('history.export', { format: 'csv' });
      const line = csv.value!.text.split('\n').find((l) => l.includes(h!.txHash!));
      expect(line).toBeDefined();
      expect(line).toContain('tron:nile');
      expect(line).toContain(net.merchant);
      const json = await ext.call<{ text: string }>('history.export', { format: 'json' });
      const { records } = JSON.parse(json.value!.text) as { records: { txHash?: string }[] };
      const rec = records.find((x) => x.txHash === h!.txHash);
      expect(rec).toMatchObject({ network: 'tron:nile', payTo: net.merchant });
      expect(JSON.stringify(rec)).toContain(net.token);
    });
  });
}
