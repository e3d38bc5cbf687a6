/**
 * TRON checks of one offered option (x402-tron `exact_permit` / `exact_gasfree`), after the
 * generic ones (scheme of this rail, network, trusted token, amount, timeout). Pure; the clock
 * is a parameter so tests can pin it.
 *
 * What is refused, and why:
 *  - addresses not in base58check form (`T…`, checksum checked): the wire form x402-tron uses.
 *    A hex spelling (`41…`, `0x…`) of the token or payee is refused — the wallet signs only
 *    addresses it compares exactly, and a hex/base58 pair is where a mix-up hides;
 *  - payTo the zero address (T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb) or the token itself;
 *  - a chain id, PaymentPermit or GasFree contract in `extra` that is not the trusted table's
 *    for the network name (the wallet signs with the table's, never the server's);
 *  - a fee anywhere but `extra.fee` (`{feeTo, feeAmount, caller?, facilitatorId?}`), or a
 *    malformed one: every fee is shown in the approval and counted in budgets, so an unknown
 *    field that could carry a charge is refused rather than ignored;
 *  - exact_permit without the server's `extensions.paymentPermitContext` (kind, paymentId,
 *    nonce, validAfter, validBefore), or with one that is malformed, not yet valid or expiring
 *    too soon. A validBefore further out than the option's clamped timeout is clamped when
 *    signing (`signedDeadline`), never followed.
 */
import { OptionRejected, type OptionContext, type OptionFee, type TronAsset, type TronOption, type TronPermitMeta } from '../types.ts';
import { isRecord } from '../../x402/json.ts';
import { tronAddressForm, tronAddressKey, TRON_ZERO_ADDRESS } from './address.ts';
import { tronNetwork } from './networks.ts';

const DECIMAL_UINT = /^(0|[1-9][0-9]{0,77})$/;
const MAX_UINT256 = (1n << 256n) - 1n;
/** A permit context whose validAfter is further ahead than this is refused (it could not settle now). */
export const MAX_VALID_AFTER_AHEAD_SECONDS = 300;
/** exact_gasfree: the GasFree service wants a deadline at least this far ahead (reference: ≥ 50 s, +5 s margin). */
export const GASFREE_MIN_DEADLINE_SECONDS = 55;
/** exact_gasfree: the reference's ceilings (mainnet 600 s, test networks 3600 s, −5 s margin). */
export function gasFreeMaxDeadlineSeconds(network: string): number {
  return network === 'tron:mainnet' ? 595 : 3595;
}

const EXTRA_KEYS = new Set(['name', 'version', 'fee', 'chainId', 'paymentPermit', 'paymentPermitAddress', 'verifyingContract', 'gasFreeController']);
const FEE_KEYS = new Set(['feeTo', 'feeAmount', 'caller', 'facilitatorId']);

function uint(v: unknown): bigint | undefined {
  if (typeof v !== 'string' || !DECIMAL_UINT.test(v)) return undefined;
  const n = BigInt(v);
  return n <= MAX_UINT256 ? n : undefined;
}

function spelling(form: ReturnType<typeof tronAddressForm>): string {
  return form === 'hex41' ? 'TRON hex (41…)' : form === 'hex0x' ? '0x hex' : 'an invalid address';
}

/** A base58check address field of the offer, or a rejection naming the field. */
function base58Field(v: unknown, what: string, code: 'invalid-pay-to' | 'invalid-fee' | 'invalid-option'): string {
  const form = tronAddressForm(v);
  if (form === 'base58') return v as string;
  if (form === 'invalid') throw new OptionRejected(code, `${what} is not a valid base58check TRON address (bad characters, length or checksum)`);
  throw new OptionRejected(code, `${what} is written as ${spelling(form)}; x402-tron sends base58check (T…) and the wallet signs only that form`);
}

function checkExtra(extra: Record<string, unknown>, network: string, scheme: TronOption['scheme']): void {
  const net = tronNetwork(network)!;
  for (const key of Object.keys(extra)) {
    if (EXTRA_KEYS.has(key)) continue;
    if (/fee|amount|charge|tip|commission|cost|price|surcharge/i.test(key)) {
      throw new OptionRejected('invalid-fee', `extra.${key.slice(0, 40)} looks like a charge outside extra.fee; the wallet refuses terms the approval could not show`);
    }
    throw new OptionRejected('invalid-option', `extra.${key.slice(0, 40)} is not a field of x402-tron's ${scheme}; the wallet does not sign terms it cannot show`);
  }
  if (extra.chainId !== undefined) {
    const id = typeof extra.chainId === 'number' ? extra.chainId : typeof extra.chainId === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(extra.chainId) ? Number(extra.chainId) : NaN;
    if (id !== net.chainId) {
      throw new OptionRejected('domain-mismatch', `extra.chainId ${String(extra.chainId).slice(0, 20)} is not ${net.chainId}, the chain id of ${network} (the wallet signs with the network's own)`);
    }
  }
  const contract = scheme === 'exact_permit' ? net.paymentPermit : net.gasFreeController;
  const contractName = scheme === 'exact_permit' ? 'PaymentPermit' : 'GasFreeController';
  for (const key of ['paymentPermit', 'paymentPermitAddress', 'verifyingContract', 'gasFreeController'] as const) {
    const v = extra[key];
    if (v === undefined) continue;
    const wanted = key === 'gasFreeController' ? net.gasFreeController : key.startsWith('paymentPermit') ? net.paymentPermit : contract;
    const k = typeof v === 'string' ? tronAddressKey(v) : undefined;
    if (!k || k !== tronAddressKey(wanted)) {
      throw new OptionRejected(
        'domain-mismatch',
        `extra.${key} is not the ${key === 'gasFreeController' ? 'GasFreeController' : key.startsWith('paymentPermit') ? 'PaymentPermit' : contractName} contract of ${network} in the trusted table (${wanted})`,
      );
    }
  }
  if (extra.name !== undefined && (typeof extra.name !== 'string' || extra.name.length > 64)) throw new OptionRejected('invalid-option', 'extra.name must be a short string');
  if (extra.version !== undefined && (typeof extra.version !== 'string' || extra.version.length > 16)) throw new OptionRejected('invalid-option', 'extra.version must be a short string');
}

function checkFee(extra: Record<string, unknown> | undefined, scheme: TronOption['scheme']): { fee: OptionFee; caller: string } {
  const f = extra?.fee;
  if (f === undefined) {
    if (scheme === 'exact_gasfree') throw new OptionRejected('invalid-fee', 'exact_gasfree needs extra.fee (the GasFree service provider and its fee); the wallet does not guess a fee');
    return { fee: { amount: 0n, to: TRON_ZERO_ADDRESS }, caller: TRON_ZERO_ADDRESS };
  }
  if (!isRecord(f)) throw new OptionRejected('invalid-fee', 'extra.fee must be an object {feeTo, feeAmount}');
  for (const key of Object.keys(f)) {
    if (!FEE_KEYS.has(key)) throw new OptionRejected('invalid-fee', `extra.fee.${key.slice(0, 40)} is not a fee field x402-tron defines (feeTo, feeAmount, caller, facilitatorId)`);
  }
  const amount = f.feeAmount === undefined ? 0n : uint(f.feeAmount);
  if (amount === undefined) throw new OptionRejected('invalid-fee', 'extra.fee.feeAmount must be a decimal integer string in atomic units');
  const to = f.feeTo === undefined || f.feeTo === '' ? TRON_ZERO_ADDRESS : base58Field(f.feeTo, 'extra.fee.feeTo', 'invalid-fee');
  if (amount > 0n && to === TRON_ZERO_ADDRESS) throw new OptionRejected('invalid-fee', 'extra.fee pays a fee to the zero address');
  if (scheme === 'exact_gasfree' && to === TRON_ZERO_ADDRESS) throw new OptionRejected('invalid-fee', 'exact_gasfree needs extra.fee.feeTo (the GasFree service provider)');
  const caller = f.caller === undefined || f.caller === '' ? TRON_ZERO_ADDRESS : base58Field(f.caller, 'extra.fee.caller', 'invalid-fee');
  if (f.facilitatorId !== undefined && (typeof f.facilitatorId !== 'string' || f.facilitatorId.length > 200)) {
    throw new OptionRejected('invalid-fee', 'extra.fee.facilitatorId must be a short string');
  }
  return { fee: { amount, to }, caller };
}

function checkPermitMeta(raw: unknown, nowSeconds: number, minTimeout: number): TronPermitMeta {
  if (!isRecord(raw) || !isRecord(raw.meta)) throw new OptionRejected('invalid-permit', 'extensions.paymentPermitContext.meta (the permit the server issued) is missing');
  const m = raw.meta;
  if (m.kind !== 'PAYMENT_ONLY') throw new OptionRejected('invalid-permit', `permit kind ${JSON.stringify(m.kind)?.slice(0, 30)} is not supported (only PAYMENT_ONLY)`);
  if (typeof m.paymentId !== 'string' || !/^0x[0-9a-fA-F]{32}$/.test(m.paymentId)) throw new OptionRejected('invalid-permit', 'permit paymentId must be 0x + 32 hex characters (bytes16)');
  if (uint(m.nonce) === undefined) throw new OptionRejected('invalid-permit', 'permit nonce must be a decimal integer string');
  for (const k of ['validAfter', 'validBefore'] as const) {
    const v = m[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new OptionRejected('invalid-permit', `permit ${k} must be a whole number of Unix seconds`);
  }
  const validAfter = m.validAfter as number;
  const validBefore = m.validBefore as number;
  if (validAfter > nowSeconds + MAX_VALID_AFTER_AHEAD_SECONDS) throw new OptionRejected('invalid-permit', 'the permit is not valid yet (validAfter is in the future)');
  if (validBefore < nowSeconds + minTimeout) throw new OptionRejected('timeout-too-short', `the permit expires in under ${minTimeout} s (validBefore)`);
  return { kind: 'PAYMENT_ONLY', paymentId: m.paymentId, nonce: m.nonce as string, validAfter, validBefore };
}

/**
 * The validBefore / deadline the wallet signs: the server's, clamped to now + the option's
 * (already clamped) maxTimeoutSeconds; for GasFree also to the service's own bounds.
 */
export function signedDeadline(o: Pick<TronOption, 'scheme' | 'network' | 'maxTimeoutSeconds' | 'permitMeta'>, nowSeconds: number): number {
  const cap = nowSeconds + o.maxTimeoutSeconds;
  if (o.scheme === 'exact_permit') return Math.min(o.permitMeta!.validBefore, cap);
  const max = nowSeconds + gasFreeMaxDeadlineSeconds(o.network);
  return Math.min(o.permitMeta?.validBefore ?? max, max, cap);
}

export function evaluateTronOption(ctx: OptionContext<TronAsset>, nowSeconds = Math.floor(Date.now() / 1000)): TronOption {
  const { raw, asset, network, pr } = ctx;
  const scheme = raw.scheme as TronOption['scheme'];
  if (pr.version !== 2) throw new OptionRejected('unsupported-network', 'x402-tron is x402 v2 only');
  if (!tronNetwork(network)) throw new OptionRejected('unsupported-network', `${network} is not a TRON network the wallet knows`);

  const assetForm = tronAddressForm(raw.asset);
  if (assetForm !== 'base58' || raw.asset !== asset.address) {
    throw new OptionRejected('untrusted-asset', `asset is written as ${spelling(assetForm)}; x402-tron sends base58check (T…) and the wallet signs only that form`);
  }
  const payTo = base58Field(raw.payTo, 'payTo', 'invalid-pay-to');
  if (payTo === TRON_ZERO_ADDRESS) throw new OptionRejected('zero-pay-to', 'payTo is the zero address (T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb)');
  if (payTo === asset.address) throw new OptionRejected('invalid-pay-to', 'payTo is the token contract itself');

  const extra = raw.extra;
  if (extra !== undefined && extra !== null && !isRecord(extra)) throw new OptionRejected('invalid-option', 'extra must be an object');
  if (isRecord(extra)) checkExtra(extra, network, scheme);
  const { fee, caller } = checkFee(isRecord(extra) ? extra : undefined, scheme);

  const extensions = (pr.raw as Record<string, unknown>).extensions;
  const context = isRecord(extensions) ? extensions.paymentPermitContext : undefined;
  const minTimeout = Math.min(10, ctx.maxTimeoutSeconds);
  let permitMeta: TronPermitMeta | undefined;
  if (scheme === 'exact_permit' || context !== undefined) permitMeta = checkPermitMeta(context, nowSeconds, minTimeout);

  const net = tronNetwork(network)!;
  const option: TronOption = {
    rail: 'tron',
    index: ctx.index,
    scheme,
    network,
    wireNetwork: ctx.wireNetwork,
    asset,
    amount: ctx.amount,
    payTo,
    fee,
    caller,
    maxTimeoutSeconds: ctx.maxTimeoutSeconds,
    requestedTimeoutSeconds: ctx.requestedTimeoutSeconds,
    transferMethod: scheme === 'exact_permit' ? 'tron-payment-permit' : 'tron-gasfree',
    raw,
    ...(permitMeta ? { permitMeta } : {}),
    ...(scheme === 'exact_permit' ? { spender: net.paymentPermit } : {}),
  };
  if (scheme === 'exact_gasfree') {
    const deadline = signedDeadline(option, nowSeconds);
    if (deadline < nowSeconds + GASFREE_MIN_DEADLINE_SECONDS) {
      throw new OptionRejected('timeout-too-short', `GasFree needs at least ${GASFREE_MIN_DEADLINE_SECONDS} s to settle; this offer allows ${deadline - nowSeconds} s`);
    }
  }
  return option;
}
