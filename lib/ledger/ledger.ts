/**
 * The persisted payment ledger (storage layout: `./store.ts`, one key per record) with atomic
 * budget reservations. Owned by the background. Every operation is one critical section under
 * a promise-chain mutex over an in-memory copy that is re-read from storage only when another
 * writer changed it (a fresh instance after a service-worker restart loads everything); a step
 * writes only the records it changed, and spend comes from an incremental index — so the cost
 * of a payment step does not grow with the history.
 *
 * Lifecycle: reserve → (markSigned) → commit (settled) | fail definite (failed) |
 * fail ambiguous (unknown, still counted until its authorization expires) | release.
 * `sweep` releases non-final records whose authorization expired and prunes old history.
 */
import { resolveTimeZone } from '../policy/periods';
import type { Decision, SpendSnapshot } from '../policy/types';
import { addressKey, siteKey, tokenKey } from '../policy/units';
import { toCsv, toJson } from './export';
import { sharedMutex, type Mutex } from '../util/mutex';
import { archiveRecord, DEFAULT_EXPIRY_GRACE_MS, GLOBAL_ARCHIVE_KEY, isExpired, UNVERIFIED_KEEP_MS } from './spend';
import { SpendIndex } from './spend-index';
import { LedgerStore } from './store';
import { type ArchivedTotals, type LedgerAsset, type PaymentRecord, type PaymentStatus } from './types';

export { LEDGER_SCHEMA_VERSION as LEDGER_VERSION } from './store';
const DAY_MS = 86_400_000;
export { UNVERIFIED_KEEP_MS } from './spend';

export interface RetentionOptions {
  /** Drop released/failed records this many days after their last update (default 30). */
  inactiveDays?: number;
  /** Keep at most this many released/failed records (default 1,000). */
  maxInactive?: number;
  /** Keep at most this many settled records (default 5,000 — with 1,000 inactive, the history page shows them all); older ones fold into lifetime totals. */
  maxSettled?: number;
  /** Never prune a settled record younger than this (default 40 days, > any calendar period). */
  settledMinAgeDays?: number;
}

export interface LedgerOptions {
  /** storage key prefix (default 'ledger'): records under `<prefix>.r.<id>` */
  prefix?: string;
  clock?: () => number;
  /** IANA time zone for calendar periods (default: the runtime's). */
  timeZone?: string | (() => string);
  /** Grace after validBefore before a signed/unknown authorization counts as dead (default 60 s). */
  expiryGraceMs?: number;
  retention?: RetentionOptions;
  newId?: () => string;
}

export interface ReserveInput {
  id?: string;
  site: string;
  requestOrigin: string;
  resourceUrl: string;
  /** x402 scheme (default 'exact') and protocol version (default 2) of the paid option */
  scheme?: string;
  x402Version?: number;
  network: string;
  asset: LedgerAsset;
  amount: bigint;
  payTo: string;
  /** Intended authorization validBefore (epoch ms); updated by markSigned. */
  expiresAt: number;
  paymentIdentifier?: string;
  auto: boolean;
  now?: number;
  timeZone?: string;
  /** Runs inside the critical section against the current spend; only 'pay' reserves. */
  policyCheck: (snapshot: SpendSnapshot) => Decision;
}

export interface ReserveResult {
  decision: Decision;
  record?: PaymentRecord;
}

export interface CommitUsage {
  record: PaymentRecord;
  /** settled-only spend of the record's site before / after this commit */
  before?: SpendSnapshot;
  after?: SpendSnapshot;
}

export interface SweepResult {
  released: PaymentRecord[];
  pruned: number;
}

export interface ListOptions {
  site?: string;
  status?: PaymentStatus | readonly PaymentStatus[];
  limit?: number;
}

export type LedgerErrorCode = 'not-found' | 'invalid-transition' | 'duplicate-id' | 'invalid-input';

export interface CommitInfo {
  txHash: string;
  network: string;
  payer: string;
  /** the chain confirmed it (default), or only the server said so (no RPC to ask) */
  confirmedBy?: 'chain' | 'server';
  /** the server's offer-receipt receipt, checked */
  receipt?: PaymentRecord['receipt'];
  /**
   * `upto`: what the chain showed moved (≤ the record's maximum). The record then counts this
   * amount and keeps the maximum in `maxAmount`; the difference is released.
   */
  settledAmount?: bigint;
}

/** An upto record settles for what the chain showed (never more than it reserved). */
function applySettledAmount(r: PaymentRecord, info: CommitInfo): void {
  if (info.settledAmount === undefined || r.scheme !== 'upto' || r.settledAmount !== undefined) return;
  const max = r.maxAmount ?? r.amount;
  if (info.settledAmount <= 0n || info.settledAmount > max) return;
  r.maxAmount = max;
  r.settledAmount = info.settledAmount;
  r.amount = info.settledAmount;
}

/** Move a record to `status` at `now`, stamping when it entered that state. */
function enter(r: PaymentRecord, status: PaymentStatus, now: number): void {
  r.status = status;
  r.updatedAt = now;
  r.times = { ...r.times, [status]: now };
}

function applyCommit(r: PaymentRecord, info: CommitInfo, now: number): void {
  enter(r, 'settled', now);
  if (info.txHash) r.txHash = info.txHash;
  if (info.payer) r.payer = info.payer;
  if (info.network !== r.network) r.settledNetwork = info.network;
  if (info.confirmedBy) r.confirmedBy = info.confirmedBy;
  applySettledAmount(r, info);
  if (info.receipt) r.receipt = info.receipt;
  delete r.errorReason;
  delete r.claimedTxHash;
  delete r.unverified;
}

export class LedgerError extends Error {
  override name = 'LedgerError';
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface State {
  byId: Map<string, PaymentRecord>;
  /** transaction hash → id of the settled record it settled (one transaction settles one record) */
  byTx: Map<string, string>;
  archive: Record<string, ArchivedTotals>;
  index: SpendIndex;
}

/** What one critical section changed: written in one storage call at its end. */
class Changes {
  readonly dirty = new Set<PaymentRecord>();
  readonly removed = new Set<string>();
  archive = false;
  /** other storage.local keys written in the same call (never the ledger's own keys) */
  extra: Record<string, unknown> | undefined;
  get any(): boolean {
    return this.dirty.size > 0 || this.removed.size > 0 || this.archive;
  }
}

export class Ledger {
  private readonly store: LedgerStore;
  private readonly lock: Mutex;
  private readonly clock: () => number;
  private readonly tz: () => string;
  private readonly grace: number;
  private readonly retention: Required<RetentionOptions>;
  private readonly newId: () => string;
  private state: State | undefined;
  /** after a pass that could remove nothing: the payment path tries again only once the history grew or time passed */
  private pruneBlocked: { size: number; at: number } | undefined;

  constructor(opts: LedgerOptions = {}) {
    this.store = new LedgerStore(opts.prefix ?? 'ledger');
    this.lock = sharedMutex(`ledger:${this.store.prefix}`);
    this.clock = opts.clock ?? Date.now;
    const tz = opts.timeZone;
    this.tz = typeof tz === 'function' ? () => resolveTimeZone(tz()) : () => resolveTimeZone(tz);
    this.grace = opts.expiryGraceMs ?? DEFAULT_EXPIRY_GRACE_MS;
    this.retention = {
      inactiveDays: opts.retention?.inactiveDays ?? 30,
      maxInactive: opts.retention?.maxInactive ?? 1000,
      maxSettled: opts.retention?.maxSettled ?? 5_000,
      settledMinAgeDays: opts.retention?.settledMinAgeDays ?? 40,
    };
    this.newId = opts.newId ?? (() => crypto.randomUUID());
  }

  // ---- storage -------------------------------------------------------------------------

  private async current(): Promise<State> {
    if (this.state && !(await this.store.stale())) return this.state;
    const loaded = await this.store.load();
    const byId = new Map(loaded.records.map((r) => [r.id, r]));
    const byTx = new Map<string, string>();
    for (const r of byId.values()) if (r.status === 'settled' && r.txHash) byTx.set(txKey(r.txHash), r.id);
    this.state = { byId, byTx, archive: loaded.archive, index: new SpendIndex(byId.values(), this.grace) };
    return this.state;
  }

  /** One critical section: current state, run `fn`, persist what it changed. */
  private tx<T>(fn: (st: State, ch: Changes) => T): Promise<T> {
    return this.lock(async () => {
      const st = await this.current();
      const ch = new Changes();
      let result: T;
      try {
        result = fn(st, ch);
        if (ch.any) {
          const changed = [...ch.dirty].filter((r) => !ch.removed.has(r.id));
          await this.store.write(changed, [...ch.removed], ch.archive ? st.archive : undefined, ch.extra);
        }
      } catch (e) {
        // memory may be ahead of storage now: read storage again next time
        if (ch.any) this.state = undefined;
        throw e;
      }
      return result;
    });
  }

  /** Change a record in place, keeping the spend index exact and marking it for writing. */
  private mutate(st: State, ch: Changes, r: PaymentRecord, f: (r: PaymentRecord) => void): void {
    st.index.remove(r);
    unindexTx(st, r);
    f(r);
    st.index.add(r);
    if (r.status === 'settled' && r.txHash) st.byTx.set(txKey(r.txHash), r.id);
    ch.dirty.add(r);
  }

  /**
   * A payment settled on the chain's word that its authorization was used, before its
   * transaction was known: a later confirmed receipt adds the hash (counted once, nothing else changes).
   */
  private attachTx(st: State, ch: Changes, r: PaymentRecord, info: CommitInfo): void {
    // the server's receipt for this same settlement, arriving after the page's report settled it
    if (info.receipt && !r.receipt && r.txHash && info.txHash && txKey(r.txHash) === txKey(info.txHash)) {
      this.mutate(st, ch, r, () => {
        r.receipt = info.receipt;
      });
      return;
    }
    if (r.txHash || !info.txHash || st.byTx.has(txKey(info.txHash))) return;
    this.mutate(st, ch, r, () => {
      r.txHash = info.txHash;
      if (info.network !== r.network) r.settledNetwork = info.network;
      // upto settled on "authorization used" counted its maximum: the receipt shows what moved
      applySettledAmount(r, info);
    });
  }

  private find(st: State, id: string): PaymentRecord {
    const r = st.byId.get(id);
    if (!r) throw new LedgerError('not-found', `no payment record ${id}`);
    return r;
  }

  // ---- sweeping and pruning (in memory, inside a critical section) -----------------------

  private expireInPlace(st: State, ch: Changes, now: number): PaymentRecord[] {
    const released: PaymentRecord[] = [];
    for (const r of [...st.index.activeRecords()]) {
      if (isExpired(r, now, this.grace)) {
        // a signed authorization may have been used: it stays counted while unverified (and the
        // chain is asked again where the rail can tell)
        const couldSettle = r.status !== 'reserved';
        this.mutate(st, ch, r, () => {
          enter(r, 'released', now);
          r.errorReason ??= 'authorization expired';
          if (couldSettle) r.unverified = true;
        });
        released.push(copy(r));
      }
    }
    return released;
  }

  private drop(st: State, ch: Changes, r: PaymentRecord): void {
    st.index.remove(r);
    unindexTx(st, r);
    st.byId.delete(r.id);
    ch.removed.add(r.id);
  }

  private pruneInPlace(st: State, ch: Changes, now: number): number {
    const ret = this.retention;
    const inactiveCutoff = now - ret.inactiveDays * DAY_MS;
    let pruned = 0;
    const inactive: PaymentRecord[] = [];
    const settled: PaymentRecord[] = [];
    for (const r of st.byId.values()) {
      // still being asked on chain (it may have settled): kept until reconciliation decides or gives up
      if (r.unverified && r.updatedAt > now - UNVERIFIED_KEEP_MS) continue;
      if (r.status === 'released' || r.status === 'failed') {
        if (r.updatedAt < inactiveCutoff) {
          this.drop(st, ch, r);
          pruned++;
        } else inactive.push(r);
      } else if (r.status === 'settled') settled.push(r);
    }
    if (inactive.length > ret.maxInactive) {
      for (const r of inactive.sort((a, b) => a.updatedAt - b.updatedAt).slice(0, inactive.length - ret.maxInactive)) {
        this.drop(st, ch, r);
        pruned++;
      }
    }
    if (settled.length > ret.maxSettled) {
      const minAgeCutoff = now - ret.settledMinAgeDays * DAY_MS;
      const candidates = settled.sort((a, b) => a.createdAt - b.createdAt).filter((r) => r.createdAt < minAgeCutoff);
      for (const r of candidates.slice(0, settled.length - ret.maxSettled)) {
        const k = siteKey(r.site);
        st.archive[k] = archiveRecord(st.archive[k], r);
        st.archive[GLOBAL_ARCHIVE_KEY] = archiveRecord(st.archive[GLOBAL_ARCHIVE_KEY], r);
        ch.archive = true;
        this.drop(st, ch, r);
        pruned++;
      }
    }
    return pruned;
  }

  /** Pruning on the payment path only when the history is over its limits (else the sweep does it). */
  private overLimits(st: State, now: number): boolean {
    if (st.byId.size <= this.retention.maxSettled + this.retention.maxInactive) return false;
    const b = this.pruneBlocked;
    return !b || st.byId.size > b.size + 100 || now > b.at + 3_600_000 || now < b.at;
  }

  // ---- operations ------------------------------------------------------------------------

  /**
   * Atomically: release expired reservations, compute the site's spend snapshot, run the
   * policy check, and — only if it says 'pay' — persist a 'reserved' record.
   */
  reserve(input: ReserveInput): Promise<ReserveResult> {
    if (typeof input.amount !== 'bigint' || input.amount < 0n) {
      return Promise.reject(new LedgerError('invalid-input', 'amount must be a non-negative bigint'));
    }
    if (!Number.isFinite(input.expiresAt)) {
      return Promise.reject(new LedgerError('invalid-input', 'expiresAt must be epoch ms'));
    }
    return this.tx<ReserveResult>((st, ch) => {
      const now = input.now ?? this.clock();
      const tz = input.timeZone ? resolveTimeZone(input.timeZone) : this.tz();
      this.expireInPlace(st, ch, now);
      const snapshot = st.index.snapshot(st.archive, input.site, now, tz);
      const decision = input.policyCheck(snapshot);
      if (decision.action !== 'pay') return { decision };
      const id = input.id ?? this.newId();
      if (st.byId.has(id)) throw new LedgerError('duplicate-id', `payment record ${id} exists`);
      const record: PaymentRecord = {
        id,
        site: siteKey(input.site),
        requestOrigin: input.requestOrigin,
        resourceUrl: input.resourceUrl,
        scheme: input.scheme ?? 'exact',
        x402Version: input.x402Version ?? 2,
        network: input.network,
        asset: { ...input.asset },
        amount: input.amount,
        payTo: input.payTo,
        status: 'reserved',
        createdAt: now,
        updatedAt: now,
        expiresAt: input.expiresAt,
        auto: input.auto,
        times: { reserved: now },
      };
      if (input.paymentIdentifier !== undefined) record.paymentIdentifier = input.paymentIdentifier;
      // upto: the budget holds the signed maximum until settlement shows what moved
      if (record.scheme === 'upto') record.maxAmount = input.amount;
      st.byId.set(id, record);
      st.index.add(record);
      ch.dirty.add(record);
      if (this.overLimits(st, now)) {
        // nothing could go (all too young)? then don't walk the history again on every payment
        this.pruneBlocked = this.pruneInPlace(st, ch, now) === 0 ? { size: st.byId.size, at: now } : undefined;
      }
      return { decision, record: copy(record) };
    });
  }

  /** reserved|signed → signed, recording the real validBefore (and payment-identifier). */
  markSigned(
    id: string,
    info: {
      expiresAt: number;
      paymentIdentifier?: string;
      payer?: string;
      authorizationId?: string;
      /**
       * Other `storage.local` keys to write in the same storage call as the record (the
       * payment's re-send ticket): one write per signed payment, and both or neither are saved.
       */
      alsoWrite?: Record<string, unknown>;
    },
    now = this.clock(),
  ): Promise<PaymentRecord> {
    return this.tx((st, ch) => {
      const r = this.find(st, id);
      if (r.status !== 'reserved' && r.status !== 'signed') {
        throw new LedgerError('invalid-transition', `cannot mark ${r.status} payment as signed`);
      }
      if (info.alsoWrite) {
        for (const k of Object.keys(info.alsoWrite))
          if (this.store.owns(k)) throw new LedgerError('invalid-input', `${k} is a key of the ledger itself`);
        ch.extra = info.alsoWrite;
      }
      this.mutate(st, ch, r, () => {
        enter(r, 'signed', now);
        r.expiresAt = info.expiresAt;
        if (info.paymentIdentifier !== undefined) r.paymentIdentifier = info.paymentIdentifier;
        if (info.payer !== undefined) r.payer = info.payer;
        if (info.authorizationId !== undefined) r.authorizationId = info.authorizationId;
      });
      return copy(r);
    });
  }

  /** Settlement succeeded → settled. The chain is the truth: this wins over any earlier state. */
  commit(id: string, info: CommitInfo, now = this.clock()): Promise<PaymentRecord> {
    return this.tx((st, ch) => {
      const r = this.find(st, id);
      if (r.status !== 'settled') this.mutate(st, ch, r, () => applyCommit(r, info, now));
      else this.attachTx(st, ch, r, info);
      return copy(r);
    });
  }

  /**
   * `commit`, plus the site's SETTLED-only spend just before and just after it, computed in
   * the same critical section — so concurrent settlements each see a distinct step and an
   * 80 % / 100 % alert fires exactly once. `before`/`after` are absent when the record was
   * already settled (nothing changed).
   */
  commitWithUsage(
    id: string,
    info: CommitInfo,
    opts: { timeZone?: string; now?: number } = {},
  ): Promise<CommitUsage> {
    return this.tx<CommitUsage>((st, ch) => {
      const now = opts.now ?? this.clock();
      const tz = opts.timeZone ? resolveTimeZone(opts.timeZone) : this.tz();
      const r = this.find(st, id);
      if (r.status === 'settled') {
        this.attachTx(st, ch, r, info);
        return { record: copy(r) };
      }
      // settled-only spend: active records are left out (the index adds them on top)
      const settledSpend = () => st.index.snapshot(st.archive, r.site, now, tz, false);
      const before = settledSpend();
      this.mutate(st, ch, r, () => applyCommit(r, info, now));
      return { record: copy(r), before, after: settledSpend() };
    });
  }

  /**
   * After a worker restart: reservations created by an earlier worker instance and never
   * signed can no longer be signed by anyone (the flow that owned them died with it), and
   * no money can move for them — release them now instead of at their expiry.
   */
  releaseUnsigned(createdBefore: number, now = this.clock()): Promise<PaymentRecord[]> {
    return this.leftByDeadWorker('reserved', (r) => r.createdAt < createdBefore, 'released', 'never signed (the wallet restarted)', now);
  }

  /**
   * After a worker restart: payments an earlier worker instance signed whose outcome it never
   * saw (its watcher died with it) become 'unknown' — still counted — so the same signed payment
   * is re-sent when the site asks again, never signed a second time. Payments signed by the
   * running instance (`updatedAt >= signedBefore`) are in flight and left alone.
   */
  markOrphanedSigned(signedBefore: number, now = this.clock()): Promise<PaymentRecord[]> {
    return this.leftByDeadWorker(
      'signed',
      (r) => r.updatedAt < signedBefore,
      'unknown',
      'Outcome not seen (the wallet restarted while it was being paid); the same signed payment is re-sent if the site asks again',
      now,
    );
  }

  /** Active records in `from` that an earlier worker instance left (`left`), moved to `to` with the reason (unless one is set). */
  private leftByDeadWorker(from: 'reserved' | 'signed', left: (r: PaymentRecord) => boolean, to: 'released' | 'unknown', reason: string, now: number): Promise<PaymentRecord[]> {
    return this.tx((st, ch) => {
      const out: PaymentRecord[] = [];
      for (const r of [...st.index.activeRecords()]) {
        if (r.status !== from || !left(r)) continue;
        this.mutate(st, ch, r, () => {
          enter(r, to, now);
          r.errorReason ??= reason;
        });
        out.push(copy(r));
      }
      return out;
    });
  }

  /**
   * The payment did not go through. `definite` (the money cannot move: e.g. verification
   * refused, never sent) → 'failed', released. Otherwise (timeout, 5xx, lost response) →
   * 'unknown', still counted until its authorization expires. No effect on final records.
   */
  fail(
    id: string,
    reason: string,
    opts: { definite: boolean; claimedTxHash?: string; pageChecked?: boolean },
    now = this.clock(),
  ): Promise<PaymentRecord> {
    return this.tx((st, ch) => {
      const r = this.find(st, id);
      if (r.status === 'settled' || r.status === 'failed' || r.status === 'released') return copy(r);
      this.mutate(st, ch, r, () => {
        enter(r, opts.definite ? 'failed' : 'unknown', now);
        r.errorReason = reason;
        // the first claim is kept: a later one cannot redirect what reconciliation asks the chain
        if (opts.claimedTxHash && !r.claimedTxHash) r.claimedTxHash = opts.claimedTxHash;
        if (opts.pageChecked) r.pageChecked = true;
      });
      return copy(r);
    });
  }

  /**
   * Give the reservation back (e.g. the user cancelled before the payment was sent).
   * Idempotent on released/failed records. Refuses settled records and 'unknown' ones whose
   * authorization could still settle.
   */
  release(id: string, now = this.clock()): Promise<PaymentRecord> {
    return this.tx((st, ch) => {
      const r = this.find(st, id);
      if (r.status === 'released' || r.status === 'failed') return copy(r);
      if (r.status === 'settled') throw new LedgerError('invalid-transition', 'cannot release a settled payment');
      if (r.status === 'unknown' && !isExpired(r, now, this.grace)) {
        throw new LedgerError('invalid-transition', 'outcome unknown and the authorization is still valid');
      }
      this.mutate(st, ch, r, () => enter(r, 'released', now));
      return copy(r);
    });
  }

  /**
   * The chain shows this signed authorization was never used and it has expired (so it never
   * can be): released, or — if the sweep released it unverified — confirmed released. A record
   * whose authorization is still valid, or that settled, is left alone.
   */
  releaseUnused(id: string, now = this.clock()): Promise<PaymentRecord> {
    return this.tx((st, ch) => {
      const r = this.find(st, id);
      const reason = 'never used: the chain shows the authorization unused, and it has expired';
      if (r.status === 'released' && r.unverified) {
        this.mutate(st, ch, r, () => {
          delete r.unverified;
          r.errorReason = reason;
          r.updatedAt = now;
        });
      } else if ((r.status === 'signed' || r.status === 'unknown') && isExpired(r, now, this.grace)) {
        this.mutate(st, ch, r, () => {
          enter(r, 'released', now);
          r.errorReason = reason;
        });
      }
      return copy(r);
    });
  }

  /** Release reserved/signed/unknown records whose authorization expired; prune old history. */
  sweep(now = this.clock()): Promise<SweepResult> {
    return this.tx((st, ch) => {
      const released = this.expireInPlace(st, ch, now);
      const pruned = this.pruneInPlace(st, ch, now);
      return { released, pruned };
    });
  }

  /**
   * Amounts committed to but not settled yet (reserved, signed, outcome unknown; not expired,
   * by the same rule as spend), per token (`tokenKey`), of the given accounts: what their
   * balance must still cover.
   */
  pending(owners?: readonly string[], now = this.clock()): Promise<Map<string, bigint>> {
    return this.tx((st) => {
      const out = new Map<string, bigint>();
      for (const r of st.index.activeRecords()) {
        if (isExpired(r, now, this.grace)) continue;
        // another account's payments are not this balance's (a reservation not signed yet has no payer)
        if (owners && r.payer && !owners.some((o) => addressKey(r.network, o) === addressKey(r.network, r.payer!))) continue;
        const k = tokenKey(r.network, r.asset.address);
        out.set(k, (out.get(k) ?? 0n) + r.amount);
      }
      return out;
    });
  }

  /** Spend (spent + reserved) for a site and globally, per calendar period in `timeZone`. */
  snapshot(site: string, now = this.clock(), timeZone?: string): Promise<SpendSnapshot> {
    const tz = timeZone ? resolveTimeZone(timeZone) : this.tz();
    return this.tx((st) => st.index.snapshot(st.archive, site, now, tz));
  }

  get(id: string): Promise<PaymentRecord | undefined> {
    return this.getMany([id]).then(([r]) => r);
  }

  /** Several records in one transaction (one wait for the ledger, not one per id); undefined where unknown. */
  getMany(ids: readonly string[]): Promise<(PaymentRecord | undefined)[]> {
    return this.tx((st) =>
      ids.map((id) => {
        const r = st.byId.get(id);
        return r ? copy(r) : undefined;
      }),
    );
  }

  /** Records, newest first, optionally for one site and/or status. */
  list(opts: ListOptions = {}): Promise<PaymentRecord[]> {
    return this.tx((st) => selectRecords([...st.byId.values()], opts));
  }

  /** The id of the settled record this transaction settled, if any (no history walk). */
  settledByTx(txHash: string): Promise<string | undefined> {
    return this.tx((st) => st.byTx.get(txKey(txHash)));
  }

  /** Records not final yet (reserved, signed, unknown), in no particular order. */
  active(): Promise<PaymentRecord[]> {
    return this.tx((st) => [...st.index.activeRecords()].map(copy));
  }

  exportCsv(opts: Omit<ListOptions, 'limit'> = {}): Promise<string> {
    return this.list(opts).then(toCsv);
  }

  exportJson(opts: Omit<ListOptions, 'limit'> = {}): Promise<string> {
    return this.list(opts).then((rs) => toJson(rs, this.clock()));
  }
}

/** EVM hashes are hex (any case); Solana / TRON ids are kept as written. */
function txKey(tx: string): string {
  return /^0x[0-9a-fA-F]+$/.test(tx) ? tx.toLowerCase() : tx;
}

function unindexTx(st: State, r: PaymentRecord): void {
  if (r.txHash && st.byTx.get(txKey(r.txHash)) === r.id) st.byTx.delete(txKey(r.txHash));
}

function copy(r: PaymentRecord): PaymentRecord {
  return { ...r, asset: { ...r.asset }, times: { ...r.times } };
}

export function selectRecords(records: readonly PaymentRecord[], opts: ListOptions): PaymentRecord[] {
  const site = opts.site === undefined ? undefined : siteKey(opts.site);
  const statuses = opts.status === undefined ? undefined : typeof opts.status === 'string' ? [opts.status] : opts.status;
  const out = records
    .map((r, i) => [r, i] as const)
    .filter(([r]) => (site === undefined || r.site === site) && (!statuses || statuses.includes(r.status)))
    .sort(([a, ai], [b, bi]) => b.createdAt - a.createdAt || bi - ai)
    .map(([r]) => copy(r));
  return opts.limit !== undefined ? out.slice(0, Math.max(0, opts.limit)) : out;
}
