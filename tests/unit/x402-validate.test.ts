import { describe, expect, it } from 'vitest';
import { encodePaymentRequiredHeader } from '@x402/core/http';
import { DEFAULT_ASSETS } from '@x402/evm';
import { createRegistry, defaultTrustedAssets, localPlaygroundAsset, RegistryError, toCaip2 } from '../../lib/x402/registry.ts';
import { parsePaymentRequired } from '../../lib/x402/parse.ts';
import { evaluateOptions, parseAtomicAmount, MAX_UINT256 } from '../../lib/x402/validate.ts';
import type { PaymentRequiredNormalized } from '../../lib/x402/types.ts';
import type { EvmAsset } from '../../lib/rails/types.ts';
import { PAY_TO, USDC_BASE, v2Option } from './x402-fixtures';

const USDC_BASE_SEPOLIA = '0x036CbD53842c5426634e7929541eC2318f3dCF7e';
const MEGA_USD = '0xFAfDdbb3FC7688494971a79cc65DCa3EF82079E7'; // permit2-only, 18 decimals
const LOCAL_USDC = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

const opt = v2Option;

function v2(accepts: unknown[]): PaymentRequiredNormalized {
  const doc = { x402Version: 2, resource: { url: 'https://api.example/x' }, accepts };
  const r = parsePaymentRequired({ status: 402, headers: { 'PAYMENT-REQUIRED': encodePaymentRequiredHeader(doc as never) } });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function v1(accepts: Record<string, unknown>[]): PaymentRequiredNormalized {
  const full = accepts.map((a) => ({ resource: 'https://api.example/v1', description: '', ...a }));
  const r = parsePaymentRequired({ status: 402, headers: {}, bodyText: JSON.stringify({ x402Version: 1, accepts: full }) });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const registry = createRegistry([localPlaygroundAsset({ chainId: 31337, address: LOCAL_USDC })]);
const evmLookup = (n: string, a: string) => registry.lookup(n, a) as EvmAsset | undefined;

describe('registry', () => {
  it('is seeded from @x402/evm DEFAULT_ASSETS, with permit2-only tokens marked', () => {
    const all = defaultTrustedAssets().filter((a) => a.rail === 'evm');
    const count = Object.values(DEFAULT_ASSETS).reduce((n, list) => n + list.length, 0);
    expect(all).toHaveLength(count);
    const base = evmLookup('eip155:8453', USDC_BASE.toLowerCase());
    expect(base).toMatchObject({ chainId: 8453, symbol: 'USDC', decimals: 6, eip712: { name: 'USD Coin', version: '2' }, usdPegged: true });
    expect(base?.permit2Only).toBeUndefined();
    expect(evmLookup('eip155:84532', USDC_BASE_SEPOLIA)?.eip712).toEqual({ name: 'USDC', version: '2' });
    expect(registry.lookup('eip155:4326', MEGA_USD)).toMatchObject({ permit2Only: true, decimals: 18 });
  });

  it('looks up by v1 name or CAIP-2, case-insensitively, and not across chains', () => {
    expect(registry.lookup('base', USDC_BASE.toUpperCase().replace('0X', '0x'))?.network).toBe('eip155:8453');
    expect(registry.lookup('eip155:84532', USDC_BASE)).toBeUndefined();
    expect(evmLookup('base-sepolia', USDC_BASE_SEPOLIA)?.chainId).toBe(84532);
    expect(registry.lookup('nonsense', USDC_BASE)).toBeUndefined();
  });

  it('maps every v1 name from x402-notes §7', () => {
    const table: Record<string, number> = {
      base: 8453, 'base-sepolia': 84532, ethereum: 1, sepolia: 11155111, avalanche: 43114, 'avalanche-fuji': 43113,
      polygon: 137, 'polygon-amoy': 80002, sei: 1329, 'sei-testnet': 1328, iotex: 4689, abstract: 2741,
      'abstract-testnet': 11124, peaq: 3338, story: 1514, educhain: 41923, 'skale-base-sepolia': 324705682,
      megaeth: 4326, monad: 143, stable: 988, 'stable-testnet': 2201, celo: 42220, flare: 14,
    };
    for (const [name, id] of Object.entries(table)) expect(toCaip2(name)).toBe(`eip155:${id}`);
    expect(toCaip2('solana')).toBe('solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp');
    expect(toCaip2('solana-devnet')).toBe('solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1');
    expect(toCaip2('solana-testnet')).toBe('solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z');
    expect(toCaip2('eip155:01')).toBeUndefined();
  });

  it('adds local playground assets at runtime and names networks for display', () => {
    expect(registry.lookup('eip155:31337', LOCAL_USDC.toLowerCase())).toMatchObject({
      symbol: 'USDC', decimals: 6, eip712: { name: 'USD Coin', version: '2' }, usdPegged: true,
    });
    expect(createRegistry().lookup('eip155:31337', LOCAL_USDC)).toBeUndefined();
    expect(registry.networkName('eip155:8453')).toBe('Base');
    expect(registry.networkName('base-sepolia')).toBe('Base Sepolia');
    expect(registry.networkName('eip155:31337')).toBe('Local chain 31337');
    expect(registry.networkName('eip155:4689')).toBe('iotex');
    expect(registry.networkName('eip155:999999')).toBe('eip155:999999');
  });

  it('refuses malformed extra assets and conflicting redefinitions', () => {
    expect(() => localPlaygroundAsset({ chainId: 31337, address: '0x1234' })).toThrow(RegistryError);
    expect(() => localPlaygroundAsset({ chainId: 31337, address: LOCAL_USDC, network: 'eip155:1' })).toThrow(RegistryError);
    expect(() => localPlaygroundAsset({ chainId: 0, address: LOCAL_USDC })).toThrow(RegistryError);
    // Same address as Base USDC but different decimals: refused.
    expect(() =>
      createRegistry([{ ...localPlaygroundAsset({ chainId: 8453, address: USDC_BASE }), networkLabel: undefined, decimals: 18 }]),
    ).toThrow(/conflicting/);
  });
});

describe('parseAtomicAmount', () => {
  it.each([
    ['1', 1n], ['10000', 10000n], ['0', 0n], [MAX_UINT256.toString(), MAX_UINT256],
  ])('accepts %s', (s, n) => expect(parseAtomicAmount(s)).toBe(n));
  it.each(
    ['', '+1', '-1', '1.0', '1e6', '0x10', ' 1', '1 ', '01', '１', (MAX_UINT256 + 1n).toString(), 1, 1n, null].map((v) => [
      `${typeof v}:${String(v)}`,
      v,
    ]),
  )('rejects %s', (_label, v) => expect(parseAtomicAmount(v)).toBeUndefined());
});

describe('evaluateOptions — rejections', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a scheme no rail signs (deferred)', { scheme: 'deferred' }, 'unsupported-scheme'],
    // upto without its facilitator (the full table is in evm-upto.test.ts)
    ['upto without extra.facilitatorAddress', { scheme: 'upto' }, 'invalid-facilitator'],
    ['unknown network', { network: 'eip155:999999' }, 'untrusted-asset'],
    // Solana is a rail now: an EVM token address is not a trusted mint there
    ['solana network with an EVM asset', { network: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp' }, 'untrusted-asset'],
    ['unknown namespace', { network: 'cosmos:cosmoshub-4' }, 'unsupported-network'],
    ['asset on the wrong chain', { network: 'eip155:84532' }, 'untrusted-asset'],
    ['unknown asset', { asset: '0x1111111111111111111111111111111111111111' }, 'untrusted-asset'],
    ['asset not an address', { asset: 'USDC' }, 'untrusted-asset'],
    ['decimal amount', { amount: '0.01' }, 'invalid-amount'],
    ['exponent amount', { amount: '1e4' }, 'invalid-amount'],
    ['signed amount', { amount: '+10000' }, 'invalid-amount'],
    ['negative amount', { amount: '-1' }, 'invalid-amount'],
    ['leading zero', { amount: '010000' }, 'invalid-amount'],
    ['amount > 2^256-1', { amount: (MAX_UINT256 + 1n).toString() }, 'invalid-amount'],
    ['zero amount', { amount: '0' }, 'zero-amount'],
    ['payTo not hex', { payTo: '0xZZ9693Bc6afc0C5328bA36FaF03C514EF312287C' }, 'invalid-pay-to'],
    ['payTo too short', { payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF31228' }, 'invalid-pay-to'],
    ['payTo bad checksum', { payTo: '0x209693bc6afc0C5328bA36FaF03C514EF312287C' }, 'invalid-pay-to'],
    ['payTo zero', { payTo: '0x0000000000000000000000000000000000000000' }, 'zero-pay-to'],
    ['timeout below minimum', { maxTimeoutSeconds: 9 }, 'timeout-too-short'],
    ['fractional timeout', { maxTimeoutSeconds: 30.5 }, 'invalid-timeout'],
    ['missing EIP-712 name', { extra: { version: '2' } }, 'domain-missing'],
    ['no extra at all', { extra: undefined }, 'domain-missing'],
    ['server-claimed name differs', { extra: { name: 'USDC', version: '2' } }, 'domain-mismatch'],
    ['server-claimed version differs', { extra: { name: 'USD Coin', version: '1' } }, 'domain-mismatch'],
    ['unknown transfer method', { extra: { name: 'USD Coin', version: '2', assetTransferMethod: 'magic' } }, 'unsupported-transfer-method'],
    ['permit2-only token via EIP-3009', { network: 'eip155:4326', asset: MEGA_USD, extra: { name: 'MegaUSD', version: '1' } }, 'permit2-required'],
  ])('%s', (_name, over, code) => {
    const { payable, rejected } = evaluateOptions(v2([opt(over)]), registry);
    expect(payable).toEqual([]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ index: 0, code });
    expect(rejected[0]!.reason.length).toBeGreaterThan(5);
  });

  it('v1: rejects CAIP-2 networks, Permit2 and unknown names', () => {
    const base = { scheme: 'exact', network: 'base', maxAmountRequired: '10000', asset: USDC_BASE, payTo: PAY_TO, maxTimeoutSeconds: 60, extra: { name: 'USD Coin', version: '2' } };
    const { payable, rejected } = evaluateOptions(
      v1([
        { ...base, network: 'eip155:8453' },
        { ...base, extra: { ...base.extra, assetTransferMethod: 'permit2' } },
        { ...base, network: 'basement' },
        base,
      ]),
      registry,
    );
    expect(rejected.map((r) => [r.index, r.code])).toEqual([
      [0, 'unsupported-network'],
      [1, 'unsupported-transfer-method'],
      [2, 'unsupported-network'],
    ]);
    expect(payable).toHaveLength(1);
    expect(payable[0]).toMatchObject({ index: 3, network: 'eip155:8453', wireNetwork: 'base', amount: 10000n, transferMethod: 'eip3009' });
  });
});

describe('evaluateOptions — accepted options', () => {
  it('normalizes, keeps the raw option, checksums payTo and clamps the timeout', () => {
    const raw = opt({ payTo: PAY_TO.toLowerCase(), maxTimeoutSeconds: 86_400 });
    const pr = v2([raw]);
    const { payable, rejected } = evaluateOptions(pr, registry);
    expect(rejected).toEqual([]);
    const p = payable[0]!;
    expect(p).toMatchObject({
      index: 0, scheme: 'exact', network: 'eip155:8453', wireNetwork: 'eip155:8453', amount: 10000n,
      payTo: PAY_TO, maxTimeoutSeconds: 600, requestedTimeoutSeconds: 86_400, transferMethod: 'eip3009',
    });
    expect(p.asset.symbol).toBe('USDC');
    expect(p.raw).toBe(pr.accepts[0]);
    expect((p.raw as { payTo: string }).payTo).toBe(PAY_TO.toLowerCase());
  });

  it('honours custom min/max timeouts', () => {
    const pr = v2([opt({ maxTimeoutSeconds: 30 }), opt({ maxTimeoutSeconds: 5 })]);
    const r = evaluateOptions(pr, registry, { minTimeoutSeconds: 5, maxTimeoutSeconds: 20 });
    expect(r.payable.map((p) => p.maxTimeoutSeconds)).toEqual([20, 5]);
    expect(() => evaluateOptions(pr, registry, { minTimeoutSeconds: 30, maxTimeoutSeconds: 20 })).toThrow(RangeError);
  });

  it('accepts Permit2 options (explicit method; EIP-712 name/version not required)', () => {
    const { payable } = evaluateOptions(
      v2([opt({ network: 'eip155:4326', asset: MEGA_USD, amount: '10000000000000000', extra: { assetTransferMethod: 'permit2' } })]),
      registry,
    );
    expect(payable[0]).toMatchObject({ transferMethod: 'permit2', amount: 10n ** 16n });
  });

  it('sorts USD-pegged options cheapest first across decimals, stable on ties; rejects do not break order', () => {
    const pr = v2([
      opt({ amount: '50000' }), // $0.05 (6 dp)
      opt({ scheme: 'upto' }), // rejected
      opt({ network: 'eip155:4326', asset: MEGA_USD, amount: '20000000000000000', extra: { assetTransferMethod: 'permit2' } }), // $0.02 (18 dp)
      opt({ network: 'eip155:31337', asset: LOCAL_USDC, amount: '20000' }), // $0.02 (6 dp), tie → index order
      opt({ amount: '10000' }), // $0.01
    ]);
    const { payable, rejected } = evaluateOptions(pr, registry);
    expect(payable.map((p) => p.index)).toEqual([4, 2, 3, 0]);
    expect(rejected.map((r) => r.index)).toEqual([1]);
  });

  it('keeps non-USD-pegged assets after pegged ones, in server order', () => {
    const xyz = { ...localPlaygroundAsset({ chainId: 31338, address: LOCAL_USDC }), symbol: 'XYZ', usdPegged: false };
    const reg = createRegistry([xyz]);
    const pr = v2([
      opt({ network: 'eip155:31338', asset: LOCAL_USDC, amount: '5' }),
      opt({ amount: '900000' }),
      opt({ network: 'eip155:31338', asset: LOCAL_USDC, amount: '1' }),
    ]);
    expect(evaluateOptions(pr, reg).payable.map((p) => p.index)).toEqual([1, 0, 2]);
  });
});
