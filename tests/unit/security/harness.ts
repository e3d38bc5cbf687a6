/**
 * A PaymentService over the real stores (WXT fakeBrowser), the real custody service (a cheap
 * vault) and a spied approval queue: what the security suites drive. Every payment handed out
 * is counted as a signature (`signed`), so a suite can say "0 unsafe signatures".
 */
import { encodePaymentRequiredHeader } from '@x402/core/http';
import { vi } from 'vitest';
import { ApprovalQueue } from '../../../lib/background/approvals';
import { PaymentService, type PayRequest } from '../../../lib/background/payments';
import { Settings } from '../../../lib/background/settings';
import { createCustodyService } from '../../../lib/custody/service';
import { Ledger } from '../../../lib/ledger/ledger';
import { PolicyStore } from '../../../lib/policy/store';
import type { ApprovalOutcome } from '../../../lib/background/approvals';

export const TOKEN = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
export const PAY_TO = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720';
export const PHRASE = 'test test test test test test test test test test test junk';
export const PASSWORD = 'correct horse battery staple';
export const SITE = 'https://news.example';

export function offer(o: { url?: string; amount?: string; description?: string; extra?: Record<string, unknown>; accept?: Record<string, unknown> } = {}) {
  return {
    x402Version: 2,
    resource: { url: o.url ?? `${SITE}/api`, ...(o.description !== undefined ? { description: o.description } : {}) },
    accepts: [
      {
        scheme: 'exact',
        network: 'eip155:31337',
        amount: o.amount ?? '10000',
        asset: TOKEN,
        payTo: PAY_TO,
        maxTimeoutSeconds: 60,
        extra: { name: 'USD Coin', version: '2', ...(o.extra ?? {}) },
        ...(o.accept ?? {}),
      },
    ],
  };
}

export const header = (doc: unknown) => encodePaymentRequiredHeader(doc as never);

export async function paymentWorld() {
  const settings = new Settings();
  await settings.update({ playgroundTokens: [{ chainId: 31337, address: TOKEN }] });
  const custody = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
  await custody.importMnemonic(PHRASE, PASSWORD);
  const ledger = new Ledger();
  const policies = new PolicyStore();
  const approvals = new ApprovalQueue();
  const asked = vi.spyOn(approvals, 'request').mockResolvedValue({ kind: 'reject', why: 'rejected' } as unknown as ApprovalOutcome);
  const deps = { custody, ledger, policies, approvals, settings, timeZone: () => 'UTC' };
  const payments = new PaymentService({ ...deps, watch: () => undefined });
  const signedSpy = vi.spyOn(custody, 'getSigner');
  const pay = (req: Partial<PayRequest> & { doc?: unknown }) =>
    payments.pay({
      kind: 'request',
      site: SITE,
      url: `${SITE}/api`,
      method: 'GET',
      sources: req.doc !== undefined ? { header: header(req.doc) } : (req.sources ?? {}),
      ...req,
    } as PayRequest);
  return {
    ...deps,
    payments,
    asked,
    pay,
    /** how many times custody handed out a signer (each is one signature) */
    signatures: () => signedSpy.mock.calls.length,
    activity: async () => (await settings.activity()).map((a) => a.text),
    auto: (extra: Record<string, unknown> = {}) =>
      policies.set({ site: SITE, mode: 'auto', caps: { day: { unit: 'usd', amount: 1_000_000n } }, createdAt: 1, updatedAt: 1, ...extra } as never),
  };
}
