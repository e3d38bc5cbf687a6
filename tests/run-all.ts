/**
 * `npm test`: every test layer in order, one summary at the end.
 *   1. type check (tsc --noEmit)
 *   2. unit tests (vitest, WXT fakeBrowser)
 *   2b. security suites (fuzzing, tampering, rules; vitest.security.config.ts)
 *   3. fixture self-test (official x402 clients paying the local network, on-chain balances)
 *   4. release builds for Chromium and Firefox, what they bundle from node_modules
 *      (tests/supply-chain.ts), and web-ext lint of the Firefox build
 *   5. test builds of the extension for Chromium and Firefox
 *   6. browser tests (built extension in Chromium and Firefox ESR against the local network)
 * Before step 1, when the browser tests will run, the browsers are checked (scripts/browsers.ts,
 * the same check as `npm run setup`) and installed with apt where allowed.
 * Exits non-zero when any step fails. Later steps still run so one report shows everything.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureBrowsers } from '../scripts/browsers.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, '.tmp');
mkdirSync(OUT, { recursive: true });

interface StepResult {
  name: string;
  ok: boolean;
  seconds: number;
  passed?: number;
  failed?: number;
  skipped?: number;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const tee = (chunk: Buffer, to: NodeJS.WriteStream) => {
      out += chunk.toString();
      to.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => tee(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => tee(c, process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function vitestCounts(file: string): Pick<StepResult, 'passed' | 'failed' | 'skipped'> {
  if (!existsSync(file)) return {};
  const j = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  return { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + j.numTodoTests };
}

const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
const results: StepResult[] = [];

async function step(name: string, fn: () => Promise<Omit<StepResult, 'name' | 'seconds'>>): Promise<void> {
  console.log(`\n\u001b[1m▶ ${name}\u001b[0m`);
  const t0 = performance.now();
  let r: Omit<StepResult, 'name' | 'seconds'>;
  try {
    r = await fn();
  } catch (e) {
    console.error(e);
    r = { ok: false };
  }
  results.push({ name, seconds: (performance.now() - t0) / 1000, ...r });
}

const only = process.argv.slice(2);
const want = (s: string) => only.length === 0 || only.includes(s);

// The browsers come first: the same check as `npm run setup` (fast when present; apt where
// allowed; otherwise it prints the exact command and the run stops before anything else).
if (want('browser')) {
  const paths = ensureBrowsers(['chromium', 'firefox']);
  if (!paths) {
    console.error('\nnpm test needs these browsers: install them as shown above (or run npm run setup), then run npm test again.');
    process.exit(1);
  }
  // the browser tests' children launch exactly these
  process.env.CHROMIUM_PATH = paths.chromium;
  process.env.FIREFOX_PATH = paths.firefox;
}

if (want('typecheck'))
  await step('type check', async () => ({ ok: (await run(bin('tsc'), ['--noEmit'])).code === 0 }));

if (want('unit'))
  await step('unit tests', async () => {
    const json = path.join(OUT, 'unit.json');
    const { code } = await run(bin('vitest'), ['run', '--config', 'vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
    const c = vitestCounts(json);
    return { ok: code === 0 && (c.passed ?? 0) > 0, ...c };
  });

/** `[security] …` lines the security suites print (figures for the summary table) */
const securityLines: string[] = [];
const collectSecurity = (out: string) => {
  for (const m of out.matchAll(/\[security\] ([^\n]+)/g)) securityLines.push(m[1]!.trim());
};

if (want('unit') || want('security'))
  await step('security suites (fuzzing, tampering, rules)', async () => {
    const json = path.join(OUT, 'security.json');
    const { code, out } = await run(bin('vitest'), ['run', '--config', 'vitest.security.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
    collectSecurity(out);
    const c = vitestCounts(json);
    return { ok: code === 0 && (c.passed ?? 0) > 0, ...c };
  });

if (want('fixture'))
  await step('fixture self-test (official clients, on-chain balances)', async () => {
    const { code, out } = await run(bin('tsx'), ['tests/fixture/selftest.ts']);
    const m = /^(\d+) passed, (\d+) failed/m.exec(out);
    return { ok: code === 0 && !!m && Number(m[1]) > 0, passed: m ? Number(m[1]) : 0, failed: m ? Number(m[2]) : 0 };
  });

if (want('lint'))
  await step('release builds + supply chain + web-ext lint (Firefox)', async () => {
    // the builds also report which npm packages each output file bundles (supply chain)
    rmSync(path.join(ROOT, '.output', 'bundle-packages.chrome.json'), { force: true });
    rmSync(path.join(ROOT, '.output', 'bundle-packages.firefox.json'), { force: true });
    const a = await run(bin('wxt'), ['build'], { X402_BUNDLE_REPORT: '1' });
    const b = await run(bin('wxt'), ['build', '-b', 'firefox'], { X402_BUNDLE_REPORT: '1' });
    const chain = await run(bin('tsx'), ['tests/supply-chain.ts', 'chrome', 'firefox']);
    const lint = await run(bin('web-ext'), ['lint', '--source-dir', '.output/firefox-mv3', '--self-hosted', '--output', 'json']);
    const json = lint.out.slice(lint.out.indexOf('{'));
    let errors = -1;
    try {
      errors = (JSON.parse(json) as { summary: { errors: number } }).summary.errors;
    } catch {
      console.error('web-ext lint printed no JSON report');
    }
    console.log(`web-ext lint: ${errors} errors`);
    return { ok: a.code === 0 && b.code === 0 && chain.code === 0 && lint.code === 0 && errors === 0 };
  });

if (want('browser')) {
  await step('extension test builds (Chromium, Firefox)', async () => {
    const a = await run(bin('wxt'), ['build', '--mode', 'test']);
    const b = await run(bin('wxt'), ['build', '-b', 'firefox', '--mode', 'test']);
    return { ok: a.code === 0 && b.code === 0 };
  });
  await step('browser tests (Chromium + Firefox ESR)', async () => {
    const json = path.join(OUT, 'browser.json');
    const { code, out } = await run(bin('vitest'), ['run', '--config', 'vitest.browser.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
    collectSecurity(out);
    const c = vitestCounts(json);
    return { ok: code === 0 && (c.passed ?? 0) > 0, ...c };
  });
}

/**
 * The security figures (issue 16) as one table: each suite, what it counted, its goal. A suite
 * that printed nothing (its step did not run or failed before) shows as "not run".
 */
function printSecurityTable(lines: string[]): void {
  if (lines.length === 0) return;
  const rows: [string, RegExp, string][] = [
    ['hostile 402 servers (v1, v2, EVM/Solana/TRON)', /hostile servers/, '≥ 60 cases per mode, ask + auto, both browsers; 0 signatures'],
    ['hostile pages', /hostile pages|payable flood/, '≥ 25 attacks per browser, 0 succeed; a flood of 1,000 payable 402s: ≤ 10 questions, one notice'],
    ['faults on the payment path', /payment-path faults/, '0 lost records, 0 double settlements, 0 blind re-signs'],
    ['background logs scanned for secrets', /log lines scanned/, '0 secrets'],
    ['property-based fuzzing', /fuzz inputs/, '≥ 10,000 inputs per parser/validator; no throw, no signable invalid input'],
    ['vault tampering', /vault tampering/, '100% detected'],
    ['accessibility (axe-core, every extension page)', /axe-core/, '0 serious or critical findings, both browsers'],
  ];
  console.log('\n\u001b[1mSecurity figures\u001b[0m');
  for (const [name, re, goal] of rows) {
    const got = lines.filter((l) => re.test(l));
    console.log(`  ${pad(name, 46)} goal: ${goal}`);
    if (got.length === 0) console.log('      not run');
    for (const g of got) console.log(`      ${g.length > 700 ? `${g.slice(0, 699)}…` : g}`);
  }
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));
console.log('\n\u001b[1mSummary\u001b[0m');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of results) {
  const counts = r.passed !== undefined ? ` ${r.passed} passed, ${r.failed ?? 0} failed${r.skipped ? `, ${r.skipped} skipped` : ''}` : '';
  console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${pad(r.name, 58)} ${r.seconds.toFixed(1).padStart(6)} s${counts}`);
  passed += r.passed ?? (r.ok ? 1 : 0);
  failed += r.failed ?? 0;
  if (!r.ok && !r.failed) failed += 1;
  skipped += r.skipped ?? 0;
}
printSecurityTable(securityLines);
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
