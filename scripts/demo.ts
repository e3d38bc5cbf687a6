/**
 * `npm run demo`: build the Chrome extension, start the local x402 network on fixed ports,
 * print everything a human needs to try it, and (with a display) open Chromium with the
 * unpacked extension on the demo page. Ctrl-C (SIGINT/SIGTERM) stops everything cleanly.
 *
 * Flags: --no-build (skip `wxt build`), --no-browser (never launch Chromium),
 *        --port=<base> (base port, default 4020; see tests/fixture/network.ts for the layout).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import {
  DEFAULT_BASE_PORT,
  DEMO_ADDRESSES,
  DEMO_MNEMONIC,
  PRICES,
  startNetwork,
  type LocalX402Network,
} from '../tests/fixture/network.ts';
import { ensureBrowsers } from './browsers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXT_DIR = path.join(ROOT, '.output', 'chrome-mv3');
/** the Chromium to launch, found (or installed) by the setup check in main() */
let chromiumPath: string | undefined;

const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const noBrowser = args.includes('--no-browser');
const portArg = args.find((a) => a.startsWith('--port='));
const basePort = portArg ? Number(portArg.slice('--port='.length)) : DEFAULT_BASE_PORT;
if (!Number.isInteger(basePort) || basePort < 1024 || basePort > 65_000) {
  console.error(`invalid --port: ${portArg}`);
  process.exit(2);
}

const usdc = (atomic: bigint): string => {
  const whole = atomic / 1_000_000n;
  const frac = (atomic % 1_000_000n).toString().padStart(6, '0');
  return `${whole}.${frac} USDC`;
};

let net: LocalX402Network | undefined;
let ctx: BrowserContext | undefined;
let profileDir: string | undefined;
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    console.log('\nStopping the demo network ...');
    await ctx?.close().catch(() => undefined);
    await net?.stop().catch(() => undefined);
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    console.log('Stopped.');
  }
  process.exit(code);
}

function build(): void {
  console.log('Building the Chrome extension (npx wxt build) ...');
  const r = spawnSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('wxt build failed');
    process.exit(1);
  }
}

async function printInfo(n: LocalX402Network): Promise<void> {
  const line = '-'.repeat(78);
  console.log(`\n${line}\nx402 local demo network is running\n${line}`);
  console.log('Demo wallet (PUBLIC TEST PHRASE - never use it for real funds):');
  console.log(`  recovery phrase : ${DEMO_MNEMONIC}`);
  for (const [i, a] of DEMO_ADDRESSES.entries()) {
    const [b2, b1] = await Promise.all([n.usdcBalance('v2', a), n.usdcBalance('v1', a)]);
    console.log(`  account ${i}       : ${a}  v2 ${usdc(b2)} · v1 ${usdc(b1)}`);
  }
  console.log(`  merchant (payTo) : ${n.merchant}`);
  for (const s of [n.v2, n.v1]) {
    console.log(`\nx402 v${s.version} (${s.network}, chain id ${s.chainId})`);
    console.log(`  RPC              : ${s.rpcUrl}`);
    console.log(`  USDC             : ${s.usdc}  (EIP-712 "USD Coin" v2, 6 decimals)`);
    console.log(`  demo page        : ${s.url('/page')}`);
    console.log(`  cross-origin frame: ${s.url('/frame')}  (iframe from ${s.frameOrigin})`);
    console.log(`  paid article     : ${s.url('/article')}  (${usdc(PRICES.article)})`);
    console.log(`  paid API         : GET ${s.url('/api/data')} (${usdc(PRICES.data)}), POST /api/echo (${usdc(PRICES.echo)})`);
  }
  const s = n.svm;
  console.log(`\nSolana (litesvm, answers as devnet: ${s.network} / v1 "${s.v1Network}")`);
  console.log(`  RPC              : ${s.rpcUrl}`);
  console.log(`  token mint       : ${s.mint}  (SPL, 6 decimals)`);
  console.log(`  payers (m/44'/501'/i'/0'): ${s.payers.join(', ')}`);
  console.log(`  merchant (payTo) : ${s.merchant} · fee payer ${s.feePayer}`);
  console.log(`  paid API         : GET ${s.url('/svm/api/data')}, article ${s.url('/svm/article')}, v1 ${s.v1Url('/svm/api/data')}`);
  console.log(`  both rails       : GET ${n.v2.url('/api/both')} (EVM or Solana, the approval lets you pick)`);
  console.log(`\nHostile 402s (v2): ${n.v2.url('/bad/huge-amount')} … (counters at ${n.v2.url('/bad/_stats')})`);
  console.log(`\nLoad the extension by hand: chrome://extensions → Developer mode → "Load unpacked" → ${EXT_DIR}`);
  console.log('  (Firefox: npm run build:firefox, then about:debugging → This Firefox → Load Temporary Add-on → .output/firefox-mv3/manifest.json)');
  console.log('Then, in the wallet: import the recovery phrase above, and under Sites & history → Settings →');
  console.log('"Developer: local test tokens" add both playground USDC contracts with their RPC URLs, so the wallet');
  console.log('shows balances and refuses payments it cannot fund (the demo browser does this for you):');
  console.log(`  chain ${n.v2.chainId} · ${n.v2.usdc} · RPC ${n.v2.rpcUrl}`);
  console.log(`  chain ${n.v1.chainId} · ${n.v1.usdc} · RPC ${n.v1.rpcUrl}`);
  console.log(`  Solana network ${n.svm.network} · mint ${n.svm.mint} · RPC ${n.svm.rpcUrl}`);
  console.log(`${line}\n`);
}

async function launchBrowser(startUrl: string): Promise<void> {
  if (!existsSync(EXT_DIR)) {
    console.log(`No built extension at ${EXT_DIR} (run without --no-build). Not launching a browser.`);
    return;
  }
  if (!chromiumPath) {
    console.log('No Chromium (see the setup message above): not launching a browser. The network keeps running.');
    return;
  }
  const { chromium } = await import('playwright-core');
  profileDir = mkdtempSync(path.join(os.tmpdir(), 'x402-demo-profile-'));
  ctx = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: false,
    viewport: null,
    args: [
      `--disable-extensions-except=${EXT_DIR}`,
      `--load-extension=${EXT_DIR}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-sync',
      '--disable-component-update',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  ctx.on('close', () => {
    ctx = undefined;
    console.log('Browser closed.');
    void shutdown(0);
  });
  // Trust the playground's USDC with its RPC (balances; a developer setting) and open onboarding for the demo phrase.
  const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker', { timeout: 15_000 }));
  const origin = `chrome-extension://${new URL(sw.url()).host}`;
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(`${origin}/onboarding.html`);
  const n = net!;
  // the demo page's address too, so onboarding's "Try a test payment" can link to it
  await page.evaluate(
    ([tokens, playgroundPage]) =>
      (globalThis as any).chrome.runtime.sendMessage({ channel: 'x402.privileged', type: 'settings.update', payload: { playgroundTokens: tokens, playgroundPage } }),
    [[
      { chainId: n.v2.chainId, address: n.v2.usdc, label: 'Playground v2', rpcUrl: n.v2.rpcUrl },
      { chainId: n.v1.chainId, address: n.v1.usdc, label: 'Playground v1 (base-sepolia)', rpcUrl: n.v1.rpcUrl },
      { network: n.svm.network, address: n.svm.mint, label: 'Local Solana', rpcUrl: n.svm.rpcUrl },
    ], startUrl] as const,
  );
  const demoPage = await ctx.newPage();
  await demoPage.goto(startUrl);
  await page.bringToFront();
  console.log('Import the demo recovery phrase in the onboarding tab, then use the demo page tab.');
  console.log(`Chromium is open on ${startUrl}. Close it or press Ctrl-C to stop.`);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const display = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  // the same check as `npm run setup`: install Chromium with apt where allowed, else say how
  if (!noBrowser && display) chromiumPath = ensureBrowsers(['chromium'])?.chromium;
  if (!noBuild) build();
  net = await startNetwork({ fixedPorts: basePort });
  await printInfo(net);
  if (noBrowser) {
    console.log('--no-browser: the network keeps running until Ctrl-C.');
  } else if (!display) {
    console.log('No display available (DISPLAY is not set): not launching a browser.');
    console.log('The network keeps running until Ctrl-C.');
  } else {
    await launchBrowser(net.v2.url('/page'));
  }
  // keep the event loop alive until a signal or the browser closes
  setInterval(() => undefined, 1 << 30);
}

main().catch(async (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  await shutdown(1);
});
