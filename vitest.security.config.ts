import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// The counted security suites that run without a browser (issue 16): property-based fuzzing of
// every parser and validator (≥ 10,000 inputs each), vault and settings tampering, the security
// rules. `npm run test:security`; `npm test` runs them as their own step and prints the figures.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['tests/unit/security/**/*.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
  },
});
