/**
 * x402 protocol layer — normalized types shared by parsing, validation, payment building
 * and settlement decoding. Pure data; no browser or Node APIs.
 *
 * Raw objects (`raw`, `accepts[i]`, `PayableOption.raw`) are the JSON values exactly as
 * the server sent them (deep-frozen): the v2 payload must echo them verbatim.
 */

/** A JSON object as decoded from the wire (never mutated; deep-frozen by the parser). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** One entry of `accepts`, exactly as received. */
export type RawOption = JsonObject;

export type X402Version = 1 | 2;

export interface ResourceInfo {
  url: string;
  description?: string;
  mimeType?: string;
}

export interface PaymentRequiredNormalized {
  version: X402Version;
  /** v2: top-level `resource`; v1: taken from the first accepts entry. */
  resource: ResourceInfo;
  /** The accepts entries verbatim (same object identities as inside `raw`). */
  accepts: readonly RawOption[];
  extensions?: Readonly<Record<string, unknown>>;
  error?: string;
  /** The decoded object exactly as received (needed for echoing `resource`/`extensions`). */
  raw: JsonObject;
}

export type TransferMethod = 'eip3009' | 'permit2';

/** An asset the wallet trusts: decimals, symbol and EIP-712 domain come from here, never from a server. */
export interface TrustedAsset {
  chainId: number;
  /** CAIP-2, e.g. `eip155:8453`. */
  network: string;
  /** Checksummed token contract address. */
  address: `0x${string}`;
  symbol: string;
  decimals: number;
  eip712: { name: string; version: string };
  usdPegged: boolean;
  /** Token has no EIP-3009; only Permit2 transfers are possible. */
  permit2Only?: boolean;
  /** Optional display label for the network (e.g. "Local playground"). */
  networkLabel?: string;
}

/** An option that passed every check and may be offered for signing. */
export interface PayableOption {
  /** Index into `PaymentRequiredNormalized.accepts`. */
  index: number;
  scheme: 'exact';
  /** CAIP-2 network id. */
  network: string;
  /** Network as written on the wire (v1 name or CAIP-2). */
  wireNetwork: string;
  asset: TrustedAsset;
  /** Atomic units (v2 `amount`, v1 `maxAmountRequired`). */
  amount: bigint;
  /** Checksummed recipient (the raw option keeps the server's casing). */
  payTo: `0x${string}`;
  /** Clamped to the caller's maximum. */
  maxTimeoutSeconds: number;
  /** The server's value before clamping. */
  requestedTimeoutSeconds: number;
  transferMethod: TransferMethod;
  /** The option object verbatim (echoed as `accepted` in v2). */
  raw: RawOption;
}

export type RejectionCode =
  | 'invalid-option'
  | 'unsupported-scheme'
  | 'unsupported-network'
  | 'untrusted-asset'
  | 'invalid-amount'
  | 'zero-amount'
  | 'invalid-pay-to'
  | 'zero-pay-to'
  | 'invalid-timeout'
  | 'timeout-too-short'
  | 'domain-missing'
  | 'domain-mismatch'
  | 'unsupported-transfer-method'
  | 'permit2-required';

export interface RejectedOption {
  index: number;
  reason: string;
  code: RejectionCode;
}

export type ParseErrorCode =
  | 'not-402'
  | 'ambiguous-header'
  | 'too-large'
  | 'bad-base64'
  | 'bad-json'
  | 'bad-version'
  | 'bad-shape'
  | 'amount-field-confusion'
  | 'too-many-options'
  | 'v2-body-without-header'
  | 'no-payment-required';

export type Result<T, C extends string> =
  | { ok: true; value: T }
  | { ok: false; error: string; code: C };
