import { defineConfig } from 'vitest/config';

// Browser tests: the built extension in real Chromium and Firefox ESR against the local
// x402 network. One file at a time (2 cores; each file starts its own network and browser).
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000, // a world (three chains, a Solana cluster, servers, a browser) on a loaded 2-core machine
    reporters: ['default'],
  },
});
