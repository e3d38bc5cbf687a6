import { describe, expect, it } from 'vitest';
import { UsdFormatError, formatUsd, formatUsdPlain, parseUsd, tryParseUsd } from '../../lib/policy/money';

describe('parseUsd', () => {
  it.each([
    ['1.5', 1_500_000n],
    ['0', 0n],
    ['0.10', 100_000n],
    ['10', 10_000_000n],
    ['0.000001', 1n],
    ['123456.789012', 123_456_789_012n],
    ['  2.25 ', 2_250_000n],
    ['$0.01', 10_000n],
    ['$ 3', 3_000_000n],
    ['007.5', 7_500_000n],
    ['999999999999.999999', 999_999_999_999_999_999n],
  ])('parses %j exactly', (input, micro) => {
    expect(parseUsd(input)).toBe(micro);
  });

  it.each([
    ['', /Enter an amount/],
    ['   ', /Enter an amount/],
    ['-1', /sign/],
    ['+1', /sign/],
    ['1e3', /exponent/],
    ['1E-2', /exponent/],
    ['1,000', /comma/],
    ['0.0000001', /6 decimal/],
    ['1.', /Enter an amount/],
    ['.5', /Enter an amount/],
    ['1.2.3', /Enter an amount/],
    ['abc', /Enter an amount/],
    ['0x10', /Enter an amount/],
    ['Infinity', /Enter an amount/],
    ['NaN', /Enter an amount/],
    ['1 000', /Enter an amount/],
    ['１', /Enter an amount/],
    ['1000000000000', /too large/],
  ])('rejects %j with a clear message', (input, message) => {
    expect(() => parseUsd(input)).toThrow(UsdFormatError);
    expect(() => parseUsd(input)).toThrow(message);
    const r = tryParseUsd(input);
    expect(r.ok).toBe(false);
  });
});

describe('formatUsd', () => {
  it.each([
    [1_500_000n, '$1.50'],
    [0n, '$0.00'],
    [10_000n, '$0.01'],
    [100_000n, '$0.10'],
    [1n, '$0.000001'],
    [1_234n, '$0.001234'],
    [12_345_678_900n, '$12,345.6789'],
    [-2_500_000n, '-$2.50'],
  ])('formats %s micro-dollars as %s', (micro, text) => {
    expect(formatUsd(micro)).toBe(text);
  });

  it('plain form (for inputs) has no dollar sign or separators and round-trips through parseUsd', () => {
    for (const micro of [0n, 1n, 99n, 100_000n, 1_500_000n, 123_456_789_012n]) {
      const plain = formatUsdPlain(micro);
      expect(plain).toMatch(/^\d+\.\d{2,6}$/);
      expect(parseUsd(plain)).toBe(micro);
      // the display form reads back too when it has no thousands separator
      if (micro < 1_000_000_000n) expect(parseUsd(formatUsd(micro))).toBe(micro);
    }
  });
});
