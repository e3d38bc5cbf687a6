/**
 * The approval queue under a flood (issue 16): a site asking for more approvals at once than a
 * person can answer gets at most MAX_PENDING_PER_SITE questions (MAX_PENDING across sites); the
 * rest are refused at once, never queued, with one flood callback each; the same request re-sent
 * while it waits is not asked twice. Through the real ApprovalQueue over WXT's fake browser.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ApprovalQueue, MAX_PENDING, MAX_PENDING_PER_SITE, unaskedText } from '../../lib/background/approvals';
import { approvalDto } from './approval-fixture';
import { offer, paymentWorld, SITE } from './security/harness';

const dto = approvalDto;

describe('approval queue under a flood', () => {
  let q: ApprovalQueue;
  let floods: string[];
  beforeEach(async () => {
    fakeBrowser.reset();
    await fakeBrowser.storage.session.clear();
    q = new ApprovalQueue();
    floods = [];
    q.onFlood = (site) => floods.push(site);
    // approvals left over from another test (the queue is in storage.session)
    for (const a of await q.list()) await q.decide(a.id, { kind: 'reject' });
  });

  it(`1,000 distinct payable requests from one site at once: ${MAX_PENDING_PER_SITE} asked, the rest refused at once, one window`, async () => {
    const windows0 = (await fakeBrowser.windows.getAll()).length;
    const outcomes = Array.from({ length: 1000 }, (_, i) => q.request(dto('https://flood.example', `/item/${i}`)));
    const settled: unknown[] = [];
    outcomes.forEach((p, i) => void p.then((o) => (settled[i] = o)));
    await new Promise((r) => setTimeout(r, 50));
    expect(await q.count()).toBe(MAX_PENDING_PER_SITE);
    const refused = settled.filter((o) => (o as { why?: string } | undefined)?.why === 'flood');
    expect(refused).toHaveLength(1000 - MAX_PENDING_PER_SITE);
    expect(floods).toHaveLength(1000 - MAX_PENDING_PER_SITE);
    expect(new Set(floods)).toEqual(new Set(['https://flood.example']));
    expect(await fakeBrowser.windows.getAll()).toHaveLength(windows0 + 1);
    // the ones asked still wait for the person; answering frees room for the next request
    const [first] = await q.list();
    expect(await q.decide(first!.id, { kind: 'reject' })).toBe(true);
    void q.request(dto('https://flood.example', '/item/next'));
    await new Promise((r) => setTimeout(r, 10));
    expect((await q.list()).map((a) => a.resourceUrl)).toContain('https://flood.example/item/next');
  });

  it(`other sites keep their own room, up to ${MAX_PENDING} waiting in all`, async () => {
    for (let s = 0; s < 4; s++) for (let i = 0; i < MAX_PENDING_PER_SITE; i++) void q.request(dto(`https://site${s}.example`, `/x/${i}`));
    await new Promise((r) => setTimeout(r, 50));
    expect(await q.count()).toBe(MAX_PENDING);
    expect(floods).toHaveLength(4 * MAX_PENDING_PER_SITE - MAX_PENDING);
  });

  it('the same request re-sent while it waits is refused as a duplicate (no second question); another price or resource is a new one', async () => {
    const a = q.request(dto('https://shop.example', '/a'));
    const again = await q.request(dto('https://shop.example', '/a'));
    expect(again).toEqual({ kind: 'reject', why: 'duplicate' });
    void q.request(dto('https://shop.example', '/a', '20000'));
    void q.request(dto('https://shop.example', '/b'));
    await new Promise((r) => setTimeout(r, 10));
    expect(await q.count()).toBe(3);
    expect(floods).toEqual([]);
    const [first] = await q.list();
    await q.decide(first!.id, { kind: 'reject' });
    expect(await a).toEqual({ kind: 'reject' });
  });

  it('says plainly why nobody was asked', () => {
    expect(unaskedText('flood', 'https://flood.example')).toBe(
      `flood.example asked for more payments at once than anyone can answer: the wallet shows ${MAX_PENDING_PER_SITE} at a time and refused the rest.`,
    );
    expect(unaskedText('duplicate', 'https://shop.example')).toMatch(/already waiting for your answer/);
  });
});

describe('the payment flow when the window is full', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await fakeBrowser.storage.session.clear();
  });

  it('a payable 402 from a site whose questions fill the window is refused before any work; a site paying automatically goes on', async () => {
    const w = await paymentWorld();
    for (const a of await w.approvals.list()) await w.approvals.decide(a.id, { kind: 'reject' });
    w.asked.mockRestore(); // the real queue
    const floods: string[] = [];
    w.approvals.onFlood = (site) => floods.push(site);
    for (let i = 0; i < MAX_PENDING_PER_SITE; i++) void w.approvals.request(dto(SITE, `/q/${i}`));
    await new Promise((r) => setTimeout(r, 20));
    expect(await w.approvals.full(SITE)).toBe(true);
    const records0 = (await w.ledger.list({ limit: 100 })).length;
    const asked = vi.spyOn(w.approvals, 'request');
    const a = await w.pay({ doc: offer() });
    expect(a).toMatchObject({ action: 'pass', code: 'approval-flood' }); // the page gets the 402 as it came
    expect(floods).toEqual([SITE]);
    expect(asked).not.toHaveBeenCalled(); // refused before building a question (no balance reads, no audit line)
    expect(w.signatures()).toBe(0);
    expect(await w.approvals.count()).toBe(MAX_PENDING_PER_SITE);
    expect((await w.ledger.list({ limit: 100 })).length).toBe(records0);
    // within its automatic budget the site needs no question: it pays
    await w.auto();
    expect((await w.pay({ doc: offer() })).action).toBe('retry');
    for (const x of await w.approvals.list()) await w.approvals.decide(x.id, { kind: 'reject' });
  });
});
