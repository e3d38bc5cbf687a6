/**
 * The content surface: the only two requests a web page (through the bridge) can make.
 * Payloads are untrusted: sizes and types are checked, the site comes from the browser,
 * and a "402" report counts only when the background saw that 402 itself.
 */
import type { ContentApi, Out } from '../messaging/contract';
import { hasSimpleHeaders } from '../x402/nonstandard';
import type { NavigationPayments } from './navigation';
import type { NetworkObserver } from './observer';
import type { PaymentService } from './payments';
import type { PageApiService } from './page-api';
import type { ContentHandlers, ContentSender } from './router';
import { crossSiteFrame } from '../policy/embedded';

const MAX_URL = 8 * 1024;
const MAX_TEXT = 64 * 1024;

function origin(url: string): string | null {
  try {
    const u = new URL(url);
    return /^https?:$/.test(u.protocol) ? u.origin : null;
  } catch {
    return null;
  }
}

export function createContentHandlers(d: {
  observer: NetworkObserver;
  payments: PaymentService;
  navigation: NavigationPayments;
  /** window.x402 (allowed sites only; absent: always refused) */
  pageApi?: PageApiService;
  /** injects the wrapper's handler into the sender's frame (MAIN world) */
  injectHandler?: (s: ContentSender) => Promise<void>;
}): ContentHandlers {
  const pass = (reason: string, code = 'not-observed'): Out<ContentApi, 'content.402'> => ({ action: 'pass', reason, code });
  return {
    // Only into the frame that asked (the browser names it), only the extension's own file: the
    // page can at most make the wallet inject its handler into the page's own frame again.
    'content.loadHandler': async (_input: unknown, s: ContentSender) => {
      if (!d.injectHandler || !origin(s.frameUrl)) return { done: false };
      await d.injectHandler(s);
      return { done: true };
    },
    'content.402': async (input: unknown, s: ContentSender) => {
      const i = input as Record<string, unknown> | null;
      if (!i || typeof i.url !== 'string' || typeof i.method !== 'string' || i.url.length > MAX_URL || i.method.length > 16)
        return pass('malformed report', 'malformed');
      const bodyText = typeof i.bodyText === 'string' && i.bodyText.length <= MAX_TEXT ? i.bodyText : undefined;
      const site = origin(s.tabUrl);
      if (!site || !origin(i.url)) return pass('not a web page', 'not-a-web-page');
      if (d.navigation.isPaying(s.tabId)) return pass('this page is being paid for by the wallet', 'navigation-in-progress');
      const seen = await d.observer.waitFor402(s.tabId, s.frameId, i.url);
      if (!seen) return pass('the wallet did not see this 402 itself');
      if (seen.carriedPayment) return pass('this request already carried a payment', 'already-paid');
      // A v1 body can only come from the page. For the frame's own origin that is the site's
      // own word; for another origin's resource the page could swap in its own requirements
      // under that origin's name, so the wallet does not take it.
      // (The X-Payment-* headers of a direct-transfer 402 are the browser's own observation.)
      if (!seen.paymentRequired && !hasSimpleHeaders(seen.otherHeaders) && origin(seen.url) !== origin(s.frameUrl))
        return pass("the wallet cannot confirm another origin's v1 payment request", 'unconfirmed-v1');
      const embeddedFrom = crossSiteFrame(site, s.frameUrl, s.frameId, s.origin);
      return d.payments.pay({
        kind: 'request',
        site,
        ...(embeddedFrom ? { embeddedFrom } : {}),
        url: seen.url,
        method: seen.method,
        // v2 requirements come from what the browser saw; only a v1 JSON body comes from the page.
        sources: seen.paymentRequired ? { header: seen.paymentRequired } : { bodyText, otherHeaders: seen.otherHeaders },
      });
    },
    'content.result': async (input: unknown, s: ContentSender) => {
      const i = input as Record<string, unknown> | null;
      const site = origin(s.tabUrl);
      if (site && i && typeof i.ticket === 'string' && i.ticket.length <= 100 && Number.isSafeInteger(i.status))
        await d.payments.settleFromPage(
          site,
          i.ticket,
          {
            status: i.status as number,
            paymentResponse: typeof i.paymentResponse === 'string' && i.paymentResponse.length <= MAX_TEXT ? i.paymentResponse : undefined,
          },
        );
      return { done: true as const };
    },
    'content.apiCaps': async (_input: unknown, s: ContentSender) =>
      d.pageApi ? d.pageApi.capabilities(s) : { refused: { code: 'page-api-not-allowed', message: 'The page API is off.' } },
    'content.apiPay': async (input: unknown, s: ContentSender) =>
      d.pageApi ? d.pageApi.pay(input, s) : { action: 'pass' as const, reason: 'The page API is off.', code: 'page-api-not-allowed' },
  };
}
