/**
 * Pending approvals: a queue persisted in storage.session (so the popup and the approval
 * window can list it from any worker instance), one approval window showing it, and the
 * waiting payment flows. Closing the window, the expiry, or a worker restart all end in
 * "reject" for whoever waits — a page never hangs.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { ApprovalDecision, ApprovalDto } from '../messaging/contract';
import { APPROVAL_WINDOW } from '../util/approval-window';
import { createMutex } from '../util/mutex';
import { WarmItem } from '../util/warm-item';

export type ApprovalOutcome =
  | ApprovalDecision
  | { kind: 'reject'; why: 'closed' | 'expired' | 'restarted' }
  /** refused before anyone was asked: the same request already waits, or the site asks too much at once */
  | { kind: 'reject'; why: 'duplicate' | 'flood' };

/**
 * A site (or all sites together) asking for more approvals at once than a person can answer:
 * the window shows at most this many; the rest are refused at once (one activity notice), so a
 * flood of payable 402s never becomes a queue of a thousand decisions.
 */
export const MAX_PENDING_PER_SITE = 10;
export const MAX_PENDING = 30;

/** What the page and the activity list are told when a request was refused unasked. */
export function unaskedText(why: 'duplicate' | 'flood', site: string): string {
  const host = (() => {
    try {
      return new URL(site).host;
    } catch {
      return site;
    }
  })();
  return why === 'duplicate'
    ? `The same payment request from ${host} is already waiting for your answer.`
    : `${host} asked for more payments at once than anyone can answer: the wallet shows ${MAX_PENDING_PER_SITE} at a time and refused the rest.`;
}

/** What makes two approvals the same request: same site, resource, method and options. */
function sameRequest(a: Omit<ApprovalDto, 'id' | 'createdAt' | 'expiresAt'>, b: ApprovalDto): boolean {
  return (
    a.site === b.site &&
    a.resourceUrl === b.resourceUrl &&
    a.method === b.method &&
    a.kind === b.kind &&
    (a.embeddedFrom ?? '') === (b.embeddedFrom ?? '') &&
    JSON.stringify(a.options.map((o) => [o.network, o.asset, o.amountAtomic, o.payTo, o.scheme])) === JSON.stringify(b.options.map((o) => [o.network, o.asset, o.amountAtomic, o.payTo, o.scheme]))
  );
}

const queueItem = storage.defineItem<ApprovalDto[]>('session:approvals', { fallback: [] });
/**
 * The queue warm in memory (storage.session stays the durable copy for a restarted worker and the
 * pages): every payable 402 asks whether the window is full, and a storage read there cost each
 * automatic payment ~1.5 ms before its signature.
 */
const queue = new WarmItem(queueItem);
const windowItem = storage.defineItem<number | null>('session:approvalWindow', { fallback: null });

export const APPROVAL_TIMEOUT_MS = 2 * 60_000;

export class ApprovalQueue {
  private mutex = createMutex();
  /** one window for the whole queue: concurrent requests must not each open their own */
  private windowMutex = createMutex();
  private waiters = new Map<string, { resolve: (o: ApprovalOutcome) => void; timer: ReturnType<typeof setTimeout> }>();
  /** called whenever the number of pending approvals changes */
  onCountChange: ((n: number) => void) | null = null;
  /** called when a request is refused unasked (a flood): the activity list says it once */
  onFlood: ((site: string) => void) | null = null;

  install(): void {
    browser.windows?.onRemoved.addListener((windowId) => {
      void this.onWindowRemoved(windowId);
    });
  }

  /** After a worker restart nobody waits for old approvals: drop them. */
  async restore(): Promise<void> {
    await this.mutex(async () => {
      const q = await queue.get();
      const keep = q.filter((a) => this.waiters.has(a.id));
      if (keep.length !== q.length) await queue.set(keep);
      this.onCountChange?.(keep.length);
    });
  }

  /** No room for another question from this site (or at all): see MAX_PENDING_PER_SITE. */
  async full(site: string): Promise<boolean> {
    const q = await queue.get();
    return q.length >= MAX_PENDING || q.filter((a) => a.site === site).length >= MAX_PENDING_PER_SITE;
  }

  list(): Promise<ApprovalDto[]> {
    return queue.get();
  }

  async count(): Promise<number> {
    return (await queue.get()).length;
  }

  /** Queue an approval, show the window, and wait for the user (or the timeout). */
  async request(
    dto: Omit<ApprovalDto, 'id' | 'createdAt' | 'expiresAt'>,
    timeoutMs = APPROVAL_TIMEOUT_MS,
  ): Promise<ApprovalOutcome> {
    const now = Date.now();
    const approval: ApprovalDto = { ...dto, id: crypto.randomUUID(), createdAt: now, expiresAt: now + timeoutMs };
    let outcome: Promise<ApprovalOutcome> | undefined;
    const refused = await this.mutex(async (): Promise<ApprovalOutcome | undefined> => {
      const q = [...(await queue.get())]; // a copy: never the shared fallback
      // one question per request: the same one re-sent while it waits is not asked twice
      if (q.some((a) => sameRequest(dto, a))) return { kind: 'reject', why: 'duplicate' };
      if (q.length >= MAX_PENDING || q.filter((a) => a.site === dto.site).length >= MAX_PENDING_PER_SITE) return { kind: 'reject', why: 'flood' };
      outcome = new Promise<ApprovalOutcome>((resolve) => {
        const timer = setTimeout(() => void this.finish(approval.id, { kind: 'reject', why: 'expired' }), timeoutMs);
        this.waiters.set(approval.id, { resolve, timer });
      });
      q.push(approval);
      await queue.set(q);
      this.onCountChange?.(q.length);
      return undefined;
    });
    if (refused) {
      if ('why' in refused && refused.why === 'flood') this.onFlood?.(dto.site);
      return refused;
    }
    await this.showWindow(approval.id);
    return outcome!;
  }

  /** Update one option of a waiting approval (e.g. the TRON allowance after the user granted it). */
  async updateOption(id: string, index: number, patch: Partial<ApprovalDto['options'][number]>): Promise<void> {
    await this.mutex(async () => {
      const q = await queue.get();
      const a = q.find((x) => x.id === id);
      const o = a?.options.find((x) => x.index === index);
      if (!a || !o) return;
      Object.assign(o, patch);
      await queue.set(q);
    });
  }

  /** The user's decision from the approval window. Refused (false) once the approval expired. */
  async decide(id: string, decision: ApprovalDecision): Promise<boolean> {
    const a = (await queue.get()).find((x) => x.id === id);
    if (a && Date.now() >= a.expiresAt) {
      await this.finish(id, { kind: 'reject', why: 'expired' });
      return false;
    }
    return this.finish(id, decision);
  }

  private async finish(id: string, outcome: ApprovalOutcome): Promise<boolean> {
    const remaining = await this.mutex(async () => {
      const q = await queue.get();
      const next = q.filter((a) => a.id !== id);
      if (next.length !== q.length) await queue.set(next);
      return next.length;
    });
    this.onCountChange?.(remaining);
    const w = this.waiters.get(id);
    if (!w) return false;
    this.waiters.delete(id);
    clearTimeout(w.timer);
    w.resolve(outcome);
    return true;
  }

  private async onWindowRemoved(windowId: number): Promise<void> {
    // Under the window mutex: a window closed before \`windows.create\` answered (the person, or a
    // busy machine, faster than the worker) is only known as ours once showWindowNow stored its id.
    // Compared outside it, that close was missed and whoever waited hung until the expiry.
    // And a close of *some* window while ours is already gone (its own removal event lost, e.g. to a
    // worker that was starting) still answers whoever waits: nobody can answer in a window that is gone.
    const mine = await this.windowMutex(async () => {
      const id = await windowItem.getValue();
      if (id === null) return false;
      if (id !== windowId && (await windowAlive(id))) return false;
      await windowItem.setValue(null);
      return true;
    });
    if (!mine) return;
    for (const a of await queue.get()) await this.finish(a.id, { kind: 'reject', why: 'closed' });
  }

  private showWindow(id: string): Promise<void> {
    return this.windowMutex(() => this.showWindowNow(id));
  }

  private async showWindowNow(id: string): Promise<void> {
    const existing = await windowItem.getValue();
    if (existing !== null) {
      if (await windowAlive(existing)) {
        await browser.windows.update(existing, { focused: true }).catch(() => undefined);
        return;
      }
    }
    const win = await browser.windows.create({
      url: browser.runtime.getURL(`/approval.html?id=${encodeURIComponent(id)}` as '/approval.html'),
      type: 'popup',
      ...APPROVAL_WINDOW,
      focused: true,
    });
    await windowItem.setValue(win?.id ?? null);
  }
}

function windowAlive(id: number): Promise<boolean> {
  return browser.windows.get(id).then(
    () => true,
    () => false,
  );
}
