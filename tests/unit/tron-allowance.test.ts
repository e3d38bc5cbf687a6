/**
 * The PaymentPermit allowance a TRON approval grants: exactly what is needed by default, a
 * user's cap at least that large, and anything effectively unlimited (≥ 2^128, or MAX_UINT256)
 * only with its own confirmation.
 */
import { describe, expect, it } from 'vitest';
import { amountOf, EFFECTIVELY_UNLIMITED, type Target } from '../../lib/background/tron-allowance';

const t = { needed: 1_500_000n, asset: { symbol: 'USDT', decimals: 6 } } as unknown as Target;
const MAX = 2n ** 256n - 1n;

describe('TRON allowance amount', () => {
  it('exactly what the payment needs unless the user chose a cap; never less', () => {
    expect(amountOf(t, {})).toBe(1_500_000n);
    expect(amountOf(t, { amountAtomic: '10000000' })).toBe(10_000_000n);
    expect(() => amountOf(t, { amountAtomic: '1' })).toThrow(/must cover this payment/);
    expect(() => amountOf(t, { amountAtomic: '1e9' })).toThrow(/whole number/);
  });

  it('unlimited — by name or by size — needs the separate confirmation', () => {
    expect(() => amountOf(t, { unlimited: true })).toThrow(/own confirmation/);
    expect(amountOf(t, { unlimited: true, confirmUnlimited: true })).toBe(MAX);
    expect(() => amountOf(t, { amountAtomic: EFFECTIVELY_UNLIMITED.toString() })).toThrow(/effectively unlimited/);
    expect(() => amountOf(t, { amountAtomic: (MAX - 1n).toString() })).toThrow(/effectively unlimited/);
    expect(amountOf(t, { amountAtomic: (EFFECTIVELY_UNLIMITED - 1n).toString() })).toBe(EFFECTIVELY_UNLIMITED - 1n);
    expect(amountOf(t, { amountAtomic: EFFECTIVELY_UNLIMITED.toString(), confirmUnlimited: true })).toBe(EFFECTIVELY_UNLIMITED);
  });
});
