/**
 * The history page's pure functions (lib/history): the shared filter and search (also applied
 * by the background to exports), totals per site and network (exact, bigint), and the spend
 * chart's buckets by the user's local day (injected time zone, DST-correct).
 */
import { describe, expect, it } from 'vitest';
import { spendSeries } from '../../lib/history/chart';
import { filterHistory, filterTimeRange, historyPredicate, isFilterEmpty, parseDay, parseHistoryFilter, type HistoryFilter } from '../../lib/history/filter';
import { addScaled, amountOf, compareScaled, formatTotal, ratio, summarize, totalsBy } from '../../lib/history/totals';
import type { PaymentDto } from '../../lib/messaging/contract';
import { chartSummary, describeFilter, networkChoices, siteChoices, timeline } from '../../lib/ui/history';

const SOL_DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1';
const TX_EVM = `0x${'ab'.repeat(32)}`;
const TX_SOL = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';

let n = 0;
function pay(over: Partial<PaymentDto> = {}): PaymentDto {
  n++;
  return {
    id: `p${n}`,
    site: 'https://news.example',
    requestOrigin: 'https://news.example',
    resourceUrl: `https://news.example/article/${n}`,
    scheme: 'exact',
    x402Version: 2,
    network: 'eip155:8453',
    networkName: 'Base',
    symbol: 'USDC',
    assetAddress: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
    decimals: 6,
    amountAtomic: '10000',
    amountToken: '0.01 USDC',
    amountUsd: '$0.01',
    payTo: '0x1111111111111111111111111111111111111111',
    status: 'settled',
    auto: false,
    createdAt: Date.parse('2026-05-14T12:00:00Z'),
    updatedAt: Date.parse('2026-05-14T12:00:05Z'),
    expiresAt: Date.parse('2026-05-14T12:05:00Z'),
    times: {},
    ...over,
  };
}

const at = (iso: string) => Date.parse(iso);

describe('parseHistoryFilter (what a page sends is checked)', () => {
  it('accepts a full filter and normalizes it', () => {
    const r = parseHistoryFilter({ site: 'https://News.Example/path', status: 'settled', network: 'eip155:8453', from: '2026-05-01', to: '2026-05-14', query: '  0xabc  ', extra: 'ignored' });
    expect(r).toEqual({ ok: true, filter: { site: 'https://news.example', status: 'settled', network: 'eip155:8453', from: '2026-05-01', to: '2026-05-14', query: '0xabc' } });
  });

  it('treats missing and empty values as no filter', () => {
    expect(parseHistoryFilter(undefined)).toEqual({ ok: true, filter: {} });
    expect(parseHistoryFilter({ site: '', status: '', query: '   ', from: null })).toEqual({ ok: true, filter: {} });
    expect(isFilterEmpty({})).toBe(true);
    expect(isFilterEmpty({ query: 'x' })).toBe(false);
  });

  it.each([
    [[], /object/],
    ['site', /object/],
    [{ status: 'paid' }, /status/],
    [{ status: 3 }, /status/],
    [{ from: '2026-02-30' }, /start date/],
    [{ to: '14/05/2026' }, /end date/],
    [{ from: '2026-05-14', to: '2026-05-01' }, /start date is after the end date/],
    [{ query: 'x'.repeat(201) }, /at most 200/],
    [{ query: 42 }, /text/],
    [{ site: 'x'.repeat(3000) }, /site/],
    [{ network: { id: 'eip155:1' } }, /network/],
  ])('refuses %j with a clear message', (input, message) => {
    const r = parseHistoryFilter(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('parseDay knows real calendar dates only', () => {
    expect(parseDay('2024-02-29')).toEqual([2024, 2, 29]);
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2026-13-01')).toBeNull();
    expect(parseDay('2026-5-1')).toBeNull();
  });
});

describe('filterHistory', () => {
  const a = pay({ site: 'https://news.example', txHash: TX_EVM, paymentIdentifier: 'pay_ABC123', createdAt: at('2026-05-10T09:00:00Z') });
  const b = pay({ site: 'https://api.example', requestOrigin: 'https://cdn.api.example', resourceUrl: 'https://cdn.api.example/v1/quote', network: SOL_DEVNET, networkName: 'Solana Devnet', txHash: TX_SOL, payTo: '4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T', createdAt: at('2026-05-12T23:30:00Z') });
  const c = pay({ site: 'https://news.example', status: 'failed', errorReason: 'refused', createdAt: at('2026-05-13T00:30:00Z') });
  const d = pay({ site: 'https://news.example', status: 'settled', network: 'eip155:84532', settledNetwork: 'eip155:8453', createdAt: at('2026-05-14T12:00:00Z') });
  const all = [d, c, b, a];
  const ids = (f: HistoryFilter, tz = 'UTC') => filterHistory(all, f, tz).map((p) => p.id);

  it('an empty filter keeps everything, in order', () => {
    expect(ids({})).toEqual([d.id, c.id, b.id, a.id]);
  });

  it('by site (normalized to the origin), status and network (offered or settled on)', () => {
    expect(ids({ site: 'https://news.example/' })).toEqual([d.id, c.id, a.id]);
    expect(ids({ status: 'failed' })).toEqual([c.id]);
    expect(ids({ network: SOL_DEVNET })).toEqual([b.id]);
    expect(ids({ network: 'eip155:8453' })).toEqual([d.id, c.id, a.id]);
    expect(ids({ site: 'https://news.example', status: 'settled', network: 'eip155:84532' })).toEqual([d.id]);
  });

  it('search: site, requesting origin, resource URL, payee, tx hash, payment id, record id; case-insensitive, every word', () => {
    expect(ids({ query: 'cdn.api' })).toEqual([b.id]);
    expect(ids({ query: TX_EVM.toUpperCase().replace('0X', '0x') })).toEqual([a.id]);
    expect(ids({ query: TX_SOL.slice(10, 30) })).toEqual([b.id]);
    expect(ids({ query: 'pay_abc' })).toEqual([a.id]);
    expect(ids({ query: '4nd1mb' })).toEqual([b.id]);
    expect(ids({ query: `article/ news` })).toEqual([d.id, c.id, a.id]);
    expect(ids({ query: 'news api' })).toEqual([]);
    expect(ids({ query: c.id })).toEqual([c.id]);
    expect(ids({ query: 'refused' })).toEqual([]); // failure reasons are not searched
  });

  it('dates are local days of the injected time zone, both ends inclusive', () => {
    // 2026-05-12T23:30Z is the 12th in UTC but the 13th in Berlin (UTC+2) and the 12th in New York
    expect(ids({ from: '2026-05-13', to: '2026-05-13' }, 'UTC')).toEqual([c.id]);
    expect(ids({ from: '2026-05-13', to: '2026-05-13' }, 'Europe/Berlin')).toEqual([c.id, b.id]);
    // 2026-05-13T00:30Z is still the 12th in New York (UTC-4)
    expect(ids({ from: '2026-05-12', to: '2026-05-12' }, 'America/New_York')).toEqual([c.id, b.id]);
    expect(ids({ from: '2026-05-13' }, 'UTC')).toEqual([d.id, c.id]);
    expect(ids({ to: '2026-05-10' }, 'UTC')).toEqual([a.id]);
  });

  it('the time range is [start of from, start of the day after to) in the zone, DST included', () => {
    const r = filterTimeRange({ from: '2026-03-08', to: '2026-03-08' }, 'America/New_York'); // spring forward: a 23-hour day
    expect(r.start).toBe(at('2026-03-08T05:00:00Z'));
    expect(r.end).toBe(at('2026-03-09T04:00:00Z'));
    const p = historyPredicate({ from: '2026-03-08', to: '2026-03-08' }, 'America/New_York');
    expect(p(pay({ createdAt: at('2026-03-09T03:59:59Z') }))).toBe(true);
    expect(p(pay({ createdAt: at('2026-03-09T04:00:00Z') }))).toBe(false);
    expect(p(pay({ createdAt: at('2026-03-08T04:59:59Z') }))).toBe(false);
  });

  it('works on ledger-shaped records too (same field names)', () => {
    const rec = { id: 'r1', site: 'https://a.example', requestOrigin: 'https://a.example', resourceUrl: 'https://a.example/x', network: 'eip155:1', payTo: '0x00', status: 'settled' as const, createdAt: 1, amount: 5n };
    expect(filterHistory([rec], { query: 'a.example/x' }, 'UTC')).toEqual([rec]);
  });
});

describe('totals (exact, never floats)', () => {
  it('amountOf reads the DTO fields; malformed amounts are left out', () => {
    expect(amountOf(pay())).toEqual({ atomic: 10_000n, decimals: 6, symbol: 'USDC', usd: true });
    expect(amountOf(pay({ amountAtomic: '1e5' }))).toBeNull();
    expect(amountOf(pay({ amountAtomic: '-5' }))).toBeNull();
    expect(amountOf(pay({ decimals: 1.5 }))).toBeNull();
  });

  it('sums across decimals exactly', () => {
    const s = addScaled({ atomic: 1n, decimals: 6 }, { atomic: 1n, decimals: 18 });
    expect(s).toEqual({ atomic: 1_000_000_000_001n, decimals: 18 });
    expect(compareScaled({ atomic: 10n, decimals: 1 }, { atomic: 1n, decimals: 0 })).toBe(0);
    expect(ratio({ atomic: 1n, decimals: 0 }, { atomic: 4n, decimals: 0 })).toBe(0.25);
    expect(ratio({ atomic: 1n, decimals: 0 }, { atomic: 0n, decimals: 0 })).toBe(0);
  });

  it('paid = settled, pending = reserved/signed/unknown; failed and released add nothing', () => {
    const items = [
      pay({ amountAtomic: '10000' }),
      pay({ amountAtomic: '1000' }),
      pay({ status: 'unknown', amountAtomic: '20000' }),
      pay({ status: 'signed', amountAtomic: '5' }),
      pay({ status: 'failed', amountAtomic: '999999' }),
      pay({ status: 'released', amountAtomic: '999999' }),
    ];
    const s = summarize(items);
    expect([s.count, s.paidCount, s.pendingCount]).toEqual([6, 2, 2]);
    expect(formatTotal(s.paid)).toBe('$0.011');
    expect(formatTotal(s.pending)).toBe('$0.020005');
  });

  it('0.1 + 0.2 is exactly 0.3 (the float trap)', () => {
    const s = summarize([pay({ amountAtomic: '100000' }), pay({ amountAtomic: '200000' })]);
    expect(s.paid.usd).toEqual({ atomic: 300_000n, decimals: 6 });
    expect(formatTotal(s.paid)).toBe('$0.30');
  });

  it('USD-pegged tokens in dollars across rails and decimals; other tokens per symbol', () => {
    const items = [
      pay({ site: 'https://a.example', network: 'eip155:8453', networkName: 'Base', amountAtomic: '10000' }),
      pay({ site: 'https://a.example', network: SOL_DEVNET, networkName: 'Solana Devnet', amountAtomic: '10000' }),
      pay({ site: 'https://b.example', network: 'eip155:1', networkName: 'Ethereum', symbol: 'DAI', decimals: 18, amountAtomic: '5000000000000000', amountUsd: '$0.005' }),
      pay({ site: 'https://b.example', symbol: 'XYZ', decimals: 2, amountAtomic: '150', amountUsd: null, amountToken: '1.5 XYZ' }),
      pay({ site: 'https://b.example', symbol: 'XYZ', decimals: 2, amountAtomic: '1', amountUsd: null, amountToken: '0.01 XYZ' }),
    ];
    const sites = totalsBy(items, 'site');
    expect(sites.map((g) => [g.key, g.count, formatTotal(g.paid)])).toEqual([
      ['https://a.example', 2, '$0.02'],
      ['https://b.example', 3, '$0.005 + 1.51 XYZ'],
    ]);
    const nets = totalsBy(items, 'network');
    expect(nets.map((g) => [g.label, formatTotal(g.paid)])).toEqual([
      ['Base', '$0.01 + 1.51 XYZ'],
      ['Solana Devnet', '$0.01'],
      ['Ethereum', '$0.005'],
    ]);
    expect(formatTotal(summarize(items).paid)).toBe('$0.025 + 1.51 XYZ');
  });

  it('an empty total reads as the placeholder; a tiny one is exact, not rounded away', () => {
    expect(formatTotal(summarize([]).paid)).toBe('—');
    expect(formatTotal(summarize([]).paid, '$0.00')).toBe('$0.00');
    expect(formatTotal(summarize([pay({ amountAtomic: '1' })]).paid)).toBe('$0.000001');
    expect(formatTotal(summarize([pay({ amountAtomic: '1234500000' })]).paid)).toBe('$1,234.50');
  });
});

describe('spend chart buckets (local days of the injected zone)', () => {
  it('one bucket per day of the range, empty days included; only settled payments', () => {
    const items = [
      pay({ createdAt: at('2026-05-10T10:00:00Z'), amountAtomic: '10000' }),
      pay({ createdAt: at('2026-05-10T11:00:00Z'), amountAtomic: '1000' }),
      pay({ createdAt: at('2026-05-13T10:00:00Z'), amountAtomic: '20000' }),
      pay({ createdAt: at('2026-05-12T10:00:00Z'), status: 'failed', amountAtomic: '50000' }),
      pay({ createdAt: at('2026-05-11T10:00:00Z'), status: 'unknown', amountAtomic: '50000' }),
    ];
    const s = spendSeries(items, 'UTC');
    expect(s.unit).toBe('day');
    expect(s.buckets.map((b) => [b.key, b.count, formatTotal(b.total, '0')])).toEqual([
      ['2026-05-10', 2, '$0.011'],
      ['2026-05-11', 0, '0'],
      ['2026-05-12', 0, '0'],
      ['2026-05-13', 1, '$0.02'],
    ]);
    expect(s.count).toBe(3);
    expect(s.maxUsd).toEqual({ atomic: 20_000n, decimals: 6 });
    expect(formatTotal(s.total)).toBe('$0.031');
    expect(chartSummary(s)).toBe('Settled spend per day from 2026-05-10 to 2026-05-13: $0.031 in 3 payments; highest $0.02 on 2026-05-13.');
  });

  it('buckets by the local day: the same instants fall on other days in other zones', () => {
    const items = [pay({ createdAt: at('2026-05-13T23:30:00Z') }), pay({ createdAt: at('2026-05-14T00:30:00Z') })];
    expect(spendSeries(items, 'UTC').buckets.map((b) => [b.key, b.count])).toEqual([
      ['2026-05-13', 1],
      ['2026-05-14', 1],
    ]);
    expect(spendSeries(items, 'Asia/Tokyo').buckets.map((b) => [b.key, b.count])).toEqual([['2026-05-14', 2]]);
    expect(spendSeries(items, 'America/Los_Angeles').buckets.map((b) => [b.key, b.count])).toEqual([['2026-05-13', 2]]);
    // half-hour zone
    const kolkata = spendSeries([pay({ createdAt: at('2026-05-13T18:29:59Z') }), pay({ createdAt: at('2026-05-13T18:30:00Z') })], 'Asia/Kolkata');
    expect(kolkata.buckets.map((b) => [b.key, b.count])).toEqual([
      ['2026-05-13', 1],
      ['2026-05-14', 1],
    ]);
  });

  it('a DST day is 23 or 25 hours long', () => {
    const s = spendSeries([pay({ createdAt: at('2026-03-08T12:00:00Z') }), pay({ createdAt: at('2026-11-01T12:00:00Z') })], 'America/New_York', { maxDays: 400 });
    const spring = s.buckets.find((b) => b.key === '2026-03-08')!;
    const fall = s.buckets.find((b) => b.key === '2026-11-01')!;
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    expect(fall.end - fall.start).toBe(25 * 3_600_000);
  });

  it('the filter range bounds the chart; a long range is bucketed by month, a very long one by year', () => {
    const items = [pay({ createdAt: at('2026-05-14T12:00:00Z') })];
    const ranged = spendSeries(items, 'UTC', { range: { from: '2026-05-12', to: '2026-05-15' } });
    expect(ranged.buckets.map((b) => b.key)).toEqual(['2026-05-12', '2026-05-13', '2026-05-14', '2026-05-15']);
    const months = spendSeries([pay({ createdAt: at('2026-01-20T12:00:00Z') }), pay({ createdAt: at('2026-06-02T12:00:00Z') })], 'UTC');
    expect(months.unit).toBe('month');
    expect(months.buckets.map((b) => [b.key, b.count])).toEqual([
      ['2026-01', 1],
      ['2026-02', 0],
      ['2026-03', 0],
      ['2026-04', 0],
      ['2026-05', 0],
      ['2026-06', 1],
    ]);
    const years = spendSeries([pay({ createdAt: at('2001-01-20T12:00:00Z') }), pay({ createdAt: at('2026-06-02T12:00:00Z') })], 'UTC');
    expect(years.unit).toBe('year');
    expect(years.buckets).toHaveLength(26);
    // a wide filter range does not make thousands of empty buckets: it narrows to the data
    const wide = spendSeries(items, 'UTC', { range: { from: '2000-01-01', to: '2099-12-31' } });
    expect(wide.buckets.map((b) => b.key)).toEqual(['2026-05-14']);
  });

  it('minDays: a short history gets a week of context ending on its last day (not with a start date)', () => {
    const items = [pay({ createdAt: at('2026-05-14T12:00:00Z') })];
    expect(spendSeries(items, 'UTC', { minDays: 7 }).buckets.map((b) => b.key)).toEqual(['2026-05-08', '2026-05-09', '2026-05-10', '2026-05-11', '2026-05-12', '2026-05-13', '2026-05-14']);
    expect(spendSeries(items, 'UTC', { minDays: 7, range: { from: '2026-05-13' } }).buckets.map((b) => b.key)).toEqual(['2026-05-13', '2026-05-14']);
    expect(spendSeries(items, 'UTC', { minDays: 7, range: { to: '2026-05-15' } }).buckets).toHaveLength(7);
  });

  it('no settled payment → no buckets, and the summary says so', () => {
    const s = spendSeries([pay({ status: 'failed' })], 'UTC', { range: { from: '2026-05-01', to: '2026-05-31' } });
    expect(s.buckets).toEqual([]);
    expect(chartSummary(s)).toMatch(/no settled payments/);
  });
});

describe('history page helpers', () => {
  it('site and network choices come from the list (the current choice always stays selectable)', () => {
    const items = [pay({ site: 'https://b.example' }), pay({ site: 'https://a.example', network: SOL_DEVNET, networkName: 'Solana Devnet' }), pay({ site: 'https://b.example' })];
    expect(siteChoices(items).map((c) => c.value)).toEqual(['', 'https://a.example', 'https://b.example']);
    expect(siteChoices(items, 'https://gone.example').map((c) => c.value)).toContain('https://gone.example');
    expect(networkChoices(items)).toEqual([
      { value: '', label: 'All networks' },
      { value: 'eip155:8453', label: 'Base' },
      { value: SOL_DEVNET, label: 'Solana Devnet' },
    ]);
    // two networks with one name are told apart by their id
    const twins = networkChoices([pay({ network: 'eip155:1', networkName: 'Local' }), pay({ network: 'eip155:2', networkName: 'Local' })]);
    expect(twins.map((c) => c.label)).toEqual(['All networks', 'Local (eip155:1)', 'Local (eip155:2)']);
  });

  it('describes a filter in words', () => {
    expect(describeFilter({ site: 'https://a.example', status: 'settled', network: 'eip155:8453', from: '2026-05-01', to: '2026-05-14', query: 'abc' }, () => 'Base')).toBe(
      'site https://a.example · Paid · Base · from 2026-05-01 · to 2026-05-14 · “abc”',
    );
  });

  it('the timeline lists each state entered, in order, reserved = createdAt', () => {
    const t = timeline(pay({ createdAt: 1000, times: { signed: 2000, unknown: 3000, settled: 4000 } }));
    expect(t.map((x) => [x.status, x.at])).toEqual([
      ['reserved', 1000],
      ['signed', 2000],
      ['unknown', 3000],
      ['settled', 4000],
    ]);
  });
});
