import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CSV_COLUMNS, csvCell, toCsv } from '../../lib/ledger/export';
import { Ledger } from '../../lib/ledger/ledger';
import type { LedgerAsset, PaymentRecord } from '../../lib/ledger/types';

const T0 = Date.parse('2026-05-14T10:00:00Z');
const USDC: LedgerAsset = { address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', symbol: 'USDC', decimals: 6, usdPegged: true };

/** Minimal RFC 4180 parser, to prove the CSV round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('csvCell', () => {
  it('quotes commas, quotes, newlines and edge spaces; neutralizes formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('exportCsv / exportJson', () => {
  async function seeded() {
    const l = new Ledger({ timeZone: 'UTC', clock: () => T0 });
    const base = {
      site: 'https://news.example',
      requestOrigin: 'https://api.news.example',
      network: 'eip155:84532',
      asset: USDC,
      payTo: '0x1111111111111111111111111111111111111111',
      expiresAt: T0 + 60_000,
      auto: true,
      policyCheck: () => ({ action: 'pay' as const }),
    };
    const a = await l.reserve({ ...base, id: 'a', resourceUrl: 'https://api.news.example/a?x=1,2', amount: 1_500_000n, now: T0 });
    await l.commit(a.record!.id, { txHash: '0xaaa', network: 'eip155:84532', payer: '0x2222222222222222222222222222222222222222' });
    const b = await l.reserve({ ...base, id: 'b', resourceUrl: 'https://api.news.example/"quoted"', amount: 10_000n, now: T0 + 1000, auto: false });
    await l.fail(b.record!.id, 'server said:\n"no", =1+1', { definite: true });
    return l;
  }

  it('CSV has a header row, one row per record (newest first) and round-trips through a parser', async () => {
    const l = await seeded();
    const csv = await l.exportCsv();
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const [b, a] = [rows[1]!, rows[2]!];
    expect(b[col('id')]).toBe('b');
    expect(b[col('status')]).toBe('failed');
    expect(b[col('auto')]).toBe('no');
    expect(b[col('resource_url')]).toBe('https://api.news.example/"quoted"');
    expect(b[col('error_reason')]).toBe('server said:\n"no", =1+1');
    expect(a[col('amount_atomic')]).toBe('1500000');
    expect(a[col('amount')]).toBe('1.5');
    expect(a[col('resource_url')]).toBe('https://api.news.example/a?x=1,2');
    expect(a[col('tx_hash')]).toBe('0xaaa');
    expect(a[col('created_at')]).toBe('2026-05-14T10:00:00.000Z');
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  it('CSV for one site only', async () => {
    const l = await seeded();
    expect(parseCsv(await l.exportCsv({ site: 'https://elsewhere.example' }))).toHaveLength(1);
    expect(toCsv([])).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });

  it('JSON export has amounts as decimal strings and every record', async () => {
    const l = await seeded();
    const doc = JSON.parse(await l.exportJson()) as { format: string; version: number; exportedAt: string; records: PaymentRecord[] };
    expect(doc.format).toBe('x402-wallet-history');
    expect(doc.version).toBe(1);
    expect(doc.exportedAt).toBe('2026-05-14T10:00:00.000Z');
    expect(doc.records.map((r) => [r.id, r.status, r.amount])).toEqual([
      ['b', 'failed', '10000'],
      ['a', 'settled', '1500000'],
    ]);
    expect(doc.records[1]).toMatchObject({ txHash: '0xaaa', asset: { symbol: 'USDC', decimals: 6 } });
  });
});
