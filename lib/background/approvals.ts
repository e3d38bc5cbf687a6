/**
 * Pending approvals: a queue persisted in storage.session (so the popup and the approval
 * window can list it from any worker instance), one approval window showing it, and the
 * waiting payment flows. Closing the window, the expiry, or a worker restart all end in
 * "reject" for whoever waits — a page never hangs.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { ApprovalDecision, ApprovalDto } from '../messaging/contract';
import { createMutex } from '../util/mutex';

export type ApprovalOutcome = ApprovalDecision | { kind: 'reject'; why: 'closed' | 'expired' | 'restarted' };

const queueItem = storage.defineItem<ApprovalDto[]>('session:approvals', { fallback: [] });
const windowItem = storage.defineItem<number | null>('session:approvalWindow', { fallback: null });

export const APPROVAL_TIMEOUT_MS = 2 * 60_000;

export class ApprovalQueue {
  private mutex = createMutex();
  /** one window for the whole queue: concurrent requests must not each open their own */
  private windowMutex = createMutex();
  private waiters = new Map<string, { resolve: (o: ApprovalOutcome) => void; timer: ReturnType<typeof setTimeout> }>();
  /** called whenever the number of pending approvals changes */
  onCountChange: ((n: number) => void) | null = null;

  install(): void {
    browser.windows?.onRemoved.addListener((windowId) => {
      void this.onWindowRemoved(windowId);
    });
  }

  /** After a worker restart nobody waits for old approvals: drop them. */
  async restore(): Promise<void> {
    await this.mutex(async () => {
      const q = await queueItem.getValue();
      const keep = q.filter((a) => this.waiters.has(a.id));
      if (keep.length !== q.length) await queueItem.setValue(keep);
      this.onCountChange?.(keep.length);
    });
  }

  list(): Promise<ApprovalDto[]> {
    return queueItem.getValue();
  }

  async count(): Promise<number> {
    return (await queueItem.getValue()).length;
  }

  /** Queue an approval, show the window, and wait for the user (or the timeout). */
  async request(
    dto: Omit<ApprovalDto, 'id' | 'createdAt' | 'expiresAt'>,
    timeoutMs = APPROVAL_TIMEOUT_MS,
  ): Promise<ApprovalOutcome> {
    const now = Date.now();
    const approval: ApprovalDto = { ...dto, id: crypto.randomUUID(), createdAt: now, expiresAt: now + timeoutMs };
    const outcome = new Promise<ApprovalOutcome>((resolve) => {
      const timer = setTimeout(() => void this.finish(approval.id, { kind: 'reject', why: 'expired' }), timeoutMs);
      this.waiters.set(approval.id, { resolve, timer });
    });
    await this.mutex(async () => {
      const q = await queueItem.getValue();
      q.push(approval);
      await queueItem.setValue(q);
      this.onCountChange?.(q.length);
    });
    await this.showWindow(approval.id);
    return outcome;
  }

  /** Update one option of a waiting approval (e.g. the TRON allowance after the user granted it). */
  async updateOption(id: string, index: number, patch: Partial<ApprovalDto['options'][number]>): Promise<void> {
    await this.mutex(async () => {
      const q = await queueItem.getValue();
      const a = q.find((x) => x.id === id);
      const o = a?.options.find((x) => x.index === index);
      if (!a || !o) return;
      Object.assign(o, patch);
      await queueItem.setValue(q);
    });
  }

  /** The user's decision from the approval window. Refused (false) once the approval expired. */
  async decide(id: string, decision: ApprovalDecision): Promise<boolean> {
    const a = (await queueItem.getValue()).find((x) => x.id === id);
    if (a && Date.now() >= a.expiresAt) {
      await this.finish(id, { kind: 'reject', why: 'expired' });
      return false;
    }
    return this.finish(id, decision);
  }

  private async finish(id: string, outcome: ApprovalOutcome): Promise<boolean> {
    const remaining = await this.mutex(async () => {
      const q = await queueItem.getValue();
      const next = q.filter((a) => a.id !== id);
      if (next.length !== q.length) await queueItem.setValue(next);
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
    const mine = await windowItem.getValue();
    if (mine !== windowId) return;
    await windowItem.setValue(null);
    for (const a of await queueItem.getValue()) await this.finish(a.id, { kind: 'reject', why: 'closed' });
  }

  private showWindow(id: string): Promise<void> {
    return this.windowMutex(() => this.showWindowNow(id));
  }

  private async showWindowNow(id: string): Promise<void> {
    const existing = await windowItem.getValue();
    if (existing !== null) {
      const alive = await browser.windows.get(existing).then(
        () => true,
        () => false,
      );
      if (alive) {
        await browser.windows.update(existing, { focused: true }).catch(() => undefined);
        return;
      }
    }
    const win = await browser.windows.create({
      url: browser.runtime.getURL(`/approval.html?id=${encodeURIComponent(id)}` as '/approval.html'),
      type: 'popup',
      width: 440,
      height: 700,
      focused: true,
    });
    await windowItem.setValue(win?.id ?? null);
  }
}
