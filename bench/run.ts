/**
 * `npm run bench [names…] [--json FILE]`: every benchmark, then ONE table of the performance
 * goals (issue 10): each row "now" against a reference measured in the same run, and the ratio.
 * Nothing here passes or fails on a timing; the table is for reading (and `--json` for comparing
 * a run with the last one).
 *   - sizes: the release build (built here) — page wrapper, background, the Chrome store zip
 *   - unlock: key derivation (PBKDF2-SHA256, production parameters) vs one AES-GCM decrypt
 *   - ledger: one payment's ledger steps with 10,000 past payments vs with 10
 *   - wrapper: 1,000 ordinary fetches + 50 page loads in Chromium with vs without the extension
 *     (and with the wallet set to "only on sites I allow", this site not allowed)
 *   - payments: paid request and 402→retry vs the official @x402/fetch client; throughput of 100
 *     concurrent auto-paid requests; cold start (worker stopped); popup first useful paint
 *   - svm: Solana paid-request latency beside EVM and beside @x402/fetch + @x402/svm
 * Browser benchmarks need the test build (`npm run build:test`); this script builds it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
if (jsonAt >= 0 && !jsonFile) throw new Error('--json needs a file name');
// (without --json every argument is a name: jsonAt + 1 would be 0 and drop the first one)
const only = args.filter((a, i) => a !== '--json' && !(jsonAt >= 0 && i === jsonAt + 1));
const want = (s: string) => only.length === 0 || only.includes(s);

function section(title: string): void {
  console.log(`\n\u001b[1m${title}\u001b[0m`);
}

const results: Record<string, any> = {};
let failed = false;
async function bench(key: string, name: string, fn: () => Promise<unknown>): Promise<void> {
  section(name);
  try {
    const r = await fn();
    results[key] = r;
    console.log(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
  } catch (e) {
    failed = true;
    console.error(`${name} failed:`, (e as Error).message);
  }
}

function wxt(...a: string[]): void {
  const b = spawnSync(path.join(ROOT, 'node_modules/.bin/wxt'), a, { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}

if (want('sizes')) {
  await bench('sizes', 'release build sizes (Chrome)', async () => {
    wxt('zip');
    const dir = path.join(ROOT, '.output/chrome-mv3');
    const zip = readdirSync(path.join(ROOT, '.output')).find((f) => f.endsWith('-chrome.zip'));
    if (!zip) throw new Error('no Chrome zip was made');
    const size = (f: string) => statSync(path.join(dir, f)).size;
    return {
      wrapperBytes: size('content-scripts/page.js'),
      bridgeBytes: size('content-scripts/bridge.js'),
      backgroundBytes: size('background.js'),
      chromeZipBytes: statSync(path.join(ROOT, '.output', zip)).size,
    };
  });
}
if (want('wrapper') && !want('sizes')) wxt('build'); // the wrapper bench measures the release build
if (want('wrapper') || want('payments') || want('svm')) wxt('build', '--mode', 'test');
if (want('unlock')) await bench('unlock', 'unlock (PBKDF2 600k vs AES-GCM decrypt)', async () => (await import('./unlock')).benchUnlock());
if (want('ledger')) await bench('ledger', 'ledger (reserve → signed → settled, 10,000 past payments vs 10)', async () => (await import('./ledger')).benchLedger());
if (want('wrapper')) await bench('wrapper', 'ordinary browsing (1,000 fetches + 50 page loads, with vs without extension)', async () => (await import('./wrapper')).benchWrapper());
if (want('payments')) await bench('payments', 'payments (extension auto-pay vs @x402/fetch; 100 concurrent; cold start; popup)', async () => (await import('./payments')).benchPayments());
if (want('svm')) await bench('svm', 'Solana payments (extension auto-pay vs @x402/fetch + @x402/svm, beside EVM)', async () => (await import('./svm-payments')).benchSvmPayments());

// ---------------------------------------------------------------- the goals table
interface Row {
  metric: string;
  now: string;
  reference: string;
  ratio: string;
  goal: string;
}
const rows: Row[] = [];
const x = (n: number) => `${n.toFixed(2)}×`;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const kb = (b: number) => `${(b / 1000).toFixed(2)} KB`;
const { sizes, ledger, wrapper, payments: pay } = results;
if (wrapper) {
  rows.push({
    metric: 'ordinary browsing (1,000 fetches + 50 loads)',
    now: ms(wrapper.withExtensionMs),
    reference: `${ms(wrapper.withoutExtensionMs)} without`,
    ratio: `${x(wrapper.ratio)} (+${wrapper.addedMsPerRequest} ms/request)`,
    goal: '≤ 1.05×, ≤ 0.1 ms/request',
  });
  rows.push({
    metric: '  same, site not allowed ("only on sites I allow")',
    now: ms(wrapper.notAllowedMs),
    reference: `${ms(wrapper.withoutExtensionMs)} without`,
    ratio: x(wrapper.notAllowedRatio),
    goal: '≤ 1.05×',
  });
}
if (pay) {
  rows.push({ metric: 'paid request, auto within budget', now: ms(pay.extension.totalMsMedian), reference: `${ms(pay.official.totalMsMedian)} @x402/fetch`, ratio: x(pay.ratio.total), goal: '≤ 1.15×' });
  // the same official client in a Chromium page without the extension: the browser's own limits, none of the wallet's
  rows.push({ metric: '  same, vs @x402/fetch in a Chromium page', now: ms(pay.extension.totalMsMedian), reference: `${ms(pay.officialPage.totalMsMedian)} in page`, ratio: x(pay.extension.totalMsMedian / pay.officialPage.totalMsMedian), goal: '(reference)' });
  rows.push({
    metric: '402 received → paid retry sent (p50 / p95)',
    now: `${ms(pay.extension.retryGapMsMedian)} / ${ms(pay.extension.retryGapMsP95)}`,
    reference: `${ms(pay.official.retryGapMsMedian)} / ${ms(pay.official.retryGapMsP95)} @x402/fetch`,
    ratio: x(pay.extension.retryGapMsMedian / pay.official.retryGapMsMedian),
    goal: '≤ 5 / 15 ms, ≤ 3×',
  });
  const t = pay.throughput;
  rows.push({
    metric: `${t.concurrent} concurrent auto-paid: throughput`,
    now: `${t.extension.paymentsPerSecond}/s${t.extension.allPaid ? '' : ' (NOT all paid)'}`,
    reference: `${t.official.paymentsPerSecond}/s @x402/fetch`,
    ratio: x(t.extension.paymentsPerSecond / t.official.paymentsPerSecond),
    goal: '≥ 0.9×, all settled',
  });
  rows.push({
    metric: '  same, vs @x402/fetch in a Chromium page',
    now: `${t.extension.paymentsPerSecond}/s`,
    reference: `${t.officialPage.paymentsPerSecond}/s in page${t.officialPage.allPaid ? '' : ' (NOT all paid)'}`,
    ratio: x(t.extension.paymentsPerSecond / t.officialPage.paymentsPerSecond),
    goal: '(reference)',
  });
  rows.push({ metric: 'cold start: worker stopped → first 402 paid', now: ms(pay.coldStart.totalMsMedian), reference: `${ms(pay.extension.totalMsMedian)} warm`, ratio: `+${ms(pay.coldStart.extraOverWarmMs)}`, goal: '≤ +150 ms' });
  rows.push({ metric: 'popup opened → account + site shown, cold worker', now: ms(pay.popup.coldMsMedian), reference: `${ms(pay.popup.warmMsMedian)} warm`, ratio: x(pay.popup.coldMsMedian / pay.popup.warmMsMedian), goal: '≤ 150 ms' });
}
if (ledger) {
  const [small, large] = ledger.rows;
  rows.push({ metric: 'ledger: reserve → settle with 10,000 past', now: ms(large.p50Ms), reference: `${ms(small.p50Ms)} with 10`, ratio: x(ledger.ratio_p50_10k_vs_10), goal: '≤ 1.2×' });
}
if (sizes) {
  rows.push({ metric: 'page wrapper (minified, every frame)', now: kb(sizes.wrapperBytes), reference: '3.00 KB goal', ratio: x(sizes.wrapperBytes / 3000), goal: '≤ 3 KB' });
  rows.push({ metric: 'Chrome store zip', now: kb(sizes.chromeZipBytes), reference: '250.00 KB goal', ratio: x(sizes.chromeZipBytes / 250_000), goal: '≤ 250 KB' });
}
if (rows.length) {
  section('goals (issue 10): now / reference / ratio');
  const cols: (keyof Row)[] = ['metric', 'now', 'reference', 'ratio', 'goal'];
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (r: Record<string, string>) => cols.map((c, i) => r[c]!.padEnd(width[i]!)).join(' | ');
  console.log(line({ metric: 'metric', now: 'now', reference: 'reference', ratio: 'ratio', goal: 'goal' }));
  console.log(width.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r as unknown as Record<string, string>));
}
if (jsonFile) {
  writeFileSync(path.resolve(jsonFile), JSON.stringify({ at: new Date().toISOString(), rows, results }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
  console.log(`\nwrote ${jsonFile}`);
}
process.exit(failed ? 1 : 0);
