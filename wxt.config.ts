import path from 'node:path';
import { defineConfig } from 'wxt';

// One manifest for Chrome (MV3 service worker) and Firefox (MV3 event page).
// Permissions are the smallest set the features need:
//  - storage: vault, settings, ledger (local) and the unlocked session key (session)
//  - alarms: auto-lock deadline and stale-reservation sweeps survive worker restarts
//  - webRequest: observe 402 responses and PAYMENT-RESPONSE headers (read-only)
//  - declarativeNetRequest: one-shot header rule for paid top-level navigations
//  - notifications: automatic-payment and budget alerts
//  - unlimitedStorage (Chrome only; no install warning there): the payment history (up to 6,000
//    records, ~1 KB each) must never hit storage.local's 10 MB quota and stop payments;
//    Firefox sets no quota on an extension's storage.local
//  - scripting: the page API script (window.x402) registered for the sites allowed to use it only
//  - host_permissions <all_urls>: x402 resources can live on any origin
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // X402_SOURCEMAP=1: hidden source maps for the size report (scripts/size-report.ts); never in a release
  vite: () => ({
    plugins: [
      {
        // The official @x402/* packages get viem with a public client of the three reads they
        // make (lib/util/viem-for-x402.ts): the full one pulls every viem action into the bundle.
        name: 'x402-viem-read-client',
        enforce: 'pre' as const,
        resolveId(source: string, importer: string | undefined) {
          if (source === 'viem' && importer && /node_modules\/@x402\//.test(importer)) return path.resolve(import.meta.dirname, 'lib/util/viem-for-x402.ts');
          return null;
        },
      },
    ],
    build: {
      sourcemap: process.env.X402_SOURCEMAP === '1' ? 'hidden' : false,
      rollupOptions: {
        // The official @x402/* packages declare no "sideEffects"; their modules only define
        // schemes, schemas and constants, so what the wallet does not import is left out.
        treeshake: { moduleSideEffects: (id: string) => !/node_modules\/@x402\//.test(id) },
      },
    },
  }),
  hooks: {
    // `test-*` entrypoints (hooks the browser tests need) exist only in `--mode test` builds.
    'entrypoints:resolved': (wxt, entrypoints) => {
      if (wxt.config.mode === 'test') return;
      for (const e of entrypoints) if (e.name.startsWith('test-')) e.skipped = true;
    },
  },
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: 'x402 Wallet',
    description: 'Pays HTTP 402 (x402) payment requests with your approval or within per-site budgets.',
    permissions: ['storage', 'alarms', 'webRequest', 'declarativeNetRequest', 'notifications', 'scripting', ...(browser === 'firefox' ? [] : ['unlimitedStorage'])],
    host_permissions: ['<all_urls>'],
    // operator policy (storage.managed): Chrome needs the schema; Firefox reads policies.json "3rdparty"
    ...(browser === 'firefox' ? {} : { storage: { managed_schema: 'managed_schema.json' } }),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'wallet@x402.local',
              // 142: first version that knows data_collection_permissions (ESR 153 here)
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
