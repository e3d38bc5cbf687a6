/**
 * Custom networks and tokens (lib/background/user-chains.ts + settings + registry), the
 * "Show test networks" rule, and the payment flow refusing an offer whose EIP-712 domain differs
 * from a custom token's on-chain facts before anything is signed. The chain is a stub node with
 * the real ABI (fake-token-rpc.ts); the real contracts answer in tests/browser/tokens.e2e.
 */
import { encodePaymentRequiredHeader } from '@x402/core/http';
import { getAddress } from 'viem';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { ApprovalQueue } from '../../lib/background/approvals';
import { Balances, BalanceReader, resolveRpcUrl } from '../../lib/background/balances';
import { createHandlers } from '../../lib/background/handlers';
import { PaymentService } from '../../lib/background/payments';
import { MAX_CUSTOM_NETWORKS, MAX_CUSTOM_TOKENS, Settings, userAssets } from '../../lib/background/settings';
import { UserChains } from '../../lib/background/user-chains';
import { createCustodyService } from '../../lib/custody/service';
import { Ledger } from '../../lib/ledger/ledger';
import { PolicyStore } from '../../lib/policy/store';
import { builtInEvmChains, evmNetworkName } from '../../lib/rails/evm/assets';
import { SOLANA_DEVNET, TEST_NETWORKS, TRON_NAMES } from '../../lib/rails/networks';
import { createRegistry, defaultTrustedAssets, localPlaygroundAsset, parsePaymentRequired, TESTNETS_OFF_REASON, evaluateOptions } from '../../lib/x402';
import { fakeNetwork, fakeTokenNode, type FakeNode } from './fake-token-rpc';

const RPC = 'http://127.0.0.1:8545/';
const RPC_MAINNET = 'http://127.0.0.1:8546/';
const TOKEN = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' as const;
/** the same real USDC bytecode's facts, renamed after its separator was cached (what tokens.e2e deploys) */
const RENAMED = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const;
const PAY_TO = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720';
const PHRASE = 'test test test test test test test test test test test junk';
const USDC_BASE_SEPOLIA = '0x036CbD53842c5426634e7929541eC2318f3dCF7e';

let anvil: FakeNode;
let mainnet: FakeNode;

function setup() {
  const settings = new Settings();
  const transport = fakeNetwork({ [RPC]: anvil, [RPC_MAINNET]: mainnet });
  const chains = new UserChains(settings, { transport, timeoutMs: 1_000, now: () => 1_700_000_000_000 });
  return { settings, chains };
}

/** What the options page sends with tokens.add: the facts the user was shown by the lookup. */
function seenOf(t: { symbol: string; decimals: number; eip712?: { name: string; version: string }; domainSeparator?: string }) {
  return { symbol: t.symbol, decimals: t.decimals, eip712Name: t.eip712?.name ?? '', eip712Version: t.eip712?.version ?? '', domainSeparator: t.domainSeparator ?? '' };
}
async function addSeen(chains: UserChains, input: Record<string, unknown>) {
  return chains.addToken({ ...input, seen: seenOf(await chains.lookup(input)) });
}

beforeEach(() => {
  fakeBrowser.reset();
  anvil = fakeTokenNode(31337, {
    [TOKEN]: { name: 'USD Coin', symbol: 'USDC', decimals: 6, version: '2' },
    [RENAMED]: { name: 'Fake Coin', symbol: 'USDC', decimals: 6, version: '2', domainSeparator: '0x3cf85b676d48f560beac0642d15963ee72ebf230a65863eeeedf2a2ccf5c8ae3' },
  });
  mainnet = fakeTokenNode(1);
});

const anvilNet = { chainId: 31337, name: 'Anvil', rpcUrl: RPC, explorerUrl: 'http://127.0.0.1:9000/explorer', testnet: true };

describe('custom networks: validated in the background, chain id checked against the RPC', () => {
  it('adds a network whose RPC serves its chain id; old stored settings load with the new defaults', async () => {
    // settings saved by an older version (no showTestnets / customNetworks / customTokens)
    await storage.setItem('local:settings', { notifications: false, allowedSites: [], playgroundTokens: [], rpcUrls: { '8453': '' } });
    const { settings, chains } = setup();
    expect(await settings.get()).toMatchObject({ notifications: false, rpcUrls: { '8453': '' }, showTestnets: false, customNetworks: [], customTokens: [] });
    const s = await chains.addNetwork({ ...anvilNet, name: '  Anvil  ' });
    expect(s.customNetworks).toEqual([{ chainId: 31337, name: 'Anvil', rpcUrl: RPC, explorerUrl: 'http://127.0.0.1:9000/explorer', testnet: true }]);
    expect(s.notifications).toBe(false); // nothing else changed
    // its name shows wherever the registry names networks; its RPC is the network's RPC
    expect((await settings.registry()).networkName('eip155:31337')).toBe('Anvil');
    expect(resolveRpcUrl(await settings.get(), 'eip155:31337', TOKEN)).toBe(RPC);
    // the user's RPC endpoint list still overrides it (as for built-in networks)
    expect(resolveRpcUrl({ ...(await settings.get()), rpcUrls: { '31337': 'http://other/' } }, 'eip155:31337', TOKEN)).toBe('http://other/');
    // saved again with the same chain id: changed in place
    const again = await chains.addNetwork({ ...anvilNet, name: 'Anvil 2', testnet: false, explorerUrl: '' });
    expect(again.customNetworks).toEqual([{ chainId: 31337, name: 'Anvil 2', rpcUrl: RPC, testnet: false }]);
  });

  it('refuses bad chain ids, built-in chains, RPC mismatches, bad URLs and names with a clear reason — and changes nothing', async () => {
    const { settings, chains } = setup();
    await chains.addNetwork(anvilNet);
    const before = await settings.get();
    const cases: [Record<string, unknown>, RegExp | string][] = [
      [{ ...anvilNet, chainId: 0 }, /whole number above 0/],
      [{ ...anvilNet, chainId: -5 }, /whole number above 0/],
      [{ ...anvilNet, chainId: 1.5 }, /whole number above 0/],
      [{ ...anvilNet, chainId: '31337' }, /whole number above 0/],
      [{ ...anvilNet, chainId: 8453 }, 'Chain 8453 is built in (Base) and cannot be redefined. To use your own node for it, set an RPC endpoint for chain 8453 under RPC endpoints.'],
      [{ ...anvilNet, chainId: 84532, name: 'My Sepolia' }, /Chain 84532 is built in \(Base Sepolia\)/],
      [{ ...anvilNet, chainId: 4689 }, /Chain 4689 is built in \(iotex\)/], // a v1 name without a token
      [{ ...anvilNet, chainId: 8454, rpcUrl: RPC_MAINNET, name: 'L2' }, 'The RPC at http://127.0.0.1:8546/ is chain 1, not 8454.'],
      [{ ...anvilNet, chainId: 8454, rpcUrl: 'http://127.0.0.1:1/', name: 'L2' }, /Could not ask the RPC at http:\/\/127\.0\.0\.1:1\/ for its chain id/],
      [{ ...anvilNet, rpcUrl: 'ftp://x.example' }, /RPC URL: only http:\/\/ and https:\/\//],
      [{ ...anvilNet, rpcUrl: 'https://user:pw@x.example' }, /user name or password/],
      [{ ...anvilNet, explorerUrl: 'javascript:alert(1)' }, /Explorer URL: only http:\/\/ and https:\/\//],
      [{ ...anvilNet, name: '' }, /Enter a name/],
      [{ ...anvilNet, name: 'x'.repeat(41) }, /too long/],
      [{ ...anvilNet, name: 'Ba\u200bse' }, /invisible/],
      [{ ...anvilNet, name: 'base' }, /"base" is the name of a built-in network \(chain 8453\)/],
      [{ ...anvilNet, testnet: 'yes' }, /yes or no/],
    ];
    for (const [input, msg] of cases) {
      const err = await chains.addNetwork(input).then(() => null, (e: unknown) => e as { code: string; message: string });
      expect(err, JSON.stringify(input)).not.toBeNull();
      if (typeof msg === 'string') expect(err!.message).toBe(msg);
      else expect(err!.message).toMatch(msg);
    }
    expect(await settings.get()).toEqual(before);
  });

  it('at most MAX_CUSTOM_NETWORKS networks; names are unique', async () => {
    const { settings, chains } = setup();
    const nodes: Record<string, FakeNode> = {};
    for (let i = 0; i <= MAX_CUSTOM_NETWORKS; i++) nodes[`http://n${i}/`] = fakeTokenNode(900_000 + i);
    const many = new UserChains(settings, { transport: fakeNetwork(nodes), timeoutMs: 1_000 });
    for (let i = 0; i < MAX_CUSTOM_NETWORKS; i++) await many.addNetwork({ chainId: 900_000 + i, name: `Net ${i}`, rpcUrl: `http://n${i}/` });
    await expect(many.addNetwork({ chainId: 900_000 + MAX_CUSTOM_NETWORKS, name: 'One more', rpcUrl: `http://n${MAX_CUSTOM_NETWORKS}/` })).rejects.toMatchObject({
      message: `Too many custom networks (at most ${MAX_CUSTOM_NETWORKS}): remove one first.`,
    });
    await many.removeNetwork({ chainId: 900_000 });
    await expect(many.addNetwork({ chainId: 900_000 + MAX_CUSTOM_NETWORKS, name: 'Net 1', rpcUrl: `http://n${MAX_CUSTOM_NETWORKS}/` })).rejects.toMatchObject({
      message: /"Net 1" is already the name of your network on chain 900001/,
    });
    expect((await settings.get()).customNetworks).toHaveLength(MAX_CUSTOM_NETWORKS - 1);
    expect(chains).toBeTruthy();
  });

  it('settings.update cannot write custom networks or tokens (the page could submit made-up facts)', async () => {
    const { settings } = setup();
    const fake = [{ chainId: 31337, address: TOKEN, name: 'USD Coin', symbol: 'USDC', decimals: 6, eip712: { name: 'X', version: '1' }, domainSeparator: '0x00', eip3009: true, usdPegged: true, addedAt: 1 }];
    await expect(settings.update({ customTokens: fake } as never)).rejects.toMatchObject({ code: 'invalid-settings', message: /Networks & tokens/ });
    await expect(settings.update({ customNetworks: [anvilNet] } as never)).rejects.toMatchObject({ code: 'invalid-settings' });
    await expect(settings.update({ showTestnets: 'yes' } as never)).rejects.toMatchObject({ message: /on or off/ });
    expect(await settings.get()).toMatchObject({ customTokens: [], customNetworks: [], showTestnets: false });
  });
});

describe('custom tokens: facts read from the contract, the domain separator checked, stored only after a second read', () => {
  it('lookup shows the facts of a matching token; add stores the chain facts, not what the page sent', async () => {
    const { settings, chains } = setup();
    await chains.addNetwork(anvilNet);
    const found = await chains.lookup({ chainId: 31337, address: TOKEN.toLowerCase() });
    expect(found).toEqual({
      chainId: 31337,
      network: 'eip155:31337',
      networkName: 'Anvil',
      address: TOKEN,
      name: 'USD Coin',
      symbol: 'USDC',
      decimals: 6,
      eip712: { name: 'USD Coin', version: '2', source: 'version' },
      domainSeparator: '0x3cf85b676d48f560beac0642d15963ee72ebf230a65863eeeedf2a2ccf5c8ae3',
      computedSeparator: '0x3cf85b676d48f560beac0642d15963ee72ebf230a65863eeeedf2a2ccf5c8ae3',
      domainMatches: true,
      eip3009: true,
      warnings: [],
    });
    expect(await settings.get()).toMatchObject({ customTokens: [] }); // a lookup stores nothing
    const reads = anvil.calls.length;
    // the page's claims are ignored: only chainId, address and the "counts as dollars" tick are read
    const s = await addSeen(chains, { chainId: 31337, address: TOKEN, symbol: 'FAKE', decimals: 18, eip712: { name: 'Evil', version: '9' } });
    expect(anvil.calls.length).toBeGreaterThan(reads); // read again at add time
    expect(s.customTokens).toEqual([
      {
        chainId: 31337,
        address: TOKEN,
        name: 'USD Coin',
        symbol: 'USDC',
        decimals: 6,
        eip712: { name: 'USD Coin', version: '2' },
        domainSeparator: '0x3cf85b676d48f560beac0642d15963ee72ebf230a65863eeeedf2a2ccf5c8ae3',
        eip3009: true,
        usdPegged: false, // never counts as dollars unless the user says so
        addedAt: 1_700_000_000_000,
      },
    ]);
    await expect(chains.addToken({ chainId: 31337, address: TOKEN })).rejects.toMatchObject({ code: 'token-refused', message: /already in your list/ });
    // a network with tokens on it is not removed (they would lose their RPC and name)
    await expect(chains.removeNetwork({ chainId: 31337 })).rejects.toMatchObject({ message: 'Remove the custom token on Anvil first (USDC).' });
    await chains.removeToken({ chainId: 31337, address: TOKEN.toLowerCase() });
    expect((await chains.removeNetwork({ chainId: 31337 })).customNetworks).toEqual([]);
  });

  it('a contract whose DOMAIN_SEPARATOR does not match its name/version is shown with the reason and refused at add time', async () => {
    const { settings, chains } = setup();
    await chains.addNetwork(anvilNet);
    const found = await chains.lookup({ chainId: 31337, address: RENAMED });
    const reason = `the contract's DOMAIN_SEPARATOR does not match name "Fake Coin" / version "2" — it cannot be paid with EIP-3009 signatures safely`;
    expect(found).toMatchObject({ name: 'Fake Coin', domainMatches: false, problem: reason });
    expect(found.computedSeparator).not.toBe(found.domainSeparator);
    await expect(chains.addToken({ chainId: 31337, address: RENAMED })).rejects.toMatchObject({
      code: 'token-refused',
      message: `USDC at ${RENAMED} cannot be added: ${reason}.`,
    });
    expect((await settings.get()).customTokens).toEqual([]);
  });

  it('refuses to add a token whose facts changed since the user looked it up (proxy upgrade, a changing RPC)', async () => {
    const { settings, chains } = setup();
    await chains.addNetwork(anvilNet);
    const shown = await chains.lookup({ chainId: 31337, address: TOKEN });
    anvil.tokens.get(TOKEN.toLowerCase())!.decimals = 18; // between "Look up" and "Add token"
    await expect(chains.addToken({ chainId: 31337, address: TOKEN, usdPegged: true, seen: seenOf(shown) })).rejects.toMatchObject({
      code: 'token-changed',
      message: /changed since you looked it up \(now USDC, 18 decimals/,
    });
    expect((await settings.get()).customTokens).toEqual([]);
  });

  it('refuses bad addresses, unknown chains, chains without RPC, built-in tokens, playground tokens, and too many tokens', async () => {
    const { settings, chains } = setup();
    await chains.addNetwork(anvilNet);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ chainId: 31337, address: '0x1234' }, /is not a token address \(0x followed by 40 hex digits\)/],
      [{ chainId: 31337, address: 42 }, /is not a token address/],
      [{ chainId: 31337, address: '0x9FE46736679d2D9a65F0992F2272dE9f3c7fa6e0' }, /bad checksum/],
      [{ chainId: 31337, address: `0x${'0'.repeat(40)}` }, /zero address/],
      [{ chainId: 999, address: TOKEN }, /Chain 999 is not a network the wallet knows: add it under Custom networks first/],
      [{ chainId: 0, address: TOKEN }, /whole number/],
      [{ chainId: 1, address: TOKEN }, /No RPC endpoint for Ethereum \(chain 1\): set one under RPC endpoints/],
      [{ chainId: 84532, address: USDC_BASE_SEPOLIA }, /Base Sepolia is a test network\. Test networks are turned off \(Settings → Show test networks\)/],
      [{ chainId: 31337, address: '0x000000000000000000000000000000000000dEaD' }, /There is no contract at 0x000000000000000000000000000000000000dEaD on chain 31337/],
    ];
    for (const [input, msg] of cases) await expect(chains.lookup(input), JSON.stringify(input)).rejects.toMatchObject({ message: expect.stringMatching(msg) });
    await expect(chains.addToken({ chainId: 31337, address: TOKEN, usdPegged: 'yes' })).rejects.toMatchObject({ message: /yes or no/ });

    // a built-in token (Ethereum USDC, read over the user's RPC for chain 1) is not added again
    const USDC_ETH = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';
    mainnet.tokens.set(USDC_ETH.toLowerCase(), { name: 'USD Coin', symbol: 'USDC', decimals: 6, version: '2' });
    await settings.update({ rpcUrls: { '1': RPC_MAINNET } });
    expect((await chains.lookup({ chainId: 1, address: USDC_ETH })).problem).toBe('USDC at this address is already a built-in token on Ethereum');
    // a token with a built-in token's symbol on another contract: a warning to read first
    const LOOKALIKE = '0x1111111111111111111111111111111111111111';
    mainnet.tokens.set(LOOKALIKE, { name: 'USD Coin', symbol: 'USDC', decimals: 6, version: '2' });
    expect((await chains.lookup({ chainId: 1, address: LOOKALIKE })).warnings).toEqual([
      `Ethereum already has a built-in USDC at ${USDC_ETH}: this is another contract with the same symbol. Add it only if you know why.`,
    ]);
    // a playground (local test) token at the address: one or the other
    await settings.update({ playgroundTokens: [{ chainId: 31337, address: TOKEN }] });
    expect((await chains.lookup({ chainId: 31337, address: TOKEN })).problem).toMatch(/already one of your local test tokens/);
    await settings.update({ playgroundTokens: [] });
    await addSeen(chains, { chainId: 31337, address: TOKEN });
    await expect(settings.update({ playgroundTokens: [{ chainId: 31337, address: TOKEN }] })).rejects.toMatchObject({ message: /already one of your custom tokens/ });

    // at most MAX_CUSTOM_TOKENS
    for (let i = 1; i < MAX_CUSTOM_TOKENS; i++) {
      const a = getAddress(`0x${(0xa000 + i).toString(16).padStart(40, '0')}`);
      anvil.tokens.set(a.toLowerCase(), { name: `Token ${i}`, symbol: `T${i}`, decimals: 18, version: '1' });
      await addSeen(chains, { chainId: 31337, address: a });
    }
    const extra = getAddress(`0x${(0xb000).toString(16).padStart(40, '0')}`);
    anvil.tokens.set(extra.toLowerCase(), { name: 'One more', symbol: 'MORE', decimals: 18, version: '1' });
    await expect(addSeen(chains, { chainId: 31337, address: extra })).rejects.toMatchObject({ message: `Too many custom tokens (at most ${MAX_CUSTOM_TOKENS}): remove one first.` });
    expect((await settings.get()).customTokens).toHaveLength(MAX_CUSTOM_TOKENS);
  });

  it('the registry trusts a custom token with its chain facts (usdPegged only when ticked; Permit2 only without EIP-3009)', async () => {
    const { settings, chains } = setup();
    await chains.addNetwork(anvilNet);
    const PERMIT_ONLY = '0x2222222222222222222222222222222222222222';
    anvil.tokens.set(PERMIT_ONLY, { name: 'Euro Token', symbol: 'EURT', decimals: 18, version: '1', eip3009: false });
    await addSeen(chains, { chainId: 31337, address: TOKEN, usdPegged: true });
    const plain = await chains.lookup({ chainId: 31337, address: PERMIT_ONLY });
    expect(plain.warnings).toEqual([expect.stringMatching(/no EIP-3009/)]);
    await addSeen(chains, { chainId: 31337, address: PERMIT_ONLY });
    const reg = await settings.registry();
    expect(reg.lookup('eip155:31337', TOKEN.toLowerCase())).toEqual({
      rail: 'evm',
      chainId: 31337,
      network: 'eip155:31337',
      address: TOKEN,
      symbol: 'USDC',
      decimals: 6,
      eip712: { name: 'USD Coin', version: '2' },
      usdPegged: true,
      networkLabel: 'Anvil',
      custom: true,
    });
    expect(reg.lookup('eip155:31337', PERMIT_ONLY)).toMatchObject({ symbol: 'EURT', decimals: 18, usdPegged: false, permit2Only: true, custom: true });
    expect(reg.lookup('eip155:1', TOKEN)).toBeUndefined(); // not across chains
    expect(reg.networkName('eip155:31337')).toBe('Anvil');
    // the custom token is a trusted asset everywhere: balances list it over the network's RPC
    const HOLDER = '0x41CAcd5819833aE857686f9C387d25B5C257B880';
    const b = new Balances({ settings, reader: new BalanceReader({ transport: () => anvil.transport() }) });
    await settings.update({ rpcUrls: { '8453': '', '84532': '', [SOLANA_DEVNET]: '', 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp': '', 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z': '' } });
    const list = await b.list(reg, { evm: HOLDER });
    expect(list.map((x) => [x.networkName, x.symbol])).toEqual([['Anvil', 'USDC'], ['Anvil', 'EURT']]);
  });

  it('privileged handlers: networks.list offers built-in and custom networks (test networks only when shown), tokens.* go through the checks', async () => {
    const { settings } = setup();
    const chains = new UserChains(settings, { transport: fakeNetwork({ [RPC]: anvil }), timeoutMs: 1_000 });
    const ledger = new Ledger();
    const h = createHandlers({
      custody: createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } }),
      ledger,
      policies: new PolicyStore(),
      approvals: new ApprovalQueue(),
      settings,
      chains,
      timeZone: () => 'UTC',
    });
    const sender = {} as never;
    const off = await h['networks.list'](undefined as never, sender);
    expect(off.some((n) => n.chainId === 84532)).toBe(false);
    expect(off.find((n) => n.chainId === 8453)).toEqual({ chainId: 8453, network: 'eip155:8453', name: 'Base', testnet: false, custom: false, hasRpc: true });
    expect(off.find((n) => n.chainId === 1)).toMatchObject({ hasRpc: false });
    await h['settings.update']({ showTestnets: true }, sender);
    expect((await h['networks.list'](undefined as never, sender)).find((n) => n.chainId === 84532)).toMatchObject({ name: 'Base Sepolia', testnet: true });
    const s = await h['networks.add']({ chainId: 31337, name: 'Anvil', rpcUrl: RPC, testnet: true }, sender);
    expect(s.customNetworks).toHaveLength(1);
    expect((await h['networks.list'](undefined as never, sender))[0]).toEqual({ chainId: 31337, network: 'eip155:31337', name: 'Anvil', testnet: true, custom: true, hasRpc: true });
    expect((await h['tokens.lookup']({ chainId: 31337, address: TOKEN }, sender)).domainMatches).toBe(true);
    const seen = seenOf(await h['tokens.lookup']({ chainId: 31337, address: TOKEN }, sender));
    await expect(h['tokens.add']({ chainId: 31337, address: TOKEN, usdPegged: true } as never, sender)).rejects.toMatchObject({ code: 'token-changed', message: /Look the token up first/ });
    expect((await h['tokens.add']({ chainId: 31337, address: TOKEN, usdPegged: true, seen }, sender)).customTokens[0]).toMatchObject({ usdPegged: true });
    await expect(h['settings.update']({ customTokens: [] } as never, sender)).rejects.toMatchObject({ code: 'invalid-settings' });
    // a payment in the token still waiting for the chain keeps it from being removed
    const { record } = await ledger.reserve({
      site: 'https://shop.example', requestOrigin: 'https://shop.example', resourceUrl: 'https://shop.example/a', network: 'eip155:31337',
      asset: { address: TOKEN.toLowerCase(), symbol: 'USDC', decimals: 6, usdPegged: true }, amount: 1n, payTo: PAY_TO, expiresAt: Date.now() + 60_000, auto: false,
      policyCheck: () => ({ action: 'pay' }),
    });
    await expect(h['tokens.remove']({ chainId: 31337, address: TOKEN }, sender)).rejects.toMatchObject({ message: /1 payment in this token is still waiting for the chain/ });
    await ledger.release(record!.id);
    expect((await h['tokens.remove']({ chainId: 31337, address: TOKEN }, sender)).customTokens).toEqual([]);
  });
});

describe('test networks hidden unless turned on', () => {
  it('every built-in test network is marked (names like Sepolia, Testnet, Fuji, Amoy, Apothem, devnet, TRON Shasta/Nile), and no main network is', () => {
    const looksTest = /sepolia|testnet|fuji|amoy|apothem|devnet|shasta|nile/i;
    const named = builtInEvmChains().map((c) => c.network);
    for (const n of [...named, ...defaultTrustedAssets().map((a) => a.network)]) {
      const name = evmNetworkName(n) ?? TRON_NAMES[n] ?? (n === SOLANA_DEVNET ? 'Solana Devnet' : n.startsWith('solana:') ? (n.startsWith('solana:4uhc') ? 'Solana Testnet' : 'Solana') : n);
      expect(TEST_NETWORKS.has(n), `${n} ${name}`).toBe(looksTest.test(name));
    }
  });

  it('an offer on a built-in test network is refused with the reason while they are off; user-added tokens are always allowed', () => {
    const LOCAL = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
    const offer = (network: string, asset: string, extra: Record<string, unknown> = { name: 'USDC', version: '2' }) => ({
      scheme: 'exact', network, amount: '1000', asset, payTo: PAY_TO, maxTimeoutSeconds: 60, extra,
    });
    const doc = {
      x402Version: 2,
      resource: { url: 'https://api.example/x' },
      accepts: [
        offer('eip155:84532', USDC_BASE_SEPOLIA), // built-in Base Sepolia USDC
        offer('eip155:84532', LOCAL, { name: 'USD Coin', version: '2' }), // a playground token on the same chain
        { ...offer(SOLANA_DEVNET, '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU', { feePayer: '2wKupLR9q6wXYppw8Gr2NvWxKBUqm4PPJKkQfoxHDBg4' }), payTo: 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB' }, // devnet USDC
        offer('eip155:8453', '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', { name: 'USD Coin', version: '2' }), // Base: a main network
      ],
    };
    const parsed = parsePaymentRequired({ status: 402, headers: { 'PAYMENT-REQUIRED': encodePaymentRequiredHeader(doc as never) } });
    if (!parsed.ok) throw new Error(parsed.error);
    const extras = [localPlaygroundAsset({ chainId: 84532, address: LOCAL })];
    const off = evaluateOptions(parsed.value, createRegistry(extras, { showTestnets: false }));
    expect(off.rejected).toEqual([
      { index: 0, code: 'testnets-off', reason: 'Test networks are turned off (Settings → Show test networks)' },
      { index: 2, code: 'testnets-off', reason: TESTNETS_OFF_REASON },
    ]);
    expect(off.payable.map((p) => p.index).sort()).toEqual([1, 3]);
    const on = evaluateOptions(parsed.value, createRegistry(extras, { showTestnets: true }));
    expect(on.rejected).toEqual([]);
    // a user-added network flagged as a test network is never hidden (the user added it)
    const reg = createRegistry([], { networks: [{ network: 'eip155:31337', name: 'Anvil', testnet: true }], showTestnets: false });
    expect(reg.isTestnet('eip155:31337')).toBe(true);
    expect(reg.isTestnet('base-sepolia')).toBe(true);
    expect(reg.isTestnet('eip155:8453')).toBe(false);
  });

  it('the setting defaults to off; balances, the wallet status and pickers hide built-in test networks until it is on', async () => {
    const { settings } = setup();
    expect((await settings.get()).showTestnets).toBe(false);
    const h = createHandlers({
      custody: createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } }),
      ledger: new Ledger(),
      policies: new PolicyStore(),
      approvals: new ApprovalQueue(),
      settings,
      timeZone: () => 'UTC',
    });
    const sender = {} as never;
    const names = async () => (await h['wallet.status'](undefined as never, sender)).networks;
    expect(await names()).toContain('Base');
    expect(await names()).not.toContain('Base Sepolia');
    expect(await names()).not.toContain('Solana Devnet');
    const down = fakeTokenNode(84532);
    down.down = true;
    const b = new Balances({ settings, reader: new BalanceReader({ transport: () => down.transport() }) });
    const HOLDER = '0x41CAcd5819833aE857686f9C387d25B5C257B880';
    expect((await b.list(await settings.registry(), { evm: HOLDER })).map((x) => x.networkName)).toEqual(['Base']);
    await settings.update({ showTestnets: true });
    expect(await names()).toContain('Base Sepolia');
    expect((await b.list(await settings.registry(), { evm: HOLDER })).map((x) => x.networkName)).toEqual(['Base', 'Base Sepolia']);
  });
});

describe('payments: an offer whose EIP-712 domain differs from a custom token’s on-chain facts is refused before signing', () => {
  it('mismatching extra.name / extra.version → no signature, no record; the matching offer signs (the check is not vacuous)', async () => {
    const { settings, chains } = setup();
    await chains.addNetwork(anvilNet);
    await addSeen(chains, { chainId: 31337, address: TOKEN, usdPegged: true });
    const custody = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await custody.importMnemonic(PHRASE, 'correct horse battery staple');
    const getSigner = vi.spyOn(custody, 'getSigner');
    const ledger = new Ledger();
    const policies = new PolicyStore();
    const site = 'https://shop.example';
    await policies.set({ site, mode: 'auto', paused: false, caps: { day: { unit: 'usd', amount: 5_000_000n } }, createdAt: 1, updatedAt: 1 });
    const approvals = new ApprovalQueue();
    const request = vi.spyOn(approvals, 'request');
    const payments = new PaymentService({ custody, ledger, policies, approvals, settings, timeZone: () => 'UTC', watch: () => undefined });
    const header = (extra: Record<string, unknown>) =>
      encodePaymentRequiredHeader({
        x402Version: 2,
        resource: { url: `${site}/api` },
        accepts: [{ scheme: 'exact', network: 'eip155:31337', amount: '10000', asset: TOKEN, payTo: PAY_TO, maxTimeoutSeconds: 60, extra }],
      } as never);
    const pay = (extra: Record<string, unknown>) =>
      payments.pay({ kind: 'request', site, url: `${site}/api`, method: 'GET', sources: { header: header(extra) } });

    for (const extra of [{ name: 'Fake USD', version: '2' }, { name: 'USD Coin', version: '1' }]) {
      const out = await pay(extra);
      expect(out).toEqual({
        action: 'pass',
        code: 'no-payable-option',
        reason: `No payable option: EIP-712 domain ${JSON.stringify(extra.name)}/${JSON.stringify(extra.version)} does not match the trusted "USD Coin"/"2"`,
      });
    }
    expect(getSigner).not.toHaveBeenCalled();
    expect(request).not.toHaveBeenCalled();
    expect(await ledger.list({ limit: 10 })).toEqual([]);

    const ok = await pay({ name: 'USD Coin', version: '2' });
    expect(ok).toMatchObject({ action: 'retry', headerName: 'PAYMENT-SIGNATURE' });
    expect(getSigner).toHaveBeenCalledTimes(1);
    expect(await ledger.list({ limit: 10 })).toMatchObject([{ status: 'signed', network: 'eip155:31337', asset: { symbol: 'USDC', usdPegged: true } }]);
  });
});

describe('a stored token that later conflicts with the built-in table', () => {
  it('is left out of the registry instead of breaking every payment; the built-in entry wins', async () => {
    const BASE_USDC = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913';
    // as if saved before a wallet update made it built-in (the save-time check would refuse it now)
    await fakeBrowser.storage.local.set({
      settings: {
        notifications: true, allowedSites: [], rpcUrls: {},
        playgroundTokens: [{ chainId: 31337, address: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }],
        customTokens: [{ chainId: 8453, address: BASE_USDC, name: 'USD Coin', symbol: 'USDC', decimals: 6, eip712: { name: 'USD Coin', version: '2' }, domainSeparator: `0x${'00'.repeat(32)}`, eip3009: true, usdPegged: false, addedAt: 1 }],
      },
    });
    const stored = userAssets(await new Settings().get());
    expect(() => createRegistry(stored)).toThrow(/conflicting/);
    const reg = await new Settings().registry();
    const base = reg.lookup('eip155:8453', BASE_USDC);
    expect(base).toMatchObject({ usdPegged: true });
    expect((base as { custom?: boolean }).custom).not.toBe(true);
    expect(reg.lookup('eip155:31337', '0x5FbDB2315678afecb367f032d93F642f64180aa3')).toBeDefined(); // the others still work
  });
});
