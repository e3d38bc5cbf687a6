/**
 * Ledger cost on the payment path: one payment's steps (reserve with the budget check →
 * markSigned → commitWithUsage) with 10,000 past payments in the ledger vs with 10, in the same
 * process, over the extension's storage API (WXT's in-memory fake browser, so what is measured
 * is the wallet's own work: decoding, spend accounting and what it writes — a real browser's
 * storage adds its own cost per byte written, reported as bytes per payment).
 *
 * Both ledgers are seeded the same way, as a schema-1 document (the layout before per-record
 * storage), so this script also measures older code: on schema 2 the first load migrates it.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { quantile } from './stats';

const g = globalThis as unknown as { chrome?: unknown; browser?: unknown };
g.chrome = fakeBrowser;
g.browser = fakeBrowser;

const DAY = 86_400_000;
const USDC = { address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', symbol: 'USDC', decimals: 6, usdPegged: true };
const NET = 'eip155:84532';
const SITES = Array.from({ length: 20 }, (_, i) => `https://site${i}.example`);

function seed(n: number, now: number) {
  const records = Array.from({ length: n }, (_, i) => {
    const createdAt = now - Math.floor((i / n) * 90 * DAY) - 1000;
    return {
      id: `past-${i}`,
      site: SITES[i % SITES.length]!,
      requestOrigin: SITES[i % SITES.length]!,
      resourceUrl: `${SITES[i % SITES.length]}/article/${i}`,
      network: NET,
      asset: USDC,
      amount: '10000',
      payTo: '0x1111111111111111111111111111111111111111',
      status: i % 10 === 9 ? 'released' : 'settled',
      createdAt,
      updatedAt: createdAt + 500,
      expiresAt: createdAt + 300_000,
      txHash: `0x${i.toString(16).padStart(64, '0')}`,
      payer: '0x2222222222222222222222222222222222222222',
      auto: true,
    };
  });
  return { ledger: { records, archive: {} }, ledger$: { v: 1 } };
}

interface Row {
  pastPayments: number;
  p50Ms: number;
  p95Ms: number;
  bytesWrittenPerPayment: number;
}

async function measure(n: number, iterations: number): Promise<Row> {
  fakeBrowser.reset();
  const now = Date.now();
  await fakeBrowser.storage.local.set(seed(n, now));
  const { Ledger } = await import('../lib/ledger/ledger');
  const ledger = new Ledger({ timeZone: 'UTC', retention: { maxSettled: 100_000, maxInactive: 100_000 } });
  let bytes = 0;
  const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
  fakeBrowser.storage.local.set = (items: Record<string, unknown>) => {
    bytes += JSON.stringify(items).length;
    return set(items);
  };
  const site = SITES[3]!;
  const cap = 10n ** 12n;
  const one = async (i: number) => {
    const { record } = await ledger.reserve({
      site,
      requestOrigin: site,
      resourceUrl: `${site}/new/${i}`,
      network: NET,
      asset: USDC,
      amount: 10_000n,
      payTo: '0x1111111111111111111111111111111111111111',
      expiresAt: Date.now() + 300_000,
      auto: true,
      policyCheck: (s) => (s.site.usd.day < cap ? { action: 'pay' } : { action: 'ask', reason: 'period-cap-day', detail: 'cap' }),
    });
    await ledger.markSigned(record!.id, { expiresAt: Date.now() + 60_000, payer: '0x2222222222222222222222222222222222222222' });
    await ledger.commitWithUsage(record!.id, { txHash: `0x${'ab'.repeat(32)}`, network: NET, payer: '0x2222222222222222222222222222222222222222' }, { timeZone: 'UTC' });
  };
  for (let i = 0; i < 20; i++) await one(-i - 1); // warm-up (and, on schema 2, the one-time migration)
  bytes = 0;
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await one(i);
    times.push(performance.now() - t);
  }
  fakeBrowser.storage.local.set = set;
  return { pastPayments: n, p50Ms: quantile(times, 0.5), p95Ms: quantile(times, 0.95), bytesWrittenPerPayment: Math.round(bytes / iterations) };
}

export async function benchLedger() {
  const small = await measure(10, 300);
  const large = await measure(10_000, 300);
  const small2 = await measure(10, 300); // again, so a warming JIT does not flatter the large run
  const ref = small2.p50Ms < small.p50Ms ? small2 : small;
  return {
    rows: [ref, large].map((r) => ({ ...r, p50Ms: +r.p50Ms.toFixed(3), p95Ms: +r.p95Ms.toFixed(3) })),
    ratio_p50_10k_vs_10: +(large.p50Ms / ref.p50Ms).toFixed(2),
    goal: '≤ 1.2× (issue 10/12: no whole-ledger rewrite per step)',
  };
}
