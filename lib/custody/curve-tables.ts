/**
 * The size of secp256k1's precomputed base-point table, chosen for a service worker that starts
 * cold. @noble/curves builds its table for G on the first signature or public key of a process:
 * with its default 8-bit window that is ~4,200 point additions (≈ 40–50 ms on these machines),
 * paid by the first payment of every worker start — and MV3 stops an idle worker after 30 s, so
 * for most people most payments are a first one. A 4-bit window builds in about a third of that
 * and makes each later multiplication ~0.4 ms slower. Signatures are identical (RFC 6979 picks
 * the nonce; the table only changes how k·G is computed). `_setWindowSize` is the knob the
 * library's README names for this; it only takes effect before the table is built, so it is set
 * once, when custody is created, before anything signs.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';

export const BASE_POINT_WINDOW = 4;

let tuned = false;

export function tuneCurveTables(): void {
  if (tuned) return;
  tuned = true;
  secp256k1.ProjectivePoint.BASE._setWindowSize(BASE_POINT_WINDOW);
}
