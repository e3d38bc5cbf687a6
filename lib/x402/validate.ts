/**
 * Validation of each offered option against the trusted registry and the wallet's rules
 * (x402-notes §6). Produces the options that may be signed — with trusted decimals,
 * symbol and EIP-712 domain, a bigint amount and a clamped timeout — and a reason for
 * every option refused. Pure; policy (caps, budgets) is applied later by its owner.
 */
import { isAddress, getAddress } from 'viem';
import type { Registry } from './registry.ts';
import { evmChainIdOf, toCaip2, V1_EVM_NETWORKS } from './registry.ts';
import type {
  PayableOption,
  PaymentRequiredNormalized,
  RawOption,
  RejectedOption,
  RejectionCode,
  TransferMethod,
} from './types.ts';

export const MAX_UINT256 = (1n << 256n) - 1n;
export const DEFAULT_MIN_TIMEOUT_SECONDS = 10;
export const DEFAULT_MAX_TIMEOUT_SECONDS = 600;

export interface EvaluateOptions {
  /** Refuse options whose maxTimeoutSeconds is below this (default 10). */
  minTimeoutSeconds?: number;
  /** Clamp maxTimeoutSeconds to this (default 600). */
  maxTimeoutSeconds?: number;
}

export interface Evaluation {
  /** USD-pegged options cheapest first, then the others in server order. */
  payable: PayableOption[];
  rejected: RejectedOption[];
}

class Reject extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
  }
}

const DECIMAL_UINT = /^(0|[1-9][0-9]*)$/;

/** Parse a canonical non-negative decimal integer string (no sign, dot, exponent, leading zeros). */
export function parseAtomicAmount(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || value.length > 78 || !DECIMAL_UINT.test(value)) return undefined;
  const n = BigInt(value);
  return n <= MAX_UINT256 ? n : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function evaluateOne(
  pr: PaymentRequiredNormalized,
  raw: RawOption,
  index: number,
  registry: Registry,
  minT: number,
  maxT: number,
): PayableOption {
  if (raw.scheme !== 'exact') {
    throw new Reject('unsupported-scheme', `scheme ${JSON.stringify(raw.scheme)} is not supported (only "exact")`);
  }

  const wireNetwork = raw.network;
  if (typeof wireNetwork !== 'string') throw new Reject('unsupported-network', 'network missing');
  if (pr.version === 2 && !wireNetwork.startsWith('eip155:')) {
    throw new Reject('unsupported-network', `network ${wireNetwork} is not an EVM CAIP-2 id`);
  }
  if (pr.version === 1 && !Object.prototype.hasOwnProperty.call(V1_EVM_NETWORKS, wireNetwork)) {
    throw new Reject('unsupported-network', `network ${wireNetwork} is not a known x402 v1 EVM network name`);
  }
  const network = toCaip2(wireNetwork);
  const chainId = network === undefined ? undefined : evmChainIdOf(network);
  if (network === undefined || chainId === undefined) {
    throw new Reject('unsupported-network', `network ${wireNetwork} is not supported`);
  }

  if (typeof raw.asset !== 'string' || !isAddress(raw.asset, { strict: false })) {
    throw new Reject('untrusted-asset', 'asset is not a valid address');
  }
  const asset = registry.lookup(network, raw.asset);
  if (!asset) throw new Reject('untrusted-asset', `asset ${raw.asset} on ${network} is not in the trusted table`);

  const amountField = pr.version === 2 ? 'amount' : 'maxAmountRequired';
  const amount = parseAtomicAmount(raw[amountField]);
  if (amount === undefined) {
    throw new Reject('invalid-amount', `${amountField} must be a decimal integer string in atomic units (0 … 2^256-1)`);
  }
  if (amount === 0n) throw new Reject('zero-amount', `${amountField} is zero`);

  const payTo = raw.payTo;
  if (typeof payTo !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(payTo) || !isAddress(payTo, { strict: true })) {
    throw new Reject('invalid-pay-to', 'payTo is not a valid address (or has a bad checksum)');
  }
  if (/^0x0{40}$/i.test(payTo)) throw new Reject('zero-pay-to', 'payTo is the zero address');

  const t = raw.maxTimeoutSeconds;
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t <= 0) {
    throw new Reject('invalid-timeout', 'maxTimeoutSeconds must be a positive integer');
  }
  if (t < minT) throw new Reject('timeout-too-short', `maxTimeoutSeconds ${t} is below the minimum of ${minT}`);

  const extra = raw.extra;
  if (extra !== undefined && extra !== null && !isRecord(extra)) throw new Reject('invalid-option', 'extra must be an object');
  const method = isRecord(extra) ? extra.assetTransferMethod : undefined;
  let transferMethod: TransferMethod;
  if (method === undefined || method === 'eip3009') transferMethod = 'eip3009';
  else if (method === 'permit2') transferMethod = 'permit2';
  else throw new Reject('unsupported-transfer-method', `assetTransferMethod ${JSON.stringify(method)} is not supported`);

  if (transferMethod === 'permit2' && pr.version === 1) {
    throw new Reject('unsupported-transfer-method', 'Permit2 is not available in x402 v1');
  }
  if (transferMethod === 'eip3009') {
    if (asset.permit2Only) throw new Reject('permit2-required', `${asset.symbol} on ${network} supports only Permit2 transfers`);
    const name = isRecord(extra) ? extra.name : undefined;
    const version = isRecord(extra) ? extra.version : undefined;
    if (typeof name !== 'string' || !name || typeof version !== 'string' || !version) {
      throw new Reject('domain-missing', 'extra.name and extra.version (EIP-712 domain) are required');
    }
    if (name !== asset.eip712.name || version !== asset.eip712.version) {
      throw new Reject(
        'domain-mismatch',
        `EIP-712 domain ${JSON.stringify(name)}/${JSON.stringify(version)} does not match the trusted ${JSON.stringify(asset.eip712.name)}/${JSON.stringify(asset.eip712.version)}`,
      );
    }
  }

  return {
    index,
    scheme: 'exact',
    network,
    wireNetwork,
    asset,
    amount,
    payTo: getAddress(payTo),
    maxTimeoutSeconds: Math.min(t, maxT),
    requestedTimeoutSeconds: t,
    transferMethod,
    raw,
  };
}

/** Compare two USD-pegged costs exactly: a.amount / 10^a.dec vs b.amount / 10^b.dec. */
function compareUsd(a: PayableOption, b: PayableOption): number {
  const l = a.amount * 10n ** BigInt(b.asset.decimals);
  const r = b.amount * 10n ** BigInt(a.asset.decimals);
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
      payable.push(evaluateOne(pr, raw, index, registry, minT, maxT));
    } catch (e) {
      if (!(e instanceof Reject)) throw e;
      rejected.push({ index, code: e.code, reason: e.message });
    }
  });
  const pegged = payable.filter((p) => p.asset.usdPegged);
  const others = payable.filter((p) => !p.asset.usdPegged);
  pegged.sort((a, b) => compareUsd(a, b) || a.index - b.index);
  return { payable: [...pegged, ...others], rejected };
}
