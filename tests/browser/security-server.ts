/**
 * A hostile x402 server for the security suite: every /h/<case> route answers a crafted 402
 * (v2 header, v1 body; EVM, Solana and TRON offers), each derived from a payable offer of the
 * local network with one thing wrong. The wallet must refuse every one unsigned, in ask and in
 * auto mode, with the reason in its activity list. The server counts the requests of each
 * case and any that carried a payment header (an unsafe signature if it ever happens), and
 * keeps every payment header it saw (for the log scan).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalX402Network } from '../fixture/network';

export interface HostileCase {
  id: string;
  rail: 'evm' | 'svm' | 'tron';
  version: 1 | 2;
  /** the reason the activity list must give */
  why: RegExp;
  /** the 402: a document (encoded as the version does) or raw header / body text */
  doc?: unknown;
  rawHeader?: string;
  rawBody?: string;
}

const TRON_USDT_NILE = 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf';
const TRON_PAYEE = 'TPjjvMwjPoDC32V2dGDYTkLH4E5LAtBZ6C';
const SOLANA_MAINNET = 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp';

/** what an x402-tron server issues next to an exact_permit offer */
function permitContext() {
  const now = Math.floor(Date.now() / 1000);
  return { paymentPermitContext: { meta: { kind: 'PAYMENT_ONLY', paymentId: '0x' + 'ab'.repeat(16), nonce: '123456789012345678901234567890', validAfter: now - 5, validBefore: now + 3600 } } };
}

export function hostileCases(net: LocalX402Network, origin: string): HostileCase[] {
  const url = (id: string) => `${origin}/h/${id}`;
  const evm = (o: Record<string, unknown> = {}) => ({
    scheme: 'exact',
    network: `eip155:${net.v2.chainId}`,
    amount: '1000',
    asset: net.v2.usdc,
    payTo: net.merchant,
    maxTimeoutSeconds: 60,
    extra: { name: 'USD Coin', version: '2' },
    ...o,
  });
  const v1 = (o: Record<string, unknown> = {}) => ({
    scheme: 'exact',
    network: 'base-sepolia',
    maxAmountRequired: '1000',
    resource: '',
    description: 'hostile v1',
    mimeType: 'application/json',
    payTo: net.merchant,
    maxTimeoutSeconds: 60,
    asset: net.v1.usdc,
    extra: { name: 'USD Coin', version: '2' },
    ...o,
  });
  const svm = (o: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
    scheme: 'exact',
    network: net.svm.network,
    amount: '1000',
    asset: net.svm.mint,
    payTo: net.svm.merchant,
    maxTimeoutSeconds: 60,
    extra: { feePayer: net.svm.feePayer, ...extra },
    ...o,
  });
  const tron = (o: Record<string, unknown> = {}, extra?: Record<string, unknown>) => ({
    scheme: 'exact_permit',
    network: 'tron:nile',
    amount: '1000',
    asset: TRON_USDT_NILE,
    payTo: TRON_PAYEE,
    maxTimeoutSeconds: 300,
    ...(extra ? { extra } : {}),
    ...o,
  });
  const cases: HostileCase[] = [];
  const v2 = (id: string, rail: HostileCase['rail'], why: RegExp, accepts: unknown[], top: Record<string, unknown> = {}) =>
    cases.push({ id, rail, version: 2, why, doc: { x402Version: 2, error: 'Payment required', resource: { url: url(id), description: 'hostile' }, accepts, ...(rail === 'tron' ? { extensions: permitContext() } : {}), ...top } });
  const body1 = (id: string, why: RegExp, accepts: unknown[], top: Record<string, unknown> = {}) =>
    cases.push({ id, rail: 'evm', version: 1, why, doc: { x402Version: 1, error: 'Payment required', accepts: accepts.map((a) => ({ ...(a as object), resource: (a as { resource?: string }).resource || url(id) })), ...top } });

  // ---- v2, EVM
  v2('evm-resource-other-origin', 'evm', /names https:\/\/bank\.example\/transfer as the resource/, [evm()], { resource: { url: 'https://bank.example/transfer' } });
  v2('evm-resource-other-port', 'evm', /as the resource, but .* answered the 402/, [evm()], { resource: { url: `${origin.replace(/:\d+$/, ':1')}/h/x` } });
  v2('evm-resource-localhost-alias', 'evm', /as the resource, but .* answered the 402/, [evm()], { resource: { url: url('x').replace('127.0.0.1', 'localhost') } });
  v2('evm-scheme-unknown', 'evm', /scheme "exact2" is not supported/, [evm({ scheme: 'exact2' })]);
  v2('evm-network-unknown', 'evm', /eip155:999999/, [evm({ network: 'eip155:999999' })]);
  v2('evm-network-v1-name', 'evm', /malformed payment request.*CAIP-2/i, [evm({ network: 'base-sepolia' })]);
  v2('evm-network-other-chain', 'evm', /not in the trusted table/, [evm({ network: 'eip155:8453' })]);
  v2('evm-asset-unknown', 'evm', /not in the trusted table/, [evm({ asset: '0x000000000000000000000000000000000000dEaD' })]);
  v2('evm-asset-an-account', 'evm', /not in the trusted table/, [evm({ asset: net.merchant })]);
  v2('evm-amount-zero', 'evm', /amount is zero/, [evm({ amount: '0' })]);
  v2('evm-amount-negative', 'evm', /amount must be a decimal integer/, [evm({ amount: '-1000' })]);
  v2('evm-amount-float', 'evm', /amount must be a decimal integer/, [evm({ amount: '0.001' })]);
  v2('evm-amount-exponent', 'evm', /amount must be a decimal integer/, [evm({ amount: '1e3' })]);
  v2('evm-amount-hex', 'evm', /amount must be a decimal integer/, [evm({ amount: '0x3e8' })]);
  v2('evm-amount-leading-zero', 'evm', /amount must be a decimal integer/, [evm({ amount: '01000' })]);
  v2('evm-amount-over-uint256', 'evm', /amount must be a decimal integer/, [evm({ amount: (1n << 256n).toString() })]);
  v2('evm-amount-number', 'evm', /malformed payment request|amount must be a decimal integer/i, [evm({ amount: 1000 })]);
  v2('evm-amount-field-confusion', 'evm', /malformed payment request.*maxAmountRequired/i, [evm({ maxAmountRequired: '1' })]);
  v2('evm-payto-zero', 'evm', /zero address/, [evm({ payTo: '0x0000000000000000000000000000000000000000' })]);
  v2('evm-payto-malformed', 'evm', /payTo/, [evm({ payTo: '0x1234' })]);
  v2('evm-payto-token', 'evm', /payTo is the token contract itself/, [evm({ payTo: net.v2.usdc })]);
  v2('evm-timeout-short', 'evm', /maxTimeoutSeconds 2 is below/, [evm({ maxTimeoutSeconds: 2 })]);
  v2('evm-timeout-negative', 'evm', /malformed payment request.*maxTimeoutSeconds/i, [evm({ maxTimeoutSeconds: -60 })]);
  v2('evm-timeout-string', 'evm', /malformed payment request|maxTimeoutSeconds/i, [evm({ maxTimeoutSeconds: '60' })]);
  v2('evm-domain-name', 'evm', /EIP-712 domain "Fake USD"/, [evm({ extra: { name: 'Fake USD', version: '2' } })]);
  v2('evm-domain-version', 'evm', /EIP-712 domain/, [evm({ extra: { name: 'USD Coin', version: '1' } })]);
  v2('evm-transfer-method-unknown', 'evm', /transfer method|assetTransferMethod/i, [evm({ extra: { name: 'USD Coin', version: '2', assetTransferMethod: 'magic' } })]);
  v2('evm-too-many-options', 'evm', /too many payment options/, Array.from({ length: 21 }, () => evm()));
  v2('evm-accepts-empty', 'evm', /malformed payment request/i, []);
  cases.push({ id: 'evm-header-not-base64', rail: 'evm', version: 2, why: /malformed payment request.*base64/i, rawHeader: '%%%not-base64%%%' });
  cases.push({ id: 'evm-header-not-json', rail: 'evm', version: 2, why: /malformed payment request.*JSON/i, rawHeader: Buffer.from('{not json').toString('base64') });
  cases.push({ id: 'evm-header-version-1', rail: 'evm', version: 2, why: /malformed payment request.*x402Version 2/i, rawHeader: Buffer.from(JSON.stringify({ x402Version: 1, accepts: [evm()] })).toString('base64') });
  cases.push({ id: 'evm-header-version-3', rail: 'evm', version: 2, why: /malformed payment request.*x402Version/i, rawHeader: Buffer.from(JSON.stringify({ x402Version: 3, resource: { url: url('x') }, accepts: [evm()] })).toString('base64') });
  // ---- v1 body, EVM
  body1('v1-resource-other-origin', /names https:\/\/bank\.example\/x as the resource/, [v1({ resource: 'https://bank.example/x' })]);
  body1('v1-second-option-other-origin', /names https:\/\/bank\.example\/y as the resource/, [v1(), v1({ resource: 'https://bank.example/y' })]);
  body1('v1-network-unknown', /not a known x402 v1 network name/, [v1({ network: 'moon-mainnet' })]);
  body1('v1-amount-field-confusion', /malformed payment request.*amount/i, [v1({ amount: '1000' })]);
  body1('v1-amount-zero', /maxAmountRequired is zero/, [v1({ maxAmountRequired: '0' })]);
  body1('v1-amount-float', /maxAmountRequired must be a decimal integer/, [v1({ maxAmountRequired: '1.5' })]);
  body1('v1-asset-unknown', /not in the trusted table/, [v1({ asset: '0x000000000000000000000000000000000000dEaD' })]);
  body1('v1-payto-zero', /zero address/, [v1({ payTo: '0x0000000000000000000000000000000000000000' })]);
  body1('v1-timeout-short', /maxTimeoutSeconds 1 is below/, [v1({ maxTimeoutSeconds: 1 })]);
  body1('v1-domain-name', /EIP-712 domain "Fake USD"/, [v1({ extra: { name: 'Fake USD', version: '2' } })]);
  body1('v1-version-3', /malformed payment request.*x402Version/i, [v1()], { x402Version: 3 });
  cases.push({ id: 'v1-body-not-json', rail: 'evm', version: 1, why: /malformed payment request/i, rawBody: '{"x402Version":1,"accepts":[' });
  // ---- v2, Solana
  v2('svm-feepayer-is-user', 'svm', /feePayer is your own account/, [svm({}, { feePayer: '__USER__' })]);
  v2('svm-feepayer-missing', 'svm', /feePayer/, [svm({ extra: {} })]);
  v2('svm-mint-unknown', 'svm', /not in the trusted table/, [svm({ asset: net.svm.merchant })]);
  v2('svm-mint-other-cluster', 'svm', /on solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp is not in the trusted table/, [svm({ network: SOLANA_MAINNET })]);
  v2('svm-payto-malformed', 'svm', /not a valid Solana address/, [svm({ payTo: '0xabc' })]);
  v2('svm-amount-over-u64', 'svm', /does not fit an SPL token amount/, [svm({ amount: (1n << 64n).toString() })]);
  v2('svm-compute-price', 'svm', /computeUnitPrice 1000000000 is over/, [svm({}, { computeUnitPrice: '1000000000' })]);
  v2('svm-compute-limit', 'svm', /computeUnitLimit 1400000 is over/, [svm({}, { computeUnitLimit: 1_400_000 })]);
  v2('svm-memo-too-long', 'svm', /memo/, [svm({}, { memo: 'x'.repeat(300) })]);
  v2('svm-evm-transfer-method', 'svm', /not used on Solana/, [svm({}, { assetTransferMethod: 'permit2' })]);
  v2('svm-payto-mint', 'svm', /payTo is the token mint itself/, [svm({ payTo: net.svm.mint })]);
  v2('svm-resource-other-origin', 'svm', /as the resource, but/, [svm()], { resource: { url: 'https://bank.example/svm' } });
  // ---- v2, TRON
  v2('tron-payto-hex', 'tron', /payTo|hex/i, [tron({ payTo: '0x' + 'ab'.repeat(20) })]);
  v2('tron-payto-zero', 'tron', /zero address|payTo/i, [tron({ payTo: 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb' })]);
  v2('tron-token-unknown', 'tron', /not in the trusted table|asset/i, [tron({ asset: TRON_PAYEE })]);
  v2('tron-chain-id-mismatch', 'tron', /chainId/i, [tron({}, { chainId: 1 })]);
  v2('tron-permit-address-mismatch', 'tron', /paymentPermitAddress|PaymentPermit/i, [tron({}, { paymentPermitAddress: TRON_PAYEE })]);
  v2('tron-unknown-fee-field', 'tron', /not define|fee|field/i, [tron({}, { fee: { feeTo: TRON_PAYEE, feeAmount: '1', surcharge: '5' } })]);
  v2('tron-scheme-exact', 'tron', /scheme "exact" is not supported on TRON/, [tron({ scheme: 'exact' })]);
  v2('tron-amount-zero', 'tron', /amount is zero/, [tron({ amount: '0' })]);
  v2('tron-resource-other-origin', 'tron', /as the resource, but/, [tron()], { resource: { url: 'https://bank.example/tron' } });
  return cases;
}

export interface HostileServer {
  origin: string;
  cases: HostileCase[];
  /** per case: requests, and requests that carried a payment header */
  stats(): Record<string, { requests: number; withPayment: number }>;
  /** GET /ok: a payable offer */
  ok(): { requests: number; withPayment: number };
  /** every payment header value this server ever received */
  paymentHeaders(): string[];
  close(): Promise<void>;
}

export async function startHostileServer(net: LocalX402Network, userSvmAddress: string): Promise<HostileServer> {
  const stats: Record<string, { requests: number; withPayment: number }> = {};
  const seenHeaders: string[] = [];
  let okRequests = 0;
  let okWithPayment = 0;
  let cases: HostileCase[] = [];
  const byId = new Map<string, HostileCase>();
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/page') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="en"><title>hostile</title><main><h1>hostile</h1></main></html>');
      return;
    }
    if (u.pathname === '/ok') {
      // a payable offer (nothing would settle it: the attacks must never get that far)
      okRequests++;
      const paid = req.headers['payment-signature'] ?? req.headers['x-payment'];
      if (paid) {
        okWithPayment++;
        seenHeaders.push(String(paid));
      }
      const doc = { x402Version: 2, error: 'Payment required', resource: { url: `${origin}/ok` }, accepts: [{ scheme: 'exact', network: `eip155:${net.v2.chainId}`, amount: '1000', asset: net.v2.usdc, payTo: net.merchant, maxTimeoutSeconds: 60, extra: { name: 'USD Coin', version: '2' } }] };
      res.writeHead(402, { 'content-type': 'application/json', 'payment-required': Buffer.from(JSON.stringify(doc)).toString('base64') });
      res.end('{}');
      return;
    }
    const m = /^\/h\/([\w-]+)$/.exec(u.pathname);
    const c = m ? byId.get(m[1]!) : undefined;
    if (!c) {
      res.writeHead(404).end();
      return;
    }
    const s = (stats[c.id] ??= { requests: 0, withPayment: 0 });
    s.requests++;
    const paid = req.headers['payment-signature'] ?? req.headers['x-payment'];
    if (paid) {
      s.withPayment++;
      seenHeaders.push(String(paid));
    }
    const headers: Record<string, string> = { 'content-type': 'application/json', 'access-control-expose-headers': 'PAYMENT-REQUIRED' };
    let body = '{}';
    const doc = JSON.parse(JSON.stringify(c.doc ?? null).replaceAll('__USER__', userSvmAddress));
    if (c.version === 2) headers['payment-required'] = c.rawHeader ?? Buffer.from(JSON.stringify(doc)).toString('base64');
    else body = c.rawBody ?? JSON.stringify(doc);
    res.writeHead(402, headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cases = hostileCases(net, origin);
  for (const c of cases) byId.set(c.id, c);
  return {
    origin,
    cases,
    stats: () => structuredClone(stats),
    ok: () => ({ requests: okRequests, withPayment: okWithPayment }),
    paymentHeaders: () => [...seenHeaders],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
