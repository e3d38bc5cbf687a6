/**
 * A token's facts read from the chain and the EIP-712 domain check (lib/rails/evm/token-facts.ts):
 * viem's domain separator against two independent references (Ethereum mainnet USDC's
 * DOMAIN_SEPARATOR, and what Circle's FiatTokenV2_2 returns on anvil for the fixture's address),
 * matching and mismatching domains, EIP-5267, and reads over a stub node with the real ABI.
 */
import { describe, expect, it } from 'vitest';
import {
  ChainReadError,
  checkEvmDomain,
  evmDomainSeparator,
  readEvmChainId,
  readEvmTokenFacts,
  tokenTextProblem,
  type EvmTokenFacts,
} from '../../lib/rails/evm/token-facts';
import { fakeTokenNode } from './fake-token-rpc';

const LOCAL_USDC = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' as const;
const MAINNET_USDC = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48' as const;
/** DOMAIN_SEPARATOR() of FiatTokenV2_2 at LOCAL_USDC on anvil chain 31337 ("USD Coin", "2"), read from the real contract */
const ANVIL_USDC_SEPARATOR = '0x3cf85b676d48f560beac0642d15963ee72ebf230a65863eeeedf2a2ccf5c8ae3';
/** DOMAIN_SEPARATOR() of USDC on Ethereum mainnet */
const MAINNET_USDC_SEPARATOR = '0x06c37168a7db5138defc7866392bb87a741f9b3d104deb5094588ce041cae335';

const usdcFacts = (over: Partial<EvmTokenFacts> = {}): EvmTokenFacts => ({
  chainId: 31337,
  address: LOCAL_USDC,
  name: 'USD Coin',
  symbol: 'USDC',
  decimals: 6,
  version: '2',
  domainSeparator: ANVIL_USDC_SEPARATOR,
  eip3009: true,
  ...over,
});

describe('EIP-712 domain separator (viem) against independent references', () => {
  it('equals what the real contracts return', () => {
    expect(evmDomainSeparator({ name: 'USD Coin', version: '2', chainId: 1, verifyingContract: MAINNET_USDC })).toBe(MAINNET_USDC_SEPARATOR);
    expect(evmDomainSeparator({ name: 'USD Coin', version: '2', chainId: 31337, verifyingContract: LOCAL_USDC })).toBe(ANVIL_USDC_SEPARATOR);
  });
});

describe('checkEvmDomain', () => {
  it('matching: name() + version() hash to DOMAIN_SEPARATOR()', () => {
    expect(checkEvmDomain(usdcFacts())).toEqual({ ok: true, eip712: { name: 'USD Coin', version: '2' }, source: 'version', computed: ANVIL_USDC_SEPARATOR });
  });

  it('mismatching: another name, version, chain or address than the separator was made for is refused with the reason', () => {
    for (const over of [{ name: 'Fake Coin' }, { version: '1' }, { chainId: 84532 }, { address: MAINNET_USDC }] as Partial<EvmTokenFacts>[]) {
      const r = checkEvmDomain(usdcFacts(over));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.computed).not.toBe(ANVIL_USDC_SEPARATOR);
    }
    const r = checkEvmDomain(usdcFacts({ name: 'Fake Coin' }));
    expect(r).toMatchObject({
      ok: false,
      reason: `the contract's DOMAIN_SEPARATOR does not match name "Fake Coin" / version "2" — it cannot be paid with EIP-3009 signatures safely`,
    });
  });

  it('no DOMAIN_SEPARATOR(), or neither version() nor eip712Domain(): refused (the domain cannot be checked)', () => {
    expect(checkEvmDomain(usdcFacts({ domainSeparator: undefined }))).toMatchObject({ ok: false, reason: expect.stringMatching(/no DOMAIN_SEPARATOR\(\)/) });
    expect(checkEvmDomain(usdcFacts({ version: undefined }))).toMatchObject({ ok: false, reason: expect.stringMatching(/neither version\(\) nor eip712Domain\(\)/) });
  });

  it('EIP-5267: its name/version are used (they may differ from name()); it must describe exactly this token, with no salt', () => {
    const domain = { fields: 0x0f, name: 'USD Coin', version: '2', chainId: 31337n, verifyingContract: LOCAL_USDC, salt: `0x${'00'.repeat(32)}` as const, extensions: [] };
    // ERC-20 name() differs from the EIP-712 name: fine, the domain is what is signed
    expect(checkEvmDomain(usdcFacts({ name: 'USDC (bridged)', version: undefined, eip712Domain: domain }))).toMatchObject({
      ok: true,
      source: 'eip712Domain',
      eip712: { name: 'USD Coin', version: '2' },
    });
    expect(checkEvmDomain(usdcFacts({ eip712Domain: { ...domain, fields: 0x1f } }))).toMatchObject({ ok: false, reason: expect.stringMatching(/uses a salt/) });
    expect(checkEvmDomain(usdcFacts({ eip712Domain: { ...domain, chainId: 1n } }))).toMatchObject({ ok: false, reason: expect.stringMatching(/names chain 1/) });
    expect(checkEvmDomain(usdcFacts({ eip712Domain: { ...domain, name: 'Other' } }))).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match name "Other"/) });
  });

  it('text the wallet would show as trusted: no control or invisible characters, bounded lengths, sane decimals', () => {
    expect(tokenTextProblem(usdcFacts())).toBeUndefined();
    expect(tokenTextProblem(usdcFacts({ symbol: 'US\u200bDC' }))).toMatch(/invisible/);
    expect(tokenTextProblem(usdcFacts({ name: 'USD\u202eCoin' }))).toMatch(/control/);
    expect(tokenTextProblem(usdcFacts({ symbol: ' USDC' }))).toMatch(/space/);
    expect(tokenTextProblem(usdcFacts({ symbol: 'X'.repeat(17) }))).toMatch(/longer than 16/);
    expect(tokenTextProblem(usdcFacts({ decimals: 77 }))).toMatch(/decimals/);
  });
});

describe('readEvmTokenFacts over an RPC', () => {
  const opts = (node: ReturnType<typeof fakeTokenNode>) => ({ transport: () => node.transport(), timeoutMs: 1_000 });

  it('reads name, symbol, decimals, version, DOMAIN_SEPARATOR and EIP-3009 support; absent functions are absent, not errors', async () => {
    const node = fakeTokenNode(31337, { [LOCAL_USDC]: { name: 'USD Coin', symbol: 'USDC', decimals: 6, version: '2' } });
    const f = await readEvmTokenFacts({ rpcUrl: 'http://rpc/', chainId: 31337, address: LOCAL_USDC.toLowerCase() }, opts(node));
    expect(f).toEqual(usdcFacts());
    expect(checkEvmDomain(f).ok).toBe(true);

    const bare = fakeTokenNode(31337, { [LOCAL_USDC]: { name: 'Plain', symbol: 'PLN', decimals: 18, domainSeparator: null, eip3009: false } });
    const g = await readEvmTokenFacts({ rpcUrl: 'http://rpc/', chainId: 31337, address: LOCAL_USDC }, opts(bare));
    expect(g).toEqual({ chainId: 31337, address: LOCAL_USDC, name: 'Plain', symbol: 'PLN', decimals: 18, eip3009: false });
  });

  it('another chain behind the RPC, no contract, an unreachable node: a clear reason', async () => {
    const other = fakeTokenNode(1, { [LOCAL_USDC]: { name: 'USD Coin', symbol: 'USDC', decimals: 6, version: '2' } });
    await expect(readEvmTokenFacts({ rpcUrl: 'http://rpc/', chainId: 31337, address: LOCAL_USDC }, opts(other))).rejects.toThrow(
      new ChainReadError('The RPC at http://rpc/ is chain 1, not 31337.'),
    );
    const empty = fakeTokenNode(31337);
    await expect(readEvmTokenFacts({ rpcUrl: 'http://rpc/', chainId: 31337, address: LOCAL_USDC }, opts(empty))).rejects.toThrow(
      /There is no contract at 0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0 on chain 31337/,
    );
    const down = fakeTokenNode(31337);
    down.down = true;
    await expect(readEvmTokenFacts({ rpcUrl: 'http://rpc/', chainId: 31337, address: LOCAL_USDC }, opts(down))).rejects.toThrow(/Could not reach the RPC at http:\/\/rpc\//);
    await expect(readEvmChainId('http://rpc/', opts(down))).rejects.toThrow(/Could not ask the RPC at http:\/\/rpc\/ for its chain id/);
    expect(await readEvmChainId('http://rpc/', opts(other))).toBe(1);
  });
});
