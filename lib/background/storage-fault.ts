/**
 * Browser storage failing (quota exhausted, profile disk full, storage API rejecting): the
 * wallet never hands out a signature whose record it could not save, and says so plainly.
 */

/** What the user and the page are told when a payment could not be saved. */
export const STORAGE_FAILED_TEXT =
  'The wallet could not save this payment (browser storage is full or failing), so nothing was sent and nothing was paid. Free some space and try again.';

/** Is this error the browser's storage refusing a write? (Chromium: "QUOTA_BYTES quota exceeded"; Firefox: QuotaExceededError) */
export function isStorageFailure(e: unknown): boolean {
  const name = e instanceof Error ? e.name : '';
  const msg = e instanceof Error ? e.message : String(e);
  return name === 'QuotaExceededError' || /quota|storage (is )?full|disk (is )?full/i.test(msg);
}
