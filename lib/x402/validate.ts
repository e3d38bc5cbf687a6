/**
 * Validation of each offered option against the trusted registry and the wallet's rules
 * (x402-notes §6). The checks every rail shares run here — scheme, network (a rail must speak
 * it: CAIP-2 in v2, a known name in v1), trusted asset, the version's own amount field as a
 * canonical decimal integer, timeout — then the option's rail checks the rest (payTo, extra,
 * transfer method). Produces the options that may be signed, with trusted decimals and symbol,
 * a bigint amount and a clamped timeout, and a reason for every option refused. Pure; policy
 * (caps, budgets) is applied later by its owner.
 */
import { OptionRejected, optionCost, RAILS, railOfNetwork, railOfV1Name, type PayableOption, type RailId, type RejectionCode } from '../rails/index.ts';
import type { Registry } from './registry.ts';
import type { PaymentRequiredNormalized, RawOption } from './types.ts';

export const MAX_UINT256 = (1n << 256n) - 1n;
export const DEFAULT_MIN_TIMEOUT_SECONDS = 10;
export const DEFAULT_MAX_TIMEOUT_SECONDS = 600;

export interface RejectedOption {
  index: number;
  reason: string;
  code: RejectionCode;
}

export interface EvaluateOptions {
  /** Refuse options whose maxTimeoutSeconds is below this (default 10). */
  minTimeoutSeconds?: number;
  /** Clamp maxTimeoutSeconds to this (default 600). */
  maxTimeoutSeconds?: number;
  /** The wallet's active account per rail (a Solana offer whose fee payer is the user is refused). */
  self?: Partial<Record<RailId, string>>;
}

export interface Evaluation {
  /**
   * Documented order: USD-pegged options cheapest first (exact dollar comparison across
   * decimals; equal prices keep the server's order, whatever the rail), then the others in
   * server order.
   */
  payable: PayableOption[];
  rejected: RejectedOption[];
}

/** Why an offer on a built-in test network is refused while test networks are hidden. */
export const TESTNETS_OFF_REASON = 'Test networks are turned off (Settings → Show test networks)';

const DECIMAL_UINT = /^(0|[1-9][0-9]*)$/;

/** Parse a canonical non-negative decimal integer string (no sign, dot, exponent, leading zeros). */
export function parseAtomicAmount(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || value.length > 78 || !DECIMAL_UINT.test(value)) return undefined;
  const n = BigInt(value);
  return n <= MAX_UINT256 ? n : undefined;
}

function unsupportedScheme(scheme: unknown, supported: readonly string[], label?: string): OptionRejected {
  const only = supported.map((s) => JSON.stringify(s)).join(', ');
  return new OptionRejected('unsupported-scheme', `scheme ${JSON.stringify(scheme)?.slice(0, 40)} is not supported${label ? ` on ${label}` : ''} (only ${only})`);
}

function evaluateOne(
  pr: PaymentRequiredNormalized,
  raw: RawOption,
  index: number,
  registry: Registry,
  minT: number,
  maxT: number,
  self: EvaluateOptions['self'],
): PayableOption {
  const wireNetwork = raw.network;
  if (typeof wireNetwork !== 'string') throw new OptionRejected('unsupported-network', 'network missing');
  let network: string;
  let rail;
  if (pr.version === 2) {
    rail = railOfNetwork(wireNetwork);
    if (!rail) {
      if (typeof raw.scheme === 'string' && !RAILS.some((r) => r.schemes.includes(raw.scheme as never))) throw unsupportedScheme(raw.scheme, ['exact']);
      throw new OptionRejected('unsupported-network', `network ${wireNetwork.slice(0, 80)} is not a CAIP-2 id of a supported chain (EVM eip155:<id>, Solana solana:<genesis>, TRON tron:mainnet|shasta|nile)`);
    }
    network = wireNetwork;
  } else {
    const named = railOfV1Name(wireNetwork);
    if (!named) throw new OptionRejected('unsupported-network', `network ${wireNetwork.slice(0, 80)} is not a known x402 v1 network name`);
    ({ rail, network } = named);
  }
  // Each rail signs its own schemes (EVM and Solana `exact`; TRON `exact_permit`, `exact_gasfree`).
  if (typeof raw.scheme !== 'string' || !rail.schemes.includes(raw.scheme as never)) throw unsupportedScheme(raw.scheme, rail.schemes, rail.label);

  if (typeof raw.asset !== 'string' || raw.asset.length === 0 || raw.asset.length > 128) {
    throw new OptionRejected('untrusted-asset', 'asset is not a valid address');
  }
  const asset = registry.lookup(network, raw.asset);
  if (!asset || asset.rail !== rail.id) throw new OptionRejected('untrusted-asset', `asset ${raw.asset.slice(0, 64)} on ${network} is not in the trusted table`);
  // A built-in token on a test network while they are hidden (tokens the user added are always allowed).
  if (registry.testnetHidden(asset)) throw new OptionRejected('testnets-off', TESTNETS_OFF_REASON);

  const amountField = pr.version === 2 ? 'amount' : 'maxAmountRequired';
  const amount = parseAtomicAmount(raw[amountField]);
  if (amount === undefined) {
    throw new OptionRejected('invalid-amount', `${amountField} must be a decimal integer string in atomic units (0 … 2^256-1)`);
  }
  if (amount === 0n) throw new OptionRejected('zero-amount', `${amountField} is zero`);
  if (rail.id === 'svm' && amount >= 1n << 64n) throw new OptionRejected('invalid-amount', `${amountField} does not fit an SPL token amount (u64)`);

  const t = raw.maxTimeoutSeconds;
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t <= 0) {
    throw new OptionRejected('invalid-timeout', 'maxTimeoutSeconds must be a positive integer');
  }
  if (t < minT) throw new OptionRejected('timeout-too-short', `maxTimeoutSeconds ${t} is below the minimum of ${minT}`);

  return rail.evaluate({
    pr,
    raw,
    index,
    network,
    wireNetwork,
    asset,
    amount,
    maxTimeoutSeconds: Math.min(t, maxT),
    requestedTimeoutSeconds: t,
    ...(self?.[rail.id] ? { self: self[rail.id] } : {}),
  });
}

/** Compare two USD-pegged costs exactly (what the user pays: amount + any scheme fee). */
function compareUsd(a: PayableOption, b: PayableOption): number {
  const l = optionCost(a) * 10n ** BigInt(b.asset.decimals);
  const r = optionCost(b) * 10n ** BigInt(a.asset.decimals);
  return l < r ? -1 : l > r ? 1 : 0;
}

export function evaluateOptions(pr: PaymentRequiredNormalized, registry: Registry, opts: EvaluateOptions = {}): Evaluation {
  const minT = opts.minTimeoutSeconds ?? DEFAULT_MIN_TIMEOUT_SECONDS;
  const maxT = opts.maxTimeoutSeconds ?? DEFAULT_MAX_TIMEOUT_SECONDS;
  if (!(Number.isSafeInteger(minT) && Number.isSafeInteger(maxT) && minT > 0 && maxT >= minT)) {
    throw new RangeError('evaluateOptions: need 0 < minTimeoutSeconds <= maxTimeoutSeconds (integers)');
  }
  const payable: PayableOption[] = [];
  const rejected: RejectedOption[] = [];
  pr.accepts.forEach((raw, index) => {
    try {
      payable.push(evaluateOne(pr, raw, index, registry, minT, maxT, opts.self));
    } catch (e) {
      if (!(e instanceof OptionRejected)) throw e;
      rejected.push({ index, code: e.code, reason: e.message });
    }
  });
  const pegged = payable.filter((p) => p.asset.usdPegged);
  const others = payable.filter((p) => !p.asset.usdPegged);
  pegged.sort((a, b) => compareUsd(a, b) || a.index - b.index);
  return { payable: [...pegged, ...others], rejected };
}
