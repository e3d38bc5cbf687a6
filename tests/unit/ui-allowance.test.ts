import { describe, expect, it } from 'vitest';
import { defaultAllowanceMicro, defaultAllowanceUsd, niceCeil } from '../../lib/ui/allowance';

describe('niceCeil', () => {
  it.each([
    [1n, 1n],
    [2n, 2n],
    [3n, 5n],
    [6n, 10n],
    [10n, 10n],
    [11n, 20n],
    [150_000n, 200_000n],
    [200_001n, 500_000n],
    [500_000n, 500_000n],
    [700_000n, 1_000_000n],
    [25_000_000n, 50_000_000n],
  ])('niceCeil(%s) = %s', (x, y) => {
    expect(niceCeil(x)).toBe(y);
  });
});

describe('default allowance (10× the price, nice number, at least $0.10)', () => {
  it.each([
    ['$0.01', '0.10'], // 10× = $0.10
    ['$0.001', '0.10'], // 10× = $0.01 → minimum $0.10
    ['$0.000001', '0.10'],
    ['$0.02', '0.20'],
    ['$0.03', '0.50'], // 10× = $0.30 → $0.50
    ['$0.05', '0.50'],
    ['$0.07', '1.00'],
    ['$0.25', '5.00'], // 10× = $2.50 → $5
    ['$1', '10.00'],
    ['$1.50', '20.00'],
    ['$12', '200.00'],
  ])('price %s → allow up to $%s', (price, allowance) => {
    expect(defaultAllowanceUsd(price)).toBe(allowance);
  });

  it('falls back to $1.00 without a usable USD price', () => {
    expect(defaultAllowanceUsd(null)).toBe('1.00');
    expect(defaultAllowanceUsd(undefined)).toBe('1.00');
    expect(defaultAllowanceUsd('about a dollar')).toBe('1.00');
    expect(defaultAllowanceMicro(0n)).toBe(1_000_000n);
  });

  it('is always at least 10× the price and at least $0.10', () => {
    for (let p = 1n; p < 50_000_000n; p = p * 3n + 7n) {
      const a = defaultAllowanceMicro(p);
      expect(a >= p * 10n).toBe(true);
      expect(a >= 100_000n).toBe(true);
    }
  });
});
