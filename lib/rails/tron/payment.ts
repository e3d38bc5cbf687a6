/**
 * x402-tron payments: the TIP-712 typed data of `exact_permit` (PaymentPermit) and
 * `exact_gasfree` (GasFree PermitTransfer), built here with plain data and signed by the
 * custody service's secp256k1 key through viem — TIP-712 is EIP-712 over the 20-byte hex form
 * of every address. Neither the reference SDK nor TronWeb ships in the extension (see
 * docs/ARCHITECTURE.md, "TRON"); unit tests prove the signatures byte-identical to the
 * reference client's `ExactPermitTronClientMechanism` / `ExactGasFreeClientMechanism` and
 * recover the signer with the reference's own type definitions.
 *
 * Everything signed comes from the validated option and the trusted table: chain id, the
 * PaymentPermit / GasFreeController contract, token and payee (base58check → hex), the amount,
 * the fee the approval showed, and the deadline clamped to the option's timeout. The payload
 * carries the permit in the reference's shape (base58 addresses, decimal strings) and the
 * signature exactly as the reference client writes it (65 bytes hex, no 0x prefix).
 */
import { recoverTypedDataAddress } from 'viem';
import {
  PaymentBuildError,
  assertPaymentId,
  buildExtensions,
  checkCommonFieldsMatchRaw,
  v2HeaderValue,
} from '../../x402/payload.ts';
import { isRecord } from '../../x402/json.ts';
import type { CreatePaymentArgs, PaymentHeader, PaymentSummary, TronOption, TronPermitMeta, TronSigner, TypedDataRequest } from '../types.ts';
import { isTronAddress, tronToEvmHex } from './address.ts';
import { GASFREE_DOMAIN_NAME, GASFREE_DOMAIN_VERSION, tronNetwork } from './networks.ts';
import { GASFREE_MIN_DEADLINE_SECONDS, signedDeadline } from './validate.ts';

/** PaymentPermit TIP-712 types (the reference's PAYMENT_PERMIT_TYPES; PermitHash.sol). */
export const PAYMENT_PERMIT_TYPES = {
  PermitMeta: [
    { name: 'kind', type: 'uint8' },
    { name: 'paymentId', type: 'bytes16' },
    { name: 'nonce', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
  ],
  Payment: [
    { name: 'payToken', type: 'address' },
    { name: 'payAmount', type: 'uint256' },
    { name: 'payTo', type: 'address' },
  ],
  Fee: [
    { name: 'feeTo', type: 'address' },
    { name: 'feeAmount', type: 'uint256' },
  ],
  PaymentPermitDetails: [
    { name: 'meta', type: 'PermitMeta' },
    { name: 'buyer', type: 'address' },
    { name: 'caller', type: 'address' },
    { name: 'payment', type: 'Payment' },
    { name: 'fee', type: 'Fee' },
  ],
} as const;
export const PAYMENT_PERMIT_PRIMARY_TYPE = 'PaymentPermitDetails';
/** KIND_MAP of the reference: PAYMENT_ONLY → 0. */
export const PERMIT_KIND_PAYMENT_ONLY = 0;

/** GasFree TIP-712 types (the reference's GASFREE_TYPES / @gasfree/gasfree-sdk PermitTransfer). */
export const GASFREE_TYPES = {
  PermitTransfer: [
    { name: 'token', type: 'address' },
    { name: 'serviceProvider', type: 'address' },
    { name: 'user', type: 'address' },
    { name: 'receiver', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'maxFee', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
    { name: 'version', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
  ],
} as const;
export const GASFREE_PRIMARY_TYPE = 'PermitTransfer';

/** The permit as it travels in the payload (the reference's PaymentPermit: base58 addresses, decimal strings). */
export interface WirePermit {
  meta: { kind: 'PAYMENT_ONLY'; paymentId: string; nonce: string; validAfter: number; validBefore: number };
  buyer: string;
  caller: string;
  payment: { payToken: string; payAmount: string; payTo: string };
  fee: { feeTo: string; feeAmount: string };
}

/** TIP-712 typed data of a PaymentPermit (exact_permit), addresses converted to 20-byte hex. */
export function paymentPermitTypedData(chainId: number, permitContract: string, p: WirePermit): TypedDataRequest {
  return {
    domain: { name: 'PaymentPermit', chainId, verifyingContract: tronToEvmHex(permitContract) },
    types: PAYMENT_PERMIT_TYPES as unknown as Record<string, unknown>,
    primaryType: PAYMENT_PERMIT_PRIMARY_TYPE,
    message: {
      meta: {
        kind: PERMIT_KIND_PAYMENT_ONLY,
        paymentId: p.meta.paymentId,
        nonce: BigInt(p.meta.nonce),
        validAfter: BigInt(p.meta.validAfter),
        validBefore: BigInt(p.meta.validBefore),
      },
      buyer: tronToEvmHex(p.buyer),
      caller: tronToEvmHex(p.caller),
      payment: { payToken: tronToEvmHex(p.payment.payToken), payAmount: BigInt(p.payment.payAmount), payTo: tronToEvmHex(p.payment.payTo) },
      fee: { feeTo: tronToEvmHex(p.fee.feeTo), feeAmount: BigInt(p.fee.feeAmount) },
    },
  };
}

export interface GasFreeTransfer {
  token: string;
  serviceProvider: string;
  user: string;
  receiver: string;
  value: bigint;
  maxFee: bigint;
  deadline: number;
  nonce: bigint;
}

/** TIP-712 typed data of a GasFree PermitTransfer (exact_gasfree). */
export function gasFreeTypedData(chainId: number, controller: string, g: GasFreeTransfer): TypedDataRequest {
  return {
    domain: { name: GASFREE_DOMAIN_NAME, version: GASFREE_DOMAIN_VERSION, chainId, verifyingContract: tronToEvmHex(controller) },
    types: GASFREE_TYPES as unknown as Record<string, unknown>,
    primaryType: GASFREE_PRIMARY_TYPE,
    message: {
      token: tronToEvmHex(g.token),
      serviceProvider: tronToEvmHex(g.serviceProvider),
      user: tronToEvmHex(g.user),
      receiver: tronToEvmHex(g.receiver),
      value: g.value,
      maxFee: g.maxFee,
      deadline: BigInt(g.deadline),
      version: 1n,
      nonce: g.nonce,
    },
  };
}

/** What the GasFree service says about the payer's GasFree account (GET {api}/api/v1/address/{user}). */
export interface GasFreeAccount {
  gasFreeAddress: string;
  active: boolean;
  allowSubmit: boolean;
  nonce: bigint;
  /** per token: the service's transfer fee and (for a not yet activated account) activation fee */
  assets: { tokenAddress: string; transferFee: bigint; activateFee: bigint }[];
}

export type FetchLike = (url: string, init?: { signal?: AbortSignal; headers?: Record<string, string> }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

function feeValue(v: unknown): bigint {
  if (v === undefined || v === null || v === '') return 0n;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0|[1-9][0-9]{0,30})$/.test(v)) return BigInt(v);
  throw new PaymentBuildError('the GasFree service returned a malformed fee');
}

/** Read and check the payer's GasFree account. Throws PaymentBuildError. */
export async function fetchGasFreeAccount(apiBase: string, user: string, fetchFn: FetchLike, timeoutMs = 5_000): Promise<GasFreeAccount> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  let doc: unknown;
  try {
    const res = await fetchFn(`${apiBase.replace(/\/$/, '')}/api/v1/address/${user}`, { signal: ctl.signal, headers: { 'content-type': 'application/json' } });
    if (!res.ok) throw new PaymentBuildError(`the GasFree service answered HTTP ${res.status}`);
    doc = await res.json();
  } catch (e) {
    if (e instanceof PaymentBuildError) throw e;
    throw new PaymentBuildError(ctl.signal.aborted ? 'the GasFree service did not answer in time' : 'the GasFree service could not be reached');
  } finally {
    clearTimeout(timer);
  }
  const data = isRecord(doc) && doc.code === 200 && isRecord(doc.data) ? doc.data : undefined;
  if (!data) throw new PaymentBuildError('the GasFree service returned no account');
  if (!isTronAddress(data.gasFreeAddress)) throw new PaymentBuildError('the GasFree service returned no valid GasFree address');
  const nonce = typeof data.nonce === 'number' && Number.isSafeInteger(data.nonce) && data.nonce >= 0 ? BigInt(data.nonce) : typeof data.nonce === 'string' && /^(0|[1-9][0-9]{0,30})$/.test(data.nonce) ? BigInt(data.nonce) : undefined;
  if (nonce === undefined) throw new PaymentBuildError('the GasFree service returned a malformed nonce');
  const assets = Array.isArray(data.assets) ? data.assets.filter(isRecord) : [];
  return {
    gasFreeAddress: data.gasFreeAddress,
    active: data.active === true,
    allowSubmit: data.allowSubmit === true,
    nonce,
    assets: assets.map((a) => ({ tokenAddress: String(a.tokenAddress), transferFee: feeValue(a.transferFee), activateFee: feeValue(a.activateFee) })),
  };
}

export interface TronPaymentDeps {
  /** for exact_gasfree's account lookup; default: the platform fetch */
  fetch?: FetchLike;
  /** Unix seconds; default: the system clock */
  now?: () => number;
}

function fail(what: string): never {
  throw new PaymentBuildError(`signed payload does not match the validated option: ${what}`);
}

/** The reference client writes the 65-byte signature as bare hex. */
function bareHex(sig: string): string {
  if (!/^0x[0-9a-fA-F]{130}$/.test(sig)) fail('signature is not 65 bytes');
  return sig.slice(2);
}

async function signChecked(signer: TronSigner, request: TypedDataRequest): Promise<string> {
  const signature = await signer.signTypedData(request);
  const bare = bareHex(signature);
  let recovered: string;
  try {
    recovered = await recoverTypedDataAddress({ ...(request as Parameters<typeof recoverTypedDataAddress>[0]), signature: `0x${bare}` });
  } catch {
    fail('signature cannot be recovered');
  }
  if (recovered.toLowerCase() !== tronToEvmHex(signer.address)) fail('signature was not made by the wallet address');
  return bare;
}

function checkOptionMatchesRaw(args: CreatePaymentArgs<TronOption, TronSigner>): void {
  const { pr, option } = args;
  if (pr.version !== 2) throw new PaymentBuildError('x402-tron is x402 v2 only');
  if (pr.accepts[option.index] !== option.raw) throw new PaymentBuildError('option does not belong to this payment request');
  checkCommonFieldsMatchRaw(pr, option);
  const raw = option.raw as Record<string, unknown>;
  if (raw.scheme !== option.scheme) throw new PaymentBuildError("option scheme differs from the server's option");
  if (raw.payTo !== option.payTo) throw new PaymentBuildError("option payTo differs from the server's option");
  if (raw.asset !== option.asset.address) throw new PaymentBuildError("option asset differs from the server's option");
}

/** Sign a validated TRON option; v2 `PAYMENT-SIGNATURE` header. */
export async function createTronPayment(args: CreatePaymentArgs<TronOption, TronSigner>, deps: TronPaymentDeps = {}): Promise<PaymentHeader> {
  const { pr, option, signer } = args;
  if (!signer || signer.rail !== 'tron' || !isTronAddress(signer.address)) throw new PaymentBuildError('signer has no valid TRON address');
  checkOptionMatchesRaw(args);
  assertPaymentId(args.paymentId);
  const net = tronNetwork(option.network);
  if (!net || net.chainId !== option.asset.chainId) throw new PaymentBuildError(`${option.network} is not in the trusted TRON table`);
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const t0 = now();
  const deadline = signedDeadline(option, t0);
  const ext = buildExtensions(pr, args.paymentId);

  let payload: { signature: string; paymentPermit: WirePermit };
  let summary: PaymentSummary;
  let extensions = ext.extensions;
  if (option.scheme === 'exact_permit') {
    const meta = option.permitMeta as TronPermitMeta | undefined;
    if (!meta) throw new PaymentBuildError('exact_permit needs the server’s paymentPermitContext');
    if (deadline <= t0) throw new PaymentBuildError('the permit has expired');
    const permit: WirePermit = {
      meta: { kind: 'PAYMENT_ONLY', paymentId: meta.paymentId, nonce: meta.nonce, validAfter: meta.validAfter, validBefore: deadline },
      buyer: signer.address,
      caller: option.caller,
      payment: { payToken: option.asset.address, payAmount: option.amount.toString(), payTo: option.payTo },
      fee: { feeTo: option.fee.to, feeAmount: option.fee.amount.toString() },
    };
    const signature = await signChecked(signer, paymentPermitTypedData(net.chainId, net.paymentPermit, permit));
    payload = { signature, paymentPermit: permit };
    summary = {
      from: signer.address,
      to: option.payTo,
      value: option.amount,
      validAfter: BigInt(meta.validAfter),
      validBefore: BigInt(deadline),
      nonce: meta.nonce,
      network: option.network,
      transferMethod: option.transferMethod,
    };
  } else {
    if (deadline < t0 + GASFREE_MIN_DEADLINE_SECONDS) throw new PaymentBuildError(`GasFree needs at least ${GASFREE_MIN_DEADLINE_SECONDS} s to settle`);
    const fetchFn = deps.fetch ?? ((url, init) => fetch(url, init));
    const account = await fetchGasFreeAccount(net.gasFreeApi, signer.address, fetchFn);
    if (!account.active && !account.allowSubmit) throw new PaymentBuildError('your GasFree account is not activated');
    const asset = account.assets.find((a) => a.tokenAddress === option.asset.address);
    if (!asset) throw new PaymentBuildError(`the GasFree service does not list ${option.asset.symbol} for your account`);
    // The reference signs maxFee = max(transfer fee, facilitator fee) (+ activation fee). The
    // wallet signs only the fee the approval showed: a service asking for more is refused.
    let wanted = asset.transferFee > option.fee.amount ? asset.transferFee : option.fee.amount;
    if (!account.active && asset.activateFee > 0n) wanted += asset.activateFee;
    if (wanted > option.fee.amount) {
      throw new PaymentBuildError(
        `the GasFree service would charge up to ${wanted} (${account.active ? 'its transfer fee' : 'transfer and activation fees'}), more than the ${option.fee.amount} the offer showed`,
      );
    }
    const maxFee = option.fee.amount;
    const request = gasFreeTypedData(net.chainId, net.gasFreeController, {
      token: option.asset.address,
      serviceProvider: option.fee.to,
      user: signer.address,
      receiver: option.payTo,
      value: option.amount,
      maxFee,
      deadline,
      nonce: account.nonce,
    });
    const signature = await signChecked(signer, request);
    const meta = option.permitMeta;
    payload = {
      signature,
      paymentPermit: {
        meta: { kind: 'PAYMENT_ONLY', paymentId: meta?.paymentId ?? '', nonce: account.nonce.toString(), validAfter: meta?.validAfter ?? 0, validBefore: deadline },
        buyer: signer.address,
        caller: option.fee.to,
        payment: { payToken: option.asset.address, payAmount: option.amount.toString(), payTo: option.payTo },
        fee: { feeTo: option.fee.to, feeAmount: maxFee.toString() },
      },
    };
    // The reference adds the GasFree account and the scheme to the extensions; add, never overwrite.
    extensions = { ...(extensions ?? {}) };
    if (!('gasfreeAddress' in extensions)) extensions.gasfreeAddress = account.gasFreeAddress;
    if (!('scheme' in extensions)) extensions.scheme = 'exact_gasfree';
    summary = {
      from: signer.address,
      to: option.payTo,
      value: option.amount,
      validAfter: BigInt(meta?.validAfter ?? 0),
      validBefore: BigInt(deadline),
      nonce: account.nonce.toString(),
      network: option.network,
      transferMethod: option.transferMethod,
    };
  }
  const out: PaymentHeader = { headerName: 'PAYMENT-SIGNATURE', headerValue: v2HeaderValue(pr, option.raw, payload, extensions), summary };
  if (ext.paymentId) out.paymentId = ext.paymentId;
  return out;
}
