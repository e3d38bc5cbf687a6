/**
 * Servers that don't follow the spec (lib/x402/nonstandard.ts): every validation rule with the
 * bad inputs it refuses, the trusted-token choice for a direct transfer, the routing of one 402
 * and the explanation of a 402 the wallet cannot pay.
 */
import { describe, expect, it } from 'vitest';
import { createRegistry, localPlaygroundAsset } from '../../lib/x402/registry.ts';
import { parsePaymentRequired } from '../../lib/x402/parse.ts';
import {
  bodyV2Document,
  describeUnpayable,
  parseSimpleHeaders,
  pickHeaders,
  resolveSimpleOffer,
  route402,
  simpleChainId,
  type SimpleHeaders402,
} from '../../lib/x402/nonstandard.ts';
import type { EvmAsset } from '../../lib/rails/types.ts';

const MERCHANT = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720';
const LOCAL_USDC = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const good = { 'x-payment-address': MERCHANT, 'x-payment-amount': '0.99', 'x-payment-currency': 'USDC', 'x-payment-chain': 'base' };

describe('pickHeaders', () => {
  it('keeps only the headers of interest, lower-cased; a repeated header with another value is ambiguous (null)', () => {
    const h = pickHeaders([
      { name: 'X-Payment-Amount', value: '0.25' },
      { name: 'x-payment-amount', value: '25' },
      { name: 'X-Payment-Chain', value: 'base' },
      { name: 'X-Payment-Chain', value: 'base' },
      { name: 'Set-Cookie', value: 'secret=1' },
    ]);
    expect(h).toEqual({ 'x-payment-amount': null, 'x-payment-chain': 'base' });
  });
});

describe('parseSimpleHeaders', () => {
  it('accepts the seed article’s 402 (dollars → micro-dollars, v1 chain name → CAIP-2)', () => {
    const r = parseSimpleHeaders(good);
    expect(r).toEqual({
      ok: true,
      value: { payTo: MERCHANT, amountUsd: '0.99', amountMicroUsd: 990_000n, currency: 'USDC', network: 'eip155:8453', chainId: 8453, chainName: 'base' },
    });
    expect(parseSimpleHeaders({ ...good, 'x-payment-amount': '$1.5', 'x-payment-chain': 'eip155:31337' })).toMatchObject({ ok: true, value: { amountMicroUsd: 1_500_000n, network: 'eip155:31337' } });
    expect(parseSimpleHeaders({ ...good, 'x-payment-address': MERCHANT.toLowerCase() })).toMatchObject({ ok: true, value: { payTo: MERCHANT } });
  });

  const bad: [string, Record<string, string | null>, string][] = [
    ['no address header', { ...good, 'x-payment-address': undefined as never }, 'simple-missing'],
    ['no amount header', Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'x-payment-amount')), 'simple-missing'],
    ['no chain header', Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'x-payment-chain')), 'simple-missing'],
    ['no currency header', Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'x-payment-currency')), 'simple-missing'],
    ['amount sent twice, different values', { ...good, 'x-payment-amount': null }, 'simple-ambiguous'],
    ['oversized header', { ...good, 'x-payment-currency': 'U'.repeat(513) }, 'simple-too-long'],
    ['short address', { ...good, 'x-payment-address': '0x1234' }, 'simple-bad-address'],
    ['not hex', { ...good, 'x-payment-address': 'merchant.eth' }, 'simple-bad-address'],
    ['Solana address', { ...good, 'x-payment-address': '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin' }, 'simple-bad-address'],
    ['wrong checksum', { ...good, 'x-payment-address': MERCHANT.replace('a0Ee', 'A0eE') }, 'simple-bad-checksum'],
    ['zero address', { ...good, 'x-payment-address': '0x0000000000000000000000000000000000000000' }, 'simple-zero-address'],
    ['negative amount', { ...good, 'x-payment-amount': '-1' }, 'simple-bad-amount'],
    ['exponent', { ...good, 'x-payment-amount': '1e3' }, 'simple-bad-amount'],
    ['seven decimals', { ...good, 'x-payment-amount': '0.0000001' }, 'simple-bad-amount'],
    ['comma decimal', { ...good, 'x-payment-amount': '0,99' }, 'simple-bad-amount'],
    ['leading zeros', { ...good, 'x-payment-amount': '0099' }, 'simple-bad-amount'],
    ['over a billion dollars', { ...good, 'x-payment-amount': '1000000000' }, 'simple-bad-amount'],
    ['two values merged', { ...good, 'x-payment-amount': '0.25, 25' }, 'simple-bad-amount'],
    ['empty amount', { ...good, 'x-payment-amount': '' }, 'simple-bad-amount'],
    ['zero dollars', { ...good, 'x-payment-amount': '0.00' }, 'simple-zero-amount'],
    ['currency with spaces', { ...good, 'x-payment-currency': 'US DC' }, 'simple-bad-currency'],
    ['currency as an address', { ...good, 'x-payment-currency': LOCAL_USDC }, 'simple-bad-currency'],
    ['unknown chain name', { ...good, 'x-payment-chain': 'basechain' }, 'simple-unknown-chain'],
    ['Solana chain', { ...good, 'x-payment-chain': 'solana' }, 'simple-unknown-chain'],
    ['chain id zero', { ...good, 'x-payment-chain': '0' }, 'simple-unknown-chain'],
    ['CAIP-2 of another namespace', { ...good, 'x-payment-chain': 'tron:mainnet' }, 'simple-unknown-chain'],
  ];
  it.each(bad)('refuses %s', (_name, headers, code) => {
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined));
    const r = parseSimpleHeaders(clean);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it('chain names: v1 names, CAIP-2 and plain chain ids', () => {
    expect(simpleChainId('base-sepolia')).toBe(84532);
    expect(simpleChainId('Base')).toBe(8453);
    expect(simpleChainId('eip155:137')).toBe(137);
    expect(simpleChainId('31337')).toBe(31337);
    expect(simpleChainId('eip155:01')).toBeUndefined();
    expect(simpleChainId('99999999999999999')).toBeUndefined();
    expect(simpleChainId('__proto__')).toBeUndefined();
  });
});

describe('resolveSimpleOffer (the trusted token, never the server’s)', () => {
  const offer = (over: Partial<Record<string, string>>): SimpleHeaders402 => {
    const r = parseSimpleHeaders({ ...good, ...over });
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };
  const local = localPlaygroundAsset({ chainId: 31337, address: LOCAL_USDC });

  it('Base USDC for "USDC on base": built-in address, dollars → 6-decimal atomic units', () => {
    const r = resolveSimpleOffer(offer({}), createRegistry());
    expect(r).toMatchObject({ ok: true, value: { amount: 990_000n, payTo: MERCHANT, network: 'eip155:8453', asset: { address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', symbol: 'USDC' } } });
  });

  it('a user-added token is used only when no built-in one matches; the symbol is case-insensitive', () => {
    const reg = createRegistry([local, localPlaygroundAsset({ chainId: 84532, address: LOCAL_USDC })]);
    expect(resolveSimpleOffer(offer({ 'x-payment-chain': 'eip155:31337', 'x-payment-currency': 'usdc' }), reg)).toMatchObject({ ok: true, value: { asset: { address: LOCAL_USDC } } });
    // Base Sepolia has a built-in USDC: the playground token of the same symbol is not taken
    expect(resolveSimpleOffer(offer({ 'x-payment-chain': 'base-sepolia' }), reg)).toMatchObject({ ok: true, value: { asset: { address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' } } });
  });

  const weth: EvmAsset = { rail: 'evm', chainId: 31337, network: 'eip155:31337', address: '0x1111111111111111111111111111111111111111', symbol: 'WETH', decimals: 18, eip712: { name: 'WETH', version: '1' }, usdPegged: false, custom: true };
  const twoDecimals: EvmAsset = { ...weth, address: '0x2222222222222222222222222222222222222222', symbol: 'CENT', decimals: 2, usdPegged: true };
  const bad: [string, SimpleHeaders402, ReturnType<typeof createRegistry>, string][] = [
    ['a currency the wallet has no token for', offer({ 'x-payment-currency': 'DOGE' }), createRegistry(), 'simple-unknown-token'],
    ['a chain where the wallet has no such token', offer({ 'x-payment-chain': '31337' }), createRegistry(), 'simple-unknown-token'],
    ['two user tokens of that symbol on that chain', offer({ 'x-payment-chain': '31337' }), createRegistry([local, localPlaygroundAsset({ chainId: 31337, address: '0x3333333333333333333333333333333333333333' })]), 'simple-ambiguous-token'],
    ['a token that does not count as dollars', offer({ 'x-payment-chain': '31337', 'x-payment-currency': 'WETH' }), createRegistry([weth]), 'simple-not-dollars'],
    ['the token contract as payee', offer({ 'x-payment-chain': '31337', 'x-payment-address': LOCAL_USDC }), createRegistry([local]), 'simple-payto-token'],
    ['more decimals than the token has', offer({ 'x-payment-chain': '31337', 'x-payment-currency': 'CENT', 'x-payment-amount': '0.001' }), createRegistry([twoDecimals]), 'simple-bad-amount'],
    ['a built-in test network while test networks are hidden', offer({ 'x-payment-chain': 'base-sepolia' }), createRegistry([], { showTestnets: false }), 'testnets-off'],
  ];
  it.each(bad)('refuses %s', (_n, s, reg, code) => {
    const r = resolveSimpleOffer(s, reg);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it('two-decimal dollar token: $1.25 → 125 atomic units', () => {
    expect(resolveSimpleOffer(offer({ 'x-payment-chain': '31337', 'x-payment-currency': 'CENT', 'x-payment-amount': '1.25' }), createRegistry([twoDecimals]))).toMatchObject({ ok: true, value: { amount: 125n } });
  });
});

describe('v2 in the body (AgentMetal style)', () => {
  const accepts = [{ scheme: 'exact', network: 'eip155:8453', asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', amount: '1200000', payTo: MERCHANT, maxTimeoutSeconds: 120, extra: { name: 'USD Coin', version: '2' } }];
  const url = 'https://api.agentmetal.example/v1/servers';

  it('no resource: the requested URL is filled in, and the strict parser accepts it', () => {
    const r = bodyV2Document(JSON.stringify({ x402Version: 2, accepts }), url);
    expect(r?.ok).toBe(true);
    const parsed = parsePaymentRequired({ status: 402, headers: {}, bodyText: r!.ok ? r!.value : '' }, { allowV2Body: true });
    expect(parsed).toMatchObject({ ok: true, value: { version: 2, resource: { url } } });
  });
  it('a resource on the same origin is kept verbatim', () => {
    const body = JSON.stringify({ x402Version: 2, resource: { url: 'https://api.agentmetal.example/v1/other' }, accepts });
    expect(bodyV2Document(body, url)).toEqual({ ok: true, value: body });
  });
  const bad: [string, string, string][] = [
    ['a resource on another origin', JSON.stringify({ x402Version: 2, resource: { url: 'https://evil.example/x' }, accepts }), 'body-v2-resource-mismatch'],
    ['a resource on another port', JSON.stringify({ x402Version: 2, resource: { url: 'https://api.agentmetal.example:8443/x' }, accepts }), 'body-v2-resource-mismatch'],
    ['a resource that is not a URL', JSON.stringify({ x402Version: 2, resource: { url: 'not a url' }, accepts }), 'body-v2-resource-mismatch'],
    ['a resource without a URL', JSON.stringify({ x402Version: 2, resource: {}, accepts }), 'body-v2-bad-resource'],
    ['a resource that is a string', JSON.stringify({ x402Version: 2, resource: url, accepts }), 'body-v2-bad-resource'],
  ];
  it.each(bad)('refuses %s', (_n, body, code) => {
    const r = bodyV2Document(body, url);
    expect(r).toMatchObject({ ok: false, code });
  });
  it('leaves everything that is not a v2 document to the strict parser', () => {
    expect(bodyV2Document(undefined, url)).toBeUndefined();
    expect(bodyV2Document('<html>', url)).toBeUndefined();
    expect(bodyV2Document('{not json', url)).toBeUndefined();
    expect(bodyV2Document(JSON.stringify({ x402Version: 1, accepts: [] }), url)).toBeUndefined();
    expect(bodyV2Document('[1]', url)).toBeUndefined();
  });
  it('the parser still refuses a v2 body whose options mix the amount fields', () => {
    const r = bodyV2Document(JSON.stringify({ x402Version: 2, accepts: [{ ...accepts[0], maxAmountRequired: '1' }] }), url);
    const parsed = parsePaymentRequired({ status: 402, headers: {}, bodyText: r!.ok ? r!.value : '' }, { allowV2Body: true });
    expect(parsed).toMatchObject({ ok: false, code: 'amount-field-confusion' });
  });
});

describe('route402', () => {
  const v2Body = JSON.stringify({ x402Version: 2, accepts: [] });
  it('the PAYMENT-REQUIRED header wins over everything', () => {
    expect(route402({ header: 'eyJ9', bodyText: v2Body, otherHeaders: good }, 'https://a.example/x')).toEqual({ kind: 'x402', bodyV2: false });
  });
  it('simple headers → direct transfer; with an x402 body too → ambiguous', () => {
    expect(route402({ otherHeaders: good, bodyText: 'Payment Required' }, 'https://a.example/x')).toEqual({ kind: 'direct' });
    expect(route402({ otherHeaders: good, bodyText: v2Body }, 'https://a.example/x')).toMatchObject({ kind: 'refuse', code: 'ambiguous-402' });
    expect(route402({ otherHeaders: good, bodyText: '{"x402Version":1,"accepts":[]}' }, 'https://a.example/x')).toMatchObject({ kind: 'refuse', code: 'ambiguous-402' });
  });
  it('a v2 body → x402 answered with X-PAYMENT; a v1 body → the ordinary parser', () => {
    expect(route402({ bodyText: v2Body }, 'https://a.example/x')).toMatchObject({ kind: 'x402', bodyV2: true });
    expect(route402({ bodyText: '{"x402Version":1}' }, 'https://a.example/x')).toEqual({ kind: 'x402', bodyText: '{"x402Version":1}', bodyV2: false });
  });
});

describe('describeUnpayable', () => {
  const cases: [string, Record<string, string | null>, string | undefined, string | undefined, string, RegExp][] = [
    ['L402', { 'www-authenticate': 'L402 macaroon="abc", invoice="lnbc1"' }, '', undefined, 'l402', /Lightning/],
    ['LSAT', { 'www-authenticate': 'LSAT macaroon="abc"' }, '', undefined, 'l402', /Lightning/],
    ['MPP', { 'www-authenticate': 'Payment id="x"' }, '', undefined, 'mpp', /Payment/],
    ['a JSON price of its own', {}, JSON.stringify({ error: 'payment_required', x402: { price_usd: 0.02 } }), undefined, 'json', /error, x402/],
    ['HTML', { 'content-type': 'text/html' }, '<!doctype html><p>pay</p>', undefined, 'html', /web page/],
    ['words', {}, 'Please send 1 USDC to our wallet', undefined, 'text', /Please send 1 USDC/],
    ['nothing', {}, '', undefined, 'empty', /without saying how/],
    ['broken x402', {}, '{"x402Version":3}', 'unsupported x402Version 3', 'x402-invalid', /unsupported x402Version 3/],
  ];
  it.each(cases)('%s', (_n, h, body, err, kind, text) => {
    const d = describeUnpayable(h, body, err);
    expect(d.kind).toBe(kind);
    expect(`${d.asked} ${d.why}`).toMatch(text);
  });
  it('strips control and bidi characters from what the server wrote', () => {
    const d = describeUnpayable({}, 'pay\u202e me\u0000 now');
    expect(d.asked).toBe('payment, in words: "pay me now"');
  });
});
