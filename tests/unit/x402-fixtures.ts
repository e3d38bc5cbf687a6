/** Shared wire fixtures for the x402 unit tests: real Base USDC and a v2 `exact` option. */
export const USDC_BASE = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913';
export const PAY_TO = '0x209693Bc6afc0C5328bA36FaF03C514EF312287C';

/** A valid v2 `exact` option for USDC on Base, with `over` applied on top. */
export function v2Option(over: Record<string, unknown> = {}) {
  return {
    scheme: 'exact',
    network: 'eip155:8453',
    amount: '10000',
    asset: USDC_BASE,
    payTo: PAY_TO,
    maxTimeoutSeconds: 60,
    extra: { name: 'USD Coin', version: '2' },
    ...over,
  };
}
