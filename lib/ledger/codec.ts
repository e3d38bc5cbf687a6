/**
 * Ledger (de)serialization: bigint amounts as decimal strings. Records that no longer
 * decode are kept out of memory but reported, so a corrupt entry can be investigated.
 */
import type { PaymentRecord, PaymentStatus, StoredLedger, StoredRecord } from './types';

const STATUSES: readonly PaymentStatus[] = ['reserved', 'signed', 'settled', 'failed', 'released', 'unknown'];

export function emptyLedger(): StoredLedger {
  return { records: [], archive: {} };
}

export function encodeRecord(r: PaymentRecord): StoredRecord {
  return { ...r, times: { ...r.times }, asset: { ...r.asset }, amount: r.amount.toString() };
}

export function decodeRecord(s: StoredRecord): PaymentRecord {
  if (typeof s.amount !== 'string' || !/^\d{1,78}$/.test(s.amount)) throw new Error('invalid amount');
  if (!STATUSES.includes(s.status)) throw new Error('invalid status');
  if (typeof s.id !== 'string' || !Number.isFinite(s.createdAt) || !Number.isFinite(s.expiresAt)) {
    throw new Error('invalid record');
  }
  return {
    ...s,
    // records written before these fields existed: the wallet only paid `exact`, version not recorded (0)
    scheme: typeof s.scheme === 'string' ? s.scheme : 'exact',
    x402Version: typeof s.x402Version === 'number' ? s.x402Version : 0,
    times: s.times && typeof s.times === 'object' ? { ...s.times } : { reserved: s.createdAt, [s.status]: s.updatedAt },
    asset: { ...s.asset },
    amount: BigInt(s.amount),
  };
}

/** Normalize whatever storage holds into a StoredLedger (tolerates a missing archive). */
export function normalizeLedger(v: unknown): StoredLedger {
  if (typeof v !== 'object' || v === null) return emptyLedger();
  const o = v as Partial<StoredLedger>;
  return {
    records: Array.isArray(o.records) ? [...o.records] : [],
    archive: typeof o.archive === 'object' && o.archive !== null ? { ...o.archive } : {},
  };
}
