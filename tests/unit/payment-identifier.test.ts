/**
 * payment-identifier across signatures (lib/ledger/purchase.ts, PaymentService): an earlier
 * attempt at the same purchase whose outcome is unknown lends its id to the new signature, so the
 * server can answer from its cache instead of charging twice; every other case gets a fresh id.
 * Through the real PaymentService, custody, ledger and settings (as agent-mode.test.ts).
 */
import { encodePaymentRequiredHeader } from '@x402/core/http';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';

/** the wallet's re-send tickets gone (its authorization can no longer be re-sent) */
const dropTickets = async () => {
  const keys = Object.keys(await fakeBrowser.storage.local.get(null)).filter((k) => k.startsWith('ticket.'));
  await fakeBrowser.storage.local.remove(keys);
};
import { ApprovalQueue } from '../../lib/background/approvals';
import { PaymentService } from '../../lib/background/payments';
import { Settings } from '../../lib/background/settings';
import { createCustodyService } from '../../lib/custody/service';
import { Ledger } from '../../lib/ledger/ledger';
import { SAME_PURCHASE_MS, samePurchaseId } from '../../lib/ledger/purchase';
import type { PaymentRecord } from '../../lib/ledger/types';
import { PolicyStore } from '../../lib/policy/store';

const TOKEN = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const PAY_TO = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720';
const SITE = 'https://shop.example';

function rec(over: Partial<PaymentRecord>): PaymentRecord {
  const now = 1_000_000_000_000;
  return {
    id: 'r1', site: SITE, requestOrigin: SITE, resourceUrl: `${SITE}/a`, scheme: 'exact', x402Version: 2, network: 'eip155:31337',
    asset: { address: TOKEN, symbol: 'USDC', decimals: 6, usdPegged: true }, amount: 10_000n, payTo: PAY_TO, status: 'unknown',
    createdAt: now - 1000, updatedAt: now, expiresAt: now, auto: true, times: {}, paymentIdentifier: 'pay_0123456789abcdef0123456789abcdef', ...over,
  };
}

describe('samePurchaseId', () => {
  const now = 1_000_000_000_000;
  const q = { site: SITE, resourceUrl: `${SITE}/a`, network: 'eip155:31337', asset: TOKEN.toLowerCase(), payTo: PAY_TO.toLowerCase(), amount: 10_000n };
  it('reuses the id of an undecided attempt (unknown, signed, released unverified), newest first', () => {
    expect(samePurchaseId([rec({})], q, now)).toBe('pay_0123456789abcdef0123456789abcdef');
    expect(samePurchaseId([rec({ status: 'signed' })], q, now)).toBeDefined();
    expect(samePurchaseId([rec({ status: 'released', unverified: true })], q, now)).toBeDefined();
    expect(samePurchaseId([rec({ paymentIdentifier: 'pay_old_old_old_old_old', createdAt: now - 5000 }), rec({ id: 'r2', paymentIdentifier: 'pay_new_new_new_new_new' })], q, now)).toBe('pay_new_new_new_new_new');
  });
  const fresh: [string, Partial<PaymentRecord>][] = [
    ['settled (the next request is a new purchase)', { status: 'settled' }],
    ['a definite failure', { status: 'failed' }],
    ['released on the chain’s word', { status: 'released' }],
    ['another resource', { resourceUrl: `${SITE}/b` }],
    ['another site', { site: 'https://other.example' }],
    ['another price', { amount: 20_000n }],
    ['another payee', { payTo: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' }],
    ['another token', { asset: { address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', symbol: 'USDC', decimals: 6, usdPegged: true } }],
    ['another network', { network: 'eip155:8453' }],
    ['no id', { paymentIdentifier: undefined }],
    ['older than the window', { createdAt: now - SAME_PURCHASE_MS - 1 }],
  ];
  it.each(fresh)('a fresh id for %s', (_n, over) => {
    expect(samePurchaseId([rec(over)], q, now)).toBeUndefined();
  });
});

describe('PaymentService: one purchase, one payment id', () => {
  beforeEach(() => fakeBrowser.reset());

  async function setup() {
    const settings = new Settings();
    await settings.update({ playgroundTokens: [{ chainId: 31337, address: TOKEN }] });
    const custody = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await custody.importMnemonic('test test test test test test test test test test test junk', 'correct horse battery staple');
    const ledger = new Ledger();
    const policies = new PolicyStore();
    await policies.set({ site: SITE, mode: 'auto', paused: false, caps: { day: { unit: 'usd', amount: 1_000_000n } }, createdAt: Date.now(), updatedAt: Date.now() } as never);
    const payments = new PaymentService({ custody, ledger, policies, approvals: new ApprovalQueue(), settings, timeZone: () => 'UTC', watch: () => undefined });
    const pay = async (amount = '10000', declare = true) => {
      const a = await payments.pay({
        kind: 'request',
        site: SITE,
        url: `${SITE}/a`,
        method: 'GET',
        sources: {
          header: encodePaymentRequiredHeader({
            x402Version: 2,
            resource: { url: `${SITE}/a` },
            accepts: [{ scheme: 'exact', network: 'eip155:31337', amount, asset: TOKEN, payTo: PAY_TO, maxTimeoutSeconds: 60, extra: { name: 'USD Coin', version: '2' } }],
            ...(declare ? { extensions: { 'payment-identifier': { info: { required: false }, schema: {} } } } : {}),
          } as never),
        },
      });
      if (a.action !== 'retry') throw new Error(`not paid: ${a.reason}`);
      const doc = JSON.parse(Buffer.from(a.headerValue, 'base64').toString('utf8'));
      return { ticket: a.ticket, id: doc.extensions?.['payment-identifier']?.info?.id as string | undefined };
    };
    /** the earlier attempt's outcome became unknown and its authorization can no longer be re-sent */
    const lose = async (ticket: string) => {
      await ledger.fail(ticket, 'Outcome unknown (HTTP 502)', { definite: false });
      await dropTickets();
    };
    return { pay, lose, ledger };
  }

  it('a new signature after an unknown outcome carries the same id; the ledger keeps it on both', async () => {
    const t = await setup();
    const first = await t.pay();
    expect(first.id).toMatch(/^pay_[0-9a-f]{32}$/);
    await t.lose(first.ticket);
    const second = await t.pay();
    expect(second.ticket).not.toBe(first.ticket);
    expect(second.id).toBe(first.id);
    expect((await t.ledger.get(second.ticket))!.paymentIdentifier).toBe(first.id);
    expect((await t.ledger.get(first.ticket))!.paymentIdentifier).toBe(first.id);
  });

  it('after a settled purchase, or for another price, the id is new', async () => {
    const t = await setup();
    const first = await t.pay();
    await t.ledger.commit(first.ticket, { txHash: `0x${'ab'.repeat(32)}`, network: 'eip155:31337', payer: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' });
    await dropTickets();
    const second = await t.pay();
    expect(second.id).not.toBe(first.id);
    await t.lose(second.ticket);
    const third = await t.pay('20000');
    expect(third.id).not.toBe(second.id);
  });

  it('a server that does not declare the extension gets no id', async () => {
    const t = await setup();
    expect((await t.pay('10000', false)).id).toBeUndefined();
  });
});
