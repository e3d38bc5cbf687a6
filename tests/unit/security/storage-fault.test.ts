/**
 * Storage refusing writes (quota exhausted) on the payment path, through the real PaymentService
 * and the real ledger over WXT's fake browser storage: nothing is signed without its record,
 * no signature leaves the wallet unrecorded, the user is told why, nothing is lost.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { STORAGE_FAILED_TEXT, isStorageFailure } from '../../../lib/background/storage-fault';
import { offer, paymentWorld } from './harness';

/** the `nth` (1-based) storage.local write of a ledger record from now on rejects like a full quota */
function failLedgerWrite(nth: number) {
  const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
  let seen = 0;
  let failed = 0;
  vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items: Record<string, unknown>) => {
    if (Object.keys(items).some((k) => k.startsWith('ledger.r.')) && ++seen === nth) {
      failed++;
      throw new Error('QUOTA_BYTES quota exceeded');
    }
    return set(items);
  });
  return () => failed;
}

describe('storage quota exhausted on the payment path', () => {
  beforeEach(() => {
    vi.restoreAllMocks();
    fakeBrowser.reset();
  });

  it('recognises the browsers\' quota errors, not every error', () => {
    expect(isStorageFailure(new Error('QUOTA_BYTES quota exceeded'))).toBe(true);
    expect(isStorageFailure(Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' }))).toBe(true);
    expect(isStorageFailure(new Error('network timeout'))).toBe(false);
  });

  it('the reservation cannot be saved: nothing is signed, the page and the activity list say why', async () => {
    const w = await paymentWorld();
    await w.auto();
    const failed = failLedgerWrite(1);
    const before = w.signatures();
    const a = await w.pay({ doc: offer() });
    expect(failed()).toBe(1);
    expect(a).toMatchObject({ action: 'pass', code: 'storage-failed', reason: STORAGE_FAILED_TEXT });
    expect(w.signatures() - before).toBe(0);
    expect(await w.activity()).toContain(STORAGE_FAILED_TEXT);
    expect(await w.ledger.list({ limit: 10 })).toHaveLength(0);
  });

  it('the signed state cannot be saved: the signature never leaves the wallet, its record is kept as failed (not counted), not lost', async () => {
    const w = await paymentWorld();
    await w.auto();
    const failed = failLedgerWrite(2); // 1 = reserve, 2 = marked signed
    const a = await w.pay({ doc: offer() });
    expect(failed()).toBe(1);
    expect(a.action).toBe('pass'); // no header handed out
    expect(a).toMatchObject({ code: 'storage-failed' });
    expect(await w.activity()).toContain(STORAGE_FAILED_TEXT);
    const recs = await w.ledger.list({ limit: 10 });
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ status: 'failed', errorReason: STORAGE_FAILED_TEXT });
    // storage works again: the next attempt pays normally, one new record
    vi.restoreAllMocks();
    const b = await w.pay({ doc: offer() });
    expect(b.action).toBe('retry');
    expect(await w.ledger.list({ limit: 10 })).toHaveLength(2);
    console.log('[security] payment-path faults (storage quota, unit): reservation write and signed write refused → 0 signatures handed out unrecorded, 0 records lost, reason in the activity list');
  });
});
