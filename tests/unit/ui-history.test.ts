/**
 * The history page components rendered to static HTML (no effects run, no background): the
 * states (loading, error, nothing paid, no match), filters with labels, totals, the chart
 * (role="img" + hidden table), per-site bars, the detail dialog with every field, and the
 * read-only imported view (labelled, no links, hostile text escaped).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { StateCreator } from 'zustand';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { HistorySection, IMPORTED_NOTICE } from '../../components/options/HistorySection';
import { PaymentDetail } from '../../components/options/history/PaymentDetail';
import { SpendChart } from '../../components/options/history/SpendChart';
import { spendSeries } from '../../lib/history/chart';
import { parseHistoryFile } from '../../lib/history/import';
import type { PaymentDto } from '../../lib/messaging/contract';
import { useHistoryStore } from '../../lib/ui/stores/history';
import { useHistoryViewStore } from '../../lib/ui/stores/historyView';

/** Server rendering reads a store's current state (see ui-rails.test.ts). */
vi.mock('zustand', async (importOriginal) => {
  const z = await importOriginal<typeof import('zustand')>();
  const { createStore } = await import('zustand/vanilla');
  type Init = StateCreator<unknown>;
  const bind = (init: Init) => {
    const api = createStore(init);
    const hook = (selector: (s: unknown) => unknown = (s) => s) => selector(api.getState());
    return Object.assign(hook, api);
  };
  return { ...z, create: (init?: Init) => (init ? bind(init) : bind) };
});

const SOL_DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1';
const TX = `0x${'ab'.repeat(32)}`;
const SIG = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';
const T = Date.parse('2026-05-14T12:00:00Z');

function pay(over: Partial<PaymentDto>): PaymentDto {
  return {
    id: 'p1',
    site: 'https://news.example',
    requestOrigin: 'https://news.example',
    resourceUrl: 'https://news.example/a',
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
    createdAt: T,
    updatedAt: T + 2000,
    expiresAt: T + 60_000,
    times: { reserved: T, signed: T + 1000, settled: T + 2000 },
    ...over,
  };
}

const ITEMS: PaymentDto[] = [
  pay({ id: 'p3', site: 'https://api.example', requestOrigin: 'https://api.example', resourceUrl: 'https://api.example/quote', network: SOL_DEVNET, networkName: 'Solana Devnet', amountAtomic: '20000', amountToken: '0.02 USDC', amountUsd: '$0.02', txHash: SIG, createdAt: T + 3600_000 }),
  pay({ id: 'p2', status: 'failed', errorReason: 'refused by the server', createdAt: T - 86_400_000 }),
  pay({ id: 'p1', txHash: TX, explorerUrl: `https://basescan.org/tx/${TX}`, confirmedBy: 'chain', payer: '0x2222222222222222222222222222222222222222', paymentIdentifier: 'pay_abc', createdAt: T - 86_400_000 }),
];

const html = (el: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(el);
const section = () => html(createElement(HistorySection, { timeZone: 'UTC' }));
const count = (m: string, re: RegExp) => (m.match(re) ?? []).length;
function testIdText(markup: string, id: string): string | null {
  const m = new RegExp(`<(\\w+)[^>]*data-testid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(markup);
  return m ? m[2]!.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>') : null;
}

beforeEach(() => {
  useHistoryStore.setState({ items: [], site: '', loaded: true, error: null });
  useHistoryViewStore.setState({ filter: {}, selectedId: null, imported: null, importing: false, importError: null });
});

describe('history page states', () => {
  it('loading', () => {
    useHistoryStore.setState({ loaded: false });
    const m = section();
    expect(m).toContain('data-testid="history-loading"');
    expect(m).not.toContain('data-testid="history-empty"');
  });

  it('an error, with a way to try again', () => {
    useHistoryStore.setState({ error: { code: 'locked', message: 'Unlock the wallet first.' } });
    const m = section();
    expect(testIdText(m, 'history-error')).toContain('Unlock the wallet first.');
    expect(m).toContain('Try again');
  });

  it('nothing paid yet', () => {
    const m = section();
    expect(testIdText(m, 'history-empty')).toMatch(/^Nothing paid yet/);
    expect(m).not.toContain('data-testid="history-table"');
    expect(m).toMatch(/data-testid="export-csv"[^>]*disabled/);
  });

  it('no payment matches these filters', () => {
    useHistoryStore.setState({ items: ITEMS });
    useHistoryViewStore.setState({ filter: { query: 'nothing-like-this' } });
    const m = section();
    expect(testIdText(m, 'history-no-match')).toMatch(/No payment matches these filters/);
    expect(m).not.toContain('data-testid="history-row"');
    expect(testIdText(m, 'history-summary')).toMatch(/^0 payments match/);
  });

  it('an impossible date range says why', () => {
    useHistoryStore.setState({ items: ITEMS });
    useHistoryViewStore.setState({ filter: { from: '2026-05-14', to: '2026-05-01' } });
    const m = section();
    expect(testIdText(m, 'history-filter-error')).toBe('The start date is after the end date.');
    expect(m).toMatch(/data-testid="export-json"[^>]*disabled/);
  });
});

describe('history page with payments', () => {
  it('every filter control has a label and a test id', () => {
    useHistoryStore.setState({ items: ITEMS });
    const m = section();
    for (const id of ['history-search', 'history-site', 'history-status', 'history-network', 'history-from', 'history-to']) {
      expect(m).toContain(`data-testid="${id}"`);
      expect(m).toMatch(new RegExp(`<label for="${id}">[^<]+</label>`));
      expect(m).toMatch(new RegExp(`id="${id}"`));
    }
    expect(m).toMatch(/<label class="inline" for="history-import">/);
    expect(m).toContain('<option value="https://api.example">https://api.example</option>');
    expect(m).toContain(`<option value="${SOL_DEVNET}">Solana Devnet</option>`);
    expect(m).toContain('<option value="settled">Paid</option>');
  });

  it('summary, totals per site and network, chart and bars of the whole view', () => {
    useHistoryStore.setState({ items: ITEMS });
    const m = section();
    expect(testIdText(m, 'history-summary')).toBe('3 payments · paid $0.03 in 2');
    const site = testIdText(m, 'history-totals-site')!;
    expect(site).toContain('https://api.example1$0.02—');
    expect(site).toContain('https://news.example2$0.01—');
    const net = testIdText(m, 'history-totals-network')!;
    expect(net).toContain('Solana Devnet1$0.02');
    expect(net).toContain('Base2$0.01');
    // chart: an image with a summary, and the same numbers as a table
    expect(m).toContain('role="img" aria-label="Settled spend per day from 2026-05-08 to 2026-05-14: $0.03 in 2 payments; highest $0.02 on 2026-05-14."');
    // a week of context (7 days, empty ones without bars), bars on the two days with spend
    expect(count(m, /<text class="tick"[^>]*text-anchor="middle">05-\d\d<\/text>/g)).toBe(7);
    expect(count(m, /data-testid="history-chart-bar"/g)).toBe(2);
    expect(testIdText(m, 'history-chart-table')).toContain('2026-05-13$0.011');
    expect(m).toContain('class="visually-hidden" data-testid="history-chart-table"');
    expect(count(m, /data-testid="history-site-bar"/g)).toBe(2);
    expect(m).toMatch(/data-site="https:\/\/api.example"[\s\S]*?style="width:100%"/);
    expect(m).toMatch(/data-site="https:\/\/news.example"[\s\S]*?style="width:50%"/);
    expect(count(m, /data-testid="history-row"/g)).toBe(3);
    expect(testIdText(m, 'history-confirmed-by')).toBe('checked on chain');
    // explorer link only where the background gave one (none for local chains)
    expect(count(m, /<a href=/g)).toBe(1);
    expect(m).toContain(`<a href="https://basescan.org/tx/${TX}"`);
  });

  it('a filter narrows the table, the totals and the chart alike', () => {
    useHistoryStore.setState({ items: ITEMS });
    useHistoryViewStore.setState({ filter: { network: SOL_DEVNET } });
    const m = section();
    expect(testIdText(m, 'history-summary')).toBe('1 payment match (Solana Devnet) of 3 · paid $0.02 in 1');
    expect(count(m, /data-testid="history-row"/g)).toBe(1);
    expect(count(m, /data-testid="history-total-row"/g)).toBe(2); // one site, one network
    expect(m).toContain('aria-label="Settled spend per day from 2026-05-08 to 2026-05-14: $0.02 in 1 payment; highest $0.02 on 2026-05-14."');
    expect(m).toContain('Exports the payments matching the filters');
  });

  it('a payment that is pending shows in the pending column and summary', () => {
    useHistoryStore.setState({ items: [...ITEMS, pay({ id: 'p4', status: 'unknown', amountAtomic: '5000', createdAt: T })] });
    const m = section();
    expect(testIdText(m, 'history-summary-pending')).toBe('$0.005');
  });
});

describe('payment detail', () => {
  it('shows every field of the payment', () => {
    const p = pay({ txHash: TX, explorerUrl: `https://basescan.org/tx/${TX}`, confirmedBy: 'chain', payer: '0x2222222222222222222222222222222222222222', paymentIdentifier: 'pay_abc', settledNetwork: 'eip155:84532', requestOrigin: 'https://cdn.news.example', x402Version: 1 });
    const m = html(createElement(PaymentDetail, { payment: p, onClose: () => undefined, timeZone: 'UTC' }));
    expect(m).toContain('role="dialog" aria-modal="true" aria-labelledby="payment-detail-title"');
    const field = (id: string) => testIdText(m, id);
    expect(field('detail-id')).toBe('p1');
    expect(field('detail-status')).toMatch(/Paid.*approved by you/);
    expect(field('detail-time-reserved')).toMatch(/^Reserved \(before signing\): May 14, 2026.*12:00:00/);
    expect(field('detail-time-signed')).toMatch(/12:00:01/);
    expect(field('detail-time-settled')).toMatch(/12:00:02/);
    expect(field('detail-site')).toBe('https://news.example');
    expect(field('detail-origin')).toBe('https://cdn.news.example');
    expect(field('detail-resource')).toBe('https://news.example/a');
    expect(field('detail-scheme')).toBe('exact');
    expect(field('detail-version')).toBe('v1');
    expect(field('detail-network')).toMatch(/^Base \(eip155:8453\)settled on eip155:84532$/);
    expect(field('detail-asset')).toBe('USDC · 0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913 · 6 decimals');
    expect(field('detail-amount')).toBe('0.01 USDC ($0.01) (10000 atomic units)');
    expect(field('detail-payto')).toBe('0x1111111111111111111111111111111111111111');
    expect(field('detail-payer')).toBe('0x2222222222222222222222222222222222222222');
    expect(field('detail-payment-id')).toBe('pay_abc');
    expect(field('detail-expiry')).toMatch(/12:01:00/);
    expect(field('detail-tx')).toBe(TX);
    expect(m).toContain(`<a href="https://basescan.org/tx/${TX}"`);
    expect(field('detail-confirmed-by')).toBe('checked on chain');
    expect(field('detail-error')).toBe('—');
  });

  it('the server’s word, a failure reason, no tx; and the page opens the selected payment', () => {
    useHistoryStore.setState({ items: ITEMS });
    useHistoryViewStore.setState({ selectedId: 'p2' });
    const m = section();
    expect(m).toContain('data-testid="history-detail" data-id="p2"');
    expect(testIdText(m, 'detail-error')).toBe('refused by the server');
    expect(testIdText(m, 'detail-tx')).toBe('—');
    const s = html(createElement(PaymentDetail, { payment: pay({ confirmedBy: 'server', txHash: TX }), onClose: () => undefined }));
    expect(testIdText(s, 'detail-confirmed-by')).toBe('server’s word (no RPC to check)');
    expect(s).not.toContain('<a href'); // no explorer URL given → no link
  });

  it('a payment released without the chain\'s answer says so, in the table and the detail', () => {
    const p = pay({ id: 'uv', status: 'released', unverified: true, txHash: undefined });
    useHistoryStore.setState({ loaded: true, error: null, items: [p] });
    expect(testIdText(section(), 'history-unverified')).toMatch(/Not checked on chain yet/);
    expect(testIdText(html(createElement(PaymentDetail, { payment: p, onClose: () => undefined })), 'detail-unverified')).toMatch(/keeps asking/);
    expect(html(createElement(PaymentDetail, { payment: pay({ status: 'released' }), onClose: () => undefined }))).not.toContain('detail-unverified');
  });

  it('a non-https explorer URL is never rendered as a link', () => {
    const m = html(createElement(PaymentDetail, { payment: pay({ txHash: TX, explorerUrl: 'javascript:alert(1)' }), onClose: () => undefined }));
    expect(m).not.toContain('javascript:');
    expect(m).not.toContain('<a ');
  });
});

describe('read-only imported view', () => {
  const hostile = JSON.stringify({
    format: 'x402-wallet-history',
    version: 1,
    exportedAt: '2026-05-14T10:00:00.000Z',
    records: [
      {
        id: 'i1',
        site: '<img src=x onerror=alert(1)>',
        requestOrigin: 'https://evil.example',
        resourceUrl: 'javascript:alert(2)',
        network: 'eip155:8453',
        networkName: '<script>alert(3)</script>',
        asset: { address: '0xabc', symbol: '<b>USDC</b>', decimals: 6, usdPegged: true },
        amount: '10000',
        payTo: '0x1111111111111111111111111111111111111111',
        status: 'settled',
        createdAt: T,
        expiresAt: T + 60_000,
        txHash: TX,
        explorerUrl: 'https://evil.example/phish',
        confirmedBy: 'chain',
        times: { settled: T + 1 },
      },
      { nonsense: true },
    ],
  });

  function importHostile() {
    const r = parseHistoryFile(hostile);
    if (!r.ok) throw new Error(r.error);
    const { ok: _ok, ...data } = r;
    useHistoryViewStore.setState({ imported: { ...data, fileName: 'x402-payments-2026-05-14.json' } });
  }

  it('is clearly labelled read-only, says nothing was restored, and offers the way back', () => {
    useHistoryStore.setState({ items: ITEMS });
    importHostile();
    const m = section();
    expect(m).toContain('data-view="imported"');
    expect(testIdText(m, 'history-imported-notice')).toBe(IMPORTED_NOTICE);
    expect(IMPORTED_NOTICE).toBe('Imported file — read-only; nothing was restored: budgets, spend and balances are unchanged.');
    expect(testIdText(m, 'history-imported-banner')).toMatch(/1 payment; 1 record could not be read and is left out/);
    expect(m).toContain('data-testid="history-leave-import"');
    // the file's rows, not the wallet's; no exports of a file, no refresh
    expect(count(m, /data-testid="history-row"/g)).toBe(1);
    expect(m).not.toContain('data-testid="export-csv"');
    expect(m).not.toContain('data-testid="history-refresh"');
    expect(m).toContain('data-imported="yes"');
  });

  it('renders hostile text as text and builds no link from the file', () => {
    importHostile();
    useHistoryViewStore.setState({ selectedId: 'i1' });
    const m = section();
    expect(m).not.toMatch(/<img|<script|<b>/);
    expect(m).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(m).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(m).not.toContain('<a ');
    expect(m).not.toContain('evil.example/phish');
    expect(m).not.toMatch(/href="javascript/);
    expect(testIdText(m, 'history-detail-imported')).toMatch(/not checked against the wallet or the chain/);
    expect(testIdText(m, 'detail-confirmed-by')).toBe('checked on chain (as the file says)');
  });
});

describe('SpendChart', () => {
  it('draws one bar per day with spend; empty days have none; no spend → a sentence', () => {
    const series = spendSeries([pay({ createdAt: T }), pay({ createdAt: T + 2 * 86_400_000, amountAtomic: '30000' })], 'UTC');
    const m = html(createElement(SpendChart, { series }));
    expect(series.buckets).toHaveLength(3);
    expect(count(m, /data-testid="history-chart-bar"/g)).toBe(2);
    expect(m).toContain('<title>2026-05-16: $0.03 (1 payment)</title>');
    // heights are to scale: the largest day fills the plot (134 units), a third of it a third
    expect(m).toMatch(/height="134" data-testid="history-chart-bar" data-key="2026-05-16"/);
    expect(m).toMatch(/height="44\.66\d*" data-testid="history-chart-bar" data-key="2026-05-14"/);
    const empty = html(createElement(SpendChart, { series: spendSeries([], 'UTC') }));
    expect(empty).toContain('no settled payments in this view');
    expect(empty).not.toContain('<svg');
  });
});
