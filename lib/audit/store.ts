/**
 * The audit trail: every payment decision, append-only and bounded. One storage key per
 * record (`audit.<seq mod MAX>`, a ring) plus `audit.meta` {next}: a decision writes two small
 * keys in one set() — never the whole trail. The oldest records are overwritten past MAX.
 * Background only.
 */
import { browser } from 'wxt/browser';
import { createMutex } from '../util/mutex';
import type { AuditRecord } from './types';

export const AUDIT_MAX = 10_000;
const META = 'audit.meta';
const key = (seq: number, max: number) => `audit.${seq % max}`;

type Area = Pick<typeof browser.storage.local, 'get' | 'set'>;

export class AuditStore {
  private mutex = createMutex();
  private next: number | undefined;

  constructor(
    private readonly area: Area = browser.storage.local,
    private readonly max = AUDIT_MAX,
    private readonly clock: () => number = Date.now,
  ) {}

  private async seq(): Promise<number> {
    if (this.next === undefined) {
      const got = (await this.area.get(META)) as Record<string, { next?: unknown } | undefined>;
      const n = got[META]?.next;
      this.next = Number.isSafeInteger(n) && (n as number) >= 0 ? (n as number) : 0;
    }
    return this.next;
  }

  append(r: Omit<AuditRecord, 'seq' | 'at'> & { at?: number }): Promise<AuditRecord> {
    return this.mutex(async () => {
      const seq = await this.seq();
      const rec: AuditRecord = { ...r, seq, at: r.at ?? this.clock(), message: r.message.slice(0, 500) };
      await this.area.set({ [key(seq, this.max)]: rec, [META]: { next: seq + 1 } });
      this.next = seq + 1;
      return rec;
    });
  }

  /** The kept records, oldest first (at most `limit`, the newest ones). */
  async list(limit = this.max): Promise<AuditRecord[]> {
    const next = await this.mutex(() => this.seq());
    const n = Math.min(next, this.max, Math.max(0, limit));
    const keys = Array.from({ length: n }, (_, i) => key(next - n + i, this.max));
    if (!keys.length) return [];
    const got = (await this.area.get(keys)) as Record<string, AuditRecord | undefined>;
    return keys.map((k) => got[k]).filter((r): r is AuditRecord => !!r && typeof r.seq === 'number').sort((a, b) => a.seq - b.seq);
  }
}
