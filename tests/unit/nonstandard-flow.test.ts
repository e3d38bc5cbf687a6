/**
 * The payment flow's rules for non-standard 402s and sign-in (PaymentService with the real
 * custody, ledger, settings): a direct transfer is never automatic — agent mode refuses it, a page
 * load is refused, no RPC refuses it, and nothing is reserved or signed on those paths; a 402 with
 * a v2 body is answered with X-PAYMENT; sign-in is offered only to an account that paid the
 * resource before.
 */
import { encodePaymentRequiredHeader } from '@x402/core/http';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ApprovalQueue } from '../../lib/background/approvals';
import { ManagedPolicySource } from '../../lib/background/managed';
import { PaymentService } from '../../lib/background/payments';
import { Settings } from '../../lib/background/settings';
import { createCustodyService } from '../../lib/custody/service';
import { Ledger } from '../../lib/ledger/ledger';
import { PolicyStore } from '../../lib/policy/store';

const TOKEN = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const PAY_TO = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720';
const SITE = 'https://shop.example';
const simple = { 'x-payment-address': PAY_TO, 'x-payment-amount': '0.25', 'x-payment-currency': 'USDC', 'x-payment-chain': 'eip155:31337' };
const offer = { scheme: 'exact', network: 'eip155:31337', amount: '10000', asset: TOKEN, payTo: PAY_TO, maxTimeoutSeconds: 60, extra: { name: 'USD Coin', version: '2' } };

async function setup(opts: { agent?: boolean; rpcUrl?: string } = {}) {
  const settings = new Settings();
  await settings.update({ playgroundTokens: [{ chainId: 31337, address: TOKEN, ...(opts.rpcUrl ? { rpcUrl: opts.rpcUrl } : {}) }] });
  const custody = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
  await custody.importMnemonic('test test test test test test test test test test test junk', 'correct horse battery staple');
  const ledger = new Ledger();
  const policies = new PolicyStore();
  await policies.set({ site: SITE, mode: 'auto', paused: false, caps: { day: { unit: 'usd', amount: 5_000_000n } }, createdAt: Date.now(), updatedAt: Date.now() } as never);
  const approvals = new ApprovalQueue();
  const request = vi.spyOn(approvals, 'request').mockResolvedValue({ kind: 'reject', why: 'rejected' } as never);
  const managed = new ManagedPolicySource(async () => (opts.agent ? { agentMode: true, sites: [{ site: SITE, mode: 'auto', dayUsd: '5' }] } : undefined));
  const payments = new PaymentService({ custody, ledger, policies, approvals, settings, managed, timeZone: () => 'UTC', watch: () => undefined });
  return { payments, ledger, request, custody };
}

describe('direct transfers are never automatic', () => {
  beforeEach(() => fakeBrowser.reset());

  it('agent mode refuses (it cannot click), nothing reserved, no window', async () => {
    const t = await setup({ agent: true, rpcUrl: 'http://127.0.0.1:9' });
    const a = await t.payments.pay({ kind: 'request', site: SITE, url: `${SITE}/x`, method: 'GET', sources: { bodyText: '', otherHeaders: simple } });
    expect(a).toMatchObject({ action: 'pass', code: 'direct-transfer-needs-user' });
    expect(t.request).not.toHaveBeenCalled();
    expect(await t.ledger.list({})).toEqual([]);
  });

  it('a page load is refused', async () => {
    const t = await setup({ rpcUrl: 'http://127.0.0.1:9' });
    const a = await t.payments.pay({ kind: 'navigation', site: SITE, url: `${SITE}/x`, method: 'GET', sources: { otherHeaders: simple } });
    expect(a).toMatchObject({ action: 'pass', code: 'direct-transfer-navigation' });
    expect(await t.ledger.list({})).toEqual([]);
  });

  it('without an RPC for the chain it is refused (the wallet cannot send a transaction)', async () => {
    const t = await setup();
    const a = await t.payments.pay({ kind: 'request', site: SITE, url: `${SITE}/x`, method: 'GET', sources: { otherHeaders: simple } });
    expect(a).toMatchObject({ action: 'pass', code: 'no-rpc' });
    expect(t.request).not.toHaveBeenCalled();
  });

  it('within a generous budget it still asks (the approval decides; rejecting reserves nothing)', async () => {
    // an RPC that does not answer: the fee is unknown, the window still opens and says so
    const t = await setup({ rpcUrl: 'http://127.0.0.1:9' });
    const a = await t.payments.pay({ kind: 'request', site: SITE, url: `${SITE}/x`, method: 'GET', sources: { otherHeaders: simple } });
    expect(t.request).toHaveBeenCalledTimes(1);
    const dto = t.request.mock.calls[0]![0];
    expect(dto.direct).toMatchObject({ chainName: 'eip155:31337', currency: 'USDC', fee: null });
    expect(dto.direct!.feeProblem).toMatch(/could not be estimated/);
    expect(dto.options[0]).toMatchObject({ asset: TOKEN, amountAtomic: '250000', payTo: PAY_TO, scheme: 'direct-transfer' });
    expect(a).toMatchObject({ action: 'pass', code: 'user-rejected' });
    expect(await t.ledger.list({})).toEqual([]);
  });
});

describe('v2 in the body', () => {
  beforeEach(() => fakeBrowser.reset());
  it('is answered with X-PAYMENT carrying a v2 payload (resource = the requested URL)', async () => {
    const t = await setup();
    const a = await t.payments.pay({ kind: 'request', site: SITE, url: `${SITE}/agent`, method: 'GET', sources: { bodyText: JSON.stringify({ x402Version: 2, accepts: [offer] }) } });
    expect(a).toMatchObject({ action: 'retry', headerName: 'X-PAYMENT' });
    const doc = JSON.parse(Buffer.from((a as { headerValue: string }).headerValue, 'base64').toString('utf8'));
    expect(doc).toMatchObject({ x402Version: 2, resource: { url: `${SITE}/agent` }, accepted: offer });
  });
  it('the same document in the header is answered with PAYMENT-SIGNATURE', async () => {
    const t = await setup();
    const a = await t.payments.pay({ kind: 'request', site: SITE, url: `${SITE}/agent`, method: 'GET', sources: { header: encodePaymentRequiredHeader({ x402Version: 2, resource: { url: `${SITE}/agent` }, accepts: [offer] } as never) } });
    expect(a).toMatchObject({ action: 'retry', headerName: 'PAYMENT-SIGNATURE' });
  });
});

describe('sign-in is offered only after a payment', () => {
  beforeEach(() => fakeBrowser.reset());
  const siwx = () => ({
    'sign-in-with-x': {
      info: { domain: 'shop.example', uri: `${SITE}/x`, version: '1', nonce: 'abcdef0123456789', issuedAt: new Date().toISOString() },
      supportedChains: [{ chainId: 'eip155:31337', type: 'eip191' }],
    },
  });
  const header = () => encodePaymentRequiredHeader({ x402Version: 2, resource: { url: `${SITE}/x` }, accepts: [offer], extensions: siwx() } as never);

  it('never paid here: an ordinary payment (no sign-in window, no SIGN-IN-WITH-X)', async () => {
    const t = await setup();
    const a = await t.payments.pay({ kind: 'request', site: SITE, url: `${SITE}/x`, method: 'GET', sources: { header: header() } });
    expect(a).toMatchObject({ action: 'retry', headerName: 'PAYMENT-SIGNATURE' });
    expect(t.request).not.toHaveBeenCalled();
  });

  it('paid here before by this account: the sign-in approval shows the full message; signing answers with SIGN-IN-WITH-X', async () => {
    const t = await setup();
    const first = await t.payments.pay({ kind: 'request', site: SITE, url: `${SITE}/x`, method: 'GET', sources: { header: header() } });
    const payer = (await t.custody.status()).accounts[0]!.address;
    await t.ledger.commit((first as { ticket: string }).ticket, { txHash: `0x${'ab'.repeat(32)}`, network: 'eip155:31337', payer });
    t.request.mockResolvedValueOnce({ kind: 'sign-in', remember: false } as never);
    const a = await t.payments.pay({ kind: 'request', site: SITE, url: `${SITE}/x`, method: 'GET', sources: { header: header() } });
    const dto = t.request.mock.calls.at(-1)![0];
    expect(dto.signIn!.message.split('\n').slice(0, 2)).toEqual(['shop.example wants you to sign in with your Ethereum account:', payer]);
    expect(a).toMatchObject({ action: 'retry', headerName: 'SIGN-IN-WITH-X' });
    // the same challenge again: its nonce was signed once
    t.request.mockResolvedValueOnce({ kind: 'reject', why: 'rejected' } as never);
    const again = await t.payments.pay({ kind: 'request', site: SITE, url: `${SITE}/x`, method: 'GET', sources: { header: header() } });
    expect(again).not.toMatchObject({ headerName: 'SIGN-IN-WITH-X' });
  });
});
