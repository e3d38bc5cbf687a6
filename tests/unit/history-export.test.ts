/**
 * Exports of a filtered history view: made by the background from the ledger's own records
 * with the shared filter (lib/history/filter.ts), every column present (scheme, x402 version,
 * each state's time…), CSV escaping and formula neutralisation kept; and the read-only import
 * reads what the export wrote (JSON and CSV) back into the same rows.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ApprovalQueue } from '../../lib/background/approvals';
import { createHandlers } from '../../lib/background/handlers';
import { Settings } from '../../lib/background/settings';
import { createCustodyService } from '../../lib/custody/service';
import { parseCsvRows, parseHistoryFile } from '../../lib/history/import';
import { CSV_COLUMNS, toCsv, toJson } from '../../lib/ledger/export';
import { Ledger } from '../../lib/ledger/ledger';
import type { LedgerAsset } from '../../lib/ledger/types';
import { PolicyStore } from '../../lib/policy/store';

const T0 = Date.parse('2026-05-14T10:00:00Z');
const USDC_BASE: LedgerAsset = { address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', symbol: 'USDC', decimals: 6, usdPegged: true };
const SOL_DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1';
const USDC_DEVNET: LedgerAsset = { address: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU', symbol: 'USDC', decimals: 6, usdPegged: true };
const TX1 = `0x${'a1'.repeat(32)}`;
const SIG = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';
const PAYER = '0x2222222222222222222222222222222222222222';

async function setup() {
  let now = T0;
  const ledger = new Ledger({ timeZone: 'UTC', clock: () => now });
  const custody = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
  const h = createHandlers({ custody, ledger, policies: new PolicyStore(), approvals: new ApprovalQueue(), settings: new Settings(), timeZone: () => 'UTC' });
  const base = {
    requestOrigin: 'https://news.example',
    payTo: '0x1111111111111111111111111111111111111111',
    expiresAt: T0 + 600_000,
    auto: false,
    policyCheck: () => ({ action: 'pay' as const }),
  };
  // 1: news.example, Base, settled on the 13th
  now = T0 - 86_400_000;
  const a = await ledger.reserve({ ...base, id: 'a', site: 'https://news.example', resourceUrl: 'https://news.example/a?x=1,2', network: 'eip155:8453', asset: USDC_BASE, amount: 10_000n, x402Version: 2, now });
  now += 1000;
  await ledger.markSigned(a.record!.id, { expiresAt: T0 + 600_000, paymentIdentifier: 'pay_one', payer: PAYER });
  now += 1000;
  await ledger.commit('a', { txHash: TX1, network: 'eip155:8453', payer: PAYER });
  // 2: api.example, Solana devnet, settled on the 14th
  now = T0;
  await ledger.reserve({ ...base, id: 'b', site: 'https://api.example', requestOrigin: 'https://api.example', resourceUrl: 'https://api.example/quote', network: SOL_DEVNET, asset: USDC_DEVNET, amount: 20_000n, payTo: '4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T', x402Version: 1, now });
  now += 2000;
  await ledger.commit('b', { txHash: SIG, network: SOL_DEVNET, payer: 'Ad94dzcmo1jysJJdxMnpY8P979bYHjD9TvnTrbGSb6dE' });
  // 3: news.example, failed with a hostile reason and URL
  now = T0 + 5000;
  await ledger.reserve({ ...base, id: 'c', site: 'https://news.example', resourceUrl: 'https://news.example/"q"', network: 'eip155:8453', asset: USDC_BASE, amount: 5_000n, now });
  await ledger.fail('c', '=HYPERLINK("http://evil")\nsecond line', { definite: true });
  const sender = {} as never;
  const exportAs = (format: 'csv' | 'json', filter?: unknown) => h['history.export']({ format, ...(filter === undefined ? {} : { filter }) } as never, sender);
  return { ledger, h, exportAs };
}

const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);

beforeEach(() => fakeBrowser.reset());

describe('history.export of a filtered view (background, from the ledger)', () => {
  it('the CSV header has every column, the new ones included', () => {
    for (const c of ['scheme', 'x402_version', 'network_name', 'settled_network', 'amount_usd', 'payer', 'confirmed_by', 'signed_at', 'settled_at', 'unknown_at', 'failed_at', 'released_at'] as const)
      expect(CSV_COLUMNS).toContain(c);
    expect(new Set(CSV_COLUMNS).size).toBe(CSV_COLUMNS.length);
  });

  it('no filter: every record, newest first; a filtered export says so in its name', async () => {
    const { exportAs } = await setup();
    const all = await exportAs('csv');
    expect(all.filename).toMatch(/^x402-payments-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parseCsvRows(all.text)!;
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((r) => r[col('id')])).toEqual(['c', 'b', 'a']);
    const one = await exportAs('csv', { site: 'https://api.example' });
    expect(one.filename).toMatch(/-filtered\.csv$/);
    expect(parseCsvRows(one.text)!.slice(1).map((r) => r[col('id')])).toEqual(['b']);
  });

  it('applies site, status, network, dates and search — the same filter the page shows', async () => {
    const { exportAs } = await setup();
    const ids = async (filter: unknown) => parseCsvRows((await exportAs('csv', filter)).text)!.slice(1).map((r) => r[col('id')]);
    expect(await ids({ site: 'https://news.example' })).toEqual(['c', 'a']);
    expect(await ids({ status: 'settled' })).toEqual(['b', 'a']);
    expect(await ids({ network: SOL_DEVNET })).toEqual(['b']);
    expect(await ids({ from: '2026-05-14', to: '2026-05-14' })).toEqual(['c', 'b']);
    expect(await ids({ to: '2026-05-13' })).toEqual(['a']);
    expect(await ids({ query: TX1.slice(2, 20) })).toEqual(['a']);
    expect(await ids({ query: 'no such thing' })).toEqual([]);
    expect(await ids({ site: 'https://news.example', status: 'settled', network: 'eip155:8453', query: 'news.example/a' })).toEqual(['a']);
  });

  it('a bad filter or format is refused, nothing exported', async () => {
    const { exportAs, h } = await setup();
    await expect(exportAs('csv', { status: 'everything' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/status/) });
    await expect(exportAs('json', { from: '2026-05-14', to: '2026-05-01' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/after the end date/) });
    await expect(exportAs('csv', 'site=all')).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(h['history.export']({ format: 'xml' } as never, {} as never)).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('CSV columns carry the record: amounts, dollars, scheme, version, times, payer, confirmation; escaping and formula neutralisation kept', async () => {
    const { exportAs } = await setup();
    const rows = parseCsvRows((await exportAs('csv')).text)!;
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
    const [c, b, a] = [rows[1]!, rows[2]!, rows[3]!];
    expect(a[col('amount_atomic')]).toBe('10000');
    expect(a[col('amount')]).toBe('0.01');
    expect(a[col('amount_usd')]).toBe('0.01');
    expect(a[col('scheme')]).toBe('exact');
    expect(a[col('x402_version')]).toBe('2');
    expect(a[col('network_name')]).toBe('Base');
    expect(a[col('tx_hash')]).toBe(TX1);
    expect(a[col('payer')]).toBe(PAYER);
    expect(a[col('confirmed_by')]).toBe('');
    expect(a[col('created_at')]).toBe('2026-05-13T10:00:00.000Z');
    expect(a[col('signed_at')]).toBe('2026-05-13T10:00:01.000Z');
    expect(a[col('settled_at')]).toBe('2026-05-13T10:00:02.000Z');
    expect(a[col('payment_identifier')]).toBe('pay_one');
    expect(a[col('resource_url')]).toBe('https://news.example/a?x=1,2');
    expect(b[col('x402_version')]).toBe('1');
    expect(b[col('network')]).toBe(SOL_DEVNET);
    expect(b[col('network_name')]).toBe('Solana Devnet');
    expect(b[col('tx_hash')]).toBe(SIG);
    expect(b[col('settled_at')]).toBe('2026-05-14T10:00:02.000Z');
    expect(c[col('status')]).toBe('failed');
    expect(c[col('failed_at')]).toBe('2026-05-14T10:00:05.000Z');
    expect(c[col('settled_at')]).toBe('');
    expect(c[col('resource_url')]).toBe('https://news.example/"q"');
    // a spreadsheet would run it: neutralised with a leading apostrophe, quoted because of quotes and newline
    expect(c[col('error_reason')]).toBe(`'=HYPERLINK("http://evil")\nsecond line`);
    const text = (await exportAs('csv')).text;
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")\nsecond line"`);
  });

  it('JSON has the filter it was made with, network names, and the records as stored (amounts as strings)', async () => {
    const { exportAs } = await setup();
    const doc = JSON.parse((await exportAs('json', { status: 'settled', query: '  news  ' })).text);
    expect(doc).toMatchObject({ format: 'x402-wallet-history', version: 1, filter: { status: 'settled', query: 'news' } });
    expect(doc.records).toHaveLength(1);
    expect(doc.records[0]).toMatchObject({ id: 'a', amount: '10000', networkName: 'Base', scheme: 'exact', x402Version: 2, txHash: TX1, asset: { symbol: 'USDC', decimals: 6, usdPegged: true } });
    expect(doc.records[0].times.settled).toBe(Date.parse('2026-05-13T10:00:02Z'));
    const plain = JSON.parse((await exportAs('json')).text);
    expect(plain.filter).toBeUndefined();
    expect(plain.records.map((r: { id: string }) => r.id)).toEqual(['c', 'b', 'a']);
  });

  it('the pure export functions work without names or a filter', () => {
    expect(toCsv([])).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(JSON.parse(toJson([], T0))).toEqual({ format: 'x402-wallet-history', version: 1, exportedAt: '2026-05-14T10:00:00.000Z', records: [] });
  });
});

describe('an export read back by the read-only import', () => {
  it('JSON and CSV give the same rows as the wallet lists (ids, amounts, dollars, tx hashes, times)', async () => {
    const { exportAs, h } = await setup();
    const listed = await h['history.list']({ limit: 100 } as never, {} as never);
    for (const format of ['json', 'csv'] as const) {
      const r = parseHistoryFile((await exportAs(format)).text);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.format).toBe(format);
      expect(r.skipped).toBe(0);
      const pick = (p: (typeof listed)[number]) => ({
        id: p.id,
        site: p.site,
        status: p.status,
        network: p.network,
        networkName: p.networkName,
        amountAtomic: p.amountAtomic,
        amountToken: p.amountToken,
        amountUsd: p.amountUsd,
        txHash: p.txHash,
        payer: p.payer,
        createdAt: p.createdAt,
        times: p.times,
        x402Version: p.x402Version,
        resourceUrl: p.resourceUrl,
        errorReason: p.errorReason,
      });
      expect(r.records.map(pick)).toEqual(listed.map(pick));
      expect(r.records.every((p) => p.explorerUrl === undefined)).toBe(true);
    }
  });
});
