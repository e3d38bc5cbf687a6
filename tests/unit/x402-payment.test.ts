import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodePaymentSignatureHeader, encodePaymentRequiredHeader } from '@x402/core/http';
import { PaymentPayloadV1Schema, PaymentPayloadV2Schema } from '@x402/core/schemas';
import { x402ResourceServer } from '@x402/core/server';
import { authorizationTypes, PERMIT2_ADDRESS, permit2WitnessTypes, x402ExactPermit2ProxyAddress } from '@x402/evm';
import { ExactEvmScheme as ExactEvmFacilitator } from '@x402/evm/exact/facilitator';
import { ExactEvmSchemeV1 as ExactEvmFacilitatorV1 } from '@x402/evm/exact/v1/facilitator';
import { extractAndValidatePaymentIdentifier } from '@x402/extensions/payment-identifier';
import { getAddress, recoverTypedDataAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { parsePaymentRequired } from '../../lib/x402/parse.ts';
import { createRegistry, localPlaygroundAsset } from '../../lib/x402/registry.ts';
import { evaluateOptions } from '../../lib/x402/validate.ts';
import { createPaymentHeader, PaymentBuildError, type PaymentSigner, type TypedDataRequest } from '../../lib/x402/payment.ts';
import type { PaymentRequiredNormalized } from '../../lib/x402/types.ts';
import type { EvmOption, PayableOption } from '../../lib/rails/types.ts';

// Well-known anvil test key #0 (public; never holds real funds).
const account = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
const other = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const signer: PaymentSigner = {
  rail: 'evm',
  address: account.address,
  signTypedData: (args) => account.signTypedData(args as Parameters<typeof account.signTypedData>[0]),
};

const USDC_BASE = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913';
const MEGA_USD = '0xFAfDdbb3FC7688494971a79cc65DCa3EF82079E7';
const LOCAL_USDC = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const PAY_TO_LOWER = '0x209693bc6afc0c5328ba36faf03c514ef312287c';
const NOW_MS = 1_750_000_000_123;
const NOW = Math.floor(NOW_MS / 1000);

const registry = createRegistry([localPlaygroundAsset({ chainId: 84532, address: LOCAL_USDC })]);

function v2Pr(option: Record<string, unknown>, extensions?: Record<string, unknown>): PaymentRequiredNormalized {
  const doc = {
    x402Version: 2,
    resource: { url: 'https://news.example/ärticle', description: 'Zeitung — 新聞 📰', mimeType: 'text/html' },
    accepts: [option],
    ...(extensions ? { extensions } : {}),
  };
  const r = parsePaymentRequired({ status: 402, headers: { 'PAYMENT-REQUIRED': encodePaymentRequiredHeader(doc as never) } });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function v1Pr(option: Record<string, unknown>): PaymentRequiredNormalized {
  const body = JSON.stringify({ x402Version: 1, error: 'X-PAYMENT header is required', accepts: [option] });
  const r = parsePaymentRequired({ status: 402, headers: {}, bodyText: body });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function payable(pr: PaymentRequiredNormalized): EvmOption {
  const { payable, rejected } = evaluateOptions(pr, registry);
  expect(rejected).toEqual([]);
  return payable[0] as EvmOption;
}

const v2Option = {
  scheme: 'exact',
  network: 'eip155:8453',
  amount: '12345',
  asset: USDC_BASE,
  payTo: PAY_TO_LOWER, // the server's casing must survive the echo
  maxTimeoutSeconds: 3600, // clamped to 600
  extra: { name: 'USD Coin', version: '2', vendorHint: { a: [1, 2] } },
};

const v1Option = {
  scheme: 'exact',
  network: 'base-sepolia',
  maxAmountRequired: '2500',
  resource: 'https://api.example/v1/thing',
  description: 'v1 thing',
  mimeType: 'application/json',
  payTo: PAY_TO_LOWER,
  maxTimeoutSeconds: 120,
  asset: LOCAL_USDC,
  extra: { name: 'USD Coin', version: '2' },
};

/** Offline facilitator signer: EOA payer, deployed asset, simulation succeeds and is recorded. */
function offlineFacilitatorSigner(asset: string) {
  const calls: { functionName: string; args?: readonly unknown[] }[] = [];
  return {
    calls,
    signer: {
      getAddresses: () => ['0x000000000000000000000000000000000000fAc1'] as const,
      getCode: async ({ address }: { address: string }) => (address.toLowerCase() === asset.toLowerCase() ? '0x6080' : '0x'),
      readContract: async (args: { functionName: string; args?: readonly unknown[] }) => {
        calls.push(args);
        return undefined;
      },
      verifyTypedData: async () => false,
      writeContract: async () => {
        throw new Error('offline');
      },
      sendTransaction: async () => {
        throw new Error('offline');
      },
      waitForTransactionReceipt: async () => {
        throw new Error('offline');
      },
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW_MS);
});
afterEach(() => vi.useRealTimers());

describe('createPaymentHeader — v2 EIP-3009', () => {
  it('builds PAYMENT-SIGNATURE with verbatim accepted/resource, clamped validBefore and a recoverable signature', async () => {
    const pr = v2Pr(v2Option);
    const option = payable(pr);
    const out = await createPaymentHeader({ pr, option, signer });

    expect(out.headerName).toBe('PAYMENT-SIGNATURE');
    expect(out.headerValue).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const decoded = decodePaymentSignatureHeader(out.headerValue) as unknown as Record<string, any>;
    expect(PaymentPayloadV2Schema.safeParse(decoded).success).toBe(true);
    expect(decoded.x402Version).toBe(2);
    expect(decoded.accepted).toStrictEqual(v2Option);
    expect(JSON.stringify(decoded.accepted)).toBe(JSON.stringify(v2Option)); // same keys, order and casing
    expect(decoded.resource).toStrictEqual((pr.raw as any).resource);
    expect('extensions' in decoded).toBe(false);
    expect(out.paymentId).toBeUndefined();

    const auth = decoded.payload.authorization;
    expect(auth).toEqual({
      from: account.address,
      to: getAddress(PAY_TO_LOWER),
      value: '12345',
      validAfter: '0',
      validBefore: String(NOW + 600),
      nonce: expect.stringMatching(/^0x[0-9a-f]{64}$/),
    });
    expect(out.summary).toEqual({
      from: account.address,
      to: getAddress(PAY_TO_LOWER),
      value: 12345n,
      validAfter: 0n,
      validBefore: BigInt(NOW + 600),
      nonce: auth.nonce,
      network: 'eip155:8453',
      transferMethod: 'eip3009',
      authorizationId: auth.nonce, // binds an on-chain receipt to this authorization
    });

    const recovered = await recoverTypedDataAddress({
      domain: { name: 'USD Coin', version: '2', chainId: 8453, verifyingContract: USDC_BASE },
      types: authorizationTypes,
      primaryType: 'TransferWithAuthorization',
      message: { ...auth, value: BigInt(auth.value), validAfter: BigInt(auth.validAfter), validBefore: BigInt(auth.validBefore) },
      signature: decoded.payload.signature,
    });
    expect(recovered).toBe(account.address);
  });

  it('uses a fresh nonce per signature', async () => {
    const pr = v2Pr(v2Option);
    const option = payable(pr);
    const a = await createPaymentHeader({ pr, option, signer });
    const b = await createPaymentHeader({ pr, option, signer });
    expect(a.summary.nonce).not.toBe(b.summary.nonce);
  });

  it('matches what the official server expects and passes the official facilitator verify (offline)', async () => {
    const pr = v2Pr(v2Option, { 'payment-identifier': { info: { required: true }, schema: { type: 'object' } } });
    const option = payable(pr);
    const out = await createPaymentHeader({ pr, option, signer, paymentId: 'pay_0123456789abcdef' });
    const payload = decodePaymentSignatureHeader(out.headerValue);

    const server = new x402ResourceServer();
    expect(server.findMatchingRequirements(pr.accepts as never, payload)).toBe(pr.accepts[0]);
    expect(server.validateExtensions(pr.raw as never, payload)).toEqual({ valid: true });
    // Negative control: a wallet that normalizes payTo gets "No matching payment requirements".
    const normalized = { ...payload, accepted: { ...payload.accepted, payTo: getAddress(PAY_TO_LOWER) } };
    expect(server.findMatchingRequirements(pr.accepts as never, normalized)).toBeUndefined();

    const { signer: fSigner, calls } = offlineFacilitatorSigner(USDC_BASE);
    const facilitator = new ExactEvmFacilitator(fSigner as never);
    expect(await facilitator.verify(payload, pr.accepts[0] as never)).toMatchObject({ isValid: true, payer: account.address });
    expect(calls.map((c) => c.functionName)).toEqual(['transferWithAuthorization']);
    // Negative control: the same verifier refuses a tampered value.
    const tampered = structuredClone(payload) as any;
    tampered.payload.authorization.value = '12346';
    expect(await facilitator.verify(tampered, pr.accepts[0] as never)).toMatchObject({ isValid: false });
  });

  it('echoes extensions and adds the given payment-identifier id (valid per @x402/extensions)', async () => {
    const declared = {
      'payment-identifier': { info: { required: true }, schema: { type: 'object', required: ['required'] } },
      bazaar: { info: { discoverable: true, tags: ['news'] } },
    };
    const pr = v2Pr(v2Option, declared);
    const out = await createPaymentHeader({ pr, option: payable(pr), signer, paymentId: 'pay_0123456789abcdef' });
    const payload = decodePaymentSignatureHeader(out.headerValue);
    expect(out.paymentId).toBe('pay_0123456789abcdef');
    expect(payload.extensions).toEqual({
      'payment-identifier': { info: { required: true, id: 'pay_0123456789abcdef' }, schema: declared['payment-identifier'].schema },
      bazaar: declared.bazaar,
    });
    expect(extractAndValidatePaymentIdentifier(payload)).toMatchObject({ id: 'pay_0123456789abcdef', validation: { valid: true } });
    // The parsed (frozen) declaration is not mutated.
    expect((pr.extensions as any)['payment-identifier'].info.id).toBeUndefined();
  });

  it('generates and returns a payment id when the server declared the extension and none was given', async () => {
    const pr = v2Pr(v2Option, { 'payment-identifier': { info: { required: false } } });
    const out = await createPaymentHeader({ pr, option: payable(pr), signer });
    expect(out.paymentId).toMatch(/^pay_[0-9a-f]{32}$/);
    expect(decodePaymentSignatureHeader(out.headerValue).extensions).toEqual({
      'payment-identifier': { info: { required: false, id: out.paymentId } },
    });
  });

  it('refuses a malformed payment id', async () => {
    const pr = v2Pr(v2Option, { 'payment-identifier': { info: { required: true } } });
    await expect(createPaymentHeader({ pr, option: payable(pr), signer, paymentId: 'short' })).rejects.toThrow(PaymentBuildError);
    await expect(createPaymentHeader({ pr, option: payable(pr), signer, paymentId: 'has spaces in it!!!!' })).rejects.toThrow(PaymentBuildError);
  });

  it('signs the TRUSTED EIP-712 domain and the clamped window (what reaches the signer)', async () => {
    const seen: TypedDataRequest[] = [];
    const spy: PaymentSigner = { rail: 'evm', address: signer.address, signTypedData: (r) => (seen.push(r), signer.signTypedData(r)) };
    const pr = v2Pr({ ...v2Option, maxTimeoutSeconds: 45 });
    await createPaymentHeader({ pr, option: payable(pr), signer: spy });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.domain).toEqual({ name: 'USD Coin', version: '2', chainId: 8453, verifyingContract: USDC_BASE });
    expect(seen[0]!.message.validBefore).toBe(BigInt(NOW + 45));
  });
});

describe('createPaymentHeader — refusals', () => {
  it('refuses an option that is not from this payment request', async () => {
    const pr = v2Pr(v2Option);
    const otherPr = v2Pr({ ...v2Option });
    await expect(createPaymentHeader({ pr, option: payable(otherPr), signer })).rejects.toThrow(/does not belong/);
  });

  it('refuses when custody signs with a different key than the wallet address', async () => {
    const liar: PaymentSigner = {
      rail: 'evm',
      address: account.address,
      signTypedData: (args) => other.signTypedData(args as Parameters<typeof other.signTypedData>[0]),
    };
    const pr = v2Pr(v2Option);
    await expect(createPaymentHeader({ pr, option: payable(pr), signer: liar })).rejects.toThrow(/not made by the wallet/);
  });

  it('propagates a custody refusal without producing a header', async () => {
    const refusing: PaymentSigner = { rail: 'evm', address: account.address, signTypedData: async () => Promise.reject(new Error('locked')) };
    const pr = v2Pr(v2Option);
    await expect(createPaymentHeader({ pr, option: payable(pr), signer: refusing })).rejects.toThrow('locked');
  });

  it.each<[string, (o: EvmOption) => EvmOption]>([
    ['amount', (o) => ({ ...o, amount: o.amount * 100n })],
    ['payTo', (o) => ({ ...o, payTo: getAddress('0x1111111111111111111111111111111111111111') })],
    ['asset', (o) => ({ ...o, asset: { ...o.asset, address: getAddress(MEGA_USD) } })],
    ['timeout above the server value', (o) => ({ ...o, maxTimeoutSeconds: o.requestedTimeoutSeconds + 1 })],
    ['network', (o) => ({ ...o, wireNetwork: 'eip155:1' })],
    ['transfer method', (o) => ({ ...o, transferMethod: 'permit2' })],
  ])('refuses a PayableOption edited after validation (%s)', async (_name, edit) => {
    const pr = v2Pr(v2Option);
    const option = payable(pr);
    await expect(createPaymentHeader({ pr, option: edit(option), signer })).rejects.toThrow(/differs from the server/);
    await expect(createPaymentHeader({ pr, option, signer })).resolves.toBeDefined();
  });

  it('a payload whose signed recipient differs from accepted is refused by the official verifier (why the checks matter)', async () => {
    const pr = v2Pr(v2Option);
    const out = await createPaymentHeader({ pr, option: payable(pr), signer });
    const payload = decodePaymentSignatureHeader(out.headerValue) as any;
    payload.payload.authorization.to = getAddress('0x1111111111111111111111111111111111111111');
    const { signer: fSigner } = offlineFacilitatorSigner(USDC_BASE);
    const res = await new ExactEvmFacilitator(fSigner as never).verify(payload, pr.accepts[0] as never);
    expect(res.isValid).toBe(false);
  });
});

describe('createPaymentHeader — v2 Permit2', () => {
  it('signs a Permit2 witness transfer to the fixed x402 proxy', async () => {
    const opt = {
      scheme: 'exact',
      network: 'eip155:4326',
      amount: '10000000000000000',
      asset: MEGA_USD,
      payTo: PAY_TO_LOWER,
      maxTimeoutSeconds: 300,
      extra: { assetTransferMethod: 'permit2', name: 'MegaUSD', version: '1' },
    };
    const pr = v2Pr(opt);
    const out = await createPaymentHeader({ pr, option: payable(pr), signer });
    const payload = decodePaymentSignatureHeader(out.headerValue) as any;
    expect(payload.accepted).toStrictEqual(opt);
    const p = payload.payload.permit2Authorization;
    expect(p).toMatchObject({
      from: account.address,
      permitted: { token: MEGA_USD, amount: '10000000000000000' },
      spender: x402ExactPermit2ProxyAddress,
      deadline: String(NOW + 300),
      witness: { to: getAddress(PAY_TO_LOWER), validAfter: '0' },
    });
    const recovered = await recoverTypedDataAddress({
      domain: { name: 'Permit2', chainId: 4326, verifyingContract: PERMIT2_ADDRESS },
      types: permit2WitnessTypes,
      primaryType: 'PermitWitnessTransferFrom',
      message: {
        permitted: { token: p.permitted.token, amount: BigInt(p.permitted.amount) },
        spender: p.spender,
        nonce: BigInt(p.nonce),
        deadline: BigInt(p.deadline),
        witness: { to: p.witness.to, validAfter: BigInt(p.witness.validAfter) },
      },
      signature: payload.payload.signature,
    });
    expect(recovered).toBe(account.address);
    expect(out.summary).toMatchObject({ transferMethod: 'permit2', value: 10n ** 16n, validBefore: BigInt(NOW + 300) });
    // reconciliation asks Permit2's nonce bitmap about exactly this nonce
    expect(out.summary.authorizationId).toBe(`permit2:${BigInt(p.nonce)}`);
  });
});

describe('createPaymentHeader — v1', () => {
  it('builds X-PAYMENT in the v1 shape and passes the official v1 facilitator verify (offline)', async () => {
    const pr = v1Pr(v1Option);
    const option = payable(pr);
    expect(option.network).toBe('eip155:84532');
    const out = await createPaymentHeader({ pr, option, signer });
    expect(out.headerName).toBe('X-PAYMENT');
    const payload = decodePaymentSignatureHeader(out.headerValue) as any;
    expect(PaymentPayloadV1Schema.safeParse(payload).success).toBe(true);
    expect(Object.keys(payload).sort()).toEqual(['network', 'payload', 'scheme', 'x402Version']);
    expect(payload).toMatchObject({ x402Version: 1, scheme: 'exact', network: 'base-sepolia' });
    const auth = payload.payload.authorization;
    expect(auth).toMatchObject({
      from: account.address,
      to: getAddress(PAY_TO_LOWER),
      value: '2500',
      validAfter: String(NOW - 600),
      validBefore: String(NOW + 120),
    });
    const recovered = await recoverTypedDataAddress({
      domain: { name: 'USD Coin', version: '2', chainId: 84532, verifyingContract: LOCAL_USDC },
      types: authorizationTypes,
      primaryType: 'TransferWithAuthorization',
      message: { ...auth, value: 2500n, validAfter: BigInt(auth.validAfter), validBefore: BigInt(auth.validBefore) },
      signature: payload.payload.signature,
    });
    expect(recovered).toBe(account.address);

    const { signer: fSigner } = offlineFacilitatorSigner(LOCAL_USDC);
    const facilitator = new ExactEvmFacilitatorV1(fSigner as never);
    expect(await facilitator.verify(payload, pr.accepts[0] as never)).toMatchObject({ isValid: true });
  });

  it('v1 validBefore uses the clamped timeout', async () => {
    const pr = v1Pr({ ...v1Option, maxTimeoutSeconds: 7200 });
    const out = await createPaymentHeader({ pr, option: payable(pr), signer });
    expect(out.summary.validBefore).toBe(BigInt(NOW + 600));
    expect(out.summary.value).toBe(2500n);
  });
});
