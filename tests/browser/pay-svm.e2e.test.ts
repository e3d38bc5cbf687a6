/**
 * Solana, end to end, in both browsers: the built extension pays x402 `exact` on the local
 * cluster (litesvm behind the fixture's JSON-RPC shim, a real SPL mint) through the official
 * @x402/express v2 and x402-express v1 servers and the @x402/svm facilitator. Every paid case
 * checks what the page got, the exact token movement of payer and payee, and that the recorded
 * signature is one the cluster itself confirms; refusals check that nothing moved.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PRICES, SVM_PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import {
  answerApproval,
  balances,
  historyFor,
  isApproval,
  noApprovalPending,
  settledFor,
  svmBalances,
  svmSignatureStatus,
  type World,
} from './world';
import { useWorld } from './suite';

type Demo = { status: number; body: any };
const fetchPath = (page: TestPage, path: string, init?: { method?: string; body?: string }) =>
  page.evaluate(
    ({ p, i }) => (window as unknown as { demo: { fetchPath(p: string, i?: unknown): Promise<Demo> } }).demo.fetchPath(p, i),
    { p: path, i: init },
  );

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`pay on Solana (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    let page: TestPage;

    beforeAll(async () => {
      ({ w, ext } = suite);
      page = await suite.open(w.net.v2.url('/page'));
    });

    it('the wallet shows the Solana address Phantom would show for the imported phrase', async () => {
      const s = await ext.call<{ activeSvmAddress?: string; accounts: { svmAddress?: string }[] }>('wallet.status');
      expect(s.ok && s.value!.activeSvmAddress).toBe(w.net.svm.payers[0]);
      expect(s.ok && s.value!.accounts[0]!.svmAddress).toBe('Ad94dzcmo1jysJJdxMnpY8P979bYHjD9TvnTrbGSb6dE');
    });

    it('v2: approve in the window → 200; exactly the price moves to the payee; history has the confirmed signature', async () => {
      const { net } = w;
      const before = await svmBalances(net);
      const evmBefore = await balances(net, 'v2');
      await noApprovalPending(ext);
      const result = fetchPath(page, '/svm/api/data');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
      // the window names the cluster, the mint, the payee and the fee payer
      expect(await win.text('[data-testid="approval-network"]')).toBe('Local Solana');
      expect(await win.text('[data-testid="approval-asset"]')).toContain(net.svm.mint);
      expect(await win.text('[data-testid="approval-payto"]')).toContain(net.svm.merchant);
      expect(await win.text('[data-testid="approval-fee-payer"]')).toContain(net.svm.feePayer);
      expect(await win.text('[data-testid="approval-amount"]')).toMatch(/0\.01 USDC/);
      expect(await win.text('[data-testid="approval-balance"]')).toMatch(/100 USDC/);
      await win.click('[data-testid="approve-pay-once"]');
      const r = await result;
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ ok: true });
      const after = await svmBalances(net);
      expect(before.payer - after.payer).toBe(SVM_PRICES.data);
      expect(after.merchant - before.merchant).toBe(SVM_PRICES.data);
      expect(await balances(net, 'v2')).toEqual(evmBefore); // nothing on the EVM rail
      const [h] = await settledFor(ext, net.svm.url('/svm/api/data'));
      expect(h!.network).toBe(net.svm.network);
      expect(h!.payTo).toBe(net.svm.merchant);
      expect(h!.txHash).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,90}$/);
      expect(h!.explorerUrl).toBeUndefined(); // a local cluster: no public explorer knows it
      expect(h!.confirmedBy).toBe('chain'); // the wallet read the signature's token balances itself
      expect(await svmSignatureStatus(net, h!.txHash!)).toMatchObject({ err: null });
    });

    it('v2 POST: the body is replayed and paid on Solana', async () => {
      const { net } = w;
      const before = await svmBalances(net);
      await noApprovalPending(ext);
      const result = fetchPath(page, '/svm/api/echo', { method: 'POST', body: JSON.stringify({ hello: 'solana' }) });
      await answerApproval(ext, 'approve-pay-once');
      const r = await result;
      expect(r.status).toBe(200);
      expect(r.body.echo).toEqual({ hello: 'solana' });
      expect(before.payer - (await svmBalances(net)).payer).toBe(SVM_PRICES.echo);
    });

    it('reject → the page gets the 402 and nothing moves, nothing is sent to the facilitator', async () => {
      const { net } = w;
      const before = await svmBalances(net);
      const calls = net.svm.facilitatorCalls();
      await noApprovalPending(ext);
      const result = fetchPath(page, '/svm/api/data');
      await answerApproval(ext, 'approve-reject');
      const r = await result;
      expect(r.status).toBe(402);
      expect(await svmBalances(net)).toEqual(before);
      expect(net.svm.facilitatorCalls().settle).toBe(calls.settle);
      expect(net.svm.facilitatorCalls().verify).toBe(calls.verify);
    });

    it('an offer on both rails: the window lists EVM and Solana; choosing Solana moves only the SPL token', async () => {
      const { net } = w;
      const before = await svmBalances(net);
      const evmBefore = await balances(net, 'v2');
      await noApprovalPending(ext);
      const result = fetchPath(page, '/api/both');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
      expect(await win.text('[data-testid="option-rail-0"]')).toMatch(/EVM/);
      expect(await win.text('[data-testid="option-rail-1"]')).toMatch(/Solana/);
      expect(await win.text('[data-testid="option-network-1"]')).toMatch(/Local Solana/);
      await win.click('[data-testid="option-1"]');
      await win.waitForText('[data-testid="approval-network"]', /Local Solana/);
      await win.click('[data-testid="approve-pay-once"]');
      const r = await result;
      expect(r.status).toBe(200);
      const after = await svmBalances(net);
      expect(before.payer - after.payer).toBe(SVM_PRICES.data);
      expect(await balances(net, 'v2')).toEqual(evmBefore);
    });

    it('v1 (x402-express on solana-devnet, X-PAYMENT): approve → 200, exact movement', async () => {
      const { net } = w;
      const v1 = await suite.open(net.v1.url('/page'));
      const before = await svmBalances(net);
      await noApprovalPending(ext);
      const result = fetchPath(v1, '/svm/api/data');
      await answerApproval(ext, 'approve-pay-once');
      const r = await result;
      expect(r.status).toBe(200);
      const after = await svmBalances(net);
      expect(before.payer - after.payer).toBe(SVM_PRICES.data);
      expect(after.merchant - before.merchant).toBe(SVM_PRICES.data);
      const [h] = await settledFor(ext, net.svm.v1Url('/svm/api/data'));
      expect(await svmSignatureStatus(net, h!.txHash!)).toMatchObject({ err: null });
    });

    it('a cross-origin iframe pays on Solana for its own origin; the window names the frame as the asker', async () => {
      const { net } = w;
      const top = await suite.open(net.v2.url('/frame-relay'));
      const before = await svmBalances(net);
      await noApprovalPending(ext);
      const result = top.evaluate(
        () =>
          new Promise<Demo>((resolve) => {
            const id = Math.random();
            window.addEventListener('message', (ev) => {
              if (ev.data && ev.data.demoResult === id) resolve(ev.data.result);
            });
            (document.getElementById('paid-frame') as HTMLIFrameElement).contentWindow!.postMessage({ demoCall: 'fetchPath', args: ['/svm/api/data'], id }, '*');
          }),
      );
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
      expect(await win.text('[data-testid="approval-origin"]')).toBe(net.v2.frameOrigin);
      await win.click('[data-testid="approve-pay-once"]');
      const r = await result;
      expect(r.status).toBe(200);
      expect(before.payer - (await svmBalances(net)).payer).toBe(SVM_PRICES.data);
      await top.close();
    });

    it('a paid navigation on Solana: approve → the tab reloads paid and shows the article; exact movement', async () => {
      const { net } = w;
      const url = net.svm.url('/svm/article');
      const before = await svmBalances(net);
      await noApprovalPending(ext);
      const tab = await suite.open(url);
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
      expect(await win.text('[data-testid="approval-method"]')).toMatch(/GET · page load/);
      expect(await win.text('[data-testid="approval-fee-payer"]')).toContain(net.svm.feePayer);
      await win.click('[data-testid="approve-pay-once"]');
      await tab.waitFor('#article-title', 20_000);
      const after = await svmBalances(net);
      expect(before.payer - after.payer).toBe(SVM_PRICES.article);
      expect(after.merchant - before.merchant).toBe(SVM_PRICES.article);
      const [h] = await settledFor(ext, url);
      expect(await svmSignatureStatus(net, h!.txHash!)).toMatchObject({ err: null });
      await tab.close();
    });

    it('history export (CSV and JSON) carries the Solana payments: network, mint, payee and signature', async () => {
      const { net } = w;
      const [h] = await settledFor(ext, net.svm.url('/svm/api/data'));
      const csv = await ext.call<{ text: string }>('history.export', { format: 'csv' });
      expect(csv.ok).toBe(true);
      const line = csv.value!.text.split('\n').find((l) => l.includes(h!.txHash!));
      expect(line).toBeDefined();
      expect(line).toContain(net.svm.network);
      expect(line).toContain(net.svm.merchant);
      const json = await ext.call<{ text: string }>('history.export', { format: 'json' });
      const { records } = JSON.parse(json.value!.text) as { records: { txHash?: string }[] };
      const r = records.find((x) => x.txHash === h!.txHash);
      expect(r).toMatchObject({ network: net.svm.network, payTo: net.svm.merchant });
      expect(JSON.stringify(r)).toContain(net.svm.mint);
    });

    it('auto-pay within a budget: no window; Solana and EVM spend count in the same dollar budget', async () => {
      const { net } = w;
      const site = net.v2.origin;
      const saved = await ext.call('sites.save', { site, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05' });
      expect(saved.ok).toBe(true);
      const spent = async () => {
        const s = await ext.call<{ usage: { period: string; spentUsd: string }[] }>('sites.get', { site });
        return s.value!.usage.find((u) => u.period === 'day')!.spentUsd;
      };
      const spent0 = await spent();
      const before = await svmBalances(net);
      const evmBefore = await balances(net, 'v2');
      const r1 = await fetchPath(page, '/svm/api/data');
      expect(r1.status).toBe(200);
      const r2 = await fetchPath(page, '/api/cheap');
      expect(r2.status).toBe(200);
      expect(await ext.pages(isApproval(ext))).toEqual([]);
      expect(before.payer - (await svmBalances(net)).payer).toBe(SVM_PRICES.data);
      expect(evmBefore.payer - (await balances(net, 'v2')).payer).toBe(PRICES.cheap);
      await settledFor(ext, net.svm.url('/svm/api/data'), 2);
      // $0.01 on Solana + $0.001 on EVM, one budget
      const toMicro = (usd: string) => Math.round(Number(usd.replace('$', '')) * 1e6);
      await expect.poll(async () => toMicro(await spent()) - toMicro(spent0), { timeout: 5_000 }).toBe(11_000);

      // both rails offered, same price: auto takes the documented order (cheapest, then the server's order) → EVM
      const sb = await svmBalances(net);
      const eb = await balances(net, 'v2');
      const r3 = await fetchPath(page, '/api/both');
      expect(r3.status).toBe(200);
      expect(eb.payer - (await balances(net, 'v2')).payer).toBe(PRICES.data);
      expect(await svmBalances(net)).toEqual(sb);
      const hist = await settledFor(ext, net.v2.url('/api/both'), 2); // the earlier manual one on Solana, this one on EVM
      expect(hist.map((h) => h.network).sort()).toEqual([net.v2.network, net.svm.network].sort());
      await ext.call('sites.delete', { site });
    });
  });
}
