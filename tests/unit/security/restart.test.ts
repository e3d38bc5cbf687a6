/**
 * The background dies after signing, before the paid retry left (or while it was in flight):
 * the restarted worker (a new PaymentService over the same storage) re-sends the SAME signed
 * payment when the site asks again — never a second signature for it (0 blind re-signs).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { PaymentService, type PayRequest } from '../../../lib/background/payments';
import { header, offer, paymentWorld, SITE } from './harness';

describe('worker restart between signing and the outcome', () => {
  beforeEach(() => {
    vi.restoreAllMocks();
    fakeBrowser.reset();
  });

  /**
   * Signs one automatic payment, lets `die` do what the restart does to storage, then has a new
   * PaymentService (the new worker) answer the site's next 402: it must re-send the same header.
   */
  async function restartAfterSigning(what: string, die: () => Promise<void>) {
    const w = await paymentWorld();
    await w.auto();
    const a = await w.pay({ doc: offer() });
    expect(a.action).toBe('retry');
    const [rec] = await w.ledger.list({ limit: 10 });
    expect(rec!.status).toBe('signed');
    const startedAt = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    await die();
    const restarted = new PaymentService({ custody: w.custody, ledger: w.ledger, policies: w.policies, approvals: w.approvals, settings: w.settings, timeZone: () => 'UTC', watch: () => undefined });
    await w.ledger.markOrphanedSigned(startedAt);
    expect((await w.ledger.get(rec!.id))!.status).toBe('unknown');
    const signatures = w.signatures();
    const b = await restarted.pay({ kind: 'request', site: SITE, url: `${SITE}/api`, method: 'GET', sources: { header: header(offer()) } } as PayRequest);
    expect(b).toMatchObject({ action: 'retry', ticket: rec!.id });
    expect(b.action === 'retry' && a.action === 'retry' && b.headerValue === a.headerValue).toBe(true);
    expect(w.signatures() - signatures).toBe(0);
    expect(await w.ledger.list({ limit: 10 })).toHaveLength(1);
    console.log(`[security] payment-path faults (${what} after signing, unit): the same signature re-sent, 0 blind re-signs, 0 records lost`);
  }

  it('the restarted worker re-sends the stored signature instead of signing again; the record is marked unknown on start', async () => {
    // the worker dies; a new one starts over the same storage (session storage survives a worker restart)
    await restartAfterSigning('worker restart', async () => undefined);
  });

  it('a browser restart (storage.session cleared) with an undecided payment: the stored signature is re-sent, never a second one', async () => {
    // the browser closes and starts again: everything in storage.session is gone, the worker is new
    await restartAfterSigning('browser restart', () => browser.storage.session.clear());
  });

  it('a payment the server refused leaves no stored signature behind in storage.local', async () => {
    const w = await paymentWorld();
    await w.auto();
    expect((await w.pay({ doc: offer() })).action).toBe('retry');
    const [rec] = await w.ledger.list({ limit: 10 });
    const stored = async () => Object.keys(await browser.storage.local.get(null)).filter((k) => k.startsWith('ticket.')).map((k) => k.slice('ticket.'.length));
    expect(await stored()).toContain(rec!.id);
    expect(await storage.getItem('session:tickets')).toBeNull();
    await w.payments.settle(rec!.id, { status: 402 }, 'network');
    expect((await w.ledger.get(rec!.id))!.status).not.toBe('signed');
    expect(await stored()).not.toContain(rec!.id);
  });

  it('a payment signed by the running worker is not touched (a second tab paying at once still gets its own purchase)', async () => {
    const w = await paymentWorld();
    await w.auto();
    const startedAt = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    await w.pay({ doc: offer() });
    await w.ledger.markOrphanedSigned(startedAt);
    expect((await w.ledger.list({ limit: 10 }))[0]!.status).toBe('signed');
  });
});
