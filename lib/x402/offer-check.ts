/**
 * An offer checked against the request it came with. The wallet signs for the request the
 * browser made (its URL is what the approval shows and the ledger records); a payment request
 * that names another origin's resource is a server speaking for someone else — refused before
 * anything is evaluated or signed. Nothing is ever sent to the URL an offer names.
 *
 * Accepted: the same origin; the same host and port when the browser used https and the
 * server names http (a TLS-terminating proxy in front of an app that sees plain http — the
 * official middleware builds the URL from `req.protocol`); a relative URL (resolved against
 * the request). Pure.
 */
import type { PaymentRequiredNormalized } from './types.ts';

export type OfferCheck = { ok: true } | { ok: false; code: 'resource-mismatch'; reason: string };

function sameResourceOrigin(named: string, requestUrl: URL): boolean {
  let u: URL;
  try {
    u = new URL(named, requestUrl);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.origin === requestUrl.origin) return true;
  // a proxy terminating TLS: same host and port, the app saw http
  return requestUrl.protocol === 'https:' && u.protocol === 'http:' && u.hostname === requestUrl.hostname && u.port === requestUrl.port;
}

const short = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s);

/** Every resource URL the offer names (v2: `resource.url`; v1: each option's `resource`) must be the request's origin. */
export function checkOfferAgainstRequest(pr: PaymentRequiredNormalized, requestUrl: string): OfferCheck {
  let req: URL;
  try {
    req = new URL(requestUrl);
  } catch {
    return { ok: false, code: 'resource-mismatch', reason: 'the request URL is not valid' };
  }
  const named: string[] = [];
  if (pr.version === 2) named.push(pr.resource.url);
  else for (const o of pr.accepts) if (typeof o.resource === 'string') named.push(o.resource);
  for (const n of named) {
    if (n === '') continue;
    if (!sameResourceOrigin(n, req))
      return {
        ok: false,
        code: 'resource-mismatch',
        reason: `the payment request names ${short(n)} as the resource, but ${req.origin} answered the 402 — a server may only ask payment for its own resources`,
      };
  }
  return { ok: true };
}
