/**
 * One purchase, one charge, across signatures: the `payment-identifier` id of an earlier attempt
 * at the same purchase whose outcome the wallet never learned (pure).
 *
 * When the wallet has to sign anew for a resource — the earlier authorization expired before its
 * outcome was known (`unknown`, or released `unverified`: it may have settled) — the new payload
 * carries the SAME payment id, so a server that did charge the first one answers from its cache
 * instead of charging again (x402 `payment-identifier`). A settled purchase is never reused (the
 * next request is a new purchase), nor a definite failure, nor one for another price, payee,
 * token or network.
 */
import { addressKey } from '../policy/units';
import type { PaymentRecord } from './types';

/** How far back an undecided attempt still counts as "the same purchase" (servers cache ids about this long). */
export const SAME_PURCHASE_MS = 60 * 60_000;

export interface PurchaseQuery {
  site: string;
  resourceUrl: string;
  network: string;
  asset: string;
  payTo: string;
  amount: bigint;
}

export function samePurchaseId(records: readonly PaymentRecord[], q: PurchaseQuery, now: number): string | undefined {
  const undecided = (r: PaymentRecord) => r.status === 'unknown' || r.status === 'signed' || (r.status === 'released' && r.unverified === true);
  const match = records
    .filter(
      (r) =>
        !!r.paymentIdentifier &&
        undecided(r) &&
        r.createdAt > now - SAME_PURCHASE_MS &&
        r.site === q.site &&
        r.resourceUrl === q.resourceUrl &&
        r.network === q.network &&
        addressKey(q.network, r.asset.address) === addressKey(q.network, q.asset) &&
        addressKey(q.network, r.payTo) === addressKey(q.network, q.payTo) &&
        r.amount === q.amount,
    )
    .sort((a, b) => b.createdAt - a.createdAt);
  return match[0]?.paymentIdentifier;
}
