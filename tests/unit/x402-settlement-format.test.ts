import { describe, expect, it } from 'vitest';
import { encodePaymentResponseHeader } from '@x402/core/http';
import { decodeSettlement, readSettlement } from '../../lib/x402/settlement.ts';
import { encodeBase64Utf8 } from '../../lib/x402/base64.ts';
import { formatAmount, formatTokenAmount, formatUsd, shortAddress } from '../../lib/x402/format.ts';
import { createRegistry } from '../../lib/x402/registry.ts';

const TX = '0x' + 'ab'.repeat(32);
const PAYER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

describe('decodeSettlement', () => {
  it('decodes a success produced by the official server encoder', () => {
    const h = encodePaymentResponseHeader({ success: true, transaction: TX, network: 'eip155:8453', payer: PAYER, extensionResponses: { x: 1 } } as never);
    expect(decodeSettlement(h)).toEqual({ ok: true, value: { success: true, transaction: TX, network: 'eip155:8453', payer: PAYER } });
  });

  it('decodes a failure with its reason', () => {
    const h = encodePaymentResponseHeader({ success: false, errorReason: 'invalid_exact_evm_payload_signature', transaction: '', network: 'eip155:8453', payer: PAYER } as never);
    expect(decodeSettlement(h)).toEqual({
      ok: true,
      value: { success: false, errorReason: 'invalid_exact_evm_payload_signature', network: 'eip155:8453', payer: PAYER },
    });
  });

  it('keeps a reported settled amount as bigint', () => {
    const h = encodeBase64Utf8(JSON.stringify({ success: true, transaction: TX, network: 'eip155:8453', amount: '777' }));
    const r = decodeSettlement(h);
    expect(r.ok && r.value.success && r.value.amount).toBe(777n);
  });

  it.each<[string, string, string]>([
    ['URL-safe / unpadded base64', encodeBase64Utf8(JSON.stringify({ success: true, transaction: TX, network: 'base' })).replace(/=+$/, '') + '-', 'bad-base64'],
    ['not JSON', encodeBase64Utf8('nope'), 'bad-json'],
    ['array', encodeBase64Utf8('[]'), 'bad-shape'],
    ['success not boolean', encodeBase64Utf8(JSON.stringify({ success: 'true', transaction: TX, network: 'base' })), 'bad-shape'],
    ['success without transaction', encodeBase64Utf8(JSON.stringify({ success: true, transaction: '', network: 'base' })), 'bad-shape'],
    ['success without network', encodeBase64Utf8(JSON.stringify({ success: true, transaction: TX })), 'bad-shape'],
    ['oversize', 'QUFB'.repeat(5000), 'too-large'],
  ])('rejects %s', (_n, h, code) => {
    const r = decodeSettlement(h);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe(code);
  });

  it('reads PAYMENT-RESPONSE and X-PAYMENT-RESPONSE in any case, preferring the v2 name', () => {
    const v2 = encodeBase64Utf8(JSON.stringify({ success: true, transaction: TX, network: 'eip155:8453' }));
    const v1 = encodeBase64Utf8(JSON.stringify({ success: true, transaction: TX, network: 'base-sepolia' }));
    expect(readSettlement({ 'x-payment-response': v1 })).toMatchObject({ ok: true, header: 'X-PAYMENT-RESPONSE', value: { network: 'base-sepolia' } });
    expect(readSettlement({ 'Payment-Response': v2, 'X-Payment-Response': v1 })).toMatchObject({ ok: true, header: 'PAYMENT-RESPONSE', value: { network: 'eip155:8453' } });
    expect(readSettlement({ 'content-type': 'text/plain' })).toBeUndefined();
  });
});

describe('format', () => {
  it.each<[bigint, number, string]>([
    [10000n, 6, '0.01'],
    [1n, 6, '0.000001'],
    [0n, 6, '0'],
    [1_500_000n, 6, '1.5'],
    [1_000_000n, 6, '1'],
    [123_456_789_012_345_678_901n, 18, '123.456789012345678901'],
    [(1n << 256n) - 1n, 6, '115792089237316195423570985008687907853269984665640564039457584007913129.639935'],
    [42n, 0, '42'],
    [-10000n, 6, '-0.01'],
  ])('formatAmount(%s, %i) = %s', (atomic, dec, out) => expect(formatAmount(atomic, dec)).toBe(out));

  const usdc = createRegistry().lookup('eip155:8453', '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913')!;
  const mega = createRegistry().lookup('eip155:4326', '0xFAfDdbb3FC7688494971a79cc65DCa3EF82079E7')!;

  it.each<[bigint, string]>([
    [10000n, '$0.01'],
    [1_500_000n, '$1.50'],
    [15_000n, '$0.015'],
    [9_999n, '<$0.01'],
    [1n, '<$0.01'],
    [0n, '$0.00'],
    [1_234_567_000_000n, '$1,234,567.00'],
    [1_000_000_000n * 10n ** 6n, '$1,000,000,000.00'],
  ])('formatUsd(%s USDC) = %s', (atomic, out) => expect(formatUsd(atomic, usdc)).toBe(out));

  it('formats 18-decimal stablecoins exactly and non-pegged assets as tokens', () => {
    expect(formatUsd(10n ** 16n, mega)).toBe('$0.01');
    expect(formatUsd(10n ** 15n, mega)).toBe('<$0.01');
    expect(formatUsd(5n, { decimals: 0, symbol: 'XYZ', usdPegged: false })).toBe('5 XYZ');
    expect(formatTokenAmount(10000n, usdc)).toBe('0.01 USDC');
    expect(() => formatAmount(1n, -1)).toThrow(RangeError);
  });

  it('shortens addresses', () => {
    expect(shortAddress(PAYER)).toBe('0xf39F…2266');
    expect(shortAddress(PAYER, 6)).toBe('0xf39Fd6…b92266');
    expect(shortAddress('0x1234')).toBe('0x1234');
  });
});
