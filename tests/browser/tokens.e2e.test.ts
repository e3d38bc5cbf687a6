/**
 * Networks & tokens, in both browsers, through the options page as a user would:
 *  t. "Show test networks": off → the balances list (and the RPC endpoint list) has no Base
 *     Sepolia; turned on in the page → it has;
 *  n. a custom network whose RPC reports another chain id is refused with the reason; a
 *     built-in chain id cannot be redefined; the right RPC saves it;
 *  k. Circle's real USDC on the local chain added as a custom token: "Look up" shows what the
 *     contract says (name, symbol, decimals, version, domain separator ✓, chain) → "Add token";
 *  m. a real FiatTokenV2_1 renamed after its DOMAIN_SEPARATOR was cached (see
 *     deployRenamedFiatToken) is shown with the reason and cannot be added — not from the page,
 *     not through the privileged API either;
 *  r. an offer for the custom token whose extra.name differs: refused before anything is signed
 *     (alone: no approval at all; next to a valid option: listed as refused in the approval, and a
 *     decision forced for it is refused too) — the server never sees a payment header;
 *  p. the matching offer pays and settles on chain: balances move by exactly the price; the
 *     approval, balances and history name the custom network; history links its explorer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deployRenamedFiatToken } from '../fixture/chain';
import { PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { balances, historyFor, isApproval, noApprovalPending, settledFor, type World } from './world';
import { useWorld } from './suite';

const BASE_SEPOLIA_USDC = '0x036CbD53842c5426634e7929541eC2318f3dCF7e';
const NETWORK_NAME = 'Anvil Local';
const EXPLORER = 'http://127.0.0.1:9/explorer';

interface BalanceDto {
  network: string;
  networkName: string;
  asset: string;
  balance: { atomic: string; token: string } | null;
}
interface SettingsDto {
  showTestnets: boolean;
  playgroundTokens: { chainId?: number; network?: string; address: string }[];
  customNetworks: { chainId: number; name: string }[];
  customTokens: { chainId: number; address: string; name: string; symbol: string; decimals: number; eip712: { name: string; version: string }; usdPegged: boolean }[];
}
interface ApprovalDto {
  id: string;
  options: { index: number; networkName: string; asset: string; amountToken: string; amountUsd: string | null }[];
  rejected: { index: number; reason: string }[];
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
    await new Promise((r) => setTimeout(r, 50));
  }
}

function fetchStatus(path: string): Promise<{ status: number; body: string }> {
  return fetch(path).then(async (r) => ({ status: r.status, body: await r.text() }));
}

/** Picks an option of a <select> the way a user's choice reaches React (native setter + change). */
function selectValue(page: TestPage, selector: string, value: string): Promise<void> {
  return page.evaluate(
    ([sel, v]) => {
      const el = document.querySelector(sel) as HTMLSelectElement;
      Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!.call(el, v);
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    [selector, value] as [string, string],
  );
}

/** Opens the options page on one of its tabs (Firefox's test hook opens plain paths only). */
async function openTab(ext: ExtensionBrowser, tab: 'networks' | 'settings'): Promise<TestPage> {
  const p = await ext.openExtensionPage('/options.html');
  await p.waitFor(`[data-testid="tab-${tab}"]`, 15_000);
  await p.click(`[data-testid="tab-${tab}"]`);
  return p;
}

/** Waits until an element exists (visible or not, e.g. an <option>). */
function exists(page: TestPage, selector: string, timeoutMs = 15_000): Promise<true> {
  return until(async () => (await page.evaluate((s) => document.querySelector(s) !== null, selector)) || undefined, selector, timeoutMs);
}

const count = (page: TestPage, selector: string) => page.evaluate((s) => document.querySelectorAll(s).length, selector);
const isDisabled = (page: TestPage, testId: string) =>
  page.evaluate((id) => (document.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement | null)?.disabled ?? null, testId);

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`networks & tokens (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    let page: TestPage;
    let options: TestPage;
    let renamed: `0x${string}`;

    beforeAll(async () => {
      ({ w, ext } = suite);
      renamed = await deployRenamedFiatToken(w.net.v2.chain, 'Fake Coin');
      page = await suite.open(w.net.v2.url('/page'));
      options = await openTab(ext, 'networks');
      await options.waitFor('[data-testid="networks-section"] [data-testid="settings-show-testnets"]', 15_000);
    });

    it('t. Show test networks: off → no Base Sepolia in the balances list or RPC endpoints; on → listed', async () => {
      await ok(ext, 'settings.update', { showTestnets: false });
      const off = await ok<BalanceDto[]>(ext, 'balances.list');
      expect(off.some((b) => b.asset === BASE_SEPOLIA_USDC || b.networkName === 'Base Sepolia')).toBe(false);
      // tokens the user added are always there: the v1 playground token on chain 84532
      expect(off.some((b) => b.network === 'eip155:84532' && b.asset === w.net.v1.usdc)).toBe(true);
      // the option list and the built-in RPC endpoints (Settings tab) follow the setting
      await options.close();
      options = await openTab(ext, 'networks');
      await options.waitFor('[data-testid="settings-show-testnets"]', 15_000);
      expect(await options.evaluate(() => (document.querySelector('[data-testid="settings-show-testnets"]') as HTMLInputElement).checked)).toBe(false);
      const settingsTab = await openTab(ext, 'settings');
      try {
        await settingsTab.waitFor('[data-testid="rpc-built-in"][data-key="8453"]', 15_000);
        expect(await count(settingsTab, '[data-testid="rpc-built-in"][data-key="84532"]')).toBe(0);
      } finally {
        await settingsTab.close();
      }

      // the user turns it on in the page
      await options.click('[data-testid="settings-show-testnets"]');
      await until(async () => (await ok<SettingsDto>(ext, 'settings.get')).showTestnets, 'showTestnets on');
      const on = await ok<BalanceDto[]>(ext, 'balances.list');
      expect(on.find((b) => b.asset === BASE_SEPOLIA_USDC)).toMatchObject({ network: 'eip155:84532', networkName: 'Base Sepolia' });
    });

    it('n. a custom network: an RPC of another chain is refused with the reason, a built-in chain cannot be redefined, the right RPC saves it', async () => {
      const { net } = w;
      const save = async (chainId: string, name: string, rpc: string, explorer = '') => {
        await options.fill('[data-testid="network-chain-id"]', chainId);
        await options.fill('[data-testid="network-name"]', name);
        await options.fill('[data-testid="network-rpc"]', rpc);
        await options.fill('[data-testid="network-explorer"]', explorer);
        await options.click('[data-testid="network-add"]');
      };
      await save('31337', NETWORK_NAME, net.v1.rpcUrl); // the anvil of chain 84532
      const v1Rpc = new URL(net.v1.rpcUrl).toString();
      expect(await options.waitForText('[data-testid="network-error"]', /is chain/, 15_000)).toBe(`The RPC at ${v1Rpc} is chain 84532, not 31337.`);
      await save('8453', 'My Base', net.v2.rpcUrl);
      expect(await options.waitForText('[data-testid="network-error"]', /built in/, 15_000)).toMatch(/^Chain 8453 is built in \(Base\) and cannot be redefined/);
      expect((await ok<SettingsDto>(ext, 'settings.get')).customNetworks).toEqual([]);

      await save('31337', NETWORK_NAME, net.v2.rpcUrl, EXPLORER);
      await options.waitFor('[data-testid="custom-network"][data-chain-id="31337"]', 15_000);
      expect(await options.text('[data-testid="custom-network"] [data-testid="custom-network-name"]')).toBe(NETWORK_NAME);
      expect(await count(options, '[data-testid="network-error"]')).toBe(0);
      expect((await ok<SettingsDto>(ext, 'settings.get')).customNetworks).toMatchObject([{ chainId: 31337, name: NETWORK_NAME, testnet: false }]);
    });

    it("k. the real local USDC as a custom token: Look up shows the contract's facts, Add token stores them", async () => {
      const { net } = w;
      // the playground entry for this contract goes (it is the same token: one or the other)
      const s0 = await ok<SettingsDto>(ext, 'settings.get');
      await ok(ext, 'settings.update', { playgroundTokens: s0.playgroundTokens.filter((t) => t.chainId !== net.v2.chainId) });

      await exists(options, '[data-testid="token-network"] option[value="31337"]');
      await selectValue(options, '[data-testid="token-network"]', '31337');
      await options.fill('[data-testid="token-address"]', net.v2.usdc.toLowerCase());
      await options.click('[data-testid="token-lookup"]');
      await options.waitFor('[data-testid="token-facts"]', 15_000);
      expect(await options.text('[data-testid="token-fact-chain"]')).toBe(`${NETWORK_NAME} (chain 31337)`);
      expect(await options.text('[data-testid="token-fact-address"]')).toBe(net.v2.usdc);
      expect(await options.text('[data-testid="token-fact-name"]')).toBe('USD Coin');
      expect(await options.text('[data-testid="token-fact-symbol"]')).toBe('USDC');
      expect(await options.text('[data-testid="token-fact-decimals"]')).toBe('6');
      expect(await options.text('[data-testid="token-fact-version"]')).toMatch(/name “USD Coin”, version “2”/);
      expect(await options.text('[data-testid="token-fact-domain"]')).toMatch(/^✓ DOMAIN_SEPARATOR\(\) matches/);
      expect(await options.text('[data-testid="token-fact-separator"]')).toMatch(/0x3cf85b676d48f560beac0642d15963ee72ebf230a65863eeeedf2a2ccf5c8ae3/);
      expect(await count(options, '[data-testid="token-problem"]')).toBe(0);
      // "counts as dollars" is off unless ticked
      expect(await options.evaluate(() => (document.querySelector('[data-testid="token-usd"]') as HTMLInputElement).checked)).toBe(false);
      await options.click('[data-testid="token-add"]');
      await options.waitFor(`[data-testid="custom-token"][data-address="${net.v2.usdc}"]`, 15_000);
      expect(await options.text('[data-testid="custom-token"] [data-testid="custom-token-usd"]')).toBe('not counted as dollars');
      const s = await ok<SettingsDto>(ext, 'settings.get');
      expect(s.customTokens).toMatchObject([
        { chainId: 31337, address: net.v2.usdc, name: 'USD Coin', symbol: 'USDC', decimals: 6, eip712: { name: 'USD Coin', version: '2' }, usdPegged: false },
      ]);
      // its balance, over the custom network's RPC, named after the network
      const list = await ok<BalanceDto[]>(ext, 'balances.list');
      const own = (await balances(net, 'v2')).payer;
      expect(list.find((b) => b.network === 'eip155:31337' && b.asset === net.v2.usdc)).toMatchObject({
        networkName: NETWORK_NAME,
        balance: { atomic: own.toString() },
      });
    });

    it('m. a real contract whose DOMAIN_SEPARATOR does not match its name/version is shown with the reason and cannot be added', async () => {
      const reason = `the contract's DOMAIN_SEPARATOR does not match name "Fake Coin" / version "2" — it cannot be paid with EIP-3009 signatures safely`;
      await selectValue(options, '[data-testid="token-network"]', '31337');
      await options.fill('[data-testid="token-address"]', renamed);
      await options.click('[data-testid="token-lookup"]');
      await options.waitFor('[data-testid="token-problem"]', 15_000);
      expect(await options.text('[data-testid="token-fact-name"]')).toBe('Fake Coin');
      expect(await options.text('[data-testid="token-fact-domain"]')).toMatch(/^✗ does not match/);
      expect(await options.text('[data-testid="token-problem"]')).toBe(`This token can’t be added: ${reason}.`);
      expect(await isDisabled(options, 'token-add')).toBe(true);
      // the background refuses it on its own (a page cannot talk it into adding)
      const forced = await ext.call('tokens.add', { chainId: 31337, address: renamed, usdPegged: true });
      expect(forced).toMatchObject({ ok: false, error: { code: 'token-refused', message: `USDC at ${renamed} cannot be added: ${reason}.` } });
      expect((await ok<SettingsDto>(ext, 'settings.get')).customTokens).toHaveLength(1);
      await options.click('[data-testid="token-cancel"]');
    });

    it('r. an offer whose extra.name differs from the custom token is refused before anything is signed', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      const stats0 = net.hostileStats()['name-mismatch'];
      // alone: no payable option → the page keeps its 402, no approval, the reason in the activity list
      await noApprovalPending(ext);
      expect((await page.evaluate(fetchStatus, '/bad/name-mismatch')).status).toBe(402);
      expect(await ext.pages(isApproval(ext))).toEqual([]);
      const activity = await ok<{ text: string }[]>(ext, 'activity.list');
      expect(activity[0]?.text).toMatch(/EIP-712 domain "Fake USD"\/"2" does not match the trusted "USD Coin"\/"2"/);

      // next to a valid option: the approval lists it as refused, with the reason
      const result = page.evaluate(fetchStatus, '/bad/name-mismatch?also=valid');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-reject"]:not([disabled])', 15_000);
      const [approval] = await until(async () => {
        const l = await ok<ApprovalDto[]>(ext, 'approvals.list');
        return l.length === 1 && l;
      }, 'the approval');
      expect(approval!.rejected).toEqual([{ index: 0, reason: 'EIP-712 domain "Fake USD"/"2" does not match the trusted "USD Coin"/"2"' }]);
      expect(approval!.options.map((o) => o.index)).toEqual([1]);
      expect(approval!.options[0]).toMatchObject({ networkName: NETWORK_NAME, asset: net.v2.usdc, amountToken: '0.01 USDC', amountUsd: null });
      expect(await win.text('[data-testid="approval-rejected"]')).toContain('does not match the trusted "USD Coin"/"2"');
      // a decision forced for the refused option is refused by the background too
      await ok(ext, 'approvals.decide', { id: approval!.id, decision: { kind: 'pay-once', optionIndex: 0 } });
      expect((await result).status).toBe(402);
      await win.waitFor('[data-testid="approval-expired"]', 10_000).catch(() => undefined);
      if (!win.isClosed()) await win.close();
      await noApprovalPending(ext);

      const stats = net.hostileStats()['name-mismatch'];
      expect(stats.requests - stats0.requests).toBe(2);
      expect(stats.withPayment).toBe(0); // no signature ever reached the server
      expect(await balances(net, 'v2')).toEqual(before);
      expect(await historyFor(ext, net.v2.url('/bad/name-mismatch'))).toEqual([]);
    });

    it('p. the matching offer for the custom token pays and settles on chain: exactly the price moves', async () => {
      const { net } = w;
      const before = await balances(net, 'v2');
      await noApprovalPending(ext);
      const result = page.evaluate(fetchStatus, '/api/data');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
      expect(await win.text('[data-testid="approval-network"]')).toBe(NETWORK_NAME);
      await win.click('[data-testid="approve-pay-once"]');
      const r = await result;
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ ok: true, data: 'paid content' });
      const [rec] = await settledFor(ext, net.v2.url('/api/data'), 1, 20_000);
      const after = await balances(net, 'v2');
      expect(after.payer).toBe(before.payer - PRICES.data);
      expect(after.merchant).toBe(before.merchant + PRICES.data);
      expect(rec).toMatchObject({ network: 'eip155:31337', confirmedBy: 'chain' });
      expect(rec!.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(rec!.explorerUrl).toBe(`${EXPLORER}/tx/${rec!.txHash}`);
      const history = await ok<{ resourceUrl: string; networkName: string }[]>(ext, 'history.list', { limit: 50 });
      expect(history.find((h) => h.resourceUrl === net.v2.url('/api/data'))?.networkName).toBe(NETWORK_NAME);
    });
  });
}
