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
  /** a v2 document that came in the JSON body (x402/nonstandard.ts): answered with X-PAYMENT */
  transport?: 'body-v2';
}

/* Trusted assets, payable options and rejection codes are per rail: see lib/rails/types.ts. */

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
