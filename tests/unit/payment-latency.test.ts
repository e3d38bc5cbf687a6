/**
 * The paid answer's critical path (issue 10): what the page's retry does not wait for.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AuditStore } from '../../lib/audit/store';
import { PaymentService, type PayRequest } from '../../lib/background/payments';
import { header, offer, paymentWorld, SITE } from './security/harness';

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

const request = (): PayRequest => ({ kind: 'request', site: SITE, url: `${SITE}/api`, method: 'GET', sources: { header: header(offer()) } });

describe('the paid answer does not wait for the audit line', () => {
  it('an audit store that has not answered yet does not hold the header back', async () => {
    const w = await paymentWorld();
    await w.auto();
    const append = vi.fn(() => new Promise<never>(() => undefined)); // never answers
    const payments = new PaymentService({ ...w, audit: { append } as unknown as AuditStore, watch: () => undefined });
    const answer = await Promise.race([payments.pay(request()), new Promise((r) => setTimeout(() => r('waited for the audit'), 2_000))]);
    expect(answer).toMatchObject({ action: 'retry' });
    expect(append).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'paid', code: 'paid', site: SITE }));
  });

  it('the audit line is still written, in decision order, and a list made after the answer sees it', async () => {
    const w = await paymentWorld();
    await w.auto();
    const audit = new AuditStore();
    const payments = new PaymentService({ ...w, audit, watch: () => undefined });
    const a = await payments.pay(request());
    const b = await payments.pay({ ...request(), url: `${SITE}/other` });
    expect([a.action, b.action]).toEqual(['retry', 'retry']);
    const lines = await audit.list();
    expect(lines.map((l) => [l.outcome, l.resource])).toEqual([
      ['paid', `${SITE}/api`],
      ['paid', `${SITE}/other`],
    ]);
  });
});

describe('the custody status read overlaps the steps before it', () => {
  it('custody is asked for its status before the approval queue has answered', async () => {
    const w = await paymentWorld();
    await w.auto();
    const status = vi.spyOn(w.custody, 'status');
    let statusFirst: boolean | undefined;
    const realFull = w.approvals.full.bind(w.approvals);
    vi.spyOn(w.approvals, 'full').mockImplementation(async (site: string) => {
      statusFirst = status.mock.calls.length > 0;
      return realFull(site);
    });
    const payments = new PaymentService({ ...w, watch: () => undefined });
    expect(await payments.pay(request())).toMatchObject({ action: 'retry' });
    expect(statusFirst).toBe(true);
  });
});

