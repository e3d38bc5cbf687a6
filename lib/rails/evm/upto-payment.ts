/**
 * `upto` payments: the header for one validated upto option, built with the official client
 * scheme (`UptoEvmScheme` from @x402/evm/upto/client) over an abstract signer that can only
 * sign typed data — so the scheme cannot read the chain or attach a gas-sponsoring extension
 * (an EIP-2612 permit or an approval transaction) the user did not consent to.
 *
 * The scheme is handed requirements built from validated values only (trusted token, the
 * maximum, the checksummed payTo, the validated facilitator, the clamped timeout). What it
 * produced is checked before a header is returned: exactly one signature, over the Permit2
 * domain of the option's chain with the upto witness types, recovering the wallet's address;
 * spender = the canonical upto proxy; token, amount (= the maximum), payee and facilitator as
 * validated; deadline = now + the clamped timeout; validAfter not in the future.
 */
import { PERMIT2_ADDRESS, x402UptoPermit2ProxyAddress } from '@x402/evm';
import { UptoEvmScheme } from '@x402/evm/upto/client';
import type { PaymentRequirements } from '@x402/core/types';
import { isAddress, isAddressEqual, recoverTypedDataAddress } from 'viem';
import { PaymentBuildError, assertPaymentId, buildExtensions, checkCommonFieldsMatchRaw, v2HeaderValue } from '../../x402/payload.ts';
import { isRecord } from '../../x402/json.ts';
import type { CreatePaymentArgs, EvmOption, EvmSigner, PaymentHeader, PaymentSummary, TypedDataRequest } from '../types.ts';
import { PERMIT2_AUTHORIZATION_PREFIX } from './balance.ts';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function fail(what: string): never {
  throw new PaymentBuildError(`signed payload does not match the validated option: ${what}`);
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') fail(`${what} missing`);
  return v;
}

function uint(v: unknown, what: string): bigint {
  const s = str(v, what);
  if (!/^(0|[1-9][0-9]{0,77})$/.test(s)) fail(`${what} is not a decimal integer`);
  return BigInt(s);
}

function addr(v: unknown, what: string, expected: string): void {
  const s = str(v, what);
  if (!isAddress(s, { strict: false }) || !isAddressEqual(s, expected as `0x${string}`)) fail(what);
}

/** The requirements the official scheme signs: validated and trusted values only. */
export function uptoSigningRequirements(o: EvmOption): PaymentRequirements {
  if (!o.facilitator) throw new PaymentBuildError('upto option without a facilitator');
  return {
    scheme: 'upto',
    network: o.wireNetwork as PaymentRequirements['network'],
    asset: o.asset.address,
    amount: o.amount.toString(),
    payTo: o.payTo,
    maxTimeoutSeconds: o.maxTimeoutSeconds,
    extra: { assetTransferMethod: 'permit2', facilitatorAddress: o.facilitator, name: o.asset.eip712.name, version: o.asset.eip712.version },
  };
}

/** Check the produced payload and signature against the option; the summary for the ledger. */
export async function checkUptoPayload(
  payload: Record<string, unknown>,
  signed: readonly { request: TypedDataRequest; signature: `0x${string}` }[],
  o: EvmOption,
  signer: EvmSigner,
  t0: number,
  t1: number,
): Promise<PaymentSummary> {
  if (signed.length !== 1) fail(`expected one signature, got ${signed.length}`);
  const { request, signature } = signed[0]!;
  if (payload.signature !== signature) fail('signature differs from the one produced');
  const p = payload.permit2Authorization;
  if (!isRecord(p) || !isRecord(p.permitted) || !isRecord(p.witness)) fail('permit2Authorization missing');
  addr(p.spender, 'spender', x402UptoPermit2ProxyAddress);
  addr(p.permitted.token, 'token', o.asset.address);
  addr(p.from, 'from', signer.address);
  addr(p.witness.to, 'to', o.payTo);
  addr(p.witness.facilitator, 'facilitator', o.facilitator ?? '');
  const amount = uint(p.permitted.amount, 'amount');
  if (amount !== o.amount) fail('amount is not the validated maximum');
  const deadline = uint(p.deadline, 'deadline');
  if (deadline < BigInt(t0 + o.maxTimeoutSeconds) || deadline > BigInt(t1 + o.maxTimeoutSeconds)) fail('deadline is not now + the clamped timeout');
  const validAfter = uint(p.witness.validAfter, 'validAfter');
  if (validAfter > BigInt(t1)) fail('validAfter is in the future');
  const nonce = uint(p.nonce, 'nonce');

  // what was signed: the Permit2 domain of this chain, the upto witness, this very message
  const d = request.domain;
  if (request.primaryType !== 'PermitWitnessTransferFrom') fail('primary type');
  if (d.name !== 'Permit2' || typeof d.verifyingContract !== 'string' || !isAddressEqual(d.verifyingContract as `0x${string}`, PERMIT2_ADDRESS)) fail('Permit2 domain');
  if (d.chainId !== o.asset.chainId) fail('chain id');
  const witnessType = (request.types as Record<string, { name: string; type: string }[]>).Witness;
  if (!Array.isArray(witnessType) || witnessType.map((f) => `${f.type} ${f.name}`).join(',') !== 'address to,address facilitator,uint256 validAfter') fail('witness type');
  const m = request.message as Record<string, unknown>;
  const mp = m.permitted as Record<string, unknown> | undefined;
  const mw = m.witness as Record<string, unknown> | undefined;
  if (!mp || !mw || mp.amount !== amount || m.nonce !== nonce || m.deadline !== deadline || mw.validAfter !== validAfter) fail('signed message differs from the payload');
  addr(m.spender, 'signed spender', x402UptoPermit2ProxyAddress);
  addr(mp.token, 'signed token', o.asset.address);
  addr(mw.to, 'signed payee', o.payTo);
  addr(mw.facilitator, 'signed facilitator', o.facilitator ?? '');
  let recovered: `0x${string}`;
  try {
    recovered = await recoverTypedDataAddress({ ...(request as Parameters<typeof recoverTypedDataAddress>[0]), signature });
  } catch {
    fail('signature cannot be recovered');
  }
  if (!isAddressEqual(recovered, signer.address)) fail('signature was not made by the wallet address');
  return {
    from: signer.address,
    to: o.payTo,
    value: amount,
    validAfter,
    validBefore: deadline,
    nonce: nonce.toString(),
    network: o.network,
    transferMethod: 'permit2',
    authorizationId: `${PERMIT2_AUTHORIZATION_PREFIX}${nonce.toString()}`,
  };
}

/** Sign an upto option (v2 only) and build the `PAYMENT-SIGNATURE` header. */
export async function createUptoPayment(args: CreatePaymentArgs<EvmOption, EvmSigner>): Promise<PaymentHeader> {
  const { pr, option, signer } = args;
  if (pr.version !== 2) throw new PaymentBuildError('upto exists only in x402 v2');
  if (option.scheme !== 'upto' || option.transferMethod !== 'permit2') throw new PaymentBuildError('not an upto option');
  const raw = option.raw as Record<string, unknown>;
  checkCommonFieldsMatchRaw(pr, option);
  if (raw.scheme !== 'upto') throw new PaymentBuildError("option scheme differs from the server's option");
  if (typeof raw.payTo !== 'string' || raw.payTo.toLowerCase() !== option.payTo.toLowerCase()) throw new PaymentBuildError("option payTo differs from the server's option");
  if (typeof raw.asset !== 'string' || raw.asset.toLowerCase() !== option.asset.address.toLowerCase()) throw new PaymentBuildError("option asset differs from the server's option");
  const extra = raw.extra as Record<string, unknown> | undefined;
  if (typeof extra?.facilitatorAddress !== 'string' || extra.facilitatorAddress.toLowerCase() !== option.facilitator?.toLowerCase()) {
    throw new PaymentBuildError("option facilitator differs from the server's option");
  }
  assertPaymentId(args.paymentId);

  const signed: { request: TypedDataRequest; signature: `0x${string}` }[] = [];
  const minimalSigner = {
    address: signer.address,
    signTypedData: async (request: TypedDataRequest) => {
      const signature = await signer.signTypedData(request);
      signed.push({ request, signature });
      return signature;
    },
  };
  const ext = buildExtensions(pr, args.paymentId);
  const t0 = nowSeconds();
  const result = await new UptoEvmScheme(minimalSigner).createPaymentPayload(2, uptoSigningRequirements(option));
  const t1 = nowSeconds();
  if (result.extensions && Object.keys(result.extensions).length > 0) throw new PaymentBuildError('the scheme attached extensions that were not consented to');
  const summary = await checkUptoPayload(result.payload, signed, option, signer, t0, t1);
  const out: PaymentHeader = { headerName: 'PAYMENT-SIGNATURE', headerValue: v2HeaderValue(pr, option.raw, result.payload, ext.extensions), summary };
  if (ext.paymentId) out.paymentId = ext.paymentId;
  return out;
}
