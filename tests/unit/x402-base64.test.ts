import { describe, expect, it } from 'vitest';
import { decodePaymentRequiredHeader, encodePaymentRequiredHeader } from '@x402/core/http';
import { Base64Error, decodeBase64Bytes, decodeBase64Utf8, encodeBase64Bytes, encodeBase64Utf8 } from '../../lib/x402/base64.ts';

describe('x402 base64', () => {
  it('round-trips Unicode text through UTF-8 bytes (where btoa(string) would throw)', () => {
    const text = 'Ünïcødé — 日本語 📰 \u{1F600}';
    expect(() => btoa(text)).toThrow();
    const enc = encodeBase64Utf8(text);
    expect(enc).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decodeBase64Utf8(enc)).toBe(text);
    // Same bytes as the official encoder over a JSON document.
    const doc = { x402Version: 2, resource: { url: 'https://a.example/', description: text }, accepts: [] };
    expect(encodeBase64Utf8(JSON.stringify(doc))).toBe(encodePaymentRequiredHeader(doc as never));
    expect(decodePaymentRequiredHeader(encodeBase64Utf8(JSON.stringify(doc)))).toEqual(doc);
  });

  it('encodes bytes with standard alphabet and padding', () => {
    expect(encodeBase64Bytes(new Uint8Array([0xfb, 0xff]))).toBe('+/8=');
    expect(encodeBase64Bytes(new Uint8Array([1]))).toBe('AQ==');
    expect(encodeBase64Bytes(new Uint8Array([]))).toBe('');
    const big = new Uint8Array(70_000).map((_, i) => i & 0xff);
    expect(decodeBase64Bytes(encodeBase64Bytes(big))).toEqual(big);
  });

  it.each([
    ['URL-safe alphabet', '-_8=', /URL-safe/],
    ['missing padding', 'AQ', /padded/],
    ['missing padding (3)', 'AQID' + 'AQ', /padded/],
    ['inner whitespace', 'AQID\nAQID', /whitespace/],
    ['space', 'AQ ==', /whitespace/],
    ['non-base64 character', 'AQ*=', /not valid base64/],
    ['padding in the middle', 'AQ==AQ==', /not valid base64/],
    ['too much padding', 'A===', /not valid base64/],
    ['non-canonical trailing bits', 'AR==', /non-canonical/],
  ])('rejects %s', (_name, input, msg) => {
    expect(() => decodeBase64Bytes(input)).toThrow(Base64Error);
    expect(() => decodeBase64Bytes(input)).toThrow(msg);
  });

  it('rejects invalid UTF-8 instead of replacing it', () => {
    const bad = encodeBase64Bytes(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(() => decodeBase64Utf8(bad)).toThrow(/UTF-8/);
  });
});
