/**
 * Balance lookups (lib/background/balances.ts) against a stubbed JSON-RPC (viem `custom`
 * transport): the real ERC-20 call shape, chain check, errors and timeouts → unknown, the
 * cache (TTL, shared in-flight lookups, invalidation), RPC URL resolution, settings validation.
 * The real thing (anvil RPC, real USDC) is tested in tests/browser/balance.e2e.test.ts.
 */
import { custom, decodeFunctionData, encodeFunctionResult, erc20Abi, numberToHex, type EIP1193RequestFn } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BalanceReader, Balances, resolveRpcUrl } from '../../lib/background/balances';
import { DEFAULT_RPC_URLS } from '../../lib/rails/networks';
import { SOLANA_DEVNET_CAIP2, SOLANA_MAINNET_CAIP2, SOLANA_TESTNET_CAIP2 } from '@x402/svm';
import { SOLANA_DEVNET, SOLANA_MAINNET, SOLANA_TESTNET } from '../../lib/rails/networks';
import { preferFunded } from '../../lib/background/payments';
import { Settings, type StoredSettings } from '../../lib/background/settings';
import { createRegistry, localPlaygroundAsset } from '../../lib/x402';
import { Ledger } from '../../lib/ledger/ledger';

const TOKEN = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' as const;
const HOLDER = '0x41CAcd5819833aE857686f9C387d25B5C257B880' as const;
const OTHER = '0x8D68dC44c710E181951642a02EFD10e28187C7fa' as const;
const RPC = 'http://127.0.0.1:1/rpc';

type Call = { method: string; params?: unknown };

/** A fake node: answers eth_chainId and balanceOf eth_calls from a table; records every call. */
function fakeNode(opts: { chainId?: number; balances?: Record<string, bigint>; behave?: (c: Call) => Promise<unknown> | undefined }) {
  const calls: Call[] = [];
  const balances = opts.balances ?? {};
  const request = (async ({ method, params }: { method: string; params?: unknown }) => {
    const c = { method, params };
    calls.push(c);
    const special = opts.behave?.(c);
    if (special) return special;
    if (method === 'eth_chainId') return numberToHex(opts.chainId ?? 31337);
    if (method === 'eth_call') {
      const [tx] = params as [{ to: string; data: `0x${string}` }];
      const { functionName, args } = decodeFunctionData({ abi: erc20Abi, data: tx.data });
      if (functionName !== 'balanceOf') throw new Error(`unexpected ${functionName}`);
      const who = (args[0] as string).toLowerCase();
      const key = `${tx.to.toLowerCase()}|${who}`;
      return encodeFunctionResult({ abi: erc20Abi, functionName: 'balanceOf', result: balances[key] ?? 0n });
    }
    throw new Error(`unexpected ${method}`);
  }) as EIP1193RequestFn;
  return { calls, transport: () => custom({ request }, { retryCount: 0 }), ethCalls: () => calls.filter((c) => c.method === 'eth_call').length };
}

const LOCAL_ASSET = localPlaygroundAsset({ chainId: 31337, address: TOKEN });
const q = (owner: `0x${string}` = HOLDER) => ({ asset: LOCAL_ASSET, owner, rpcUrl: RPC });
const bal = (address: string, v: bigint) => ({ [`${TOKEN.toLowerCase()}|${address.toLowerCase()}`]: v });

describe('BalanceReader', () => {
  it('reads balanceOf(address) of the token through the ERC-20 ABI, after checking the chain id', async () => {
    const node = fakeNode({ balances: bal(HOLDER, 100_000_000n) });
    const r = new BalanceReader({ transport: node.transport });
    expect(await r.read(q())).toMatchObject({ ok: true, atomic: 100_000_000n });
    const call = node.calls.find((c) => c.method === 'eth_call')!;
    const [tx] = call.params as [{ to: string; data: `0x${string}` }];
    expect(tx.to.toLowerCase()).toBe(TOKEN.toLowerCase());
    expect(decodeFunctionData({ abi: erc20Abi, data: tx.data })).toMatchObject({ functionName: 'balanceOf', args: [HOLDER] });
    expect(node.calls.some((c) => c.method === 'eth_chainId')).toBe(true);
  });

  it('an RPC that serves another chain gives unknown, not a wrong balance', async () => {
    const node = fakeNode({ chainId: 84532, balances: bal(HOLDER, 5n) });
    const r = await new BalanceReader({ transport: node.transport }).read(q());
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/chain 84532, not 31337/) });
  });

  it('an RPC error gives unknown with a short reason', async () => {
    const node = fakeNode({ behave: (c) => (c.method === 'eth_call' ? Promise.reject(new Error('execution reverted\nlots of detail')) : undefined) });
    const r = await new BalanceReader({ transport: node.transport }).read(q());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).not.toContain('\n');
  });

  it('a node that never answers gives unknown after the timeout, not a hang', async () => {
    const node = fakeNode({ behave: () => new Promise(() => undefined) });
    const r = new BalanceReader({ transport: node.transport, timeoutMs: 80 });
    const t0 = Date.now();
    expect(await r.read(q())).toMatchObject({ ok: false, reason: expect.stringMatching(/no answer within/) });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(70);
    expect(took).toBeLessThan(1_000);
  });

  it('caches per chain+asset+address for the TTL, shares in-flight lookups, and invalidates per token', async () => {
    let now = 1_000_000;
    const balances = { ...bal(HOLDER, 7n), ...bal(OTHER, 9n) };
    const node = fakeNode({ balances });
    const r = new BalanceReader({ transport: node.transport, ttlMs: 10_000, now: () => now });

    // concurrent reads of one balance: one RPC call
    const [a, b] = await Promise.all([r.read(q()), r.read(q())]);
    expect(a).toMatchObject({ ok: true, atomic: 7n });
    expect(b).toBe(a); // the same shared lookup
    expect(node.ethCalls()).toBe(1);

    // within the TTL: cached (even though the chain changed)
    balances[`${TOKEN.toLowerCase()}|${HOLDER.toLowerCase()}`] = 6n;
    now += 9_999;
    expect(await r.read(q())).toMatchObject({ ok: true, atomic: 7n });
    expect(node.ethCalls()).toBe(1);

    // another address is its own entry
    expect(await r.read(q(OTHER))).toMatchObject({ ok: true, atomic: 9n });
    expect(node.ethCalls()).toBe(2);

    // TTL over: read again
    now += 2;
    expect(await r.read(q())).toMatchObject({ ok: true, atomic: 6n });
    expect(node.ethCalls()).toBe(3);

    // a payment settled: every cached balance of this token is dropped, other tokens stay
    balances[`${TOKEN.toLowerCase()}|${HOLDER.toLowerCase()}`] = 5n;
    r.invalidate({ rail: 'evm', network: 'eip155:31337', address: TOKEN.toUpperCase().replace('0X', '0x') });
    expect(await r.read(q())).toMatchObject({ ok: true, atomic: 5n });
    expect(await r.read(q(OTHER))).toMatchObject({ ok: true, atomic: 9n });
    expect(node.ethCalls()).toBe(5);
    r.invalidate({ rail: 'evm', network: 'eip155:1', address: TOKEN }); // another chain: nothing dropped here
    await r.read(q());
    expect(node.ethCalls()).toBe(5);
  });

  it('failures are cached too (a dead RPC is not asked again for every payment)', async () => {
    let now = 0;
    const node = fakeNode({ behave: () => Promise.reject(new Error('connection refused')) });
    const r = new BalanceReader({ transport: node.transport, now: () => now });
    expect((await r.read(q())).ok).toBe(false);
    const n = node.calls.length;
    expect((await r.read(q())).ok).toBe(false);
    expect(node.calls.length).toBe(n);
    now += 10_001;
    await r.read(q());
    expect(node.calls.length).toBeGreaterThan(n);
  });

  it('a changed RPC URL is not answered from the old URL’s cache', async () => {
    const node = fakeNode({ balances: bal(HOLDER, 1n) });
    const r = new BalanceReader({ transport: node.transport });
    await r.read(q());
    await r.read({ ...q(), rpcUrl: 'http://127.0.0.1:2/other' });
    expect(node.ethCalls()).toBe(2);
  });
});

describe('resolveRpcUrl', () => {
  const base: Pick<StoredSettings, 'playgroundTokens' | 'rpcUrls'> = { playgroundTokens: [], rpcUrls: {} };
  it('token URL, else the user’s chain URL, else the built-in default; empty turns lookups off', () => {
    expect(resolveRpcUrl(base, 'eip155:8453', '0xabc')).toBe('https://mainnet.base.org');
    expect(resolveRpcUrl(base, 'eip155:84532', '0xabc')).toBe('https://sepolia.base.org');
    expect(resolveRpcUrl(base, 'eip155:1', '0xabc')).toBeUndefined();
    expect(resolveRpcUrl({ ...base, rpcUrls: { '8453': 'https://my.node/' } }, 'eip155:8453', '0xabc')).toBe('https://my.node/');
    expect(resolveRpcUrl({ ...base, rpcUrls: { '8453': '' } }, 'eip155:8453', '0xabc')).toBeUndefined();
    const withToken = {
      playgroundTokens: [{ chainId: 84532, address: TOKEN, rpcUrl: 'http://127.0.0.1:9/' }],
      rpcUrls: { '84532': 'https://user.node/' },
    };
    expect(resolveRpcUrl(withToken, 'eip155:84532', TOKEN.toLowerCase())).toBe('http://127.0.0.1:9/');
    // the token's URL is for that token only: other tokens on the chain use the chain's URL
    expect(resolveRpcUrl(withToken, 'eip155:84532', '0x036CbD53842c5426634e7929541eC2318f3dCF7e')).toBe('https://user.node/');
    expect(Object.keys(DEFAULT_RPC_URLS).filter((k) => k.startsWith('eip155:')).sort()).toEqual(['eip155:8453', 'eip155:84532']);
    expect(resolveRpcUrl(base, SOLANA_MAINNET, 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v')).toBe('https://api.mainnet-beta.solana.com');
    expect(resolveRpcUrl({ ...base, rpcUrls: { [SOLANA_DEVNET]: 'http://127.0.0.1:7/' } }, SOLANA_DEVNET, 'x')).toBe('http://127.0.0.1:7/');
    // the shared cluster ids are the official package's
    expect([SOLANA_MAINNET, SOLANA_DEVNET, SOLANA_TESTNET]).toEqual([SOLANA_MAINNET_CAIP2, SOLANA_DEVNET_CAIP2, SOLANA_TESTNET_CAIP2]);
  });
});

describe('Balances', () => {
  const asset = localPlaygroundAsset({ chainId: 31337, address: TOKEN, networkLabel: 'Local' });
  const settingsWith = (s: Partial<StoredSettings>) => ({
    get: async (): Promise<StoredSettings> => ({ notifications: true, allowedSites: [], playgroundTokens: [], rpcUrls: {}, ...s }),
  });

  it('forPayment net of pending payments: the balance must cover what is signed but not settled too', async () => {
    const node = fakeNode({ balances: bal(HOLDER, 100_000n) });
    const settings = settingsWith({ playgroundTokens: [{ chainId: 31337, address: TOKEN, rpcUrl: RPC }] });
    const b = new Balances({ settings, reader: new BalanceReader({ transport: node.transport }) });
    expect(await b.forPayment(asset, 60_000n, HOLDER, 40_000n)).toEqual({ atomic: '100000', token: '0.1 USDC', sufficient: true, pending: '0.04 USDC' });
    expect(await b.forPayment(asset, 60_001n, HOLDER, 40_000n)).toMatchObject({ sufficient: false, pending: '0.04 USDC' });
    expect(await b.forPayment(asset, 60_001n, HOLDER)).toMatchObject({ sufficient: true });
  });

  it('ledger.pending(): reserved, signed and unknown amounts per token until they expire; settled and released are not', async () => {
    const l = new Ledger();
    const reserve = (amount: bigint, expiresAt = Date.now() + 60_000, network = 'eip155:31337') =>
      l.reserve({
        site: 'http://a', requestOrigin: 'http://a', resourceUrl: 'http://a/x', network, asset: { address: TOKEN, symbol: 'USDC', decimals: 6, usdPegged: true },
        amount, payTo: OTHER, expiresAt, auto: false, policyCheck: () => ({ action: 'pay' }),
      });
    const a = (await reserve(1_000n)).record!;
    const b = (await reserve(2_000n)).record!;
    await l.markSigned(b.id, { expiresAt: Date.now() + 60_000 });
    const c = (await reserve(4_000n)).record!;
    await l.fail(c.id, 'unknown', { definite: false });
    const d = (await reserve(8_000n)).record!;
    await l.commit(d.id, { txHash: '0x1', network: 'eip155:31337', payer: HOLDER });
    const e = (await reserve(16_000n)).record!;
    await l.release(e.id);
    await reserve(32_000n, Date.now() - 1); // expired
    await reserve(64_000n, Date.now() + 60_000, 'eip155:1'); // another chain
    const p = await l.pending();
    expect(p.get(`eip155:31337|${TOKEN.toLowerCase()}`)).toBe(7_000n);
    // another account's signed payment is not this account's pending
    await l.markSigned(a.id, { expiresAt: Date.now() + 60_000, payer: OTHER });
    expect((await l.pending([HOLDER])).get(`eip155:31337|${TOKEN.toLowerCase()}`)).toBe(6_000n);
    expect((await l.pending([OTHER.toLowerCase()])).get(`eip155:31337|${TOKEN.toLowerCase()}`)).toBe(7_000n);
    expect(p.get(`eip155:1|${TOKEN.toLowerCase()}`)).toBe(64_000n);
    expect(a.id).toBeTruthy();
  });

  it('forPayment: sufficient, insufficient (exact formatting), unknown without an RPC or address', async () => {
    const node = fakeNode({ balances: bal(HOLDER, 100_000_000n) });
    const settings = settingsWith({ playgroundTokens: [{ chainId: 31337, address: TOKEN, rpcUrl: RPC }] });
    const b = new Balances({ settings, reader: new BalanceReader({ transport: node.transport }) });
    expect(await b.forPayment(asset, 100_000_000n, HOLDER)).toEqual({ atomic: '100000000', token: '100 USDC', sufficient: true });
    expect(await b.forPayment(asset, 100_000_001n, HOLDER)).toEqual({ atomic: '100000000', token: '100 USDC', sufficient: false });
    expect(await b.forPayment(asset, 1n, null)).toBeNull();
    const none = new Balances({ settings: settingsWith({}), reader: new BalanceReader({ transport: node.transport }) });
    expect(await none.forPayment(asset, 1n, HOLDER)).toBeNull();
  });

  it('a settled payment debits the balance read before it was signed: the next payment asks no RPC; a read after signing is read again', async () => {
    let now = 100;
    const key = `${TOKEN.toLowerCase()}|${HOLDER.toLowerCase()}`;
    const balances = bal(HOLDER, 100_000n);
    const node = fakeNode({ balances });
    const settings = settingsWith({ playgroundTokens: [{ chainId: 31337, address: TOKEN, rpcUrl: RPC }] });
    const b = new Balances({ settings, reader: new BalanceReader({ transport: node.transport, now: () => now }) });
    const paid = (amount: bigint, signed: number) => ({ network: 'eip155:31337', asset: { address: TOKEN }, payer: HOLDER, amount, times: { signed } });
    expect(await b.forPayment(asset, 30_000n, HOLDER)).toMatchObject({ atomic: '100000', sufficient: true });
    expect(node.ethCalls()).toBe(1);
    // signed at 101 (after the read at 100), settled on chain: 70,000 left
    balances[key] = 70_000n;
    now = 102;
    b.settled(paid(30_000n, 101));
    expect(await b.forPayment(asset, 30_000n, HOLDER)).toMatchObject({ atomic: '70000', sufficient: true });
    expect(node.ethCalls()).toBe(1); // from the cache, less the payment
    // a read that started after the payment was signed may already show it: dropped, read again
    now = 200;
    b.invalidate('eip155:31337', TOKEN);
    await b.forPayment(asset, 30_000n, HOLDER); // read at 200
    expect(node.ethCalls()).toBe(2);
    balances[key] = 40_000n;
    b.settled(paid(30_000n, 150));
    expect(await b.forPayment(asset, 30_000n, HOLDER)).toMatchObject({ atomic: '40000' });
    expect(node.ethCalls()).toBe(3);
    // a debit below the amount due is confirmed by a fresh read before it refuses
    now = 300;
    b.settled(paid(30_000n, 301)); // the cached 40,000 (read at 200, before signing) → 10,000 estimated
    balances[key] = 40_000n; // the chain never moved (e.g. another account paid)
    expect(await b.forPayment(asset, 30_000n, HOLDER)).toMatchObject({ atomic: '40000', sufficient: true });
    expect(node.ethCalls()).toBe(4);
  });

  it('a cached "too small" never blocks a payment: it is read again; a just-read one is not', async () => {
    let now = 0;
    const balances = bal(HOLDER, 0n);
    const node = fakeNode({ balances });
    const settings = settingsWith({ playgroundTokens: [{ chainId: 31337, address: TOKEN, rpcUrl: RPC }] });
    const b = new Balances({ settings, reader: new BalanceReader({ transport: node.transport, now: () => now }) });
    expect(await b.forPayment(asset, 10_000n, HOLDER)).toMatchObject({ atomic: '0', token: '0 USDC', sufficient: false });
    expect(node.ethCalls()).toBe(1); // a fresh "too small" is not read twice
    balances[`${TOKEN.toLowerCase()}|${HOLDER.toLowerCase()}`] = 1_000_000n; // funded meanwhile
    now += 1;
    expect(await b.forPayment(asset, 10_000n, HOLDER)).toEqual({ atomic: '1000000', token: '1 USDC', sufficient: true });
    expect(node.ethCalls()).toBe(2);
    // a sufficient balance is served from the cache
    now += 1_000;
    await b.forPayment(asset, 10_000n, HOLDER);
    expect(node.ethCalls()).toBe(2);
    // concurrent checks that find a cached "too small" share one confirming lookup
    balances[`${TOKEN.toLowerCase()}|${HOLDER.toLowerCase()}`] = 5n;
    b.invalidate('eip155:31337', TOKEN);
    await b.forPayment(asset, 10_000n, HOLDER);
    expect(node.ethCalls()).toBe(3);
    now += 1;
    const all = await Promise.all(Array.from({ length: 20 }, () => b.forPayment(asset, 10_000n, HOLDER)));
    expect(all.every((x) => x?.sufficient === false)).toBe(true);
    expect(node.ethCalls()).toBe(4);
  });

  it('list: only trusted tokens with a known RPC; failures show as unknown with a reason', async () => {
    const node = fakeNode({
      balances: bal(HOLDER, 2_500_000n),
      behave: (c) => {
        const tx = (c.params as [{ to?: string }] | undefined)?.[0];
        return c.method === 'eth_call' && tx?.to?.toLowerCase() !== TOKEN.toLowerCase() ? Promise.reject(new Error('offline')) : undefined;
      },
    });
    const settings = settingsWith({ playgroundTokens: [{ chainId: 31337, address: TOKEN, label: 'Local', rpcUrl: RPC }] });
    const b = new Balances({ settings, reader: new BalanceReader({ transport: node.transport }) });
    const registry = createRegistry([asset]);
    const list = await b.list(registry, { evm: HOLDER });
    // the playground token plus the defaults with a built-in RPC (Base, Base Sepolia), nothing else
    expect(list.map((x) => x.network).sort()).toEqual(['eip155:31337', 'eip155:8453', 'eip155:84532']);
    expect(list.find((x) => x.network === 'eip155:31337')).toMatchObject({ balance: { atomic: '2500000', token: '2.5 USDC' } });
    const base = list.find((x) => x.network === 'eip155:8453')!;
    expect(base.balance).toBeNull();
    expect(base.networkName).toBe('Base');
    expect(base.error).toBeTruthy();
  });

  it('preferFunded: cheapest funded, else cheapest unknown, else cheapest', () => {
    const opts = [{ index: 2 }, { index: 0 }, { index: 1 }];
    const funded = (v: boolean) => ({ atomic: '1', token: '1 USDC', sufficient: v });
    expect(preferFunded(opts, new Map([[2, funded(false)], [0, funded(true)], [1, funded(true)]])).index).toBe(0);
    expect(preferFunded(opts, new Map([[2, funded(false)], [0, null], [1, funded(true)]])).index).toBe(1);
    expect(preferFunded(opts, new Map([[2, funded(false)], [0, null], [1, funded(false)]])).index).toBe(0);
    expect(preferFunded(opts, new Map([[2, funded(false)], [0, funded(false)], [1, funded(false)]])).index).toBe(2);
  });
});

describe('Settings: RPC URLs', () => {
  beforeEach(() => fakeBrowser.reset());

  it('accepts http(s) URLs per chain and per test token; refuses anything else with a clear error', async () => {
    const s = new Settings();
    expect((await s.get()).rpcUrls).toEqual({});
    const ok = await s.update({ rpcUrls: { '8453': 'https://my.node/base', '1': '' } });
    expect(ok.rpcUrls).toEqual({ '8453': 'https://my.node/base', '1': '' });
    for (const [bad, msg] of [
      [{ '8453': 'ftp://x.example' }, /only http:\/\/ and https:\/\//],
      [{ '8453': 'javascript:alert(1)' }, /only http:\/\/ and https:\/\//],
      [{ '8453': 'not a url' }, /is not a URL/],
      [{ '8453': 'https://user:pw@x.example' }, /user name or password/],
      [{ base: 'https://x.example' }, /is not a chain id/],
      [{ '0': 'https://x.example' }, /is not a chain id/],
      [['https://x.example'], /map networks/],
    ] as const) {
      await expect(s.update({ rpcUrls: bad as never })).rejects.toMatchObject({ code: 'invalid-settings', message: expect.stringMatching(msg) });
    }
    await expect(
      s.update({ playgroundTokens: [{ chainId: 31337, address: TOKEN, rpcUrl: 'file:///etc/passwd' }] }),
    ).rejects.toMatchObject({ code: 'invalid-settings', message: expect.stringMatching(/RPC URL of test token.*only http/) });
    // nothing was changed by the refused updates
    expect((await s.get()).rpcUrls).toEqual({ '8453': 'https://my.node/base', '1': '' });
    const t = await s.update({ playgroundTokens: [{ chainId: 31337, address: TOKEN, rpcUrl: 'http://127.0.0.1:8545' }, { chainId: 1337, address: TOKEN }] });
    expect(t.playgroundTokens).toEqual([
      { chainId: 31337, address: TOKEN, label: undefined, rpcUrl: 'http://127.0.0.1:8545/' },
      { chainId: 1337, address: TOKEN, label: undefined },
    ]);
  });

  it('Solana test mints and RPC endpoints by network id; a token that redefines a built-in one, or a cluster the client cannot build for, is refused at once', async () => {
    const s = new Settings();
    const MINT = '7LHurnExzbrPM5iPZGytbqM89baf1E2WbTsfQnw4pJpD';
    const r = await s.update({
      playgroundTokens: [{ network: SOLANA_DEVNET, address: MINT, rpcUrl: 'http://127.0.0.1:4028' }],
      rpcUrls: { [SOLANA_MAINNET]: 'https://my.solana.node/' },
    });
    expect(r.playgroundTokens).toEqual([{ network: SOLANA_DEVNET, address: MINT, label: undefined, rpcUrl: 'http://127.0.0.1:4028/' }]);
    const reg = await s.registry();
    expect(reg.lookup(SOLANA_DEVNET, MINT)).toMatchObject({ rail: 'svm', decimals: 6, local: true, networkLabel: 'Local Solana' });
    expect(reg.lookup(SOLANA_DEVNET, MINT.toLowerCase())).toBeUndefined(); // base58 is exact
    for (const [bad, msg] of [
      // devnet PYUSD is a built-in Token-2022 stablecoin with another symbol
      [[{ network: SOLANA_DEVNET, address: 'CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM' }], /conflicting trusted asset/],
      [[{ network: 'solana:' + 'A'.repeat(32), address: MINT }], /mainnet, devnet or testnet/],
      [[{ network: SOLANA_DEVNET, address: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' }], /bad mint address/],
      [[{ network: SOLANA_DEVNET, chainId: 1, address: MINT }], /either a chain id/],
    ] as const) {
      await expect(s.update({ playgroundTokens: bad as never })).rejects.toMatchObject({ code: 'invalid-settings', message: expect.stringMatching(msg) });
    }
    await expect(s.update({ rpcUrls: { 'solana:nope': 'https://x/' } })).rejects.toMatchObject({ message: expect.stringMatching(/Solana network id/) });
    await expect(s.update({ rpcUrls: { 'eip155:8453': 'https://x/' } })).rejects.toMatchObject({ message: expect.stringMatching(/chain id/) });
    expect((await s.get()).playgroundTokens).toHaveLength(1); // nothing was changed by the refused updates
  });
});
