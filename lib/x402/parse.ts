/**
 * Strict parsing of an HTTP 402 into `PaymentRequiredNormalized`.
 *
 * v2: base64 JSON in the `PAYMENT-REQUIRED` header (x402Version 2, `amount`).
 * v1: JSON body (x402Version 1, `maxAmountRequired`).
 * Shapes are checked with @x402/core's zod schemas (`PaymentRequiredV1Schema` /
 * `PaymentRequiredV2Schema`) plus rules they lack: size limits, option count, and no
 * mixing of the two amount fields (never fall back from one to the other). The returned
 * object keeps the decoded JSON verbatim (deep-frozen) — zod output is used only to decide
 * validity, never echoed (zod drops unknown keys).
 */
import { PaymentRequiredV1Schema, PaymentRequiredV2Schema } from '@x402/core/schemas';
import { Base64Error, decodeBase64Utf8 } from './base64.ts';
import type { JsonObject, ParseErrorCode, PaymentRequiredNormalized, RawOption, ResourceInfo, Result } from './types.ts';

export const MAX_HEADER_CHARS = 64 * 1024;
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_OPTIONS = 20;

export interface ParseInput {
  /** Response headers; names in any case. */
  headers: Readonly<Record<string, string>>;
  bodyText?: string;
  status: number;
}

export interface ParseOptions {
  /**
   * Accept an x402Version 2 document in the JSON body when no PAYMENT-REQUIRED header is
   * present (some third-party servers do this). Default false, like the official client.
   */
  allowV2Body?: boolean;
}

export type ParseResult = Result<PaymentRequiredNormalized, ParseErrorCode>;

type Fail = { ok: false; error: string; code: ParseErrorCode };
const fail = (code: ParseErrorCode, error: string): Fail => ({ ok: false, error, code });

/**
 * Case-insensitive header lookup. Two spellings of one name with different values are
 * ambiguous and refused (returned as `{ambiguous: true}`).
 */
export function getHeader(
  headers: Readonly<Record<string, string>>,
  name: string,
): { value?: string; ambiguous?: true } {
  const want = name.toLowerCase();
  let found: string | undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== want || typeof v !== 'string') continue;
    if (found !== undefined && found !== v) return { ambiguous: true };
    found = v;
  }
  return found === undefined ? {} : { value: found };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function zodMessage(issues: readonly { path: (string | number)[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

function parseJson(text: string, what: string): Result<unknown, ParseErrorCode> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return fail('bad-json', `${what} is not valid JSON`);
  }
}

/** Validate a decoded x402 document of either version. */
export function normalizePaymentRequired(doc: unknown, source: 'header' | 'body'): ParseResult {
  if (!isPlainObject(doc)) return fail('bad-shape', 'payment requirements must be a JSON object');
  const version = doc.x402Version;
  if (version !== 1 && version !== 2) {
    return fail('bad-version', `unsupported x402Version ${JSON.stringify(version) ?? 'undefined'}`);
  }
  const accepts = doc.accepts;
  if (!Array.isArray(accepts) || accepts.length === 0) return fail('bad-shape', 'accepts must be a non-empty array');
  if (accepts.length > MAX_OPTIONS) return fail('too-many-options', `too many payment options (${accepts.length} > ${MAX_OPTIONS})`);

  const ownAmount = version === 2 ? 'amount' : 'maxAmountRequired';
  const otherAmount = version === 2 ? 'maxAmountRequired' : 'amount';
  for (let i = 0; i < accepts.length; i++) {
    const opt: unknown = accepts[i];
    if (!isPlainObject(opt)) return fail('bad-shape', `accepts[${i}] must be an object`);
    if (Object.prototype.hasOwnProperty.call(opt, otherAmount)) {
      return fail(
        'amount-field-confusion',
        `accepts[${i}]: x402 v${version} uses "${ownAmount}", but the option carries "${otherAmount}"`,
      );
    }
  }

  const schema = version === 2 ? PaymentRequiredV2Schema : PaymentRequiredV1Schema;
  const checked = schema.safeParse(doc);
  if (!checked.success) return fail('bad-shape', `invalid x402 v${version} payment requirements (${source}): ${zodMessage(checked.error.issues)}`);

  const frozen = deepFreeze(doc) as JsonObject;
  const rawAccepts = frozen.accepts as readonly RawOption[];
  let resource: ResourceInfo;
  let extensions: Readonly<Record<string, unknown>> | undefined;
  if (version === 2) {
    const r = frozen.resource as Record<string, unknown>;
    resource = { url: r.url as string };
    if (typeof r.description === 'string') resource.description = r.description;
    if (typeof r.mimeType === 'string') resource.mimeType = r.mimeType;
    if (isPlainObject(frozen.extensions)) extensions = frozen.extensions;
  } else {
    const first = rawAccepts[0]!;
    resource = { url: first.resource as string, description: first.description as string };
    if (typeof first.mimeType === 'string') resource.mimeType = first.mimeType;
  }
  const value: PaymentRequiredNormalized = { version, resource, accepts: rawAccepts, raw: frozen };
  if (extensions) value.extensions = extensions;
  if (typeof frozen.error === 'string' && frozen.error) value.error = frozen.error;
  return { ok: true, value };
}

/**
 * Parse a 402 response. The `PAYMENT-REQUIRED` header wins; when present, the body is
 * ignored and a bad header is an error (no fallback to the body).
 */
export function parsePaymentRequired(input: ParseInput, opts: ParseOptions = {}): ParseResult {
  if (input.status !== 402) return fail('not-402', `status ${input.status} is not 402`);

  const header = getHeader(input.headers, 'payment-required');
  if (header.ambiguous) return fail('ambiguous-header', 'conflicting PAYMENT-REQUIRED headers');
  if (header.value !== undefined) {
    const h = header.value.trim();
    if (h.length > MAX_HEADER_CHARS) return fail('too-large', `PAYMENT-REQUIRED header exceeds ${MAX_HEADER_CHARS} characters`);
    let text: string;
    try {
      text = decodeBase64Utf8(h);
    } catch (e) {
      return fail('bad-base64', `PAYMENT-REQUIRED header: ${e instanceof Base64Error ? e.message : 'invalid base64'}`);
    }
    const json = parseJson(text, 'PAYMENT-REQUIRED header');
    if (!json.ok) return json;
    if (isPlainObject(json.value) && json.value.x402Version !== 2) {
      return fail('bad-version', `PAYMENT-REQUIRED header must carry x402Version 2, got ${JSON.stringify(json.value.x402Version) ?? 'undefined'}`);
    }
    return normalizePaymentRequired(json.value, 'header');
  }

  const body = input.bodyText;
  if (body === undefined || body.trim() === '') return fail('no-payment-required', 'no PAYMENT-REQUIRED header and no body');
  if (body.length > MAX_BODY_BYTES || utf8Length(body) > MAX_BODY_BYTES) {
    return fail('too-large', `402 body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('{')) return fail('no-payment-required', 'no PAYMENT-REQUIRED header and the body is not JSON');
  const json = parseJson(body, '402 body');
  if (!json.ok) return json;
  if (isPlainObject(json.value) && json.value.x402Version === 2 && !opts.allowV2Body) {
    return fail('v2-body-without-header', 'x402 v2 requirements must come in the PAYMENT-REQUIRED header');
  }
  if (isPlainObject(json.value) && json.value.x402Version !== 1 && json.value.x402Version !== 2) {
    if (!('accepts' in json.value) && !('x402Version' in json.value)) {
      return fail('no-payment-required', 'the 402 body is JSON but not an x402 document');
    }
  }
  return normalizePaymentRequired(json.value, 'body');
}
