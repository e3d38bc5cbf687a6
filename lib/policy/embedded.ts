/**
 * Embedded content and a site's budget. A user who lets news.example pay automatically has
 * not trusted every frame inside it: a cross-site frame asks (naming its own origin as the
 * requester and the top site as where it runs), unless the user turned on "Embedded content
 * may pay from this budget" for that site (`SitePolicy.embeddedPay`, off by default).
 * Same-site frames keep the site's behaviour.
 *
 * Same-site here is deliberately narrower than the web's registrable-domain rule (the wallet
 * ships no public-suffix list): same scheme, and the frame's host is the top site's host or a
 * subdomain of it (ports ignored). Anything else — a parent domain, a sibling subdomain, an
 * opaque (sandboxed) origin — counts as cross-site, which only ever means "ask". Pure.
 */

/** The frame's origin when it is cross-site to the top site (null: same-site, or the top frame). */
export function crossSiteFrame(topSite: string, frameUrl: string, frameId: number, senderOrigin?: string): string | null {
  if (frameId === 0) return null;
  let top: URL;
  let frame: URL;
  try {
    top = new URL(topSite);
    frame = new URL(frameUrl);
  } catch {
    return frameUrl.slice(0, 200) || 'an unknown frame';
  }
  // a sandboxed frame has an opaque origin whatever its URL says
  if (senderOrigin === 'null') return `a sandboxed frame (${frame.origin})`;
  if (frame.protocol !== top.protocol) return frame.origin;
  const h = frame.hostname.toLowerCase();
  const t = top.hostname.toLowerCase();
  if (h === t || h.endsWith(`.${t}`)) return null;
  return frame.origin;
}

/** Why an embedded frame's payment asks instead of paying from the top site's budget. */
export function embeddedAskDetail(frame: string, site: string): string {
  return `${frame} is embedded in ${site} and asks to pay: embedded content does not pay from ${site}'s budget automatically (Sites → "Embedded content may pay from this budget")`;
}
