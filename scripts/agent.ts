/**
 * `npm run agent`: an AI-agent-style run of the wallet in a provisioned browser.
 *
 *  1. starts the local x402 playground (anvil with Circle's USDC, the official @x402/express v2 and
 *     x402-express v1 servers, facilitators — the same world as `npm run demo`);
 *  2. writes an operator policy the way the browser loads it — Chromium: a uniquely named file
 *     in /etc/chromium/policies/managed keyed by this build's extension id (needs root);
 *     Firefox (`--firefox`): a private hard-link copy of the install with its own
 *     distribution/policies.json — and removes it at the end;
 *  3. launches the browser with the extension; the policy carries the demo wallet as an encrypted
 *     keystore, which the script unlocks with the password it keeps (never in the policy); trusts
 *     the playground tokens;
 *  4. drives it through paid pages of the official servers with zero clicks: the policy pays
 *     within its caps and refuses beyond them, and the page sees why (`x402:refused`);
 *  5. prints what was paid and refused and exports the audit trail (JSON Lines) to a file.
 *
 * Flags: --firefox, --no-build, --out=<file> (default ./x402-audit.jsonl), --requests=<n> (default 4).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { extensionDir, launchChromium, launchFirefox, type BrowserKind, type ExtensionBrowser, type TestPage } from '../tests/browser/harness.ts';
import { chromiumPolicy, firefoxWithPolicy } from '../tests/browser/provision.ts';
import { startWorld, type World } from '../tests/browser/world.ts';
import { DEMO_MNEMONIC, type LocalX402Network } from '../tests/fixture/network.ts';
import { createVault } from '../lib/custody/vault.ts';

/** The operator's keystore password: kept by this script (env X402_KEYSTORE_PASSWORD), never written into the policy. */
const KEYSTORE_PASSWORD = process.env.X402_KEYSTORE_PASSWORD ?? 'correct horse battery staple';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The operator policy of the run: $0.01 API calls, at most $0.025 a day on the v2 site, $0.05 on v1 and on the page-API origin. */
export function agentPolicy(net: LocalX402Network, version = 'agent-demo-1', keystore?: object): Record<string, unknown> {
  return {
    version,
    // the key, encrypted; the password stays with this script (never in the policy)
    ...(keystore ? { keystore: JSON.stringify(keystore) } : {}),
    agentMode: true,
    globalDailyUsd: '1.00',
    sites: [
      { site: net.v2.origin, mode: 'auto', perPaymentUsd: '0.05', dayUsd: '0.025' },
      { site: net.v1.origin, mode: 'auto', perPaymentUsd: '0.05', dayUsd: '0.05' },
      // the same server under its second origin: allowed to use the page API (window.x402)
      { site: net.v2.frameOrigin, mode: 'auto', perPaymentUsd: '0.05', dayUsd: '0.05', pageApi: true },
    ],
    allowedNetworks: [`eip155:${net.v2.chainId}`, net.v1.network],
    notifications: false,
  };
}

export interface AgentRunResult {
  kind: BrowserKind;
  results: { url: string; status: number; refusal?: { code: string; message: string; cap?: string; retryAfter?: number } }[];
  events: { code: string; url: string }[];
  approvalWindows: number;
  auditFile: string;
  auditLines: number;
}

/** One paid request from the page, with the refusal the wallet attached when it did not pay. */
function pageFetch(page: TestPage, url: string) {
  return page.evaluate(async (u) => {
    const r = await fetch(u);
    const refusal = (r as Response & { x402Refusal?: { code: string; message: string; cap?: string; retryAfter?: number } }).x402Refusal;
    return { url: u, status: r.status, ...(refusal ? { refusal: { code: refusal.code, message: refusal.message, cap: refusal.cap, retryAfter: refusal.retryAfter } } : {}) };
  }, url);
}

export async function runAgent(opts: {
  kind?: BrowserKind;
  build?: boolean;
  out?: string;
  requests?: number;
  log?: (line: string) => void;
}): Promise<AgentRunResult> {
  const kind = opts.kind ?? 'chromium';
  const log = opts.log ?? ((l: string) => console.log(l));
  const out = path.resolve(opts.out ?? 'x402-audit.jsonl');
  if (opts.build) {
    // test builds: Firefox's driver opens extension pages through the test build's hook
    log('Building the extension (npm run build:test) ...');
    const r = spawnSync('npm', ['run', 'build:test'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  let world: World | undefined;
  try {
    // the operator's encrypted keystore (this wallet's vault format, PBKDF2-SHA256 600k + AES-256-GCM)
    const keystore = (await createVault({ kind: 'mnemonic', phrase: DEMO_MNEMONIC }, KEYSTORE_PASSWORD)).record;
    world = await startWorld(kind, {
      wallet: false,
      launch: async (net): Promise<ExtensionBrowser> => {
        if (kind === 'chromium') {
          const dir = extensionDir('chromium');
          const pol = chromiumPolicy(dir, agentPolicy(net, undefined, keystore));
          cleanups.push(pol.remove);
          log(`Operator policy: ${pol.file} (extension ${pol.id})`);
          const ext = await launchChromium(dir);
          if (!ext.extensionOrigin.endsWith(pol.id)) throw new Error(`extension id ${ext.extensionOrigin} is not the computed ${pol.id}`);
          return ext;
        }
        const ff = firefoxWithPolicy(agentPolicy(net, undefined, keystore));
        cleanups.push(ff.remove);
        log(`Operator policy: private Firefox ${ff.executablePath} with distribution/policies.json`);
        return launchFirefox(net.v2.url('/page'), undefined, { executablePath: ff.executablePath });
      },
    });
    const { net, ext } = world;
    const managed = await ext.call<{ active: boolean; version: string; agentMode: boolean; errors: string[] }>('managed.get');
    if (!managed.ok || !managed.value?.active) throw new Error(`the browser did not load the operator policy: ${JSON.stringify(managed)}`);
    // first run: the provisioned keystore becomes the wallet, unlocked with the operator's password
    const unlock = await ext.call<{ unlocked: boolean; activeAddress: string }>('wallet.unlock', { password: KEYSTORE_PASSWORD });
    if (!unlock.ok || !unlock.value?.unlocked) throw new Error(`unlocking the provisioned keystore failed: ${JSON.stringify(unlock.error)}`);
    log(`Provisioned wallet ${unlock.value.activeAddress} unlocked`);
    log(`Policy ${managed.value.version} active (agent mode ${managed.value.agentMode ? 'on' : 'off'})${managed.value.errors.length ? `, problems: ${managed.value.errors.join('; ')}` : ''}`);

    const page = await ext.newPage();
    await page.goto(net.v2.url('/page'));
    await page.evaluate(() => {
      const w = window as Window & { __refusals?: { code: string; url: string }[] };
      w.__refusals = [];
      window.addEventListener('x402:refused', (e) => w.__refusals!.push({ code: (e as CustomEvent).detail.code, url: (e as CustomEvent).detail.url }));
    });
    const results: AgentRunResult['results'] = [];
    const n = opts.requests ?? 4;
    for (let i = 0; i < n; i++) {
      const r = await pageFetch(page, net.v2.url(`/api/data?call=${i}`));
      results.push(r);
      log(r.status === 200 ? `  paid    ${r.url}` : `  refused ${r.url}: ${r.refusal?.code} — ${r.refusal?.message}`);
    }
    const events = await page.evaluate(() => (window as Window & { __refusals?: { code: string; url: string }[] }).__refusals ?? []);
    const approvalWindows = (await ext.pages((u) => u.includes('/approval.html'))).length;
    const audit = await ext.call<{ text: string; count: number }>('audit.export', { format: 'jsonl' });
    if (!audit.ok || !audit.value) throw new Error(`audit.export failed: ${JSON.stringify(audit.error)}`);
    writeFileSync(out, audit.value.text);
    const paid = results.filter((r) => r.status === 200).length;
    log(`Paid ${paid}, refused ${results.length - paid}, approval windows opened: ${approvalWindows}.`);
    log(`Audit (${audit.value.count} decisions) written to ${out}`);
    await page.close();
    return { kind, results, events, approvalWindows, auditFile: out, auditLines: audit.value.count };
  } finally {
    await world?.close().catch(() => undefined);
    for (const c of cleanups.splice(0)) c();
  }
}

/** Policy files and private installs to remove, also on Ctrl-C. */
const cleanups: (() => void)[] = [];

async function cli(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
  const requests = get('requests') ? Number(get('requests')) : undefined;
  if (requests !== undefined && (!Number.isInteger(requests) || requests < 1 || requests > 100)) throw new Error('--requests must be 1–100');
  const r = await runAgent({ kind: args.includes('--firefox') ? 'firefox' : 'chromium', build: !args.includes('--no-build'), out: get('out'), requests });
  process.exitCode = r.results.some((x) => x.status === 200) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const stop = () => {
    for (const c of cleanups.splice(0)) c();
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  cli().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
