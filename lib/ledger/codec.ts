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
  const { maxAmount, settledAmount, ...rest } = r;
  return {
    ...rest,
    times: { ...r.times },
    asset: { ...r.asset },
    amount: r.amount.toString(),
    ...(maxAmount !== undefined ? { maxAmount: maxAmount.toString() } : {}),
    ...(settledAmount !== undefined ? { settledAmount: settledAmount.toString() } : {}),
  };
}

/** An optional stored amount: a decimal string, else absent (records from before the field existed). */
const optAmount = (v: unknown): bigint | undefined => (typeof v === 'string' && /^\d{1,78}$/.test(v) ? BigInt(v) : undefined);

const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;

/**
 * A stored record → a PaymentRecord, or throws when any field the ledger, spend accounting or
 * history rely on is missing or malformed (the caller keeps such a record out of memory).
 */
export function decodeRecord(s: StoredRecord): PaymentRecord {
  if (!s || typeof s !== 'object') throw new Error('invalid record');
  if (typeof s.amount !== 'string' || !/^\d{1,78}$/.test(s.amount)) throw new Error('invalid amount');
  if (!STATUSES.includes(s.status)) throw new Error('invalid status');
  if (!isStr(s.id, 200) || !Number.isFinite(s.createdAt) || !Number.isFinite(s.expiresAt) || !Number.isFinite(s.updatedAt)) {
    throw new Error('invalid record');
  }
  if (!isStr(s.site) || !isStr(s.network, 200) || !isStr(s.payTo, 200) || !isStr(s.requestOrigin) || !isStr(s.resourceUrl, 16_384)) {
    throw new Error('invalid record fields');
  }
  const a = s.asset as unknown as Record<string, unknown> | undefined;
  if (!a || typeof a !== 'object' || !isStr(a.address, 200) || !isStr(a.symbol, 64) || typeof a.usdPegged !== 'boolean') {
    throw new Error('invalid asset');
  }
  if (!Number.isInteger(a.decimals) || (a.decimals as number) < 0 || (a.decimals as number) > 255) throw new Error('invalid decimals');
  if (s.times !== undefined && (typeof s.times !== 'object' || s.times === null)) throw new Error('invalid times');
  const { maxAmount, settledAmount, ...rest } = s;
  const max = optAmount(maxAmount);
  const settled = optAmount(settledAmount);
  return {
    ...rest,
    // older records have neither (the wallet paid only `exact`): absent
    ...(max !== undefined ? { maxAmount: max } : {}),
    ...(settled !== undefined ? { settledAmount: settled } : {}),
    auto: s.auto === true,
    // records written before these fields existed: the wallet only paid `exact`, version not recorded (0)
    scheme: typeof s.scheme === 'string' ? s.scheme : 'exact',
    x402Version: typeof s.x402Version === 'number' ? s.x402Version : 0,
    times: s.times && typeof s.times === 'object' ? { ...s.times } : { [s.status]: s.updatedAt, reserved: s.createdAt },
    asset: { address: a.address as string, symbol: a.symbol as string, decimals: a.decimals as number, usdPegged: a.usdPegged as boolean },
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
