import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    // the counted security suites have their own step (vitest.security.config.ts)
    exclude: ['tests/unit/security/**', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
