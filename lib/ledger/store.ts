/**
 * Where the ledger lives in `storage.local` (schema v2): one key per payment record
 * (`<prefix>.r.<id>`), one small meta key (`<prefix>.meta`: schema version and the lifetime
 * totals of pruned history) and a generation key (`<prefix>.gen`) rewritten with every write.
 * One payment step therefore writes one record, never the whole ledger.
 *
 * The background keeps the decoded ledger in memory and re-reads storage only when the
 * generation changed under it (another Ledger instance over the same keys, a restart, or a
 * test that reset storage) — so 10,000 past payments cost nothing on the payment path.
 *
 * Knowing that costs no storage read per step (`stale`):
 *  - in this JS realm, every store over the same prefix shares one "last generation written or
 *    loaded" (updated before any write, and Ledger serializes all of them with one shared
 *    mutex): a step never starts on a state another in-realm instance has moved past;
 *  - from other contexts, `storage.onChanged`: a generation this store did not write marks it
 *    stale (and so does the key's removal, e.g. storage cleared). Memory is trusted only while
 *    that listener is registered (a reset event source drops it), and a change reported while a
 *    load was reading is not lost (the next step loads again).
 * The ledger has one owner, the background (one realm: the service worker or event page), so
 * the event path only ever sees storage cleared or edited from outside.
 *
 * Schema versions (each older one is migrated forward on first load, then deleted):
 *   v0/v1  one document under `<prefix>` (wxt item, meta `<prefix>$` = {v:1}): {records, archive}
 *   v2     per-record keys as above; records carry scheme, x402Version and per-state times
 */
import { browser } from 'wxt/browser';
import { decodeRecord, encodeRecord, normalizeLedger } from './codec';
import type { ArchivedTotals, PaymentRecord, StoredRecord } from './types';

export const LEDGER_SCHEMA_VERSION = 2;

/**
 * Written over a record key in the same storage call that folds the record into the archive, so
 * a crash before the key is removed never counts it twice (load skips and removes tombstones).
 */
const TOMBSTONE = Object.freeze({ removed: true });
const isTombstone = (v: unknown) => typeof v === 'object' && v !== null && (v as { removed?: unknown }).removed === true && !('id' in v);

export interface LedgerMeta {
  version: number;
  /** site → lifetime totals of pruned settled records; '*' = all sites. */
  archive: Record<string, ArchivedTotals>;
}

export interface LoadedLedger {
  records: PaymentRecord[];
  archive: Record<string, ArchivedTotals>;
  /** keys of stored records that no longer decode: left untouched in storage for investigation */
  corrupt: string[];
  /** the schema version found in storage before migration (0 = nothing or v0/v1 without meta) */
  migratedFrom?: number;
}

type Local = typeof browser.storage.local;

/** prefix → the generation last written or loaded by any store of this realm */
const realmGen = new Map<string, string>();
/** how many of its own generations a store remembers (their change events may arrive late) */
const OWN_GENS = 256;

export class LedgerStore {
  readonly metaKey: string;
  readonly genKey: string;
  readonly recordPrefix: string;
  private gen: string | undefined;
  private hasMeta = false;
  /** another context changed the generation since this store last loaded */
  private changedElsewhere = false;
  /** generations this store wrote, newest last: their (possibly late) change events are ours */
  private readonly own = new Set<string>();
  private readonly onChanged = (changes: Record<string, { newValue?: unknown }>, area: string): void => {
    if (area !== 'local' || !(this.genKey in changes)) return;
    const v = changes[this.genKey]?.newValue;
    if (typeof v === 'string' && this.own.has(v)) return;
    this.changedElsewhere = true;
  };

  constructor(
    readonly prefix = 'ledger',
    private readonly local: () => Local = () => browser.storage.local,
    /** the change events of `local` (absent: no events, every step reads the generation) */
    private readonly events: () => typeof browser.storage.onChanged | undefined = () => browser.storage?.onChanged,
  ) {
    this.metaKey = `${prefix}.meta`;
    this.genKey = `${prefix}.gen`;
    this.recordPrefix = `${prefix}.r.`;
  }

  /** Is the change listener registered? (Registers it when not: memory was not covered, so it is dropped.) */
  private listening(): boolean {
    const ev = this.events();
    if (!ev) return false;
    if (ev.hasListener(this.onChanged as never)) return true;
    ev.addListener(this.onChanged as never);
    this.changedElsewhere = true;
    return true;
  }

  private claim(gen: string): void {
    this.gen = gen;
    realmGen.set(this.prefix, gen);
    this.own.add(gen);
    if (this.own.size > OWN_GENS) this.own.delete(this.own.values().next().value as string);
  }

  recordKey(id: string): string {
    return this.recordPrefix + id;
  }

  /**
   * Has anything written the ledger since this store last loaded or wrote it? Answered from
   * memory (see the header); only without change events does it read the generation.
   */
  async stale(): Promise<boolean> {
    if (this.gen === undefined) return true;
    if (!this.listening()) {
      const got = (await this.local().get(this.genKey)) as Record<string, unknown>;
      return got[this.genKey] !== this.gen;
    }
    return this.changedElsewhere || realmGen.get(this.prefix) !== this.gen;
  }

  /** Read (and, from an older schema, migrate) the whole ledger. */
  async load(): Promise<LoadedLedger> {
    // listening before the read, and cleared before it: a change reported meanwhile stays reported
    this.listening();
    this.changedElsewhere = false;
    const all = (await this.local().get(null)) as Record<string, unknown>;
    const meta = all[this.metaKey] as Partial<LedgerMeta> | undefined;
    const oldDoc = all[this.prefix];
    if (oldDoc !== undefined && (!meta || typeof meta.version !== 'number')) return this.migrateFromV1(all);
    if (meta && typeof meta.version === 'number' && meta.version > LEDGER_SCHEMA_VERSION) {
      throw new Error(`the ledger was written by a newer version of the wallet (schema ${meta.version}); update the wallet`);
    }
    // a migration interrupted after its records were written: only the old document is left to remove
    if (oldDoc !== undefined) await this.local().remove([this.prefix, `${this.prefix}$`]);
    const records: PaymentRecord[] = [];
    const corrupt: string[] = [];
    const tombstones: string[] = [];
    for (const [k, v] of Object.entries(all)) {
      if (!k.startsWith(this.recordPrefix)) continue;
      if (isTombstone(v)) {
        tombstones.push(k);
        continue;
      }
      try {
        records.push(decodeRecord(v as StoredRecord));
      } catch {
        corrupt.push(k);
      }
    }
    if (tombstones.length > 0) await this.local().remove(tombstones);
    this.hasMeta = meta !== undefined;
    const gen = typeof all[this.genKey] === 'string' ? (all[this.genKey] as string) : undefined;
    if (gen === undefined) await this.write([], [], undefined); // claim a generation
    else {
      this.gen = gen;
      realmGen.set(this.prefix, gen);
    }
    const archive = meta && meta.archive && typeof meta.archive === 'object' ? { ...meta.archive } : {};
    return { records, archive, corrupt };
  }

  /** v0/v1 → v2: every record to its own key, the archive to meta; the old document removed last. */
  private async migrateFromV1(all: Record<string, unknown>): Promise<LoadedLedger> {
    const doc = normalizeLedger(all[this.prefix]);
    const version = (all[`${this.prefix}$`] as { v?: number } | undefined)?.v ?? 0;
    const records: PaymentRecord[] = [];
    const corruptStored: Record<string, unknown> = {};
    const corrupt: string[] = [];
    for (const raw of doc.records) {
      const id = raw && typeof (raw as StoredRecord).id === 'string' ? (raw as StoredRecord).id : crypto.randomUUID();
      try {
        records.push(decodeRecord(raw as StoredRecord)); // fills the fields v2 added
      } catch {
        // kept, under its own key, for investigation; never counted
        corruptStored[this.recordKey(`corrupt-${id}`)] = raw;
        corrupt.push(this.recordKey(`corrupt-${id}`));
      }
    }
    const items: Record<string, unknown> = { ...corruptStored };
    for (const r of records) items[this.recordKey(r.id)] = encodeRecord(r);
    const meta: LedgerMeta = { version: LEDGER_SCHEMA_VERSION, archive: doc.archive };
    this.claim(crypto.randomUUID());
    this.hasMeta = true;
    // records and meta first: a crash before the removal re-runs this idempotently
    await this.local().set({ ...items, [this.metaKey]: meta, [this.genKey]: this.gen });
    await this.local().remove([this.prefix, `${this.prefix}$`]);
    return { records, archive: { ...doc.archive }, corrupt, migratedFrom: version };
  }

  /** Is this storage key one of the ledger's own (its meta, generation, a record)? */
  owns(key: string): boolean {
    return key === this.prefix || key === `${this.prefix}$` || key === this.metaKey || key === this.genKey || key.startsWith(this.recordPrefix);
  }

  /**
   * One write: changed records, removed records, the meta when the archive changed, and
   * `extra` keys of the caller's (written in the same storage call, so with the records or not at all).
   */
  async write(
    changed: readonly PaymentRecord[],
    removed: readonly string[],
    archive: Record<string, ArchivedTotals> | undefined,
    extra?: Record<string, unknown>,
  ): Promise<void> {
    // claimed before the write: if it fails, memory is dropped by the caller and the next load
    // reads what storage really holds
    this.claim(crypto.randomUUID());
    const items: Record<string, unknown> = { ...extra, [this.genKey]: this.gen };
    for (const r of changed) items[this.recordKey(r.id)] = encodeRecord(r);
    // removed records are tombstoned in this same call (atomic with the archive), deleted after
    for (const id of removed) items[this.recordKey(id)] = TOMBSTONE;
    // the first write of a fresh install records the schema version
    if (archive || (!this.hasMeta && changed.length > 0)) {
      items[this.metaKey] = { version: LEDGER_SCHEMA_VERSION, archive: archive ?? {} } satisfies LedgerMeta;
    }
    await this.local().set(items);
    if (items[this.metaKey]) this.hasMeta = true;
    // best effort: a tombstone left behind is skipped and removed by the next load
    if (removed.length > 0) await this.local().remove(removed.map((id) => this.recordKey(id))).catch(() => undefined);
  }
}
