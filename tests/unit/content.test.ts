/**
 * The content surface (lib/background/content.ts) with the real observer and a recording
 * payment service: a page's report counts only when the browser saw that 402, v2 requirements
 * come from the observed header, and a v1 body from the page is taken only for the frame's own
 * origin.
 */
import { describe, expect, it, vi } from 'vitest';
import { createContentHandlers } from '../../lib/background/content';
import type { NavigationPayments } from '../../lib/background/navigation';
import { NetworkObserver, type Observed402 } from '../../lib/background/observer';
import type { PaymentService, PayRequest } from '../../lib/background/payments';
import type { ContentSender } from '../../lib/background/router';

const FRAME: ContentSender = { tabId: 7, frameId: 0, frameUrl: 'https://shop.example/page', tabUrl: 'https://shop.example/page' };

function setup() {
  const observer = new NetworkObserver();
  const calls: PayRequest[] = [];
  const payments = { pay: vi.fn(async (r: PayRequest) => (calls.push(r), { action: 'pass' as const, reason: 'recorded' })) };
  const navigation = { isPaying: () => false };
  const h = createContentHandlers({
    observer,
    payments: payments as unknown as PaymentService,
    navigation: navigation as unknown as NavigationPayments,
  });
  const seen = (o: Partial<Observed402> & { url: string }) =>
    observer.record({ requestId: 'r', tabId: 7, frameId: 0, method: 'GET', type: 'xmlhttprequest', carriedPayment: false, at: Date.now(), ...o });
  return { h, calls, seen };
}

describe('content.402', () => {
  it('a report the browser did not see is refused without asking anyone', async () => {
    const { h, calls } = setup();
    const out = await h['content.402']({ url: 'https://shop.example/api', method: 'GET', paymentRequired: 'eyJ4IjoxfQ==' }, { ...FRAME });
    expect(out).toMatchObject({ action: 'pass', reason: expect.stringMatching(/did not see/) });
    expect(calls).toEqual([]);
  }, 10_000);

  it('v2: the observed header is used, never the one the page sent', async () => {
    const { h, calls, seen } = setup();
    seen({ url: 'https://api.other.example/x', paymentRequired: 'OBSERVED' });
    await h['content.402']({ url: 'https://api.other.example/x', method: 'GET', paymentRequired: 'FROM-PAGE', bodyText: '{}' }, FRAME);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ site: 'https://shop.example', url: 'https://api.other.example/x', sources: { header: 'OBSERVED' } });
  });

  it("v1: the page's body is taken for the frame's own origin only", async () => {
    const { h, calls, seen } = setup();
    seen({ url: 'https://shop.example/api' });
    await h['content.402']({ url: 'https://shop.example/api', method: 'GET', bodyText: '{"x402Version":1}' }, FRAME);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.sources).toEqual({ bodyText: '{"x402Version":1}' });

    seen({ url: 'https://api.other.example/v1' });
    const out = await h['content.402']({ url: 'https://api.other.example/v1', method: 'GET', bodyText: '{"x402Version":1}' }, FRAME);
    expect(out).toMatchObject({ action: 'pass', reason: expect.stringMatching(/another origin/) });
    expect(calls).toHaveLength(1);
  });

  it('a request that carried its own payment is left to the page', async () => {
    const { h, calls, seen } = setup();
    seen({ url: 'https://shop.example/api', paymentRequired: 'X', carriedPayment: true });
    const out = await h['content.402']({ url: 'https://shop.example/api', method: 'GET' }, FRAME);
    expect(out).toMatchObject({ action: 'pass' });
    expect(calls).toEqual([]);
  });
});
