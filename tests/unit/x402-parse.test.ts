import { describe, expect, it } from 'vitest';
import { encodePaymentRequiredHeader } from '@x402/core/http';
import { MAX_OPTIONS, parsePaymentRequired } from '../../lib/x402/parse.ts';
import { encodeBase64Utf8 } from '../../lib/x402/base64.ts';
import { PAY_TO, USDC_BASE, v2Option } from './x402-fixtures';

function v2Doc(over: Record<string, unknown> = {}) {
  return {
    x402Version: 2,
    error: 'Payment required',
    resource: { url: 'https://api.example/paid', description: 'A paid thing', mimeType: 'application/json' },
    accepts: [v2Option()],
    extensions: { 'payment-identifier': { info: { required: false } } },
    ...over,
  };
}

function v1Option(over: Record<string, unknown> = {}) {
  return {
    scheme: 'exact',
    network: 'base',
    maxAmountRequired: '10000',
    resource: 'https://api.example/v1',
    description: 'v1 thing',
    mimeType: 'text/plain',
    payTo: PAY_TO,
    maxTimeoutSeconds: 60,
    asset: USDC_BASE,
    extra: { name: 'USD Coin', version: '2' },
    ...over,
  };
}

function v1Body(over: Record<string, unknown> = {}) {
  return JSON.stringify({ x402Version: 1, error: 'X-PAYMENT header is required', accepts: [v1Option()], ...over });
}

/** Header bytes produced by the official encoder. */
const header = (doc: unknown) => encodePaymentRequiredHeader(doc as never);

/** A valid v2 header whose encoding ends in padding. */
function paddedHeader(): string {
  for (let n = 0; n < 3; n++) {
    const h = header(v2Doc({ error: 'x'.repeat(n) }));
    if (h.endsWith('=')) return h;
  }
  throw new Error('unreachable');
}

describe('parsePaymentRequired — valid documents', () => {
  it('parses v2 from real PAYMENT-REQUIRED header bytes, any header-name case, ignoring the body', () => {
    const doc = v2Doc();
    const r = parsePaymentRequired({ status: 402, headers: { 'Payment-Required': header(doc) }, bodyText: '{}' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.version).toBe(2);
    expect(r.value.resource).toEqual(doc.resource);
    expect(r.value.accepts).toEqual(doc.accepts);
    expect(r.value.raw).toEqual(doc);
    expect(r.value.extensions).toEqual(doc.extensions);
    expect(r.value.error).toBe('Payment required');
    // Raw objects are the verbatim JSON and frozen, accepts share identity with raw.
    expect(r.value.accepts[0]).toBe((r.value.raw.accepts as unknown[])[0]);
    expect(Object.isFrozen(r.value.accepts[0])).toBe(true);
    expect(Object.isFrozen((r.value.accepts[0] as { extra: object }).extra)).toBe(true);
  });

  it('keeps unknown fields verbatim (zod would strip them)', () => {
    const doc = v2Doc({ accepts: [v2Option({ extra: { name: 'USD Coin', version: '2', custom: [1, { a: null }] }, vendorField: 'x' })] });
    const r = parsePaymentRequired({ status: 402, headers: { 'payment-required': header(doc) } });
    expect(r.ok && r.value.accepts[0]).toEqual(doc.accepts[0]);
  });

  it('handles a Unicode description (UTF-8 bytes in base64)', () => {
    const doc = v2Doc({ resource: { url: 'https://news.example/ärticle', description: 'Zeitung — 新聞 📰' } });
    const r = parsePaymentRequired({ status: 402, headers: { 'PAYMENT-REQUIRED': header(doc) } });
    expect(r.ok && r.value.resource.description).toBe('Zeitung — 新聞 📰');
  });

  it('parses v1 from the JSON body', () => {
    const r = parsePaymentRequired({ status: 402, headers: { 'content-type': 'application/json' }, bodyText: v1Body() });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.version).toBe(1);
    expect(r.value.resource).toEqual({ url: 'https://api.example/v1', description: 'v1 thing', mimeType: 'text/plain' });
    expect(r.value.accepts[0]).toEqual(v1Option());
    expect(r.value.error).toBe('X-PAYMENT header is required');
  });
});

describe('parsePaymentRequired — rejections', () => {
  const v2h = (doc: unknown) => ({ status: 402, headers: { 'PAYMENT-REQUIRED': header(doc) } });
  const urlSafe = header(v2Doc({ resource: { url: 'https://x.example/', description: '???>>>~~~' } }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');

  it.each<[string, Parameters<typeof parsePaymentRequired>[0], string, RegExp?]>([
    ['status not 402', { status: 200, headers: { 'PAYMENT-REQUIRED': header(v2Doc()) } }, 'not-402'],
    ['URL-safe base64', { status: 402, headers: { 'PAYMENT-REQUIRED': urlSafe } }, 'bad-base64', /URL-safe/],
    ['missing padding', { status: 402, headers: { 'PAYMENT-REQUIRED': paddedHeader().replace(/=+$/, '') } }, 'bad-base64', /padded/],
    ['base64 of non-JSON', { status: 402, headers: { 'PAYMENT-REQUIRED': encodeBase64Utf8('hello') } }, 'bad-json'],
    ['v1 document in the v2 header', { status: 402, headers: { 'PAYMENT-REQUIRED': encodeBase64Utf8(v1Body()) } }, 'bad-version'],
    ['v2 option with only maxAmountRequired', v2h(v2Doc({ accepts: [{ ...v2Option({ maxAmountRequired: '10000' }), amount: undefined }] })), 'amount-field-confusion'],
    ['v2 option with both amount fields', v2h(v2Doc({ accepts: [v2Option({ maxAmountRequired: '1' })] })), 'amount-field-confusion'],
    ['v1 option with only amount', { status: 402, headers: {}, bodyText: JSON.stringify({ x402Version: 1, accepts: [{ ...v1Option({ amount: '10000' }), maxAmountRequired: undefined }] }) }, 'amount-field-confusion'],
    ['v2 option missing amount', v2h(v2Doc({ accepts: [{ ...v2Option(), amount: undefined }] })), 'bad-shape', /amount/],
    ['v2 with a v1 network name', v2h(v2Doc({ accepts: [v2Option({ network: 'base' })] })), 'bad-shape', /CAIP-2/],
    ['v2 missing resource', v2h({ ...v2Doc(), resource: undefined }), 'bad-shape', /resource/],
    ['empty accepts', v2h(v2Doc({ accepts: [] })), 'bad-shape'],
    ['accepts entry not an object', v2h(v2Doc({ accepts: ['x'] })), 'bad-shape'],
    ['too many options', v2h(v2Doc({ accepts: Array.from({ length: MAX_OPTIONS + 1 }, () => v2Option()) })), 'too-many-options'],
    ['extensions not an object', v2h(v2Doc({ extensions: ['a'] })), 'bad-shape'],
    ['unknown version', { status: 402, headers: {}, bodyText: JSON.stringify({ x402Version: 3, accepts: [v1Option()] }) }, 'bad-version'],
    ['v2 in body without header', { status: 402, headers: {}, bodyText: JSON.stringify(v2Doc()) }, 'v2-body-without-header'],
    ['HTML paywall without header', { status: 402, headers: { 'content-type': 'text/html' }, bodyText: '<!doctype html><p>Pay</p>' }, 'no-payment-required'],
    ['no header and no body', { status: 402, headers: {} }, 'no-payment-required'],
    ['malformed JSON body', { status: 402, headers: {}, bodyText: '{"x402Version":1,' }, 'bad-json'],
    ['conflicting header spellings', { status: 402, headers: { 'PAYMENT-REQUIRED': header(v2Doc()), 'payment-required': header(v2Doc({ error: 'x' })) } }, 'ambiguous-header'],
    ['oversize header', { status: 402, headers: { 'PAYMENT-REQUIRED': 'A'.repeat(64 * 1024 + 4) } }, 'too-large'],
    ['oversize body', { status: 402, headers: {}, bodyText: v1Body({ pad: 'x'.repeat(64 * 1024) }) }, 'too-large'],
    ['oversize body in UTF-8 bytes', { status: 402, headers: {}, bodyText: v1Body({ pad: '日'.repeat(22 * 1024) }) }, 'too-large'],
    ['maxTimeoutSeconds not a number', v2h(v2Doc({ accepts: [v2Option({ maxTimeoutSeconds: '60' })] })), 'bad-shape'],
  ])('%s', (_name, input, code, msg) => {
    const r = parsePaymentRequired(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(code);
    if (msg) expect(r.error).toMatch(msg);
  });

  it('the URL-safe case really differs from the standard encoding', () => {
    expect(urlSafe).toMatch(/[-_]/);
  });

  it('the padded header itself is valid (so the missing-padding case tests padding only)', () => {
    expect(parsePaymentRequired({ status: 402, headers: { 'PAYMENT-REQUIRED': paddedHeader() } }).ok).toBe(true);
  });

  it('does not fall back to the body when the header is bad', () => {
    const r = parsePaymentRequired({ status: 402, headers: { 'PAYMENT-REQUIRED': 'not base64!' }, bodyText: v1Body() });
    expect(r.ok).toBe(false);
  });

  it('accepts a v2 body only when explicitly allowed', () => {
    const r = parsePaymentRequired({ status: 402, headers: {}, bodyText: JSON.stringify(v2Doc()) }, { allowV2Body: true });
    expect(r.ok && r.value.version).toBe(2);
  });

  it('accepts exactly MAX_OPTIONS options and a body just under the limit', () => {
    const doc = v2Doc({ accepts: Array.from({ length: MAX_OPTIONS }, () => v2Option()) });
    expect(parsePaymentRequired(v2h(doc)).ok).toBe(true);
    const body = v1Body({ pad: '' });
    const padded = v1Body({ pad: 'x'.repeat(64 * 1024 - body.length) });
    expect(padded.length).toBe(64 * 1024);
    expect(parsePaymentRequired({ status: 402, headers: {}, bodyText: padded }).ok).toBe(true);
  });
});
