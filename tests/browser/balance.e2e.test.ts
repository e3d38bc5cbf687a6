/**
 * Insufficient balance, in both browsers, against the local chains (the wallet reads balances
 * through the anvil RPCs of the playground tokens; every expected balance is read from chain):
 *  0. the popup's balances (and the privileged `balances.list`) show the active account's exact
 *     on-chain USDC for both playground tokens, and nothing for tokens without an RPC; latency;
 *  a. /bad/huge-amount (1,000,000 USDC): the approval says "Insufficient balance", both Pay
 *     buttons are disabled; Reject → 402, nothing signed; a decision forced through the
 *     privileged API is refused by the background too (still nothing signed);
 *  b. /api/data: the approval shows the exact balance; pay → 200; the next approval shows it
 *     reduced by exactly the price (the cache is dropped when a payment settles);
 *  u. an RPC that does not answer → "Balance unknown", paying stays possible and works;
 *  c. auto-pay inside a budget when the balance is too small: no signature, the wallet asks and
 *     says why, the reservation is released (budget untouched); an account funded right after
 *     its balance was cached as 0 pays automatically (a cached "too small" never blocks).
 */
import { createPublicClient, erc20Abi, formatUnits, http, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { balances, historyFor, isApproval, noApprovalPending, PAYER, settledFor, type World } from './world';
import { useWorld } from './suite';

interface OptionDto {
  index: number;
  amountAtomic: string;
  balance?: { atomic: string; token: string; sufficient: boolean } | null;
}
interface ApprovalDto {
  id: string;
  resourceUrl: string;
  options: OptionDto[];
  selectedIndex: number;
  whyAsked?: string;
}
interface BalanceDto {
  rail?: 'evm' | 'svm';
  network: string;
  networkName: string;
  asset: string;
  symbol: string;
  balance: { atomic: string; token: string } | null;
  error?: string;
}
interface Status {
  activeIndex: number;
  activeAddress: Address;
  accounts: { index: number; address: Address }[];
}

const usdc = (atomic: bigint) => `${formatUnits(atomic, 6)} USDC`;

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
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fetches a same-origin path from the page. */
function fetchStatus(path: string): Promise<{ status: number; body: string }> {
  return fetch(path).then(async (r) => ({ status: r.status, body: await r.text() }));
}

const disabled = (win: TestPage, testId: string) =>
  win.evaluate((id) => (document.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement | null)?.disabled ?? null, testId);

const latency: Record<string, Record<string, number>> = {};

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`insufficient balance (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    let page: TestPage;
    const ms: Record<string, number> = (latency[kind] = {});

    /** Starts a request in the page and waits for its approval (window + queue entry). */
    const ask = async (path: string, on: TestPage = page) => {
      await noApprovalPending(ext);
      const result = on.evaluate(fetchStatus, path);
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-reject"]:not([disabled])', 15_000);
      const [approval] = await until(async () => {
        const l = await ok<ApprovalDto[]>(ext, 'approvals.list');
        return l.length === 1 && l;
      }, 'the approval in the queue');
      return { result, win, approval: approval! };
    };

    beforeAll(async () => {
      ({ w, ext } = suite);
      page = await suite.open(w.net.v2.url('/page'));
    });
    afterAll(() => {
      console.log(`[balance latency ${kind}]`, JSON.stringify(ms));
    });

    it('0. popup and balances.list: exact on-chain USDC of the active account per playground token; no RPC → not listed', async () => {
      const { net } = w;
      const [v2, v1] = [await net.usdcBalance('v2', PAYER), await net.usdcBalance('v1', PAYER)];

      // baseline: the same read straight from Node (viem over HTTP to anvil)
      const direct = createPublicClient({ transport: http(net.v2.rpcUrl) });
      let t = performance.now();
      const viaNode = await direct.readContract({ address: net.v2.usdc, abi: erc20Abi, functionName: 'balanceOf', args: [PAYER] });
      ms.nodeDirectReadContract = Math.round(performance.now() - t);
      expect(viaNode).toBe(v2);

      // Built-in Base / Base Sepolia endpoints turned off (empty URL): only the two playground
      // tokens (own RPC URLs) are read — one batched eth_chainId + balanceOf request each, in parallel.
      const [mainnet, devnet, testnet] = ['solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp', 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z'];
      await ok(ext, 'settings.update', { rpcUrls: { '8453': '', '84532': '', [mainnet]: '', [devnet]: '', [testnet]: '', 'tron:mainnet': '', 'tron:shasta': '', 'tron:nile': '' } });
      t = performance.now();
      const cold = await ok<BalanceDto[]>(ext, 'balances.list');
      ms.balancesListCold = Math.round(performance.now() - t);
      t = performance.now();
      const warm = await ok<BalanceDto[]>(ext, 'balances.list');
      ms.balancesListCached = Math.round(performance.now() - t);
      expect(warm).toEqual(cold);
      expect(cold.map((b) => b.network).sort()).toEqual(['eip155:31337', 'eip155:84532', devnet]);
      // the local Solana mint (its own RPC): the SPL balance of the active account's Solana address
      const sol = cold.find((b) => b.rail === 'svm');
      expect(sol).toMatchObject({ asset: net.svm.mint, networkName: 'Local Solana' });
      const solAtomic = await net.svm.tokenBalance(net.svm.payers[0]!);
      expect(sol?.balance).toEqual({ atomic: solAtomic.toString(), token: usdc(solAtomic) });

      const find = (network: string) => cold.find((b) => b.network === network && b.asset.toLowerCase() === net.v2.usdc.toLowerCase());
      expect(find('eip155:31337')?.balance).toEqual({ atomic: v2.toString(), token: usdc(v2) });
      expect(find('eip155:84532')?.balance).toEqual({ atomic: v1.toString(), token: usdc(v1) });
      // Ethereum mainnet USDC is trusted but has no RPC: not listed
      expect(cold.some((b) => b.network === 'eip155:1')).toBe(false);

      // Defaults back: Base USDC is listed (its public RPC may be unreachable here: then unknown).
      await ok(ext, 'settings.update', { rpcUrls: {} });
      t = performance.now();
      const withDefaults = await ok<BalanceDto[]>(ext, 'balances.list');
      ms.balancesListWithBuiltInDefaults = Math.round(performance.now() - t);
      const baseUsdc = withDefaults.find((b) => b.network === 'eip155:8453');
      expect(baseUsdc?.asset).toBe('0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913');
      if (!baseUsdc?.balance) expect(baseUsdc?.error).toBeTruthy();
      // the real Base Sepolia USDC is named as such, not after the playground token on chain 84532
      const sepolia = withDefaults.find((b) => b.asset === '0x036CbD53842c5426634e7929541eC2318f3dCF7e');
      expect(sepolia?.networkName).toBe('Base Sepolia');
      expect(withDefaults.find((b) => b.network === 'eip155:84532' && b.asset === net.v1.usdc)?.networkName).toMatch(/playground/i);

      const popup = await ext.openExtensionPage('/popup.html');
      try {
        const row = (network: string) => `[data-testid="balance-row"][data-network="${network}"][data-asset="${net.v2.usdc}"] [data-testid="balance-value"]`;
        expect(await popup.waitForText(row('eip155:31337'), /USDC/, 15_000)).toBe(usdc(v2));
        expect(await popup.waitForText(row('eip155:84532'), /USDC/, 15_000)).toBe(usdc(v1));
      } finally {
        await popup.close();
      }
    });

    it('a. 1,000,000 USDC asked, 100 held: "Insufficient balance", Pay disabled; Reject → 402; forcing a decision signs nothing', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const stats0 = net.hostileStats()['huge-amount'];
      const t0 = performance.now();
      const { result, win, approval } = await ask('/bad/huge-amount');
      ms.requestToApprovalShown = Math.round(performance.now() - t0);

      expect(approval.options[0]!.balance).toEqual({ atomic: before.payer.toString(), token: usdc(before.payer), sufficient: false });
      expect(await win.text('[data-testid="approval-balance"]')).toBe(`Insufficient balance (you have ${usdc(before.payer)})`);
      const why = await win.text('[data-testid="approval-insufficient"]');
      expect(why).toMatch(/^Insufficient balance\./);
      expect(why).toContain(`This account has ${usdc(before.payer)}; this payment costs 1000000 USDC`);
      expect(await disabled(win, 'approve-pay-once')).toBe(true);
      expect(await disabled(win, 'approve-allow')).toBe(true);
      expect(await disabled(win, 'approve-reject')).toBe(false);

      await win.click('[data-testid="approve-reject"]');
      expect((await result).status).toBe(402);
      await noApprovalPending(ext);

      // The background agrees with the window: a pay decision sent directly is not signed.
      const again = await ask('/bad/huge-amount');
      await ok(ext, 'approvals.decide', { id: again.approval.id, decision: { kind: 'pay-once', optionIndex: again.approval.options[0]!.index } });
      expect((await again.result).status).toBe(402);
      // answered elsewhere, the window says so and stays until closed
      await again.win.waitFor('[data-testid="approval-expired"]', 10_000);
      await again.win.close();
      await noApprovalPending(ext);

      const stats = net.hostileStats()['huge-amount'];
      expect(stats.requests - stats0.requests).toBe(2);
      expect(stats.withPayment).toBe(0);
      expect(await balances(net, 'v2')).toEqual(before);
      expect(await historyFor(ext, net.v2.url('/bad/huge-amount'))).toEqual([]);
    });

    it('b. /api/data shows the exact balance; paying works; the next approval shows it reduced by exactly the price', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const first = await ask('/api/data');
      expect(first.approval.options[0]!.balance).toEqual({ atomic: before.payer.toString(), token: usdc(before.payer), sufficient: true });
      expect(await first.win.text('[data-testid="approval-balance"]')).toBe(usdc(before.payer));
      expect(await first.win.evaluate(() => document.querySelector('[data-testid="approval-insufficient"]'))).toBeNull();
      await first.win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000); // the security delay
      await first.win.click('[data-testid="approve-pay-once"]');
      const r = await first.result;
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ ok: true, data: 'paid content' });
      await settledFor(ext, net.v2.url('/api/data'), 1);
      const after = await balances(net, 'v2');
      expect(after.payer).toBe(before.payer - PRICES.data);
      expect(after.merchant).toBe(before.merchant + PRICES.data);

      // within the cache's lifetime: the settled payment dropped the cached balance
      const second = await ask('/api/data');
      expect(second.approval.options[0]!.balance).toEqual({ atomic: after.payer.toString(), token: usdc(after.payer), sufficient: true });
      expect(await second.win.text('[data-testid="approval-balance"]')).toBe(usdc(before.payer - PRICES.data));
      await second.win.click('[data-testid="approve-reject"]');
      expect((await second.result).status).toBe(402);
      await noApprovalPending(ext);
    });

    it('u. an RPC that never answers → "Balance unknown" (after the timeout), and paying stays possible', async () => {
      const { net } = w;
      // a TCP listener that accepts and never answers: the lookup must give up by itself
      const { createServer } = await import('node:net');
      const sockets: import('node:net').Socket[] = [];
      const silent = createServer((s) => void sockets.push(s));
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      const port = (silent.address() as { port: number }).port;
      const settings = await ok<{ playgroundTokens: { chainId: number; address: string; rpcUrl?: string }[] }>(ext, 'settings.get');
      try {
        await ok(ext, 'settings.update', {
          playgroundTokens: settings.playgroundTokens.map((t) => (t.chainId === net.v1.chainId ? { ...t, rpcUrl: `http://127.0.0.1:${port}/` } : t)),
        });
        const v1page = await ext.newPage();
        try {
          await v1page.goto(net.v1.url('/page'));
          const before = await balances(net, 'v1');
          const t0 = performance.now();
          const { result, win, approval } = await ask('/api/data', v1page);
          ms.requestToApprovalWithDeadRpc = Math.round(performance.now() - t0);
          expect(approval.options[0]!.balance).toBeNull();
          expect(await win.text('[data-testid="approval-balance"]')).toBe('Balance unknown');
          // unknown never blocks paying: Pay enables (once the approval's security delay has passed)
          await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
          await win.click('[data-testid="approve-pay-once"]');
          expect((await result).status).toBe(200);
          expect((await balances(net, 'v1')).payer).toBe(before.payer - PRICES.data);
        } finally {
          await v1page.close();
        }
      } finally {
        await ok(ext, 'settings.update', { playgroundTokens: settings.playgroundTokens });
        for (const s of sockets) s.destroy();
        await new Promise((r) => silent.close(r));
      }
    });

    it('c. auto-pay with a budget but too little money: no signature, it asks and says why, the reservation is released', async () => {
      const { net } = w;
      const site = net.v2.origin;
      await ok(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: '2000000', perPaymentUsd: '2000000' });
      const daySpent = async () =>
        (await ok<{ usage: { period: string; spentUsd: string }[] }>(ext, 'sites.get', { site })).usage.find((u) => u.period === 'day')?.spentUsd;
      const spent0 = await daySpent(); // what earlier approved payments on this site counted
      const before = await balances(net, 'v2');
      const stats0 = net.hostileStats()['huge-amount'];

      const { result, win, approval } = await ask('/bad/huge-amount');
      const why = `Not enough USDC: you have ${usdc(before.payer)}, this costs 1000000 USDC.`;
      expect(approval.whyAsked).toBe(why);
      expect(await win.text('[data-testid="approval-why"]')).toContain(why);
      expect(await disabled(win, 'approve-pay-once')).toBe(true);
      // the budget reservation was released before asking: nothing more counted against the day
      expect(spent0).toMatch(/^\$\d/);
      expect(await daySpent()).toBe(spent0);
      await win.click('[data-testid="approve-reject"]');
      expect((await result).status).toBe(402);
      await noApprovalPending(ext);
      expect(net.hostileStats()['huge-amount'].withPayment).toBe(stats0.withPayment);
      expect(net.hostileStats()['huge-amount'].withPayment).toBe(0);
      const recs = await historyFor(ext, net.v2.url('/bad/huge-amount'));
      expect(recs.length).toBeGreaterThan(0);
      expect(recs.every((h) => h.status === 'released')).toBe(true);
      expect(await balances(net, 'v2')).toEqual(before);

      // An account with no USDC at all (third account of the demo phrase; only the first two are funded).
      await ok(ext, 'accounts.add', {});
      const st = await ok<Status>(ext, 'accounts.add', {});
      const empty = st.accounts[st.accounts.length - 1]!;
      await ok(ext, 'accounts.select', { index: empty.index });
      expect(await net.usdcBalance('v2', empty.address)).toBe(0n);
      const merchant0 = await net.usdcBalance('v2', net.merchant);
      const dry = await ask('/api/data');
      expect(dry.approval.whyAsked).toBe(`Not enough USDC: you have 0 USDC, this costs ${usdc(PRICES.data)}.`);
      expect(dry.approval.options[0]!.balance).toEqual({ atomic: '0', token: '0 USDC', sufficient: false });
      await dry.win.click('[data-testid="approve-reject"]');
      expect((await dry.result).status).toBe(402);
      await noApprovalPending(ext);

      // Funded right after its balance was cached as 0: the next payment is automatic.
      await net.mintUsdc('v2', empty.address, 1_000_000n);
      const r = await page.evaluate(fetchStatus, '/api/data');
      expect(r.status).toBe(200);
      expect(await ext.pages(isApproval(ext))).toEqual([]);
      expect(await net.usdcBalance('v2', empty.address)).toBe(1_000_000n - PRICES.data);
      expect(await net.usdcBalance('v2', net.merchant)).toBe(merchant0 + PRICES.data);
      await ok(ext, 'accounts.select', { index: 0 });
    });
  });
}
