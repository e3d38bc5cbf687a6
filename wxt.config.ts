import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
/**
 * Supply chain (issue 16): with X402_BUNDLE_REPORT set, the build writes which npm packages each
 * output file bundles (`.output/bundle-packages.<browser>.json`); `tests/supply-chain.ts` checks
 * the list against the allowlist. Build-time only; the extension is unchanged.
 */
function bundleReport(browser: string) {
  return {
    name: 'x402-bundle-report',
    generateBundle(_: unknown, bundle: Record<string, { type: string; modules?: Record<string, unknown> }>) {
      const out: Record<string, string[]> = {};
      for (const [file, chunk] of Object.entries(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.modules) continue;
        const pkgs = new Set<string>();
        for (const id of Object.keys(chunk.modules)) {
          const norm = id.replace(/\\/g, '/');
          const at = norm.lastIndexOf('node_modules/');
          if (at < 0) continue;
          const m = /^((?:@[^/]+\/)?[^/]+)/.exec(norm.slice(at + 'node_modules/'.length));
          if (m) pkgs.add(m[1]!);
        }
        out[file] = [...pkgs].sort();
      }
      const dir = path.resolve(import.meta.dirname, '.output');
      mkdirSync(dir, { recursive: true });
      const f = path.join(dir, `bundle-packages.${browser}.json`);
      const prev = existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Record<string, string[]>) : {};
      writeFileSync(f, JSON.stringify({ ...prev, ...out }, null, 2));
    },
  };
}

/**
 * The pages are written against React's API (react, react-dom/client, hooks, zustand) and run on
 * preact/compat (issue 10: react-dom was ~70 KB of the 342 KB store zip; preact/compat ~5 KB).
 * Exact-match aliases (`react-dom/client` must not match `react-dom`). The unit tests' static
 * markup checks (ui-rails, ui-history) still render with react-dom/server: devDependencies only.
 */
export const reactOnPreact = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-runtime' },
];

export default defineConfig({
  // X402_SOURCEMAP=1: hidden source maps for the size report (scripts/size-report.ts); never in a release
  vite: (env) => ({
    resolve: { alias: reactOnPreact },
    // TSX with the automatic runtime (`react/jsx-runtime`, aliased above); no React plugin
    esbuild: { jsx: 'automatic', jsxImportSource: 'react' },
    plugins: [
      ...(process.env.X402_BUNDLE_REPORT ? [bundleReport(env.browser)] : []),
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
    // Extension pages (popup, approval, options, onboarding): only the extension's own scripts,
    // styles and images; no plugins, no <base>, no form posts, and never framed by anyone — the
    // approval window cannot be embedded (clickjacking), and no page is web-accessible either.
    // connect-src: this policy also covers the background (Chrome's service worker, Firefox's
    // event page), which reads the user's RPC endpoints over http(s).
    content_security_policy: {
      extension_pages:
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src http: https:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
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
