/**
 * The persisted payment ledger (`local:ledger`) with atomic budget reservations.
 * Owned by the background. Every operation is one critical section under a promise-chain
 * mutex: it re-reads storage, mutates, and writes before returning — so a fresh instance
 * after a service-worker restart sees everything, and a check-and-reserve cannot race.
 *
 * Lifecycle: reserve → (markSigned) → commit (settled) | fail definite (failed) |
 * fail ambiguous (unknown, still counted until its authorization expires) | release.
 * `sweep` releases non-final records whose authorization expired and prunes old history.
 */
import { storage } from 'wxt/utils/storage';
import { resolveTimeZone } from '../policy/periods';
import type { Decision, SpendSnapshot } from '../policy/types';
import { addressKey, siteKey, tokenKey } from '../policy/units';
import { decodeRecord, emptyLedger, encodeRecord, normalizeLedger } from './codec';
import { toCsv, toJson } from './export';
import { sharedMutex, type Mutex } from '../util/mutex';
import { archiveRecord, computeSpend, DEFAULT_EXPIRY_GRACE_MS, GLOBAL_ARCHIVE_KEY, isExpired } from './spend';
import { ACTIVE_STATUSES, type ArchivedTotals, type LedgerAsset, type PaymentRecord, type PaymentStatus, type StoredLedger, type StoredRecord } from './types';

export const LEDGER_VERSION = 1;
/** Migrations from version N-1 to N (none yet; add `2: (v1) => v2` when the shape changes). */
export const LEDGER_MIGRATIONS: Record<number, (old: any) => any> = {};
const DAY_MS = 86_400_000;

export type LedgerItem = ReturnType<typeof createLedgerItem>;

export function createLedgerItem(key: `local:${string}` = 'local:ledger') {
  return storage.defineItem<StoredLedger>(key, {
    version: LEDGER_VERSION,
    fallback: emptyLedger(),
    migrations: LEDGER_MIGRATIONS,
  });
}

export const ledgerItem = createLedgerItem();

export interface RetentionOptions {
  /** Drop released/failed records this many days after their last update (default 30). */
  inactiveDays?: number;
  /** Keep at most this many released/failed records (default 500). */
  maxInactive?: number;
  /** Keep at most this many settled records (default 2000); older ones fold into lifetime totals. */
  maxSettled?: number;
  /** Never prune a settled record younger than this (default 40 days, > any calendar period). */
  settledMinAgeDays?: number;
}

export interface LedgerOptions {
  item?: LedgerItem;
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
  delete r.errorReason;
  delete r.claimedTxHash;
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
  records: PaymentRecord[];
  corrupt: StoredRecord[];
  archive: Record<string, ArchivedTotals>;
}

export class Ledger {
  private readonly item: LedgerItem;
  private readonly lock: Mutex;
  private readonly clock: () => number;
  private readonly tz: () => string;
  private readonly grace: number;
  private readonly retention: Required<RetentionOptions>;
  private readonly newId: () => string;

  constructor(opts: LedgerOptions = {}) {
    this.item = opts.item ?? ledgerItem;
    this.lock = sharedMutex(this.item.key);
    this.clock = opts.clock ?? Date.now;
    const tz = opts.timeZone;
    this.tz = typeof tz === 'function' ? () => resolveTimeZone(tz()) : () => resolveTimeZone(tz);
    this.grace = opts.expiryGraceMs ?? DEFAULT_EXPIRY_GRACE_MS;
    this.retention = {
      inactiveDays: opts.retention?.inactiveDays ?? 30,
      maxInactive: opts.retention?.maxInactive ?? 500,
      maxSettled: opts.retention?.maxSettled ?? 2000,
      settledMinAgeDays: opts.retention?.settledMinAgeDays ?? 40,
    };
    this.newId = opts.newId ?? (() => crypto.randomUUID());
  }

  // ---- storage -------------------------------------------------------------------------

  private async load(): Promise<State> {
    const raw = normalizeLedger(await this.item.getValue());
    const records: PaymentRecord[] = [];
    const corrupt: StoredRecord[] = [];
    for (const s of raw.records) {
      try {
        records.push(decodeRecord(s));
      } catch {
        corrupt.push(s);
      }
    }
    return { records, corrupt, archive: raw.archive };
  }

  private async save(st: State): Promise<void> {
    await this.item.setValue({ records: [...st.records.map(encodeRecord), ...st.corrupt], archive: st.archive });
  }

  /** One critical section: load fresh state, run `fn`, persist if it changed anything. */
  private tx<T>(fn: (st: State) => { result: T; changed: boolean }): Promise<T> {
    return this.lock(async () => {
      const st = await this.load();
      const { result, changed } = fn(st);
      if (changed) await this.save(st);
      return result;
    });
  }

  private find(st: State, id: string): PaymentRecord {
    const r = st.records.find((x) => x.id === id);
    if (!r) throw new LedgerError('not-found', `no payment record ${id}`);
    return r;
  }

  // ---- sweeping and pruning (in memory, inside a critical section) -----------------------

  private expireInPlace(st: State, now: number): PaymentRecord[] {
    const released: PaymentRecord[] = [];
    for (const r of st.records) {
      if (isExpired(r, now, this.grace)) {
        enter(r, 'released', now);
        r.errorReason ??= 'authorization expired';
        released.push({ ...r });
      }
    }
    return released;
  }

  private pruneInPlace(st: State, now: number): number {
    const before = st.records.length;
    const ret = this.retention;
    const inactiveCutoff = now - ret.inactiveDays * DAY_MS;
    let keep = st.records.filter((r) => !((r.status === 'released' || r.status === 'failed') && r.updatedAt < inactiveCutoff));
    const inactive = keep.filter((r) => r.status === 'released' || r.status === 'failed');
    if (inactive.length > ret.maxInactive) {
      const drop = new Set(
        [...inactive].sort((a, b) => a.updatedAt - b.updatedAt).slice(0, inactive.length - ret.maxInactive),
      );
      keep = keep.filter((r) => !drop.has(r));
    }
    const settled = keep.filter((r) => r.status === 'settled');
    if (settled.length > ret.maxSettled) {
      const minAgeCutoff = now - ret.settledMinAgeDays * DAY_MS;
      const candidates = [...settled].sort((a, b) => a.createdAt - b.createdAt).filter((r) => r.createdAt < minAgeCutoff);
      const drop = new Set(candidates.slice(0, settled.length - ret.maxSettled));
      for (const r of drop) {
        const k = siteKey(r.site);
        st.archive[k] = archiveRecord(st.archive[k], r);
        st.archive[GLOBAL_ARCHIVE_KEY] = archiveRecord(st.archive[GLOBAL_ARCHIVE_KEY], r);
      }
      keep = keep.filter((r) => !drop.has(r));
    }
    st.records = keep;
    return before - keep.length;
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
    return this.tx<ReserveResult>((st) => {
      const now = input.now ?? this.clock();
      const tz = input.timeZone ? resolveTimeZone(input.timeZone) : this.tz();
      const expired = this.expireInPlace(st, now);
      const snapshot = computeSpend(st.records, st.archive, input.site, now, tz, this.grace);
      const decision = input.policyCheck(snapshot);
      if (decision.action !== 'pay') return { result: { decision }, changed: expired.length > 0 };
      const id = input.id ?? this.newId();
      if (st.records.some((r) => r.id === id)) throw new LedgerError('duplicate-id', `payment record ${id} exists`);
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
      st.records.push(record);
      this.pruneInPlace(st, now);
      return { result: { decision, record: { ...record } }, changed: true };
    });
  }

  /** reserved|signed → signed, recording the real validBefore (and payment-identifier). */
  markSigned(
    id: string,
    info: { expiresAt: number; paymentIdentifier?: string; payer?: string; authorizationId?: string },
    now = this.clock(),
  ): Promise<PaymentRecord> {
    return this.tx((st) => {
      const r = this.find(st, id);
      if (r.status !== 'reserved' && r.status !== 'signed') {
        throw new LedgerError('invalid-transition', `cannot mark ${r.status} payment as signed`);
      }
      enter(r, 'signed', now);
      r.expiresAt = info.expiresAt;
      if (info.paymentIdentifier !== undefined) r.paymentIdentifier = info.paymentIdentifier;
      if (info.payer !== undefined) r.payer = info.payer;
      if (info.authorizationId !== undefined) r.authorizationId = info.authorizationId;
      return { result: { ...r }, changed: true };
    });
  }

  /** Settlement succeeded → settled. The chain is the truth: this wins over any earlier state. */
  commit(id: string, info: CommitInfo, now = this.clock()): Promise<PaymentRecord> {
    return this.tx((st) => {
      const r = this.find(st, id);
      if (r.status === 'settled') return { result: { ...r }, changed: false };
      applyCommit(r, info, now);
      return { result: { ...r }, changed: true };
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
    return this.tx<CommitUsage>((st) => {
      const now = opts.now ?? this.clock();
      const tz = opts.timeZone ? resolveTimeZone(opts.timeZone) : this.tz();
      const r = this.find(st, id);
      if (r.status === 'settled') return { result: { record: { ...r } }, changed: false };
      const settledSpend = () =>
        computeSpend(st.records.filter((x) => x.status === 'settled'), st.archive, r.site, now, tz, this.grace);
      const before = settledSpend();
      applyCommit(r, info, now);
      return { result: { record: { ...r }, before, after: settledSpend() }, changed: true };
    });
  }

  /**
   * After a worker restart: reservations created by an earlier worker instance and never
   * signed can no longer be signed by anyone (the flow that owned them died with it), and
   * no money can move for them — release them now instead of at their expiry.
   */
  releaseUnsigned(createdBefore: number, now = this.clock()): Promise<PaymentRecord[]> {
    return this.tx((st) => {
      const out: PaymentRecord[] = [];
      for (const r of st.records) {
        if (r.status !== 'reserved' || r.createdAt >= createdBefore) continue;
        enter(r, 'released', now);
        r.errorReason ??= 'never signed (the wallet restarted)';
        out.push({ ...r });
      }
      return { result: out, changed: out.length > 0 };
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
    return this.tx((st) => {
      const r = this.find(st, id);
      if (r.status === 'settled' || r.status === 'failed' || r.status === 'released') {
        return { result: { ...r }, changed: false };
      }
      enter(r, opts.definite ? 'failed' : 'unknown', now);
      r.errorReason = reason;
      // the first claim is kept: a later one cannot redirect what reconciliation asks the chain
      if (opts.claimedTxHash && !r.claimedTxHash) r.claimedTxHash = opts.claimedTxHash;
      if (opts.pageChecked) r.pageChecked = true;
      return { result: { ...r }, changed: true };
    });
  }

  /**
   * Give the reservation back (e.g. the user cancelled before the payment was sent).
   * Idempotent on released/failed records. Refuses settled records and 'unknown' ones whose
   * authorization could still settle.
   */
  release(id: string, now = this.clock()): Promise<PaymentRecord> {
    return this.tx((st) => {
      const r = this.find(st, id);
      if (r.status === 'released' || r.status === 'failed') return { result: { ...r }, changed: false };
      if (r.status === 'settled') throw new LedgerError('invalid-transition', 'cannot release a settled payment');
      if (r.status === 'unknown' && !isExpired(r, now, this.grace)) {
        throw new LedgerError('invalid-transition', 'outcome unknown and the authorization is still valid');
      }
      enter(r, 'released', now);
      return { result: { ...r }, changed: true };
    });
  }

  /** Release reserved/signed/unknown records whose authorization expired; prune old history. */
  sweep(now = this.clock()): Promise<SweepResult> {
    return this.tx((st) => {
      const released = this.expireInPlace(st, now);
      const pruned = this.pruneInPlace(st, now);
      return { result: { released, pruned }, changed: released.length > 0 || pruned > 0 };
    });
  }

  /** Spend (spent + reserved) for a site and globally, per calendar period in `timeZone`. */
  /**
   * Amounts committed to but not settled yet (reserved, signed, outcome unknown; not expired,
   * by the same rule as spend), per token (`tokenKey`), of the given accounts: what their
   * balance must still cover.
   */
  pending(owners?: readonly string[], now = this.clock()): Promise<Map<string, bigint>> {
    return this.tx((st) => {
      const out = new Map<string, bigint>();
      for (const r of st.records) {
        if (!ACTIVE_STATUSES.includes(r.status) || isExpired(r, now, this.grace)) continue;
        // another account's payments are not this balance's (a reservation not signed yet has no payer)
        if (owners && r.payer && !owners.some((o) => addressKey(r.network, o) === addressKey(r.network, r.payer!))) continue;
        const k = tokenKey(r.network, r.asset.address);
        out.set(k, (out.get(k) ?? 0n) + r.amount);
      }
      return { result: out, changed: false };
    });
  }

  snapshot(site: string, now = this.clock(), timeZone?: string): Promise<SpendSnapshot> {
    const tz = timeZone ? resolveTimeZone(timeZone) : this.tz();
    return this.tx((st) => ({ result: computeSpend(st.records, st.archive, site, now, tz, this.grace), changed: false }));
  }

  get(id: string): Promise<PaymentRecord | undefined> {
    return this.tx((st) => {
      const r = st.records.find((x) => x.id === id);
      return { result: r ? { ...r } : undefined, changed: false };
    });
  }

  /** Records, newest first, optionally for one site and/or status. */
  list(opts: ListOptions = {}): Promise<PaymentRecord[]> {
    return this.tx((st) => ({ result: selectRecords(st.records, opts), changed: false }));
  }

  exportCsv(opts: Omit<ListOptions, 'limit'> = {}): Promise<string> {
    return this.list(opts).then(toCsv);
  }

  exportJson(opts: Omit<ListOptions, 'limit'> = {}): Promise<string> {
    return this.list(opts).then((rs) => toJson(rs, this.clock()));
  }
}

export function selectRecords(records: readonly PaymentRecord[], opts: ListOptions): PaymentRecord[] {
  const site = opts.site === undefined ? undefined : siteKey(opts.site);
  const statuses = opts.status === undefined ? undefined : typeof opts.status === 'string' ? [opts.status] : opts.status;
  const out = records
    .map((r, i) => [r, i] as const)
    .filter(([r]) => (site === undefined || r.site === site) && (!statuses || statuses.includes(r.status)))
    .sort(([a, ai], [b, bi]) => b.createdAt - a.createdAt || bi - ai)
    .map(([r]) => ({ ...r, asset: { ...r.asset } }));
  return opts.limit !== undefined ? out.slice(0, Math.max(0, opts.limit)) : out;
}
