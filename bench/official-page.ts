/**
 * The official client (`@x402/fetch` + `@x402/evm`) inside a Chromium page WITHOUT the extension:
 * the reference that runs under the same browser rules as the wallet (at most 6 HTTP/1.1
 * connections per host, the page's own event loop), beside the Node reference that has neither.
 * The bundle is built here with esbuild (an IIFE exposing the official functions); the page
 * derives the same demo account, so both clients pay from the same payer.
 */
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { browserPath } from '../scripts/browsers.ts';

const ENTRY = `
import { registerExactEvmScheme } from '@x402/evm/exact/client';
import { wrapFetchWithPayment, x402Client } from '@x402/fetch';
import { mnemonicToAccount } from 'viem/accounts';
globalThis.__x402 = { registerExactEvmScheme, wrapFetchWithPayment, x402Client, mnemonicToAccount };
`;

export interface OfficialPage {
  /** one paid fetch, timed like the Node reference: total, and 402 received → paid retry sent */
  paid(path: string): Promise<{ status: number; totalMs: number; gapMs: number }>;
  /** n concurrent paid fetches of `path` */
  burst(path: string, n: number): Promise<{ wallMs: number; statuses: number[] }>;
  close(): Promise<void>;
}

export async function openOfficialPage(o: { pageUrl: string; mnemonic: string; network: string; asset: string }): Promise<OfficialPage> {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: path.resolve(import.meta.dirname, '..'), loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'error',
  });
  const code = out.outputFiles[0]!.text;
  const browser: Browser = await chromium.launch({ executablePath: browserPath('chromium'), args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic'] });
  const page: Page = await browser.newPage();
  await page.goto(o.pageUrl);
  await page.evaluate(code);
  // (a string: tsx would wrap the named inner function in a helper the page does not have)
  await page.evaluate(`(() => {
    const X = globalThis.__x402;
    const client = new X.x402Client();
    X.registerExactEvmScheme(client, { signer: X.mnemonicToAccount(${JSON.stringify(o.mnemonic)}) });
    client.setSpendControls({ allowedAssets: [{ network: ${JSON.stringify(o.network)}, asset: ${JSON.stringify(o.asset)}, maxAmountPerPayment: '1000000' }] });
    const g = globalThis;
    g.__marks = { got402: NaN, retry: NaN };
    g.__pay = X.wrapFetchWithPayment(async (input, init) => {
      const req = new Request(input, init);
      if (req.headers.has('payment-signature')) g.__marks.retry = performance.now();
      const res = await fetch(req);
      if (res.status === 402) g.__marks.got402 = performance.now();
      return res;
    }, client);
  })()`);
  return {
    paid: (p) =>
      page.evaluate(async (p) => {
        const g = globalThis as any;
        g.__marks.got402 = g.__marks.retry = NaN;
        const t0 = performance.now();
        const res: Response = await g.__pay(p);
        await res.text();
        return { status: res.status, totalMs: performance.now() - t0, gapMs: g.__marks.retry - g.__marks.got402 };
      }, p),
    burst: (p, n) =>
      page.evaluate(
        async ({ p, n }) => {
          const g = globalThis as any;
          const t0 = performance.now();
          const statuses = await Promise.all(
            Array.from({ length: n }, () => g.__pay(p).then(async (r: Response) => (await r.text(), r.status), () => 0)),
          );
          return { wallMs: performance.now() - t0, statuses };
        },
        { p, n },
      ),
    close: () => browser.close(),
  };
}
