/**
 * Unlock cost benchmark (owner: custody). Measures a real password unlock with the
 * production vault parameters (PBKDF2-SHA256 at the default iteration count, then
 * AES-256-GCM decrypt), and compares it with decrypting the same record with the
 * already-derived key — i.e. how much the KDF multiplies the cost of an unlock, which
 * is the work factor an offline password guesser pays per guess.
 *
 * Run standalone: npx tsx bench/unlock.ts
 */
import { isMainModule, quantile, round } from './stats';
import {
  DEFAULT_VAULT_POLICY,
  createVault,
  decryptWithRawKey,
  unlockVault,
  type VaultSecret,
} from '../lib/custody/vault';

export interface UnlockBenchResult {
  iterations: number;
  runs: number;
  unlockMsMedian: number;
  unlockMsP95: number;
  /** Median AES-GCM decrypt of the same record with the derived key (no KDF). */
  decryptMsMedian: number;
  /** unlockMsMedian / decryptMsMedian: KDF cost relative to the decrypt itself. */
  kdfToDecryptRatio: number;
}


export async function benchUnlock(runs = 5, decryptRuns = 200): Promise<UnlockBenchResult> {
  const secret: VaultSecret = { kind: 'mnemonic', phrase: 'test test test test test test test test test test test junk' };
  const password = 'benchmark password, not a secret';
  const sealed = await createVault(secret, password); // production policy
  const record = sealed.record;

  const unlockTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const u = await unlockVault(record, password);
    unlockTimes.push(performance.now() - t0);
    u.rawKey.fill(0);
  }

  // Reference: the same record opened with the derived key (import + AES-GCM decrypt + parse).
  for (let i = 0; i < 20; i++) await decryptWithRawKey(record, sealed.rawKey); // warm-up
  const decTimes: number[] = [];
  for (let i = 0; i < decryptRuns; i++) {
    const t0 = performance.now();
    await decryptWithRawKey(record, sealed.rawKey);
    decTimes.push(performance.now() - t0);
  }
  sealed.rawKey.fill(0);

  const unlockMsMedian = quantile(unlockTimes, 0.5);
  const decryptMsMedian = quantile(decTimes, 0.5);
  return {
    iterations: DEFAULT_VAULT_POLICY.iterations,
    runs,
    unlockMsMedian: round(unlockMsMedian),
    unlockMsP95: round(quantile(unlockTimes, 0.95)),
    decryptMsMedian: round(decryptMsMedian, 4),
    kdfToDecryptRatio: Math.round(unlockMsMedian / decryptMsMedian),
  };
}

if (isMainModule(import.meta.url)) {
  const r = await benchUnlock();
  const rows: Array<[string, string]> = [
    ['PBKDF2-SHA256 iterations', r.iterations.toLocaleString('en-US')],
    [`unlock, median of ${r.runs}`, `${r.unlockMsMedian} ms`],
    ['unlock, p95', `${r.unlockMsP95} ms`],
    ['decrypt with derived key', `${r.decryptMsMedian} ms (median)`],
    ['KDF cost / decrypt cost', `~${r.kdfToDecryptRatio.toLocaleString('en-US')}x`],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(26)}: ${v}`);
}
