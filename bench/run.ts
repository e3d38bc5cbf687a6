/**
 * `npm run bench`: every benchmark, each reported as a ratio against a reference measured in
 * the same run (never as an absolute pass/fail timing):
 *   - unlock: key derivation (PBKDF2-SHA256, production parameters) vs one AES-GCM decrypt
 *   - wrapper: 1,000 ordinary fetches in Chromium with vs without the extension
 *   - payments: 402→retry and paid-request latency, extension auto-pay vs the official
 *     @x402/fetch client; throughput of 100 concurrent auto-paid requests
 *   - ledger: one payment's ledger steps with 10,000 past payments vs with 10
 *   - svm: Solana paid-request latency beside EVM and beside @x402/fetch + @x402/svm
 * Browser benchmarks need the test build (`npm run build:test`); this script builds it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const want = (s: string) => only.length === 0 || only.includes(s);

function section(title: string): void {
  console.log(`\n\u001b[1m${title}\u001b[0m`);
}

let failed = false;
async function bench(name: string, fn: () => Promise<unknown>): Promise<void> {
  section(name);
  try {
    const r = await fn();
    console.log(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
  } catch (e) {
    failed = true;
    console.error(`${name} failed:`, (e as Error).message);
  }
}

if (want('wrapper') || want('payments') || want('svm')) {
  const b = spawnSync(path.join(ROOT, 'node_modules/.bin/wxt'), ['build', '--mode', 'test'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}
if (want('unlock')) await bench('unlock (PBKDF2 600k vs AES-GCM decrypt)', async () => (await import('./unlock')).benchUnlock());
if (want('ledger')) await bench('ledger (reserve → signed → settled, 10,000 past payments vs 10)', async () => (await import('./ledger')).benchLedger());
if (want('wrapper')) await bench('page wrapper cost (1,000 fetches, with vs without extension)', async () => (await import('./wrapper')).benchWrapper());
if (want('payments')) await bench('payments (extension auto-pay vs @x402/fetch; 100 concurrent)', async () => (await import('./payments')).benchPayments());
if (want('svm')) await bench('Solana payments (extension auto-pay vs @x402/fetch + @x402/svm, beside EVM)', async () => (await import('./svm-payments')).benchSvmPayments());
process.exit(failed ? 1 : 0);
