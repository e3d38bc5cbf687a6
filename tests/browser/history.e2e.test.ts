/**
 * The history page, end to end in both browsers: real payments on two sites and three
 * networks (EVM v2 on 31337, EVM v1 on "base-sepolia" 84532, Solana on the local cluster),
 * each checked on chain (EVM receipt with the USDC Transfer to the merchant, Solana signature
 * status) — then the options page's filters, totals, chart and per-site bars, the detail
 * dialog, the CSV/JSON exports the page downloads (made by the background from its ledger, for
 * the filtered view) and the read-only import of that JSON, which restores nothing.
 *
 * With X402_SCREENSHOTS=<dir> (Chromium only) the page is photographed for the README.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { erc20Abi, parseEventLogs, type Hash } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsvRows } from '../../lib/history/import';
import { CSV_COLUMNS } from '../../lib/ledger/export';
import { localParts } from '../../lib/policy/periods';
import { PRICES, SVM_PRICES } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { ROOT } from './harness';
import { PAYER, settledFor, svmBalances, svmSignatureStatus, withApproval, type HistoryEntry, type World } from './world';
import { useWorld } from './suite';

type Demo = { status: number; body: unknown };
const fetchPath = (page: TestPage, p: string) =>
  page.evaluate((x) => (window as unknown as { demo: { fetchPath(p: string): Promise<Demo> } }).demo.fetchPath(x), p);

/** Sets a React-controlled input or select the way a user would (native setter + the event React listens to). */
function setValue(page: TestPage, testId: string, value: string): Promise<void> {
  return page.evaluate(
    ({ testId, value }) => {
      const el = document.querySelector(`[data-testid="${testId}"]`) as HTMLInputElement | HTMLSelectElement | null;
      if (!el) throw new Error(`no [data-testid="${testId}"]`);
      const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
    },
    { testId, value },
  );
}

const count = (page: TestPage, selector: string) => page.evaluate((s) => document.querySelectorAll(s).length, selector);
const texts = (page: TestPage, selector: string) => page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => (e.textContent ?? '').trim()), selector);
const attr = (page: TestPage, selector: string, name: string) => page.evaluate(({ s, n }) => document.querySelector(s)?.getAttribute(n) ?? null, { s: selector, n: name });

/** Downloads the page starts are captured (the Blob it hands to the browser) instead of saved. */
function captureDownloads(page: TestPage): Promise<void> {
  return page.evaluate(() => {
    const g = window as unknown as { __downloads: { name: string; text: Promise<string> }[] };
    g.__downloads = [];
    const blobs = new Map<string, Blob>();
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (b: Blob | MediaSource) => {
      const url = create(b);
      if (b instanceof Blob) blobs.set(url, b);
      return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      const blob = this.download ? blobs.get(this.href) : undefined;
      if (blob) g.__downloads.push({ name: this.download, text: blob.text() });
      else click.call(this);
    };
  });
}

async function lastDownload(page: TestPage, n: number): Promise<{ name: string; text: string }> {
  await expect.poll(() => page.evaluate(() => (window as unknown as { __downloads: unknown[] }).__downloads.length), { timeout: 10_000 }).toBe(n);
  return page.evaluate(async () => {
    const d = (window as unknown as { __downloads: { name: string; text: Promise<string> }[] }).__downloads;
    const last = d[d.length - 1]!;
    return { name: last.name, text: await last.text };
  });
}

/** Chooses a file in the page's file input (a File built in the page, as a picked file would be). */
function chooseFile(page: TestPage, name: string, text: string): Promise<void> {
  return page.evaluate(
    ({ name, text }) => {
      const input = document.querySelector('[data-testid="history-import"]') as HTMLInputElement;
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: name.endsWith('.csv') ? 'text/csv' : 'application/json' }));
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { name, text },
  );
}

interface Paid {
  entry: HistoryEntry;
  side: 'v2' | 'v1' | 'svm';
  amount: bigint;
}

const SHOTS = process.env.X402_SCREENSHOTS ? path.resolve(ROOT, process.env.X402_SCREENSHOTS) : null;

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`history page (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    /** the options page, opened once the payments are made */
    let options: TestPage;
    const paid: Paid[] = [];
    let tz = 'UTC';
    const merchantBefore = { v2: 0n, v1: 0n, svm: 0n };
    /** the JSON the page exported, imported again at the end */
    let exportedJson = '';

    /** The chain's own account of an EVM payment: a successful receipt with USDC Transfer(payer → merchant, amount). */
    async function checkEvmOnChain(side: 'v1' | 'v2', tx: string, amount: bigint): Promise<void> {
      const s = w.net[side];
      const receipt = await s.chain.publicClient.getTransactionReceipt({ hash: tx as Hash });
      expect(receipt.status).toBe('success');
      const transfers = parseEventLogs({ abi: erc20Abi, logs: receipt.logs, eventName: 'Transfer' })
        .filter((l) => l.address.toLowerCase() === s.usdc.toLowerCase())
        .map((l) => ({ from: l.args.from.toLowerCase(), to: l.args.to.toLowerCase(), value: l.args.value }));
      expect(transfers).toEqual([{ from: PAYER.toLowerCase(), to: w.net.merchant.toLowerCase(), value: amount }]);
    }

    async function checkOnChain(p: { side: Paid['side']; tx: string; amount: bigint }): Promise<void> {
      if (p.side === 'svm') expect(await svmSignatureStatus(w.net, p.tx)).toMatchObject({ err: null });
      else await checkEvmOnChain(p.side, p.tx, p.amount);
    }

    const dayKey = (t: number) => {
      const p = localParts(t, tz);
      return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    };

    beforeAll(async () => {
      ({ w, ext } = suite);
      const { net } = w;
      merchantBefore.v2 = await net.usdcBalance('v2', net.merchant);
      merchantBefore.v1 = await net.usdcBalance('v1', net.merchant);
      merchantBefore.svm = (await svmBalances(net)).merchant;
    });

    /** The options page on its History tab, in a new (front) tab: a background tab is throttled in Firefox. */
    async function openHistory(): Promise<TestPage> {
      const page = await ext.openExtensionPage('/options.html');
      await page.click('[data-testid="tab-history"]');
      await page.waitFor('[data-testid="history-section"]');
      return page;
    }

    it('before anything is paid the page says so', async () => {
      const page = await openHistory();
      await page.waitForText('[data-testid="history-empty"]', /Nothing paid yet/);
      tz = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      await page.close();
    });

    it('real payments on two sites and three networks, each one on chain', async () => {
      const { net } = w;
      const v2 = await suite.open(net.v2.url('/page'));
      const v1 = await suite.open(net.v1.url('/page'));
      // the v2 site pays automatically within a budget: EVM v2 twice and Solana once
      const saved = await ext.call('sites.save', { site: net.v2.origin, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05' });
      expect(saved.ok).toBe(true);
      expect((await fetchPath(v2, '/api/data')).status).toBe(200);
      expect((await fetchPath(v2, '/svm/api/data')).status).toBe(200);
      expect((await fetchPath(v2, '/api/cheap')).status).toBe(200);
      // the v1 site asks: approved in the window
      expect((await withApproval(ext, () => fetchPath(v1, '/api/data'))).status).toBe(200);

      const one = async (url: string, side: Paid['side'], amount: bigint) => {
        const [entry] = await settledFor(ext, url);
        paid.push({ entry: entry!, side, amount });
      };
      await one(net.v2.url('/api/data'), 'v2', PRICES.data);
      await one(net.svm.url('/svm/api/data'), 'svm', SVM_PRICES.data);
      await one(net.v2.url('/api/cheap'), 'v2', PRICES.cheap);
      await one(net.v1.url('/api/data'), 'v1', PRICES.data);
      for (const p of paid) {
        expect(p.entry.confirmedBy).toBe('chain');
        expect(p.entry.explorerUrl).toBeUndefined(); // local chains: no public explorer
        await checkOnChain({ side: p.side, tx: p.entry.txHash!, amount: p.amount });
      }
      expect(new Set(paid.map((p) => p.entry.network)).size).toBe(3);
      expect(new Set(paid.map((p) => p.entry.site))).toEqual(new Set([net.v2.origin, net.v1.origin]));
    });

    it('the page lists exactly those payments, with totals per site and network, a chart and per-site bars', async () => {
      const { net } = w;
      options = await openHistory();
      await options.click('[data-testid="history-refresh"]');
      await expect.poll(() => count(options, '[data-testid="history-row"]'), { timeout: 10_000 }).toBe(4);
      const rows = await options.evaluate(() => [...document.querySelectorAll('[data-testid="history-row"]')].map((r) => ({ id: r.getAttribute('data-id'), status: r.getAttribute('data-status') })));
      expect(new Set(rows.map((r) => r.id))).toEqual(new Set(paid.map((p) => p.entry.id)));
      expect(rows.every((r) => r.status === 'settled')).toBe(true);
      // $0.01 + $0.01 (Solana) + $0.001 + $0.01 = $0.031, exactly
      expect(await options.text('[data-testid="history-summary"]')).toBe('4 payments · paid $0.031 in 4');
      const paidOf = (table: string, key: string) => options.text(`[data-testid="history-totals-${table}"] tr[data-key="${key}"] [data-testid="history-total-paid"]`);
      const countOf = (table: string, key: string) => options.text(`[data-testid="history-totals-${table}"] tr[data-key="${key}"] [data-testid="history-total-count"]`);
      expect(await paidOf('site', net.v2.origin)).toBe('$0.021');
      expect(await countOf('site', net.v2.origin)).toBe('3');
      expect(await paidOf('site', net.v1.origin)).toBe('$0.01');
      expect(await paidOf('network', net.v2.network)).toBe('$0.011');
      expect(await countOf('network', net.v2.network)).toBe('2');
      expect(await paidOf('network', 'eip155:84532')).toBe('$0.01');
      expect(await paidOf('network', net.svm.network)).toBe('$0.01');
      // chart: an image with a summary, and the per-day numbers in the hidden table
      const label = (await attr(options, '[data-testid="history-chart-svg"]', 'aria-label'))!;
      expect(label).toMatch(/^Settled spend per day .*: \$0\.031 in 4 payments; highest /);
      const days = new Map<string, bigint>();
      const all = await ext.call<{ id: string; createdAt: number; amountAtomic: string }[]>('history.list', { limit: 5000 });
      for (const h of all.value!) days.set(dayKey(h.createdAt), (days.get(dayKey(h.createdAt)) ?? 0n) + BigInt(h.amountAtomic));
      const chartRows = await options.evaluate(() => [...document.querySelectorAll('[data-testid="history-chart-row"]')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
      expect(chartRows.map((r) => r[0])).toEqual([...days.keys()].sort());
      expect(await count(options, '[data-testid="history-chart-bar"]')).toBe(days.size);
      const totalCount = chartRows.reduce((n, r) => n + Number(r[2]), 0);
      expect(totalCount).toBe(4);
      // per-site bars: the v2 site (3 payments, $0.021) is the longest
      expect(await texts(options, '[data-testid="history-site-bar-amount"]')).toEqual(['$0.021', '$0.01']);
      expect(await attr(options, `[data-testid="history-site-bar"][data-site="${net.v2.origin}"] .bar > span`, 'style')).toMatch(/width: ?100%/);
    });

    it('filters by site, network, status, dates and search narrow the table, totals and chart', async () => {
      const { net } = w;
      const evm1 = paid.find((p) => p.side === 'v1')!;
      const sol = paid.find((p) => p.side === 'svm')!;
      await setValue(options, 'history-site', net.v1.origin);
      await expect.poll(() => count(options, '[data-testid="history-row"]')).toBe(1);
      expect(await options.text('[data-testid="history-summary"]')).toMatch(/^1 payment match \(site http:\/\/127\.0\.0\.1:\d+\) of 4 · paid \$0\.01 in 1$/);
      expect(await attr(options, '[data-testid="history-row"]', 'data-id')).toBe(evm1.entry.id);
      await options.click('[data-testid="history-clear"]');
      await expect.poll(() => count(options, '[data-testid="history-row"]')).toBe(4);

      await setValue(options, 'history-network', net.svm.network);
      await expect.poll(() => count(options, '[data-testid="history-row"]')).toBe(1);
      expect(await options.text('[data-testid="history-row"] [data-testid="history-tx"]')).toBe(`${sol.entry.txHash!.slice(0, 8)}…${sol.entry.txHash!.slice(-8)}`);
      expect(await attr(options, '[data-testid="history-chart-svg"]', 'aria-label')).toMatch(/: \$0\.01 in 1 payment;/);
      await setValue(options, 'history-status', 'failed');
      await options.waitForText('[data-testid="history-no-match"]', /No payment matches these filters/);
      await options.click('[data-testid="history-clear"]');

      // search by a transaction hash, then by a resource path
      await setValue(options, 'history-search', evm1.entry.txHash!.slice(0, 20));
      await expect.poll(() => count(options, '[data-testid="history-row"]')).toBe(1);
      await setValue(options, 'history-search', '/api/cheap');
      await expect.poll(() => attr(options, '[data-testid="history-row"]', 'data-id')).toBe(paid.find((p) => p.amount === PRICES.cheap)!.entry.id);
      await setValue(options, 'history-search', '');

      // dates (local days): from the first payment's day to today holds all, from tomorrow nothing
      const listed = (await ext.call<{ createdAt: number }[]>('history.list', { limit: 5000 })).value!;
      const first = listed.map((h) => dayKey(h.createdAt)).sort()[0]!;
      const today = dayKey(Date.now());
      const tomorrow = dayKey(Date.now() + 86_400_000);
      await setValue(options, 'history-from', first);
      await setValue(options, 'history-to', today);
      await expect.poll(() => count(options, '[data-testid="history-row"]')).toBe(4);
      await setValue(options, 'history-to', '');
      await setValue(options, 'history-from', tomorrow);
      await options.waitForText('[data-testid="history-no-match"]', /No payment matches/);
      await options.click('[data-testid="history-clear"]');
      await expect.poll(() => count(options, '[data-testid="history-row"]')).toBe(4);
    });

    it('a payment’s details show every field, the tx hash checked on chain', async () => {
      const p = paid.find((x) => x.side === 'v2' && x.amount === PRICES.data)!;
      if (SHOTS && kind === 'chromium') await options.setViewport(1000, 860);
      await options.click(`[data-testid="history-row"][data-id="${p.entry.id}"] [data-testid="history-details"]`);
      await options.waitFor('[data-testid="history-detail"]');
      const field = (id: string) => options.text(`[data-testid="history-detail"] [data-testid="${id}"]`);
      expect(await field('detail-id')).toBe(p.entry.id);
      expect(await field('detail-tx')).toBe(p.entry.txHash);
      expect(await field('detail-confirmed-by')).toBe('checked on chain');
      expect(await field('detail-amount')).toBe('0.01 USDC ($0.01) (10000 atomic units)');
      expect(await field('detail-payto')).toBe(w.net.merchant);
      expect((await field('detail-payer')).toLowerCase()).toBe(PAYER.toLowerCase());
      expect(await field('detail-version')).toBe('v2');
      expect(await field('detail-scheme')).toBe('exact');
      expect(await field('detail-network')).toContain(w.net.v2.network);
      expect(await field('detail-asset')).toContain(w.net.v2.usdc);
      expect(await field('detail-times')).toMatch(/Reserved.*Signed.*Settled/);
      expect(await count(options, '[data-testid="history-detail"] a')).toBe(0); // a local chain: no explorer link
      if (SHOTS && kind === 'chromium') {
        mkdirSync(SHOTS, { recursive: true });
        await options.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        await options.screenshot(path.join(SHOTS, 'history-detail.png'));
      }
      await options.click('[data-testid="history-detail-close"]');
      await expect.poll(() => count(options, '[data-testid="history-detail"]')).toBe(0);
    });

    it('the CSV and JSON the page exports are the filtered view, from the ledger, and match the chain', async () => {
      const { net } = w;
      await captureDownloads(options);
      // filtered: the v2 chain only
      await setValue(options, 'history-network', net.v2.network);
      await expect.poll(() => count(options, '[data-testid="history-row"]')).toBe(2);
      await options.click('[data-testid="export-csv"]');
      const csv = await lastDownload(options, 1);
      expect(csv.name).toMatch(/^x402-payments-\d{4}-\d{2}-\d{2}-filtered\.csv$/);
      const rows = parseCsvRows(csv.text)!;
      expect(rows[0]).toEqual([...CSV_COLUMNS]);
      const col = (r: string[], c: (typeof CSV_COLUMNS)[number]) => r[CSV_COLUMNS.indexOf(c)]!;
      const body = rows.slice(1);
      const expected = paid.filter((p) => p.side === 'v2');
      expect(body.map((r) => col(r, 'tx_hash')).sort()).toEqual(expected.map((p) => p.entry.txHash!).sort());
      for (const r of body) {
        const p = expected.find((x) => x.entry.txHash === col(r, 'tx_hash'))!;
        expect(col(r, 'amount_atomic')).toBe(p.amount.toString());
        expect(col(r, 'amount_usd')).toBe(p.amount === PRICES.data ? '0.01' : '0.001');
        expect(col(r, 'network')).toBe(net.v2.network);
        expect(col(r, 'status')).toBe('settled');
        expect(col(r, 'confirmed_by')).toBe('chain');
        expect(col(r, 'scheme')).toBe('exact');
        expect(col(r, 'x402_version')).toBe('2');
        expect(col(r, 'settled_at')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        await checkOnChain({ side: 'v2', tx: col(r, 'tx_hash'), amount: BigInt(col(r, 'amount_atomic')) });
      }

      // everything: the JSON holds exactly the run's on-chain payments; per chain they add up to what the merchant received
      await options.click('[data-testid="history-clear"]');
      await expect.poll(() => count(options, '[data-testid="history-row"]')).toBe(4);
      await options.click('[data-testid="export-json"]');
      const json = await lastDownload(options, 2);
      expect(json.name).toMatch(/^x402-payments-\d{4}-\d{2}-\d{2}\.json$/);
      const doc = JSON.parse(json.text) as { format: string; filter?: unknown; records: { id: string; txHash: string; amount: string; network: string; status: string; confirmedBy: string }[] };
      expect(doc.format).toBe('x402-wallet-history');
      expect(doc.filter).toBeUndefined();
      expect(doc.records.map((r) => r.id).sort()).toEqual(paid.map((p) => p.entry.id).sort());
      const sideOf = (network: string): Paid['side'] => (network === net.v2.network ? 'v2' : network === net.svm.network ? 'svm' : 'v1');
      const sums = { v2: 0n, v1: 0n, svm: 0n };
      for (const r of doc.records) {
        expect(r).toMatchObject({ status: 'settled', confirmedBy: 'chain' });
        await checkOnChain({ side: sideOf(r.network), tx: r.txHash, amount: BigInt(r.amount) });
        sums[sideOf(r.network)] += BigInt(r.amount);
      }
      expect(sums.v2).toBe((await net.usdcBalance('v2', net.merchant)) - merchantBefore.v2);
      expect(sums.v1).toBe((await net.usdcBalance('v1', net.merchant)) - merchantBefore.v1);
      expect(sums.svm).toBe((await svmBalances(net)).merchant - merchantBefore.svm);
      exportedJson = json.text;
    });

    it('importing the exported JSON shows it read-only and restores nothing; a bad file is refused', async () => {
      const { net } = w;
      if (SHOTS && kind === 'chromium') {
        await options.setViewport(1000, 1130);
        await options.evaluate(() => window.scrollTo(0, 0));
        await options.screenshot(path.join(SHOTS, 'history.png'));
      }
      const json = exportedJson;
      expect(json).not.toBe('');
      const site = async () => (await ext.call<{ usage: unknown }>('sites.get', { site: net.v2.origin })).value;
      const list = async () => (await ext.call<{ id: string; status: string; updatedAt: number }[]>('history.list', { limit: 5000 })).value;
      const sitesBefore = await ext.call('sites.list');
      const [siteBefore, listBefore] = [await site(), await list()];

      await chooseFile(options, 'not-history.json', '{"hello": "world"}');
      await options.waitForText('[data-testid="history-import-error"]', /not a wallet history export/);
      expect(await attr(options, '[data-testid="history-section"]', 'data-view')).toBe('wallet');

      await chooseFile(options, 'x402-payments.json', json);
      await options.waitFor('[data-testid="history-imported-banner"]');
      expect(await options.text('[data-testid="history-imported-notice"]')).toBe(
        'Imported file — read-only; nothing was restored: budgets, spend and balances are unchanged.',
      );
      expect(await attr(options, '[data-testid="history-section"]', 'data-view')).toBe('imported');
      expect(await count(options, '[data-testid="history-row"]')).toBe(4);
      expect(await options.text('[data-testid="history-summary"]')).toBe('4 payments · paid $0.031 in 4');
      expect(await count(options, '[data-testid="export-csv"]')).toBe(0);
      expect(await count(options, '[data-testid="history-table"] a')).toBe(0);
      // filters work on the file too
      await setValue(options, 'history-network', net.svm.network);
      await expect.poll(() => count(options, '[data-testid="history-row"]')).toBe(1);

      // the wallet did not change: same budget use, same records, same policies
      expect(await site()).toEqual(siteBefore);
      expect(await list()).toEqual(listBefore);
      expect(await ext.call('sites.list')).toEqual(sitesBefore);

      await options.click('[data-testid="history-leave-import"]');
      await expect.poll(() => attr(options, '[data-testid="history-section"]', 'data-view')).toBe('wallet');
      await expect.poll(() => count(options, '[data-testid="history-row"]')).toBe(4);
      expect(await count(options, '[data-testid="history-imported-banner"]')).toBe(0);
      await options.close();
    });
  });
}
