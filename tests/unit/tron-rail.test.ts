/**
 * The TRON rail (lib/rails/tron) against the reference client, run here in the test — its
 * outputs are never pasted:
 *  - the trusted tables equal the installed `@bankofai/x402` 0.5.8 (chain ids, PaymentPermit and
 *    GasFree contracts, GasFree API, tokens, TIP-712 types);
 *  - addresses and accounts equal TronWeb's (base58check ⇄ hex; m/44'/195'/0'/0/i);
 *  - signatures BYTE-IDENTICAL to `ExactPermitTronClientMechanism` and
 *    `ExactGasFreeClientMechanism` with `TronClientSigner` (over agent-wallet's `TronSigner`) for
 *    the same key and requirements, several vectors per scheme, the permit in the payload deep
 *    equal, and the signer recovered from each payload with the reference's own type
 *    definitions and address conversion;
 *  - hostile offers refused with a clear reason, before anything is signed.
 * The reference logs signatures to the console: its console output is silenced here.
 */
import { TronWeb } from 'tronweb';
import * as ref from '@bankofai/x402';
import { TronSigner as RefTronWallet } from '@bankofai/agent-wallet';
import { mnemonicToSeedSync } from '@scure/bip39';
import { decodePaymentSignatureHeader } from '@x402/core/http';
import { custom, hexToBytes, recoverTypedDataAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hexToTron, isTronAddress, tronAddressKey, tronToEvmHex, tronToHex41, TRON_ZERO_ADDRESS } from '../../lib/rails/tron/address';
import { deriveTronKey, tronAddressOfPrivateKey, tronDerivationPath } from '../../lib/rails/tron/accounts';
import { TRON_TOKENS, defaultTronAssets, localTronPlaygroundAsset } from '../../lib/rails/tron/assets';
import { TRON_NETWORK_TABLE, TRON_MAINNET, TRON_NILE, TRON_SHASTA } from '../../lib/rails/tron/networks';
import { GASFREE_TYPES, PAYMENT_PERMIT_TYPES, createTronPayment, type FetchLike } from '../../lib/rails/tron/payment';
import { tronRail } from '../../lib/rails/tron';
import { readTronAllowance, readTronBalance, readTronSettlement } from '../../lib/rails/tron/balance';
import { MAX_FEE_LIMIT_SUN, approveCallData, approveTransactionRaw, signedTransactionHex, transactionId } from '../../lib/rails/tron/transaction';
import type { TronOption, TronSigner } from '../../lib/rails/types';
import { encodeBase64Utf8 } from '../../lib/x402/base64';
import { parsePaymentRequired } from '../../lib/x402/parse';
import { createRegistry } from '../../lib/x402/registry';
import { evaluateOptions } from '../../lib/x402/validate';
import { PaymentBuildError } from '../../lib/x402/payload';

const TEST_PHRASE = 'test test test test test test test test test test test junk';
const USDT_MAIN = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const USDD_MAIN = 'TXDk8mbtRbXeYuMNS83CfKPaYYT8XWv9Hz';
const USDT_NILE = 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf';
const USDT_SHASTA = 'TG3XXyExBkPp9nzdajDZsozEu4BkaSJozs';
const PAYEE = 'TPjjvMwjPoDC32V2dGDYTkLH4E5LAtBZ6C';
const FEE_TO = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';
const CALLER = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';

let quiet: ReturnType<typeof vi.spyOn>[] = [];
beforeEach(() => {
  quiet = (['log', 'debug', 'warn', 'info'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => undefined));
});
afterEach(() => {
  for (const s of quiet) s.mockRestore();
  vi.restoreAllMocks();
});

const now = () => Math.floor(Date.now() / 1000);

function keyOf(i: number): `0x${string}` {
  return deriveTronKey(mnemonicToSeedSync(TEST_PHRASE), i).privateKey;
}

function ourSigner(pk: `0x${string}`): TronSigner {
  const account = privateKeyToAccount(pk);
  return { rail: 'tron', address: tronAddressOfPrivateKey(pk), signTypedData: (req) => account.signTypedData(req as never) };
}

async function refSigner(pk: `0x${string}`) {
  const wallet = new RefTronWallet(hexToBytes(pk), 'tron');
  const signer = new ref.TronClientSigner(wallet as never);
  signer.setAddress(await wallet.getAddress());
  // the reference would otherwise read (and send) an approval over the network
  vi.spyOn(signer, 'ensureAllowance').mockResolvedValue(true);
  vi.spyOn(signer, 'checkBalance').mockResolvedValue(10n ** 30n);
  return signer;
}

interface Offer {
  scheme?: string;
  network?: string;
  amount?: string;
  asset?: string;
  payTo?: string;
  maxTimeoutSeconds?: number;
  extra?: Record<string, unknown>;
}

function requirement(o: Offer = {}) {
  return {
    scheme: o.scheme ?? 'exact_permit',
    network: o.network ?? TRON_MAINNET,
    amount: o.amount ?? '1500000',
    asset: o.asset ?? USDT_MAIN,
    payTo: o.payTo ?? PAYEE,
    maxTimeoutSeconds: o.maxTimeoutSeconds ?? 600,
    ...(o.extra ? { extra: o.extra } : {}),
  };
}

function context(meta: Partial<{ paymentId: string; nonce: string; validAfter: number; validBefore: number }> = {}) {
  return {
    meta: {
      kind: 'PAYMENT_ONLY',
      paymentId: meta.paymentId ?? '0x' + 'ab'.repeat(16),
      nonce: meta.nonce ?? '123456789012345678901234567890',
      validAfter: meta.validAfter ?? now() - 5,
      validBefore: meta.validBefore ?? now() + 300,
    },
  };
}

function paymentRequired(accepts: unknown[], extensions?: Record<string, unknown>) {
  const doc = { x402Version: 2, error: 'Payment required', resource: { url: 'https://api.example/paid', description: 'a paid thing' }, accepts, ...(extensions ? { extensions } : {}) };
  const parsed = parsePaymentRequired({ status: 402, headers: { 'payment-required': encodeBase64Utf8(JSON.stringify(doc)) } });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function evaluate(accepts: unknown[], extensions?: Record<string, unknown>, registry = createRegistry()) {
  const pr = paymentRequired(accepts, extensions);
  return { pr, ...evaluateOptions(pr, registry) };
}

describe('trusted tables equal the reference SDK', () => {
  it('networks: chain ids, PaymentPermit and GasFree contracts, GasFree API', () => {
    for (const n of [TRON_MAINNET, TRON_SHASTA, TRON_NILE]) {
      const t = TRON_NETWORK_TABLE[n]!;
      expect(t.chainId).toBe(ref.getChainId(n));
      expect(t.paymentPermit).toBe(ref.getPaymentPermitAddress(n));
      expect(t.gasFreeController).toBe(ref.getGasFreeControllerAddress(n));
      expect(t.gasFreeApi).toBe(ref.getGasFreeApiBaseUrl(n));
    }
    expect(Object.keys(TRON_NETWORK_TABLE).sort()).toEqual(Object.keys(ref.CHAIN_IDS).filter((k) => k.startsWith('tron:')).sort());
    expect(TRON_ZERO_ADDRESS).toBe(ref.TRON_ZERO_ADDRESS);
  });

  it('tokens: the reference TRON token list, as trusted assets', () => {
    for (const n of [TRON_MAINNET, TRON_SHASTA, TRON_NILE]) {
      const theirs = Object.values(ref.getNetworkTokens(n)).map((t) => ({ address: t.address, decimals: t.decimals, name: t.name, symbol: t.symbol }));
      expect(TRON_TOKENS[n]).toEqual(theirs);
    }
    const assets = defaultTronAssets();
    expect(assets.map((a) => `${a.network}|${a.symbol}`)).toEqual(['tron:mainnet|USDT', 'tron:mainnet|USDD', 'tron:shasta|USDT', 'tron:nile|USDT', 'tron:nile|USDD']);
    for (const a of assets) {
      expect(a.chainId).toBe(ref.getChainId(a.network));
      expect(a.hex).toBe(ref.toEvmHex(a.address).toLowerCase());
    }
  });

  it('TIP-712 types', () => {
    expect(PAYMENT_PERMIT_TYPES).toEqual(ref.PAYMENT_PERMIT_TYPES);
    expect(GASFREE_TYPES).toEqual(ref.GASFREE_TYPES);
  });
});

describe('addresses and accounts equal TronWeb', () => {
  it('base58check ⇄ 41-hex ⇄ 20-byte hex', () => {
    for (const a of [USDT_MAIN, USDD_MAIN, USDT_NILE, PAYEE, FEE_TO, TRON_ZERO_ADDRESS, ...Object.values(TRON_NETWORK_TABLE).map((n) => n.paymentPermit)]) {
      const hex41 = TronWeb.address.toHex(a).toLowerCase();
      expect(tronToHex41(a)).toBe(hex41);
      expect(tronToEvmHex(a)).toBe(`0x${hex41.slice(2)}`);
      expect(hexToTron(`0x${hex41.slice(2)}`)).toBe(a);
      expect(hexToTron(hex41)).toBe(a);
      expect(tronAddressKey(a)).toBe(tronAddressKey(hex41));
      expect(isTronAddress(a)).toBe(true);
    }
    expect(tronToEvmHex(TRON_ZERO_ADDRESS)).toBe('0x' + '0'.repeat(40));
    // one character changed: the checksum fails
    const bad = USDT_MAIN.slice(0, 10) + (USDT_MAIN[10] === 'a' ? 'b' : 'a') + USDT_MAIN.slice(11);
    expect(isTronAddress(bad)).toBe(false);
    expect(TronWeb.isAddress(bad)).toBe(false);
    expect(isTronAddress('41' + '00'.repeat(20))).toBe(false);
    expect(isTronAddress('0x' + '00'.repeat(20))).toBe(false);
  });

  it("m/44'/195'/0'/0/i from the seed, as TronWeb derives it", () => {
    const seed = mnemonicToSeedSync(TEST_PHRASE);
    for (const i of [0, 1, 2, 7]) {
      const theirs = TronWeb.fromMnemonic(TEST_PHRASE, tronDerivationPath(i));
      const ours = deriveTronKey(seed, i);
      expect(ours.address).toBe(theirs.address);
      expect(ours.privateKey.slice(2).toLowerCase()).toBe(theirs.privateKey.replace(/^0x/, '').toLowerCase());
    }
    expect(deriveTronKey(seed, 0).address).toBe('TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6');
  });

  it('a raw secp256k1 key has a TRON account: the same key, TRON form', () => {
    const pk = ('0x' + '11'.repeat(32)) as `0x${string}`;
    expect(tronAddressOfPrivateKey(pk)).toBe(TronWeb.address.fromPrivateKey(pk.slice(2)));
  });
});

/** Recover the payer from a payload with the reference's own definitions and conversion. */
async function recoverWithReference(network: string, permit: ref.PaymentPermit, signature: string): Promise<string> {
  const conv = new ref.TronAddressConverter();
  return recoverTypedDataAddress({
    domain: { name: 'PaymentPermit', chainId: ref.getChainId(network), verifyingContract: conv.toEvmFormat(ref.getPaymentPermitAddress(network)) as `0x${string}` },
    types: ref.PAYMENT_PERMIT_TYPES,
    primaryType: ref.PAYMENT_PERMIT_PRIMARY_TYPE,
    message: {
      meta: { ...permit.meta, kind: ref.KIND_MAP[permit.meta.kind], nonce: BigInt(permit.meta.nonce), validAfter: BigInt(permit.meta.validAfter), validBefore: BigInt(permit.meta.validBefore) },
      buyer: conv.toEvmFormat(permit.buyer),
      caller: conv.toEvmFormat(permit.caller),
      payment: { payToken: conv.toEvmFormat(permit.payment.payToken), payAmount: BigInt(permit.payment.payAmount), payTo: conv.toEvmFormat(permit.payment.payTo) },
      fee: { feeTo: conv.toEvmFormat(permit.fee.feeTo), feeAmount: BigInt(permit.fee.feeAmount) },
    } as never,
    signature: `0x${signature.replace(/^0x/, '')}`,
  });
}

const PERMIT_VECTORS: { name: string; key: number | `0x${string}`; offer: Offer; meta?: Parameters<typeof context>[0] }[] = [
  { name: 'mainnet USDT, no fee', key: 0, offer: {} },
  { name: 'mainnet USDT, fee + caller', key: 1, offer: { amount: '2500000', extra: { name: 'Tether USD', version: '1', fee: { facilitatorId: 'https://facilitator.example', feeTo: FEE_TO, feeAmount: '100000', caller: CALLER } } } },
  { name: 'mainnet USDD (18 decimals), large amount, fee without caller', key: 2, offer: { asset: USDD_MAIN, amount: '123456789000000000000000', extra: { fee: { feeTo: FEE_TO, feeAmount: '1000000000000000' } } }, meta: { nonce: '0', paymentId: '0x' + '00'.repeat(16) } },
  { name: 'nile USDT', key: 3, offer: { network: TRON_NILE, asset: USDT_NILE, amount: '1' }, meta: { nonce: String(2n ** 255n), validAfter: 0 } },
  { name: 'shasta USDT, raw key', key: ('0x' + '42'.repeat(32)) as `0x${string}`, offer: { network: TRON_SHASTA, asset: USDT_SHASTA, amount: '999999', extra: { fee: { feeTo: FEE_TO, feeAmount: '1' } } } },
];

describe('exact_permit: byte-identical to ExactPermitTronClientMechanism', () => {
  for (const v of PERMIT_VECTORS) {
    it(v.name, async () => {
      const pk = typeof v.key === 'number' ? keyOf(v.key) : v.key;
      const req = requirement(v.offer);
      const ctx = context(v.meta);
      const { pr, payable, rejected } = evaluate([req], { paymentPermitContext: ctx });
      expect(rejected).toEqual([]);
      const option = payable[0] as TronOption;
      expect(option.rail).toBe('tron');
      expect(option.fee.amount).toBe(BigInt((v.offer.extra?.fee as { feeAmount?: string } | undefined)?.feeAmount ?? '0'));

      const signer = ourSigner(pk);
      const header = await createTronPayment({ pr, option, signer });
      const ours = decodePaymentSignatureHeader(header.headerValue) as unknown as { payload: { signature: string; paymentPermit: ref.PaymentPermit }; accepted: unknown };

      const mech = new ref.ExactPermitTronClientMechanism(await refSigner(pk));
      const theirs = await mech.createPaymentPayload(req as never, pr.resource.url, { paymentPermitContext: ctx } as never);

      expect(ours.payload.signature).toMatch(/^[0-9a-f]{130}$/);
      expect(ours.payload.signature).toBe(theirs.payload.signature);
      expect(ours.payload.paymentPermit).toEqual(theirs.payload.paymentPermit);
      expect(ours.accepted).toEqual(theirs.accepted);
      const recovered = await recoverWithReference(req.network, ours.payload.paymentPermit, ours.payload.signature);
      expect(recovered.toLowerCase()).toBe(ref.toEvmHex(signer.address).toLowerCase());
      expect(header.summary).toMatchObject({ from: signer.address, to: req.payTo, value: BigInt(req.amount), validBefore: BigInt(ctx.meta.validBefore), nonce: ctx.meta.nonce });
    });
  }

  it('a validBefore beyond the clamped timeout is clamped, not followed', async () => {
    const ctx = context({ validBefore: now() + 86_400 });
    const { pr, payable } = evaluate([requirement({ maxTimeoutSeconds: 120 })], { paymentPermitContext: ctx });
    const t0 = now();
    const header = await createTronPayment({ pr, option: payable[0] as TronOption, signer: ourSigner(keyOf(0)) });
    const p = decodePaymentSignatureHeader(header.headerValue).payload as unknown as { paymentPermit: ref.PaymentPermit; signature: string };
    expect(p.paymentPermit.meta.validBefore).toBeGreaterThanOrEqual(t0 + 120);
    expect(p.paymentPermit.meta.validBefore).toBeLessThanOrEqual(now() + 120);
    expect((await recoverWithReference(TRON_MAINNET, p.paymentPermit, p.signature)).toLowerCase()).toBe(ref.toEvmHex(tronAddressOfPrivateKey(keyOf(0))).toLowerCase());
  });
});

function gasFreeAccount(asset: string, o: { nonce?: number; transferFee?: string; activateFee?: string; active?: boolean } = {}) {
  return {
    gasFreeAddress: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL',
    active: o.active ?? true,
    allowSubmit: o.active ?? true,
    nonce: o.nonce ?? 0,
    assets: [{ tokenAddress: asset, transferFee: o.transferFee ?? '1000', activateFee: o.activateFee ?? '0' }],
  };
}

function fakeFetch(data: unknown, seen: string[] = []): FetchLike {
  return async (url) => {
    seen.push(url);
    return { ok: true, status: 200, json: async () => ({ code: 200, data }) };
  };
}

const GASFREE_VECTORS: { name: string; key: number; offer: Offer; account: Parameters<typeof gasFreeAccount>[1]; meta?: Parameters<typeof context>[0] }[] = [
  { name: 'mainnet USDT', key: 0, offer: { scheme: 'exact_gasfree', extra: { fee: { feeTo: FEE_TO, feeAmount: '2000' } } }, account: { nonce: 3 } },
  { name: 'nile USDT, transfer fee equal to the quote', key: 4, offer: { scheme: 'exact_gasfree', network: TRON_NILE, asset: USDT_NILE, amount: '7', extra: { fee: { feeTo: FEE_TO, feeAmount: '1000' } } }, account: { nonce: 41, transferFee: '1000' } },
  { name: 'shasta USDT, big nonce', key: 5, offer: { scheme: 'exact_gasfree', network: TRON_SHASTA, asset: USDT_SHASTA, amount: '31415926', extra: { name: 'Tether USD', fee: { feeTo: CALLER, feeAmount: '500000', facilitatorId: 'x' } } }, account: { nonce: 9_007_199, transferFee: '10' }, meta: { validBefore: now() + 3000 } },
];

describe('exact_gasfree: byte-identical to ExactGasFreeClientMechanism', () => {
  for (const v of GASFREE_VECTORS) {
    it(v.name, async () => {
      const pk = keyOf(v.key);
      const req = requirement({ maxTimeoutSeconds: 3600, ...v.offer });
      const ctx = context(v.meta);
      const acct = gasFreeAccount(req.asset, v.account);
      const { pr, payable, rejected } = evaluate([req], { paymentPermitContext: ctx }, createRegistry());
      expect(rejected).toEqual([]);
      const option = payable[0] as TronOption;
      // our clamp (3600 s) above the reference's own bounds must not change the deadline
      const signer = ourSigner(pk);
      const seen: string[] = [];
      const header = await createTronPayment({ pr, option: { ...option, maxTimeoutSeconds: 3600 }, signer }, { fetch: fakeFetch(acct, seen) });
      expect(seen).toEqual([`${TRON_NETWORK_TABLE[req.network]!.gasFreeApi}/api/v1/address/${signer.address}`]);
      const ours = decodePaymentSignatureHeader(header.headerValue) as unknown as { payload: { signature: string; paymentPermit: ref.PaymentPermit }; extensions: Record<string, unknown> };

      const api = { getAddressInfo: async () => acct, getProviders: async () => [] };
      const mech = new ref.ExactGasFreeClientMechanism(await refSigner(pk), { [req.network]: api } as never);
      const theirs = await mech.createPaymentPayload(req as never, pr.resource.url, { paymentPermitContext: ctx } as never);

      expect(ours.payload.signature).toMatch(/^[0-9a-f]{130}$/);
      expect(ours.payload.signature).toBe(theirs.payload.signature);
      expect(ours.payload.paymentPermit).toEqual(theirs.payload.paymentPermit);
      expect(ours.extensions).toEqual(theirs.extensions);

      // recovered with the reference's GasFree definitions (its SDK builds the domain)
      const gf = (await import('@gasfree/gasfree-sdk')).default as unknown as { TronGasFree: new (p: { chainId: number }) => { getGasFreeTypedDataDomain(): Record<string, unknown> } };
      const domain = new gf.TronGasFree({ chainId: ref.getChainId(req.network) }).getGasFreeTypedDataDomain();
      const p = ours.payload.paymentPermit;
      const recovered = await recoverTypedDataAddress({
        domain: domain as never,
        types: ref.GASFREE_TYPES,
        primaryType: ref.GASFREE_PRIMARY_TYPE,
        message: {
          token: ref.toEvmHex(p.payment.payToken),
          serviceProvider: ref.toEvmHex(p.fee.feeTo),
          user: ref.toEvmHex(p.buyer),
          receiver: ref.toEvmHex(p.payment.payTo),
          value: BigInt(p.payment.payAmount),
          maxFee: BigInt(p.fee.feeAmount),
          deadline: BigInt(p.meta.validBefore),
          version: 1n,
          nonce: BigInt(p.meta.nonce),
        } as never,
        signature: `0x${ours.payload.signature}`,
      });
      expect(recovered.toLowerCase()).toBe(ref.toEvmHex(signer.address).toLowerCase());
    });
  }

  it('a GasFree service asking more than the fee the offer showed is refused (no signature)', async () => {
    const req = requirement({ scheme: 'exact_gasfree', extra: { fee: { feeTo: FEE_TO, feeAmount: '1000' } } });
    const { pr, payable } = evaluate([req], { paymentPermitContext: context() });
    const sign = vi.fn();
    const signer: TronSigner = { ...ourSigner(keyOf(0)), signTypedData: sign };
    await expect(createTronPayment({ pr, option: payable[0] as TronOption, signer }, { fetch: fakeFetch(gasFreeAccount(req.asset, { transferFee: '5000' })) })).rejects.toThrow(PaymentBuildError);
    await expect(
      createTronPayment({ pr, option: payable[0] as TronOption, signer }, { fetch: fakeFetch(gasFreeAccount(req.asset, { transferFee: '10', active: false, activateFee: '1000000' })) }),
    ).rejects.toThrow(/not activated|activation/);
    expect(sign).not.toHaveBeenCalled();
  });
});

describe('hostile TRON offers are refused with a reason', () => {
  const ctx = { paymentPermitContext: context() };
  const hexUsdt = tronToHex41(USDT_MAIN);
  const cases: [string, Offer, string, RegExp, Record<string, unknown>?][] = [
    ['unknown token', { asset: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8' }, 'untrusted-asset', /not in the trusted table/],
    ['token in hex form (41…)', { asset: hexUsdt }, 'untrusted-asset', /base58check/],
    ['token in 0x hex form', { asset: tronToEvmHex(USDT_MAIN) }, 'untrusted-asset', /base58check/],
    ['payTo in hex form', { payTo: tronToHex41(PAYEE) }, 'invalid-pay-to', /base58check/],
    ['payTo with a broken checksum', { payTo: PAYEE.slice(0, -1) + (PAYEE.endsWith('C') ? 'D' : 'C') }, 'invalid-pay-to', /checksum/],
    ['zero payTo', { payTo: TRON_ZERO_ADDRESS }, 'zero-pay-to', /zero address/],
    ['fee hidden in extra', { extra: { feeAmount: '100000' } }, 'invalid-fee', /outside extra\.fee/],
    ['fee hidden in extra.fee', { extra: { fee: { feeTo: FEE_TO, feeAmount: '1', tip: '5000000' } } }, 'invalid-fee', /not a fee field/],
    ['fee as a number', { extra: { fee: { feeTo: FEE_TO, feeAmount: 100 } } }, 'invalid-fee', /decimal integer string/],
    ['fee to a hex address', { extra: { fee: { feeTo: tronToHex41(FEE_TO), feeAmount: '1' } } }, 'invalid-fee', /base58check/],
    ['fee to the zero address', { extra: { fee: { feeTo: TRON_ZERO_ADDRESS, feeAmount: '1' } } }, 'invalid-fee', /zero address/],
    ['wrong chain id for the network name', { extra: { chainId: 1 } }, 'domain-mismatch', /728126428/],
    ["the nile chain id on mainnet", { extra: { chainId: '3448148188' } }, 'domain-mismatch', /tron:mainnet/],
    ["PaymentPermit address not the table's", { extra: { paymentPermitAddress: TRON_NETWORK_TABLE[TRON_NILE]!.paymentPermit } }, 'domain-mismatch', /PaymentPermit contract of tron:mainnet/],
    ['verifying contract not the table’s', { extra: { verifyingContract: '0x' + '11'.repeat(20) } }, 'domain-mismatch', /trusted table/],
    ['unknown extra field', { extra: { delivery: {} } }, 'invalid-option', /not a field/],
    ["TRON 'exact' (TransferWithAuthorization)", { scheme: 'exact' }, 'unsupported-scheme', /exact_permit/],
    ['upto', { scheme: 'upto' }, 'unsupported-scheme', /not supported/],
    ['no permit context', {}, 'invalid-permit', /paymentPermitContext/, {}],
    ['permit context with a bad paymentId', {}, 'invalid-permit', /paymentId/, { paymentPermitContext: context({ paymentId: '0x1234' }) }],
    ['permit context already expiring', {}, 'timeout-too-short', /expires/, { paymentPermitContext: context({ validBefore: now() + 2 }) }],
    ['permit context not valid yet', {}, 'invalid-permit', /not valid yet/, { paymentPermitContext: context({ validAfter: now() + 3600 }) }],
    ['gasfree without a fee quote', { scheme: 'exact_gasfree' }, 'invalid-fee', /extra\.fee/],
    ['gasfree with too short a timeout', { scheme: 'exact_gasfree', maxTimeoutSeconds: 30, extra: { fee: { feeTo: FEE_TO, feeAmount: '1' } } }, 'timeout-too-short', /GasFree needs/],
    ['a network the wallet does not know', { network: 'tron:devnet' }, 'unsupported-network', /tron:mainnet\|shasta\|nile/],
  ];
  for (const [name, offer, code, why, extensions] of cases) {
    it(name, () => {
      const { payable, rejected } = evaluate([requirement(offer)], extensions ?? ctx);
      expect(payable).toEqual([]);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.code).toBe(code);
      expect(rejected[0]!.reason).toMatch(why);
    });
  }

  it('a payload is never built for an option that is not the server’s', async () => {
    const { pr, payable } = evaluate([requirement()], ctx);
    const option = payable[0] as TronOption;
    const sign = vi.fn();
    const signer: TronSigner = { ...ourSigner(keyOf(0)), signTypedData: sign };
    await expect(createTronPayment({ pr, option: { ...option, payTo: FEE_TO }, signer })).rejects.toThrow(/payTo/);
    await expect(createTronPayment({ pr, option: { ...option, amount: 1n }, signer })).rejects.toThrow(/amount/);
    expect(sign).not.toHaveBeenCalled();
  });
});

describe('rail facts', () => {
  it('networks, explorer links, playground tokens', () => {
    expect(tronRail.isNetwork('tron:mainnet')).toBe(true);
    expect(tronRail.isNetwork('tron:devnet')).toBe(false);
    expect(tronRail.networkName('tron:nile')).toBe('TRON Nile');
    const tx = 'ab'.repeat(32);
    expect(tronRail.explorerTxUrl('tron:mainnet', tx)).toBe(`https://tronscan.org/#/transaction/${tx}`);
    expect(tronRail.explorerTxUrl('tron:shasta', `0x${tx}`)).toBe(`https://shasta.tronscan.org/#/transaction/${tx}`);
    expect(tronRail.explorerTxUrl('tron:nile', tx)).toBe(`https://nile.tronscan.org/#/transaction/${tx}`);
    expect(tronRail.explorerTxUrl('tron:nile', 'nope')).toBeUndefined();
    expect(tronRail.defaultRpcUrl('tron:mainnet')).toBe('https://api.trongrid.io/jsonrpc');
    const p = localTronPlaygroundAsset({ network: TRON_NILE, address: PAYEE });
    expect(p).toMatchObject({ rail: 'tron', chainId: 3448148188, symbol: 'USDT', decimals: 6, local: true, hex: tronToEvmHex(PAYEE) });
    expect(() => localTronPlaygroundAsset({ network: 'tron:devnet', address: PAYEE })).toThrow();
    expect(() => localTronPlaygroundAsset({ network: TRON_NILE, address: tronToHex41(PAYEE) })).toThrow();
    expect(tronRail.addressKey(PAYEE)).toBe(tronRail.addressKey(tronToHex41(PAYEE)));
  });
});

describe('reads over a fake TRON JSON-RPC (eth_chainId + eth_call / eth_getTransactionReceipt)', () => {
  const asset = defaultTronAssets()[0]!; // mainnet USDT
  const owner = tronAddressOfPrivateKey(keyOf(0));
  const spender = TRON_NETWORK_TABLE[TRON_MAINNET]!.paymentPermit;
  const word = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}` as const;
  const topic = (hex: string) => `0x${hex.slice(2).padStart(64, '0')}`;
  const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

  function fakeRpc(o: { chainId?: number; balance?: bigint; allowance?: bigint; receipt?: unknown } = {}) {
    const calls: { method: string; params: unknown }[] = [];
    const transport = () =>
      custom({
        async request({ method, params }: { method: string; params: unknown }) {
          calls.push({ method, params });
          if (method === 'eth_chainId') return `0x${(o.chainId ?? asset.chainId).toString(16)}`;
          if (method === 'eth_call') {
            const { to, data } = (params as [{ to: string; data: string }])[0];
            expect(to.toLowerCase()).toBe(asset.hex);
            if (data.startsWith('0x70a08231')) {
              expect(data.slice(-40)).toBe(tronToEvmHex(owner).slice(2));
              return word(o.balance ?? 0n);
            }
            if (data.startsWith('0xdd62ed3e')) {
              expect(data.slice(34, 74)).toBe(tronToEvmHex(owner).slice(2));
              expect(data.slice(-40)).toBe(tronToEvmHex(spender).slice(2));
              return word(o.allowance ?? 0n);
            }
          }
          if (method === 'eth_getTransactionReceipt') return o.receipt ?? null;
          throw new Error(`unexpected ${method}`);
        },
      });
    return { transport, calls };
  }

  it('TRC-20 balanceOf and the PaymentPermit allowance, chain id checked', async () => {
    const rpc = fakeRpc({ balance: 12_345_678n, allowance: 2n ** 160n - 1n });
    expect(await readTronBalance({ asset, owner, rpcUrl: 'http://rpc', timeoutMs: 1000 }, rpc.transport)).toEqual({ ok: true, atomic: 12_345_678n });
    expect(await readTronAllowance({ asset, owner, spender, rpcUrl: 'http://rpc', timeoutMs: 1000 }, rpc.transport)).toEqual({ ok: true, atomic: 2n ** 160n - 1n });
    const other = fakeRpc({ chainId: 3448148188, balance: 5n });
    expect(await readTronBalance({ asset, owner, rpcUrl: 'http://rpc', timeoutMs: 1000 }, other.transport)).toMatchObject({ ok: false, reason: /serves chain 3448148188/ });
  });

  it('a settlement is confirmed when the payer’s outflow (amount + fee) and the payee’s Transfer are in the receipt', async () => {
    const from = tronToEvmHex(owner);
    const to = tronToEvmHex(PAYEE);
    const feeTo = tronToEvmHex(FEE_TO);
    const log = (dst: string, value: bigint, i: number) => ({
      address: asset.hex,
      topics: [TRANSFER, topic(from), topic(dst)],
      data: word(value),
      blockHash: '0x' + '11'.repeat(32),
      blockNumber: '0x1',
      logIndex: `0x${i.toString(16)}`,
      transactionHash: '0x' + 'ab'.repeat(32),
      transactionIndex: '0x0',
      removed: false,
    });
    const receipt = (status: string, logs: unknown[]) => ({
      transactionHash: '0x' + 'ab'.repeat(32), transactionIndex: '0x0', blockHash: '0x' + '11'.repeat(32), blockNumber: '0x1', from, to: '0x' + '22'.repeat(20),
      cumulativeGasUsed: '0x1', gasUsed: '0x1', effectiveGasPrice: '0x1', contractAddress: null, logs, logsBloom: '0x' + '00'.repeat(256), status, type: '0x0',
    });
    const q = { asset, tx: 'ab'.repeat(32), from: owner, to: PAYEE, amount: 1_600_000n, rpcUrl: 'http://rpc', timeoutMs: 1000 };
    const ok = fakeRpc({ receipt: receipt('0x1', [log(to, 1_500_000n, 0), log(feeTo, 100_000n, 1)]) });
    expect(await readTronSettlement(q, ok.transport)).toEqual({ state: 'confirmed' });
    const short = fakeRpc({ receipt: receipt('0x1', [log(to, 1_500_000n, 0)]) });
    expect((await readTronSettlement(q, short.transport)).state).toBe('mismatch');
    const reverted = fakeRpc({ receipt: receipt('0x0', []) });
    expect((await readTronSettlement(q, reverted.transport)).state).toBe('failed');
    expect((await readTronSettlement(q, fakeRpc().transport)).state).toBe('not-found');
    expect((await readTronSettlement({ ...q, tx: 'nope' }, ok.transport)).state).toBe('mismatch');
  });
});

describe('display helpers for TRON (lib/ui/rails.ts)', () => {
  it('rail, RPC keys, fee, total and allowance texts', async () => {
    const ui = await import('../../lib/ui/rails');
    expect(ui.railOfNetwork('tron:nile')).toBe('tron');
    expect(ui.railLabel('tron')).toBe('TRON');
    expect(ui.parseRpcKey('tron:mainnet')).toEqual({ ok: true, key: 'tron:mainnet', rail: 'tron' });
    expect(ui.parseRpcKey('tron:devnet').ok).toBe(false);
    expect(ui.rpcKeyText('tron:shasta')).toBe('TRON Shasta (tron:shasta)');
    expect(ui.looksLikeTronAddress(PAYEE)).toBe(true);
    const fee = { atomic: '1000', token: '0.001 USDT', to: FEE_TO, totalToken: '0.011 USDT', totalUsd: '$0.011' };
    expect(ui.feeText(fee)).toBe(`0.001 USDT to ${FEE_TO} (the facilitator), paid on top of the amount from the same token`);
    expect(ui.feeText(fee, 'exact_gasfree')).toMatch(/^at most /);
    expect(ui.feeText({ ...fee, atomic: '0' })).toBe('No fee');
    expect(ui.totalText(fee)).toBe('Total 0.011 USDT ($0.011), fee included');
    const a = { spender: TRON_NETWORK_TABLE[TRON_NILE]!.paymentPermit, needed: '0.011 USDT' };
    expect(ui.allowanceText({ ...a, atomic: '5000000', token: '5 USDT', sufficient: true })).toMatch(/^Approved: that contract may move 5 USDT .*transferFrom/);
    expect(ui.allowanceText({ ...a, atomic: '0', token: '0 USDT', sufficient: false })).toMatch(/^Missing: .*at least 0\.011 USDT.*Approve it/);
    expect(ui.allowanceText({ ...a, atomic: null, token: null, sufficient: null })).toMatch(/^Unknown/);
  });
});

describe('the allowance approval transaction equals TronWeb’s encoding and signature', () => {
  it('raw bytes, transaction id and signature', async () => {
    const { utils } = await import('tronweb');
    const pk = keyOf(0);
    const owner = tronAddressOfPrivateKey(pk);
    const spender = TRON_NETWORK_TABLE[TRON_NILE]!.paymentPermit;
    const cases = [
      { amount: 11_000n, feeLimitSun: 30_000_000n },
      { amount: 2n ** 256n - 1n, feeLimitSun: 1n },
      { amount: 1n, feeLimitSun: MAX_FEE_LIMIT_SUN },
    ];
    for (const c of cases) {
      const t = { owner, token: USDT_NILE, spender, amount: c.amount, refBlock: { number: 51_234_567n, hash: '0x' + '0000000003'.padEnd(64, 'ab') }, timestamp: 1_767_000_000_123, expiration: 1_767_000_060_123, feeLimitSun: c.feeLimitSun };
      const raw = approveTransactionRaw(t);
      const json = {
        visible: false,
        raw_data: {
          contract: [{ parameter: { value: { data: approveCallData(spender, c.amount), owner_address: tronToHex41(owner), contract_address: tronToHex41(USDT_NILE) }, type_url: 'type.googleapis.com/protocol.TriggerSmartContract' }, type: 'TriggerSmartContract' }],
          ref_block_bytes: (51_234_567).toString(16).padStart(16, '0').slice(12),
          ref_block_hash: t.refBlock.hash.slice(2 + 16, 2 + 32),
          expiration: t.expiration,
          timestamp: t.timestamp,
          fee_limit: Number(c.feeLimitSun),
        },
      };
      const theirs = utils.transaction.txPbToRawDataHex(utils.transaction.txJsonToPb(json as never)).toLowerCase();
      expect(Buffer.from(raw).toString('hex')).toBe(theirs);
      const txID = transactionId(raw);
      expect(txID).toBe(utils.transaction.txPbToTxID(utils.transaction.txJsonToPb(json as never)).replace(/^0x/, ''));
      const signed = utils.crypto.signTransaction(pk.slice(2), { txID, raw_data_hex: theirs } as never) as { signature: string[] };
      const account = privateKeyToAccount(pk);
      const ours = hexToBytes(await account.sign({ hash: `0x${txID}` }));
      expect(Buffer.from(ours).toString('hex')).toBe(signed.signature[0]!.toLowerCase());
      expect(signedTransactionHex(raw, ours)).toMatch(/^0a/);
    }
    expect(() => approveTransactionRaw({ owner, token: USDT_NILE, spender, amount: 1n, refBlock: { number: 1n, hash: '0x' + '00'.repeat(32) }, timestamp: 1, expiration: 2, feeLimitSun: MAX_FEE_LIMIT_SUN + 1n })).toThrow();
  });

  it('custody signs sha256(raw) with the TRON key, as TronWeb does', async () => {
    const { fakeBrowser } = await import('wxt/testing/fake-browser');
    fakeBrowser.reset();
    const { createCustodyService } = await import('../../lib/custody/service');
    const svc = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await svc.importMnemonic(TEST_PHRASE, 'hunter2-but-longer');
    const signer = await svc.getSigner('tron');
    const raw = approveTransactionRaw({ owner: signer.address, token: USDT_NILE, spender: PAYEE, amount: 5n, refBlock: { number: 7n, hash: '0x' + '12'.repeat(32) }, timestamp: 10, expiration: 20, feeLimitSun: 5n });
    const { utils } = await import('tronweb');
    const signed = utils.crypto.signTransaction(keyOf(0).slice(2), { txID: transactionId(raw) } as never) as { signature: string[] };
    expect(Buffer.from(await signer.signTransaction!(raw)).toString('hex')).toBe(signed.signature[0]!.toLowerCase());
  });
});

describe('granting the PaymentPermit allowance (lib/background/tron-allowance.ts)', () => {
  it('exactly what is needed by default; a cap must cover it; unlimited only with its own confirmation', async () => {
    const { amountOf, httpApiOf, MAX_UINT256 } = await import('../../lib/background/tron-allowance');
    const t = { needed: 11_000n, asset: defaultTronAssets()[0]! } as Parameters<typeof amountOf>[0];
    expect(amountOf(t, {})).toBe(11_000n);
    expect(amountOf(t, { amountAtomic: '5000000' })).toBe(5_000_000n);
    expect(() => amountOf(t, { amountAtomic: '10999' })).toThrow(/must cover this payment/);
    expect(() => amountOf(t, { amountAtomic: '1.5' })).toThrow(/whole number/);
    expect(() => amountOf(t, { unlimited: true })).toThrow(/own confirmation/);
    expect(() => amountOf(t, { amountAtomic: MAX_UINT256.toString() })).toThrow(/own confirmation/);
    expect(amountOf(t, { unlimited: true, confirmUnlimited: true })).toBe(MAX_UINT256);
    expect(httpApiOf('https://api.trongrid.io/jsonrpc')).toBe('https://api.trongrid.io');
    expect(httpApiOf('http://127.0.0.1:9/node/jsonrpc/')).toBe('http://127.0.0.1:9/node');
    expect(() => httpApiOf('https://api.trongrid.io')).toThrow(/jsonrpc/);
  });
});
