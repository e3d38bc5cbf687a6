/**
 * The read-only import (lib/history/import.ts and the history view store): a good export file
 * reads; a bad, huge or hostile one gives a clear error or is cleaned; unknown fields are
 * ignored; nothing from a file ever becomes a link; and importing never calls the background.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanText, MAX_IMPORT_BYTES, MAX_IMPORT_RECORDS, parseCsvRows, parseHistoryFile, recordToDto } from '../../lib/history/import';
import { CSV_COLUMNS, toCsv } from '../../lib/ledger/export';
import type { PaymentRecord } from '../../lib/ledger/types';

const sendMessage = vi.fn();
vi.mock('wxt/browser', () => ({ browser: { runtime: { sendMessage: (...a: unknown[]) => sendMessage(...a) } } }));

const T = Date.parse('2026-05-14T10:00:00Z');
const SIG = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';

function record(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'r1',
    site: 'https://news.example',
    requestOrigin: 'https://api.news.example',
    resourceUrl: 'https://api.news.example/a',
    scheme: 'exact',
    x402Version: 2,
    network: 'eip155:8453',
    networkName: 'Base',
    asset: { address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', symbol: 'USDC', decimals: 6, usdPegged: true },
    amount: '10000',
    payTo: '0x1111111111111111111111111111111111111111',
    status: 'settled',
    createdAt: T,
    updatedAt: T + 2000,
    expiresAt: T + 60_000,
    txHash: `0x${'ab'.repeat(32)}`,
    payer: '0x2222222222222222222222222222222222222222',
    paymentIdentifier: 'pay_1',
    confirmedBy: 'chain',
    auto: true,
    times: { reserved: T, signed: T + 1000, settled: T + 2000 },
    ...over,
  };
}
const doc = (records: unknown[], over: Record<string, unknown> = {}) => JSON.stringify({ format: 'x402-wallet-history', version: 1, exportedAt: '2026-05-14T10:00:00.000Z', records, ...over });

describe('parseHistoryFile: good files', () => {
  it('reads a JSON export into PaymentDtos, formatted like the wallet formats them', () => {
    const r = parseHistoryFile(doc([record(), record({ id: 'r2', status: 'failed', createdAt: T + 5000, txHash: undefined, errorReason: 'refused', asset: { address: 'Mint111', symbol: 'XYZ', decimals: 2, usdPegged: false }, amount: '150', network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', networkName: undefined })]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r).toMatchObject({ format: 'json', skipped: 0, exportedAt: '2026-05-14T10:00:00.000Z' });
    expect(r.records.map((p) => p.id)).toEqual(['r2', 'r1']); // newest first
    const [r2, r1] = r.records;
    expect(r1).toMatchObject({ amountAtomic: '10000', amountToken: '0.01 USDC', amountUsd: '$0.01', networkName: 'Base', x402Version: 2, scheme: 'exact', confirmedBy: 'chain', auto: true, payer: '0x2222222222222222222222222222222222222222', paymentIdentifier: 'pay_1' });
    expect(r1!.times).toEqual({ reserved: T, signed: T + 1000, settled: T + 2000 });
    expect(r2).toMatchObject({ amountToken: '1.5 XYZ', amountUsd: null, networkName: 'Solana Devnet', errorReason: 'refused', status: 'failed' });
    expect(r2!.txHash).toBeUndefined();
  });

  it('ignores unknown fields (nothing unexpected reaches the page), and never makes an explorer link', () => {
    const r = parseHistoryFile(doc([record({ explorerUrl: 'https://evil.example/phish', __proto__x: 1, onclick: 'alert(1)', asset: { address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', symbol: 'USDC', decimals: 6, usdPegged: true, extra: 'x' } })], { extra: { deep: true } }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = r.records[0]!;
    expect(p.explorerUrl).toBeUndefined();
    expect(Object.keys(p)).not.toContain('onclick');
    expect(Object.keys(p)).not.toContain('__proto__x');
    expect(JSON.stringify(p)).not.toContain('evil.example');
  });

  it('keeps the filter an export was made with when it is valid', () => {
    const r = parseHistoryFile(doc([record()], { filter: { status: 'settled', site: 'https://news.example' } }));
    expect(r.ok && r.filter).toEqual({ status: 'settled', site: 'https://news.example' });
    const bad = parseHistoryFile(doc([record()], { filter: { status: 'pwned' } }));
    expect(bad.ok && bad.filter).toBeUndefined();
  });

  it('an empty export is a valid file with no payments', () => {
    expect(parseHistoryFile(doc([]))).toMatchObject({ ok: true, records: [], skipped: 0 });
  });

  it('records that do not read are left out and counted; duplicates too', () => {
    const r = parseHistoryFile(doc([record(), record({ id: 'x', amount: '-1' }), record({ id: 'y', status: 'stolen' }), 'junk', null, record({ id: 'z', createdAt: 1e20 }), record()]));
    expect(r).toMatchObject({ ok: true, skipped: 6 });
    expect(r.ok && r.records.map((p) => p.id)).toEqual(['r1']);
  });

  it('reads the CSV export, undoing the formula neutralisation', () => {
    const rec: PaymentRecord = {
      id: 'c1',
      site: 'https://news.example',
      requestOrigin: 'https://news.example',
      resourceUrl: 'https://news.example/a?x=1,2',
      scheme: 'exact',
      x402Version: 1,
      network: 'eip155:84532',
      asset: { address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', symbol: 'USDC', decimals: 6, usdPegged: true },
      amount: 1_500_000n,
      payTo: '0x1111111111111111111111111111111111111111',
      status: 'failed',
      createdAt: T,
      updatedAt: T + 3000,
      expiresAt: T + 60_000,
      errorReason: '=1+1 said "no"\nbye',
      auto: false,
      times: { reserved: T, signed: T + 1000, failed: T + 3000 },
    };
    const r = parseHistoryFile(toCsv([rec], { networkName: () => 'Base Sepolia' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.format).toBe('csv');
    expect(r.records[0]).toMatchObject({
      id: 'c1',
      resourceUrl: 'https://news.example/a?x=1,2',
      x402Version: 1,
      networkName: 'Base Sepolia',
      amountAtomic: '1500000',
      amountToken: '1.5 USDC',
      amountUsd: '$1.50',
      status: 'failed',
      errorReason: '=1+1 said "no"\nbye',
      createdAt: T,
      expiresAt: T + 60_000,
      times: { reserved: T, signed: T + 1000, failed: T + 3000 },
      auto: false,
    });
  });
});

describe('parseHistoryFile: bad, huge and hostile files', () => {
  it.each([
    ['', /empty/],
    ['   \n', /empty/],
    ['{not json', /not valid JSON/],
    ['[1,2,3]', /bare list/],
    ['{"format":"something-else","version":1,"records":[]}', /not a wallet history export/],
    ['{"format":"x402-wallet-history","version":7,"records":[]}', /version is not 1/],
    ['{"format":"x402-wallet-history","version":1,"records":{}}', /no list of records/],
    ['name,age\nbob,3\n', /missing columns: id, created_at/],
    ['id,created_at,"unclosed\n', /could not be read/],
  ])('%j → a clear error', (text, message) => {
    const r = parseHistoryFile(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('a file whose records are all unreadable is refused', () => {
    const r = parseHistoryFile(doc([{ a: 1 }, { b: 2 }]));
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/None of the 2 records/) });
  });

  it('refuses more than 5 MB before parsing, and too many records', () => {
    expect(parseHistoryFile('{}', MAX_IMPORT_BYTES + 1)).toEqual({ ok: false, error: expect.stringMatching(/too large \(5\.0 MB\); at most 5 MB/) });
    const huge = doc([record({ errorReason: 'x'.repeat(1000) })]).padEnd(MAX_IMPORT_BYTES + 10, ' ');
    expect(parseHistoryFile(huge).ok).toBe(false);
    const many = doc(Array.from({ length: MAX_IMPORT_RECORDS + 1 }, () => 0));
    expect(parseHistoryFile(many)).toEqual({ ok: false, error: expect.stringMatching(/at most 10,000/) });
  });

  it('hostile strings stay text: HTML is kept as characters (React escapes it), control and bidi characters are replaced', () => {
    const r = parseHistoryFile(doc([record({ site: '<img src=x onerror=alert(1)>', resourceUrl: 'https://good.example/\u202Egnp.exe', errorReason: 'a\u0000b\u0007c', asset: { address: '<script>', symbol: '<b>USDC</b>', decimals: 6, usdPegged: true } })]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = r.records[0]!;
    expect(p.site).toBe('<img src=x onerror=alert(1)>');
    expect(p.resourceUrl).toBe('https://good.example/\uFFFDgnp.exe');
    expect(p.errorReason).toBe('a\uFFFDb\uFFFDc');
    expect(p.symbol).toBe('<b>USDC</b>');
    expect(cleanText('line\nnext\ttab')).toBe('line\nnext\ttab');
  });

  it('over-long fields and wrong types make a record unreadable, not the page slow', () => {
    expect(recordToDto(record({ id: 'x'.repeat(201) }))).toBeNull();
    expect(recordToDto(record({ resourceUrl: 42 }))).toBeNull();
    expect(recordToDto(record({ asset: { address: 'a', symbol: 'S'.repeat(33), decimals: 6 } }))).toBeNull();
    expect(recordToDto(record({ asset: { address: 'a', symbol: 'USDC', decimals: 78 } }))).toBeNull();
    expect(recordToDto(record({ amount: '1'.repeat(79) }))).toBeNull();
    expect(recordToDto(record({ amount: 10000 }))).toBeNull();
    expect(recordToDto(['array'])).toBeNull();
    // optional fields of the wrong type are simply left out
    const p = recordToDto(record({ txHash: { evil: true }, confirmedBy: 'me', x402Version: 'two', times: { settled: 'soon', signed: T } }))!;
    expect(p.txHash).toBeUndefined();
    expect(p.confirmedBy).toBeUndefined();
    expect(p.x402Version).toBe(0);
    expect(p.times).toEqual({ signed: T });
  });

  it('the CSV reader handles quotes, CRLF and LF', () => {
    expect(parseCsvRows('a,"b,c","d""e"\r\n1,2,3\n')).toEqual([
      ['a', 'b,c', 'd"e'],
      ['1', '2', '3'],
    ]);
    expect(CSV_COLUMNS[0]).toBe('id');
  });
});

describe('the history view store: importing never talks to the background', () => {
  beforeEach(() => sendMessage.mockReset());

  it('a good file opens the read-only view; leaving returns to the wallet; no message is sent', async () => {
    const { useHistoryViewStore } = await import('../../lib/ui/stores/historyView');
    const s = useHistoryViewStore.getState();
    s.setFilter({ site: 'https://news.example' });
    const text = doc([record()]);
    await s.importFile({ name: 'x402-payments.json', size: text.length, text: async () => text });
    const st = useHistoryViewStore.getState();
    expect(st.importError).toBeNull();
    expect(st.imported).toMatchObject({ fileName: 'x402-payments.json', format: 'json', skipped: 0 });
    expect(st.imported!.records).toHaveLength(1);
    expect(st.filter).toEqual({}); // filters reset for the file
    st.leaveImport();
    expect(useHistoryViewStore.getState().imported).toBeNull();
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it('a bad file shows an error and keeps the current view; a huge one is not even read', async () => {
    const { useHistoryViewStore } = await import('../../lib/ui/stores/historyView');
    const read = vi.fn(async () => 'never');
    await useHistoryViewStore.getState().importFile({ name: 'big.json', size: MAX_IMPORT_BYTES + 1, text: read });
    expect(read).not.toHaveBeenCalled();
    expect(useHistoryViewStore.getState().importError).toMatch(/“big\.json” is too large/);
    await useHistoryViewStore.getState().importFile({ name: 'bad.json', size: 5, text: async () => '{oops' });
    expect(useHistoryViewStore.getState().importError).toMatch(/“bad\.json”: This file is not valid JSON/);
    expect(useHistoryViewStore.getState().imported).toBeNull();
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it('filters drop empty values', async () => {
    const { useHistoryViewStore } = await import('../../lib/ui/stores/historyView');
    useHistoryViewStore.getState().setFilter({ query: 'abc', site: 'https://a.example' });
    useHistoryViewStore.getState().setFilter({ site: '' });
    expect(useHistoryViewStore.getState().filter).toEqual({ query: 'abc' });
    useHistoryViewStore.getState().clearFilter();
    expect(useHistoryViewStore.getState().filter).toEqual({});
  });
});
