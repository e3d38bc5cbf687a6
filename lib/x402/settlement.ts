/**
 * Decoding of the settlement result a server returns after a paid request:
 * `PAYMENT-RESPONSE` (v2) or `X-PAYMENT-RESPONSE` (v1), base64 JSON of
 * `{success, transaction, network, payer}` or `{success:false, errorReason}`.
 * Strict base64 (see base64.ts) and a size limit; unknown fields are ignored.
 */
import { Base64Error, decodeBase64Utf8 } from './base64.ts';
import { getHeader } from './parse.ts';
import type { Result } from './types.ts';

export const MAX_SETTLEMENT_HEADER_CHARS = 16 * 1024;

export interface SettlementSuccess {
  success: true;
  transaction: string;
  network: string;
  payer?: string;
  /** Settled amount (atomic) when the scheme reports it (e.g. `upto`). */
  amount?: bigint;
}

export interface SettlementFailure {
  success: false;
  errorReason: string;
  errorMessage?: string;
  transaction?: string;
  network?: string;
  payer?: string;
}

export type Settlement = SettlementSuccess | SettlementFailure;

export type SettlementErrorCode = 'too-large' | 'bad-base64' | 'bad-json' | 'bad-shape';
export type SettlementResult = Result<Settlement, SettlementErrorCode>;

const fail = (code: SettlementErrorCode, error: string) => ({ ok: false as const, error, code });

function optString(v: unknown, max = 512): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined;
}

/** Decode one PAYMENT-RESPONSE / X-PAYMENT-RESPONSE header value. */
export function decodeSettlement(headerValue: string): SettlementResult {
  if (typeof headerValue !== 'string') return fail('bad-shape', 'settlement header must be a string');
  const h = headerValue.trim();
  if (h.length > MAX_SETTLEMENT_HEADER_CHARS) return fail('too-large', 'settlement header is too large');
  let text: string;
  try {
    text = decodeBase64Utf8(h);
  } catch (e) {
    return fail('bad-base64', `settlement header: ${e instanceof Base64Error ? e.message : 'invalid base64'}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('bad-json', 'settlement header is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('bad-shape', 'settlement must be a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.success === true) {
    const transaction = optString(d.transaction);
    const network = optString(d.network, 128);
    if (!transaction) return fail('bad-shape', 'successful settlement without a transaction');
    if (!network) return fail('bad-shape', 'successful settlement without a network');
    const out: SettlementSuccess = { success: true, transaction, network };
    const payer = optString(d.payer, 128);
    if (payer) out.payer = payer;
    if (typeof d.amount === 'string' && /^(0|[1-9][0-9]{0,77})$/.test(d.amount)) out.amount = BigInt(d.amount);
    return { ok: true, value: out };
  }
  if (d.success === false) {
    const out: SettlementFailure = { success: false, errorReason: optString(d.errorReason) ?? 'unknown' };
    const errorMessage = optString(d.errorMessage, 2048);
    if (errorMessage) out.errorMessage = errorMessage;
    const transaction = optString(d.transaction);
    if (transaction) out.transaction = transaction;
    const network = optString(d.network, 128);
    if (network) out.network = network;
    const payer = optString(d.payer, 128);
    if (payer) out.payer = payer;
    return { ok: true, value: out };
  }
  return fail('bad-shape', 'settlement.success must be a boolean');
}

/**
 * Find and decode the settlement header in a response (`PAYMENT-RESPONSE` first, then
 * `X-PAYMENT-RESPONSE`; names in any case). Returns undefined when neither is present.
 */
export function readSettlement(headers: Readonly<Record<string, string>>): (SettlementResult & { header: string }) | undefined {
  for (const name of ['PAYMENT-RESPONSE', 'X-PAYMENT-RESPONSE']) {
    const h = getHeader(headers, name);
    if (h.ambiguous) return { ...fail('bad-shape', `conflicting ${name} headers`), header: name };
    if (h.value !== undefined) return { ...decodeSettlement(h.value), header: name };
  }
  return undefined;
}
