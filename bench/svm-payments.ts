/**
 * Solana paid-request latency, in one run, beside the EVM one and beside the official client:
 *   - the extension auto-paying GET /svm/api/data within a budget (Chromium, test build), and
 *     GET /api/cheap on EVM in the same page, interleaved;
 *   - the official client in Node on the same endpoints: `@x402/fetch` + `ExactSvmScheme`
 *     (`@x402/svm/exact/client`, with the local cluster's RPC) and + `@x402/evm`.
 * Medians after warm-up, reported as ratios (extension / official on Solana; Solana / EVM in the
 * extension). Exact on-chain spend is checked for every payment.
 */
import { existsSync } from 'node:fs';
import type { Network } from '@x402/core/types';
import { registerExactEvmScheme } from '@x402/evm/exact/client';
import { wrapFetchWithPayment, x402Client } from '@x402/fetch';
import { ExactSvmScheme } from '@x402/svm/exact/client';
import { demoAccount, demoSolanaSigner, PRICES, SVM_PRICES } from '../tests/fixture/network';
import { extensionDir } from '../tests/browser/harness';
import { PAYER, startWorld } from '../tests/browser/world';
import { extensionPaidFetch } from './payments';
import { isMainModule, quantile, round } from './stats';

export interface SvmBenchResult {
  runs: number;
  medianMs: { extensionSvm: number; officialSvm: number; extensionEvm: number; officialEvm: number };
  p90Ms: { extensionSvm: number; officialSvm: number };
  ratio: { svmExtensionVsOfficial: number; evmExtensionVsOfficial: number; extensionSvmVsEvm: number };
}

export async function benchSvmPayments(opts: { runs?: number; warmup?: number } = {}): Promise<SvmBenchResult> {
  const runs = opts.runs ?? 20;
  const warmup = opts.warmup ?? 3;
  if (!existsSync(extensionDir('chromium'))) throw new Error('no test build: run `npx wxt build --mode test` first');
  const w = await startWorld('chromium');
  try {
    const { net, ext } = w;
    const svm = net.svm;
    const saved = await ext.call('sites.save', { site: net.v2.origin, mode: 'auto', paused: false, dayUsd: '50.00', perPaymentUsd: '0.05' });
    if (!saved.ok) throw new Error(`sites.save: ${JSON.stringify(saved.error)}`);

    // official clients: the same accounts the extension pays from (payer 0 on both rails)
    const svmClient = new x402Client();
    svmClient.register(svm.network as Network, new ExactSvmScheme(await demoSolanaSigner(0), { rpcUrl: svm.rpcUrl }));
    svmClient.setSpendControls({ allowedAssets: [{ network: svm.network as Network, asset: svm.mint, maxAmountPerPayment: '1000000' }] });
    const evmClient = new x402Client();
    const account = demoAccount(0);
    if (account.address !== PAYER) throw new Error('the official client must pay from the same account');
    registerExactEvmScheme(evmClient, { signer: account });
    evmClient.setSpendControls({ allowedAssets: [{ network: net.v2.network, asset: net.v2.usdc, maxAmountPerPayment: '1000000' }] });
    const paySvm = wrapFetchWithPayment(fetch, svmClient);
    const payEvm = wrapFetchWithPayment(fetch, evmClient);
    const official = async (pay: typeof fetch, url: string) => {
      const t0 = performance.now();
      const res = await pay(url);
      await res.text();
      if (res.status !== 200) throw new Error(`official payment of ${url} answered ${res.status}`);
      return performance.now() - t0;
    };

    const page = await ext.newPage();
    await page.goto(net.v2.url('/page'));
    const t = { extSvm: [] as number[], offSvm: [] as number[], extEvm: [] as number[], offEvm: [] as number[] };
    const svm0 = await svm.tokenBalance(svm.payers[0]!);
    const evm0 = await net.usdcBalance('v2', PAYER);
    for (let i = 0; i < warmup + runs; i++) {
      const a = await extensionPaidFetch(page, '/svm/api/data');
      if (a.status !== 200) throw new Error(`extension Solana payment ${i} answered ${a.status}`);
      const b = await official(paySvm, svm.url('/svm/api/data'));
      const c = await extensionPaidFetch(page, '/api/cheap');
      if (c.status !== 200) throw new Error(`extension EVM payment ${i} answered ${c.status}`);
      const d = await official(payEvm, net.v2.url('/api/cheap'));
      if (i < warmup) continue;
      t.extSvm.push(a.totalMs);
      t.offSvm.push(b);
      t.extEvm.push(c.totalMs);
      t.offEvm.push(d);
    }
    await page.close();
    const n = BigInt(2 * (warmup + runs));
    const svmMoved = svm0 - (await svm.tokenBalance(svm.payers[0]!));
    const evmMoved = evm0 - (await net.usdcBalance('v2', PAYER));
    if (svmMoved !== n * SVM_PRICES.data) throw new Error(`Solana payments moved ${svmMoved}, expected ${n * SVM_PRICES.data}`);
    if (evmMoved !== n * PRICES.cheap) throw new Error(`EVM payments moved ${evmMoved}, expected ${n * PRICES.cheap}`);
    const med = (xs: number[]) => round(quantile(xs, 0.5));
    const m = { extensionSvm: med(t.extSvm), officialSvm: med(t.offSvm), extensionEvm: med(t.extEvm), officialEvm: med(t.offEvm) };
    return {
      runs,
      medianMs: m,
      p90Ms: { extensionSvm: round(quantile(t.extSvm, 0.9)), officialSvm: round(quantile(t.offSvm, 0.9)) },
      ratio: {
        svmExtensionVsOfficial: round(m.extensionSvm / m.officialSvm, 2),
        evmExtensionVsOfficial: round(m.extensionEvm / m.officialEvm, 2),
        extensionSvmVsEvm: round(m.extensionSvm / m.extensionEvm, 2),
      },
    };
  } finally {
    await w.close();
  }
}

if (isMainModule(import.meta.url)) {
  const r = await benchSvmPayments();
  console.log(JSON.stringify(r, null, 2));
  process.exit(0);
}
