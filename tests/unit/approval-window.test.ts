/**
 * The approval window's life and whoever waits on it: closing the window answers every waiting
 * request with "closed" — also when it is closed before `windows.create` has answered the worker
 * (a busy machine, or a person faster than the worker). Before the fix that close was compared
 * with a window id not yet stored, was ignored, and the page's request hung until the expiry.
 * Through the real ApprovalQueue over WXT's fake browser.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ApprovalQueue } from '../../lib/background/approvals';
import { approvalDto } from './approval-fixture';

const dto = (path: string) => approvalDto('https://shop.example', path);

const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));

let q: ApprovalQueue;
beforeEach(async () => {
  fakeBrowser.reset();
  await fakeBrowser.storage.session.clear();
  q = new ApprovalQueue();
  q.install();
});
afterEach(() => vi.restoreAllMocks());

describe('approval window closed', () => {
  it('closed after it showed: every waiting request is answered "closed"', async () => {
    const a = q.request(dto('/a'), 60_000);
    const b = q.request(dto('/b'), 60_000);
    await tick();
    const win = (await fakeBrowser.windows.getAll()).find((w) => w.type === 'popup');
    expect(win).toBeDefined();
    await fakeBrowser.windows.onRemoved.trigger(win!.id!);
    await expect(a).resolves.toEqual({ kind: 'reject', why: 'closed' });
    await expect(b).resolves.toEqual({ kind: 'reject', why: 'closed' });
    expect(await q.count()).toBe(0);
  });

  it('closed before windows.create answered the worker: still "closed", long before the expiry', async () => {
    const real = fakeBrowser.windows.create.bind(fakeBrowser.windows);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let createdId: number | undefined;
    vi.spyOn(fakeBrowser.windows, 'create').mockImplementation(async (info) => {
      const w = await real(info);
      createdId = w.id;
      await gate; // the window exists; the worker has not heard back yet
      return w;
    });
    const outcome = q.request(dto('/slow'), 60_000);
    let answered: unknown;
    void outcome.then((o) => (answered = o));
    await tick();
    expect(createdId).toBeDefined();
    // the window goes away while the worker still waits for create's answer
    const removed = fakeBrowser.windows.onRemoved.trigger(createdId!);
    await tick();
    expect(answered).toBeUndefined();
    release();
    await removed;
    await tick();
    expect(answered).toEqual({ kind: 'reject', why: 'closed' });
    expect(await q.count()).toBe(0);
  });

  it("its own removal event lost: the next window closing finds it gone and answers 'closed'", async () => {
    const a = q.request(dto('/lost'), 60_000);
    let answered: unknown;
    void a.then((o) => (answered = o));
    await tick();
    const win = (await fakeBrowser.windows.getAll()).find((w) => w.type === 'popup');
    expect(win).toBeDefined();
    // the approval window goes away without its onRemoved reaching the queue
    const realGet = fakeBrowser.windows.get.bind(fakeBrowser.windows);
    vi.spyOn(fakeBrowser.windows, 'get').mockImplementation(async (id, ...rest) => {
      if (id === win!.id) throw new Error(`No window with id: ${id}.`);
      return realGet(id, ...(rest as []));
    });
    await tick();
    expect(answered).toBeUndefined();
    // any later window removal: ours is gone, so nobody can answer there
    const other = await fakeBrowser.windows.create({ url: 'https://elsewhere.example/' });
    await fakeBrowser.windows.onRemoved.trigger(other.id!);
    await tick();
    expect(answered).toEqual({ kind: 'reject', why: 'closed' });
    expect(await q.count()).toBe(0);
  });

  it('another window closing changes nothing', async () => {
    const a = q.request(dto('/c'), 60_000);
    let answered: unknown;
    void a.then((o) => (answered = o));
    await tick();
    const other = await fakeBrowser.windows.create({ url: 'https://elsewhere.example/' });
    await fakeBrowser.windows.onRemoved.trigger(other.id!);
    await tick();
    expect(answered).toBeUndefined();
    expect(await q.count()).toBe(1);
    const [p] = await q.list();
    await q.decide(p!.id, { kind: 'reject' });
    await expect(a).resolves.toEqual({ kind: 'reject' });
  });
});

/**
 * The queue is warm in memory: the "is the window full?" question every payable 402 asks is
 * answered without a storage read once the queue is known, and memory still follows a change
 * made elsewhere (storage cleared, another context writing the queue).
 */
describe('approval queue in memory', () => {
  it('full() reads storage once, then answers from memory', async () => {
    const get = vi.spyOn(fakeBrowser.storage.session, 'get');
    expect(await q.full('https://shop.example')).toBe(false);
    const first = get.mock.calls.length;
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) expect(await q.full('https://shop.example')).toBe(false);
    expect(get.mock.calls.length).toBe(first);
  });

  it('a queued request is counted from memory, and a change made elsewhere is followed', async () => {
    const a = q.request(dto('/m'), 60_000);
    await tick();
    expect(await q.count()).toBe(1);
    // another context clears the session area (a reset): memory follows the change event
    await fakeBrowser.storage.session.remove('approvals');
    await tick();
    expect(await q.count()).toBe(0);
    void a.catch(() => undefined);
  });
});
