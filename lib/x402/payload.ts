/**
 * Rail-independent parts of a payment payload: the `payment-identifier` id, the echo of the
 * server's extensions, and the final v2 / v1 header around a rail's scheme payload.
 * v2 → `PAYMENT-SIGNATURE` with `{x402Version:2, payload, extensions?, resource, accepted}`
 * (`accepted` and `resource` verbatim from the 402); v1 → `X-PAYMENT` with
 * `{x402Version:1, scheme, network, payload}`. Value = standard base64 of the JSON's UTF-8.
 */
import type { PaymentRequirements } from '@x402/core/types';
import { encodeBase64Utf8 } from './base64.ts';
import type { PaymentRequiredNormalized, RawOption } from './types.ts';
import { isRecord } from './json.ts';

export const PAYMENT_IDENTIFIER = 'payment-identifier';
const PAYMENT_ID_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export class PaymentBuildError extends Error {
  override name = 'PaymentBuildError';
}

/** A fresh payment id: "pay_" + 32 hex chars from the platform CSPRNG. */
export function generatePaymentId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'pay_' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function isValidPaymentId(id: unknown): id is string {
  return typeof id === 'string' && PAYMENT_ID_PATTERN.test(id);
}

export function assertPaymentId(id: string | undefined): void {
  if (id !== undefined && !isValidPaymentId(id)) throw new PaymentBuildError('payment id must be 16-128 characters of [A-Za-z0-9_-]');
}

/** Echo the server's extensions (deep copy), adding our payment-identifier id if declared. */
export function buildExtensions(
  pr: PaymentRequiredNormalized,
  paymentId: string | undefined,
): { extensions?: Record<string, unknown>; paymentId?: string } {
  const declared = (pr.raw as Record<string, unknown>).extensions;
  if (!isRecord(declared)) return {};
  const extensions = structuredClone(declared) as Record<string, unknown>;
  const pid = extensions[PAYMENT_IDENTIFIER];
  if (isRecord(pid) && isRecord(pid.info) && typeof pid.info.required === 'boolean') {
    const id = paymentId ?? generatePaymentId();
    assertPaymentId(id);
    pid.info.id = id;
    return { extensions, paymentId: id };
  }
  return { extensions };
}

/** The v2 header value: the scheme payload wrapped with the echoed resource, accepted option and extensions. */
export function v2HeaderValue(pr: PaymentRequiredNormalized, accepted: RawOption, payload: unknown, extensions?: Record<string, unknown>): string {
  const doc: Record<string, unknown> = {
    x402Version: 2,
    payload,
    ...(extensions ? { extensions } : {}),
    resource: (pr.raw as Record<string, unknown>).resource,
    accepted,
  };
  return encodeBase64Utf8(JSON.stringify(doc));
}

/** The v1 header value. */
export function v1HeaderValue(wireNetwork: string, payload: unknown): string {
  return encodeBase64Utf8(JSON.stringify({ x402Version: 1, scheme: 'exact', network: wireNetwork, payload }));
}

/** The normalized option must still say what its raw (echoed) object says (fields common to every rail). */
export function checkCommonFieldsMatchRaw(
  pr: PaymentRequiredNormalized,
  o: { amount: bigint; wireNetwork: string; network: string; maxTimeoutSeconds: number; raw: RawOption; asset: { network: string } },
): void {
  const raw = o.raw as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new PaymentBuildError(`option ${what} differs from the server's option`);
  };
  const amountField = pr.version === 2 ? 'amount' : 'maxAmountRequired';
  if (raw[amountField] !== o.amount.toString()) bad('amount');
  if (raw.network !== o.wireNetwork || o.asset.network !== o.network) bad('network');
  if (typeof raw.maxTimeoutSeconds !== 'number' || !(o.maxTimeoutSeconds > 0) || o.maxTimeoutSeconds > raw.maxTimeoutSeconds) bad('timeout');
}

/**
 * The requirements handed to an official client scheme: a copy built from validated and trusted
 * values only (the rail supplies `extra`), in the version's shape (v1: `maxAmountRequired`, the
 * v1 network name, resource and description inside the option).
 */
export function signingRequirements(
  pr: PaymentRequiredNormalized,
  o: { wireNetwork: string; asset: { address: string }; payTo: string; maxTimeoutSeconds: number; amount: bigint },
  extra: Record<string, unknown>,
): PaymentRequirements {
  const common = {
    scheme: 'exact',
    network: o.wireNetwork as PaymentRequirements['network'],
    asset: o.asset.address,
    payTo: o.payTo,
    maxTimeoutSeconds: o.maxTimeoutSeconds,
    extra,
  };
  if (pr.version === 2) return { ...common, amount: o.amount.toString() };
  return {
    ...common,
    maxAmountRequired: o.amount.toString(),
    resource: pr.resource.url,
    description: pr.resource.description ?? '',
  } as unknown as PaymentRequirements;
}
