/**
 * EVM `exact` payments: the header for one validated option, built with the official client
 * schemes (`ExactEvmScheme` from @x402/evm/exact/client for v2, `ExactEvmSchemeV1` from
 * @x402/evm/v1 for v1) with an abstract signer (the custody service holds the key).
 *
 * What the official schemes are given is a *signing copy* of the requirements built only
 * from validated/trusted values: trusted asset address and EIP-712 name/version, the bigint
 * amount, the checksummed payTo and the CLAMPED maxTimeoutSeconds (the schemes compute
 * `validBefore = now + maxTimeoutSeconds` from the system clock). What is sent back to the
 * server is separate: the v2 payload echoes `accepted` = the raw option verbatim, the raw
 * `resource`, and the server's `extensions` (plus our `payment-identifier` id). Both hold.
 *
 * After signing, the produced authorization is checked against the option (from, to,
 * value, window, spender/token), the EIP-712 domain that was signed is checked against the
 * trusted table, and the signature must recover the wallet address — before a header is
 * returned. A library change or a custody mix-up can never silently send something
 * different from what was validated.
 */
import { PERMIT2_ADDRESS, x402ExactPermit2ProxyAddress } from '@x402/evm';
import { PERMIT2_AUTHORIZATION_PREFIX } from './balance.ts';
import { ExactEvmScheme } from '@x402/evm/exact/client';
import { ExactEvmSchemeV1 } from '@x402/evm/v1';
import { isAddress, isAddressEqual, recoverTypedDataAddress } from 'viem';
import {
  PaymentBuildError,
  assertPaymentId,
  buildExtensions,
  checkCommonFieldsMatchRaw,
  signingRequirements,
  v1HeaderValue,
  v2HeaderValue,
} from '../../x402/payload.ts';
import type { PaymentRequiredNormalized } from '../../x402/types.ts';
import type { CreatePaymentArgs, EvmOption, EvmSigner, PaymentHeader, PaymentSummary, TypedDataRequest } from '../types.ts';
import { isRecord } from '../../x402/json.ts';
import { createUptoPayment } from './upto-payment.ts';
import { checkSponsoredPermit, EIP2612_GAS_SPONSORING, nonceReader, offersEip2612Sponsoring } from './sponsored.ts';

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The trusted EIP-712 domain (never the server's) and the transfer method. */
function signingExtra(o: EvmOption): Record<string, unknown> {
  const extra: Record<string, unknown> = { name: o.asset.eip712.name, version: o.asset.eip712.version };
  if (o.transferMethod === 'permit2') extra.assetTransferMethod = 'permit2';
  return extra;
}

function fail(what: string): never {
  throw new PaymentBuildError(`signed payload does not match the validated option: ${what}`);
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') fail(`${what} missing`);
  return v;
}

function uint(v: unknown, what: string): bigint {
  const s = str(v, what);
  if (!/^(0|[1-9][0-9]*)$/.test(s)) fail(`${what} is not a decimal integer`);
  return BigInt(s);
}

/** Check the scheme's output against the option and summarize it. */
function checkAndSummarize(
  payload: Record<string, unknown>,
  o: EvmOption,
  signer: EvmSigner,
  t0: number,
  t1: number,
): PaymentSummary {
  if (typeof payload.signature !== 'string' || !/^0x[0-9a-fA-F]+$/.test(payload.signature)) fail('signature');
  let s: PaymentSummary;
  if (o.transferMethod === 'eip3009') {
    const a = payload.authorization;
    if (!isRecord(a)) fail('authorization missing');
    const nonce = str(a.nonce, 'nonce');
    if (!/^0x[0-9a-fA-F]{64}$/.test(nonce)) fail('nonce');
    s = {
      from: str(a.from, 'from') as `0x${string}`,
      to: str(a.to, 'to') as `0x${string}`,
      value: uint(a.value, 'value'),
      validAfter: uint(a.validAfter, 'validAfter'),
      validBefore: uint(a.validBefore, 'validBefore'),
      nonce,
      network: o.network,
      transferMethod: o.transferMethod,
      authorizationId: nonce,
    };
  } else {
    const p = payload.permit2Authorization;
    if (!isRecord(p) || !isRecord(p.permitted) || !isRecord(p.witness)) fail('permit2Authorization missing');
    const spender = str(p.spender, 'spender');
    if (!isAddress(spender, { strict: false }) || !isAddressEqual(spender, x402ExactPermit2ProxyAddress)) fail('spender');
    const token = str(p.permitted.token, 'token');
    if (!isAddress(token, { strict: false }) || !isAddressEqual(token, o.asset.address)) fail('token');
    s = {
      from: str(p.from, 'from') as `0x${string}`,
      to: str(p.witness.to, 'to') as `0x${string}`,
      value: uint(p.permitted.amount, 'amount'),
      validAfter: uint(p.witness.validAfter, 'validAfter'),
      validBefore: uint(p.deadline, 'deadline'),
      nonce: uint(p.nonce, 'nonce').toString(),
      network: o.network,
      transferMethod: o.transferMethod,
      // Permit2's nonce bitmap tells whether it was used (reconciliation asks it)
      authorizationId: `${PERMIT2_AUTHORIZATION_PREFIX}${uint(p.nonce, 'nonce').toString()}`,
    };
  }
  if (!isAddress(s.from, { strict: false }) || !isAddressEqual(s.from, signer.address)) fail('from');
  if (!isAddress(s.to, { strict: false }) || !isAddressEqual(s.to, o.payTo)) fail('to');
  if (s.value !== o.amount) fail('value');
  const lo = BigInt(t0 + o.maxTimeoutSeconds);
  const hi = BigInt(t1 + o.maxTimeoutSeconds);
  if (s.validBefore < lo || s.validBefore > hi) fail('validBefore is not now + the clamped timeout');
  if (s.validAfter > BigInt(t1)) fail('validAfter is in the future');
  return s;
}

/** The normalized option must still say what its raw (echoed) object says. */
function checkOptionMatchesRaw(pr: PaymentRequiredNormalized, o: EvmOption): void {
  const raw = o.raw as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new PaymentBuildError(`option ${what} differs from the server's option`);
  };
  checkCommonFieldsMatchRaw(pr, o);
  if (typeof raw.payTo !== 'string' || raw.payTo.toLowerCase() !== o.payTo.toLowerCase()) bad('payTo');
  if (typeof raw.asset !== 'string' || raw.asset.toLowerCase() !== o.asset.address.toLowerCase()) bad('asset');
  const method = (raw.extra as Record<string, unknown> | undefined)?.assetTransferMethod === 'permit2' ? 'permit2' : 'eip3009';
  if (method !== o.transferMethod) bad('transfer method');
}

/**
 * Exactly one EIP-712 signature, over the trusted domain, matching the payload's signature
 * and recovering the wallet address.
 */
async function checkSignedData(
  signed: readonly { request: TypedDataRequest; signature: `0x${string}` }[],
  payload: Record<string, unknown>,
  o: EvmOption,
  signer: EvmSigner,
): Promise<void> {
  if (signed.length !== 1) fail(`expected one signature, got ${signed.length}`);
  const { request, signature } = signed[0]!;
  if (payload.signature !== signature) fail('signature differs from the one produced');
  const d = request.domain;
  if (o.transferMethod === 'eip3009') {
    if (request.primaryType !== 'TransferWithAuthorization') fail('primary type');
    if (d.name !== o.asset.eip712.name || d.version !== o.asset.eip712.version) fail('EIP-712 domain name/version');
    if (typeof d.verifyingContract !== 'string' || !isAddressEqual(d.verifyingContract as `0x${string}`, o.asset.address)) {
      fail('verifying contract');
    }
  } else {
    if (request.primaryType !== 'PermitWitnessTransferFrom') fail('primary type');
    if (d.name !== 'Permit2' || typeof d.verifyingContract !== 'string' || !isAddressEqual(d.verifyingContract as `0x${string}`, PERMIT2_ADDRESS)) {
      fail('Permit2 domain');
    }
  }
  if (d.chainId !== o.asset.chainId) fail('chain id');
  let recovered: `0x${string}`;
  try {
    recovered = await recoverTypedDataAddress({ ...(request as Parameters<typeof recoverTypedDataAddress>[0]), signature });
  } catch {
    fail('signature cannot be recovered');
  }
  if (!isAddressEqual(recovered, signer.address)) fail('signature was not made by the wallet address');
}

/**
 * Sign `option` and build the header to retry the request with.
 * v2 → `PAYMENT-SIGNATURE`, v1 → `X-PAYMENT`.
 */
export async function createEvmPayment(args: CreatePaymentArgs<EvmOption, EvmSigner>): Promise<PaymentHeader> {
  const { pr, option, signer } = args;
  if (pr.accepts[option.index] !== option.raw) throw new PaymentBuildError('option does not belong to this payment request');
  if (option.scheme === 'upto') return createUptoPayment(args);
  if (option.scheme !== 'exact') throw new PaymentBuildError('only the exact and upto schemes are supported');
  if (!signer || signer.rail !== 'evm' || typeof signer.address !== 'string' || !isAddress(signer.address, { strict: false })) {
    throw new PaymentBuildError('signer has no valid address');
  }
  if (pr.version === 1 && option.transferMethod !== 'eip3009') throw new PaymentBuildError('x402 v1 supports EIP-3009 only');
  checkOptionMatchesRaw(pr, option);
  assertPaymentId(args.paymentId);

  // Only address + signTypedData: the official scheme then cannot read chain state or
  // sign approval transactions (gas-sponsoring extensions need explicit consent elsewhere).
  const signed: { request: TypedDataRequest; signature: `0x${string}` }[] = [];
  const minimalSigner = {
    address: signer.address,
    signTypedData: async (request: TypedDataRequest) => {
      const signature = await signer.signTypedData(request);
      signed.push({ request, signature });
      return signature;
    },
  };
  const requirements = signingRequirements(pr, option, signingExtra(option));

  if (pr.version === 2) {
    const ext = buildExtensions(pr, args.paymentId);
    // the EIP-2612 gas-sponsoring permit: only with the user's consent, only when the server offers it
    const sponsored = args.consent?.eip2612Permit === true;
    if (sponsored && !offersEip2612Sponsoring(pr.extensions, option)) throw new PaymentBuildError('the server does not offer EIP-2612 gas sponsoring for this option');
    if (sponsored && !args.rpcUrl) throw new PaymentBuildError('an RPC endpoint is needed to read the permit nonce');
    const schemeSigner = sponsored ? { ...minimalSigner, readContract: nonceReader(args.rpcUrl!, option.asset.chainId) } : minimalSigner;
    const t0 = nowSeconds();
    const result = await new ExactEvmScheme(schemeSigner as typeof minimalSigner).createPaymentPayload(2, requirements, sponsored ? { extensions: pr.extensions as Record<string, unknown> } : undefined);
    const t1 = nowSeconds();
    let extensions = ext.extensions;
    const permitSigs = signed.filter((s) => s.request.primaryType === 'Permit');
    if (sponsored && result.extensions && Object.keys(result.extensions).length > 0) {
      const p2 = (result.payload as Record<string, unknown>).permit2Authorization as Record<string, unknown> | undefined;
      const checked = await checkSponsoredPermit(result.extensions, permitSigs, option, signer, String(p2?.deadline ?? ''));
      // the server's declaration is echoed (servers refuse a changed echo); the signed permit fills its info
      const declared = (extensions?.[EIP2612_GAS_SPONSORING] ?? {}) as Record<string, unknown>;
      const ours = checked[EIP2612_GAS_SPONSORING] as { info: Record<string, unknown> };
      const declaredInfo = isRecord(declared.info) ? declared.info : {};
      extensions = { ...(extensions ?? {}), [EIP2612_GAS_SPONSORING]: { ...declared, info: { ...declaredInfo, ...ours.info } } };
    } else if (result.extensions && Object.keys(result.extensions).length > 0) {
      throw new PaymentBuildError('the scheme attached extensions that were not consented to');
    } else if (permitSigs.length > 0) {
      throw new PaymentBuildError('a permit was signed but not attached');
    }
    const summary = checkAndSummarize(result.payload, option, signer, t0, t1);
    await checkSignedData(
      signed.filter((s) => s.request.primaryType !== 'Permit'),
      result.payload,
      option,
      signer,
    );
    const out: PaymentHeader = {
      headerName: 'PAYMENT-SIGNATURE',
      headerValue: v2HeaderValue(pr, option.raw, result.payload, extensions),
      summary,
    };
    if (ext.paymentId) out.paymentId = ext.paymentId;
    return out;
  }

  const t0 = nowSeconds();
  const result = await new ExactEvmSchemeV1(minimalSigner).createPaymentPayload(1, requirements);
  const t1 = nowSeconds();
  const summary = checkAndSummarize(result.payload, option, signer, t0, t1);
  await checkSignedData(signed, result.payload, option, signer);
  return { headerName: 'X-PAYMENT', headerValue: v1HeaderValue(option.wireNetwork, result.payload), summary };
}
