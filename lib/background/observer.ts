/**
 * The background's own view of the network (webRequest, read-only):
 *  - every 402 answered to a tab, with its PAYMENT-REQUIRED header (the page may not be able
 *    to read it because of CORS; the background always can) — the trusted source of v2
 *    requirements, and proof that a page's "I got a 402" report is true;
 *  - which requests already carried a payment header (the page's own x402 flow, or our retry);
 *  - the PAYMENT-RESPONSE / X-PAYMENT-RESPONSE of our paid retries, to record settlements.
 * Observations are short-lived (a minute) and kept in memory: a report waits for its
 * observation at most a couple of seconds (Chrome and Firefox order the two differently).
 */
import { browser, type Browser } from 'wxt/browser';
import { pickHeaders } from '../x402/nonstandard';

export interface Observed402 {
  requestId: string;
  tabId: number;
  frameId: number;
  url: string;
  method: string;
  type: string;
  paymentRequired?: string;
  /** without PAYMENT-REQUIRED: the headers that say what else it asked for (x402/nonstandard.ts) */
  otherHeaders?: Record<string, string | null>;
  /**
   * the request carried PAYMENT-SIGNATURE / X-PAYMENT (only known while the wallet watches
   * request headers, i.e. while one of its own payments waits for its retry)
   */
  carriedPayment: boolean;
  at: number;
}

export interface ObservedSettlement {
  requestId: string;
  tabId: number;
  url: string;
  status: number;
  paymentResponse?: string;
}

type HeaderList = Browser.webRequest.HttpHeader[] | undefined;
const PAYMENT_HEADERS = ['payment-signature', 'x-payment', 'x-payment-proof', 'sign-in-with-x'];
const RESPONSE_HEADERS = ['payment-response', 'x-payment-response'];
const KEEP_MS = 60_000;

export function headerValue(headers: HeaderList, name: string): string | undefined {
  const n = name.toLowerCase();
  return headers?.find((h) => h.name.toLowerCase() === n)?.value;
}

/*
 * No 'extraHeaders' (Chrome): the headers the wallet reads — PAYMENT-SIGNATURE / X-PAYMENT on
 * requests (including the one a declarativeNetRequest rule sets), PAYMENT-REQUIRED /
 * PAYMENT-RESPONSE / X-PAYMENT-RESPONSE on responses — are ordinary custom headers that
 * webRequest shows without it ('extraHeaders' only adds Cookie, Referer, Accept-Language,
 * Accept-Encoding, Origin and Set-Cookie). With it, Chrome makes the network service stop at
 * every request and response of every page for a round trip to the browser process, which
 * measurably slowed ordinary fetches (bench/wrapper.ts). Firefox rejects the flag anyway.
 */

/** Every http(s) URL: the observer's filter when the wallet works on all sites. */
export const ALL_SITES: readonly string[] = ['http://*/*', 'https://*/*'];

export class NetworkObserver {
  private seen: Observed402[] = [];
  private waiters = new Set<() => void>();
  /** requestId → header value of a payment header the request carried */
  private carried = new Map<string, { value: string; at: number }>();
  /** payment header value → listener for the response to the request that carried it */
  private watched = new Map<string, { listener: (s: ObservedSettlement) => void; until: number }>();
  /** top-level 402 navigations */
  onNavigation402: ((o: Observed402) => void) | null = null;
  /** responses to main_frame requests (used to retire one-shot navigation rules) */
  onMainFrameResponse: ((d: ObservedSettlement) => void) | null = null;

  private filter = {
    urls: [...ALL_SITES],
    types: ['main_frame', 'xmlhttprequest'] as Browser.webRequest.ResourceType[],
  };
  private sendHeadersOn = false;

  /**
   * Only the request types the wallet acts on: page fetch()/XHR (both browsers report fetch as
   * 'xmlhttprequest') and top-level navigations. Every other type (images, scripts, frames…)
   * is never dispatched to the background. One listener always (responses, to see 402s);
   * request headers are watched only while a signed payment waits for its retry, because
   * every observed event costs every ordinary request an IPC round to the extension.
   */
  install(): void {
    browser.webRequest.onHeadersReceived.addListener(this.onHeaders, this.filter, ['responseHeaders'] as never);
  }

  /** The URL patterns observed now (every http(s) URL, or the allowed sites only). */
  get urls(): readonly string[] {
    return this.filter.urls;
  }

  /**
   * Observe only requests to these URL patterns ("only on sites I allow"; an empty list observes
   * nothing at all) or, with `ALL_SITES`, every http(s) request. The listeners are registered
   * anew with the narrower filter, so the browser never dispatches another site's requests to
   * the extension.
   */
  observe(urls: readonly string[]): void {
    const next = [...new Set(urls)].sort();
    if (next.join(' ') === [...this.filter.urls].sort().join(' ')) return;
    browser.webRequest.onHeadersReceived.removeListener(this.onHeaders);
    if (this.sendHeadersOn) {
      browser.webRequest.onSendHeaders.removeListener(this.onSend);
      browser.webRequest.onErrorOccurred.removeListener(this.onError);
    }
    this.filter = { ...this.filter, urls: next };
    if (next.length === 0) return;
    this.install();
    if (this.sendHeadersOn) {
      browser.webRequest.onSendHeaders.addListener(this.onSend, this.filter, ['requestHeaders'] as never);
      browser.webRequest.onErrorOccurred.addListener(this.onError, this.filter);
    }
  }

  private readonly onSend = (d: Browser.webRequest.OnSendHeadersDetails): void => {
    if (d.tabId < 0) return;
    for (const name of PAYMENT_HEADERS) {
      const v = headerValue(d.requestHeaders, name);
      if (v) {
        this.carried.set(d.requestId, { value: v, at: Date.now() });
        return;
      }
    }
  };

  private readonly onError = (d: { requestId: string }): void => {
    this.carried.delete(d.requestId);
  };

  /** Adds or removes the request-header listeners to match whether any payment is watched. */
  private syncSendHeaders(): void {
    const now = Date.now();
    for (const [k, w] of this.watched) if (w.until < now) this.watched.delete(k);
    const want = this.watched.size > 0;
    if (want === this.sendHeadersOn) return;
    this.sendHeadersOn = want;
    if (want) {
      browser.webRequest.onSendHeaders.addListener(this.onSend, this.filter, ['requestHeaders'] as never);
      browser.webRequest.onErrorOccurred.addListener(this.onError, this.filter);
    } else {
      browser.webRequest.onSendHeaders.removeListener(this.onSend);
      browser.webRequest.onErrorOccurred.removeListener(this.onError);
      this.carried.clear();
    }
  }

  private readonly onHeaders = (d: Browser.webRequest.OnHeadersReceivedDetails): undefined => {
    if (d.tabId < 0) return undefined;
    const carried = this.carried.get(d.requestId);
    let ours = false;
    if (carried) {
      this.carried.delete(d.requestId);
      const w = this.watched.get(carried.value);
      if (w) {
        ours = true;
        this.watched.delete(carried.value);
        const pr = RESPONSE_HEADERS.map((n) => headerValue(d.responseHeaders, n)).find(Boolean);
        w.listener({ requestId: d.requestId, tabId: d.tabId, url: d.url, status: d.statusCode, paymentResponse: pr });
        this.syncSendHeaders();
      }
    }
    if (d.type === 'main_frame')
      this.onMainFrameResponse?.({
        requestId: d.requestId,
        tabId: d.tabId,
        url: d.url,
        status: d.statusCode,
        paymentResponse: RESPONSE_HEADERS.map((n) => headerValue(d.responseHeaders, n)).find(Boolean),
      });
    // A 402 answering our own paid retry is that payment's outcome (handled above), not a new
    // request asking for payment: it must never answer a later report for the same URL.
    if (d.statusCode !== 402 || ours) return undefined;
    const o: Observed402 = {
      requestId: d.requestId,
      tabId: d.tabId,
      frameId: d.frameId,
      url: d.url,
      method: d.method,
      type: d.type,
      paymentRequired: headerValue(d.responseHeaders, 'payment-required'),
      carriedPayment: !!carried,
      at: Date.now(),
    };
    if (!o.paymentRequired) o.otherHeaders = pickHeaders(d.responseHeaders);
    this.remember(o);
    if (d.type === 'main_frame') this.onNavigation402?.(o);
    return undefined;
  };

  private remember(o: Observed402): void {
    const cutoff = Date.now() - KEEP_MS;
    this.seen = this.seen.filter((x) => x.at >= cutoff);
    this.seen.push(o);
    for (const w of [...this.waiters]) w();
    for (const [k, v] of this.carried) if (v.at < cutoff) this.carried.delete(k);
  }

  /** Test and internal use: record an observation as if webRequest had reported it. */
  record(o: Observed402): void {
    this.remember(o);
  }

  private find(tabId: number, frameId: number, url: string, notBefore: number): Observed402 | undefined {
    const candidates = this.seen.filter((x) => x.tabId === tabId && x.url === url && x.at >= notBefore);
    return candidates.reverse().find((x) => x.frameId === frameId) ?? candidates[0];
  }

  /**
   * The 402 the browser saw for this tab/frame/URL within the last minute, waiting up to
   * `timeoutMs` for it to arrive. Consumed: one observation answers one report.
   */
  async waitFor402(tabId: number, frameId: number, url: string, timeoutMs = 3_000): Promise<Observed402 | undefined> {
    const notBefore = Date.now() - KEEP_MS;
    const take = () => {
      const o = this.find(tabId, frameId, url, notBefore);
      if (o) this.seen = this.seen.filter((x) => x !== o);
      return o;
    };
    const now = take();
    if (now) return now;
    return new Promise((resolve) => {
      const done = (o: Observed402 | undefined) => {
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(o);
      };
      const check = () => {
        const o = take();
        if (o) done(o);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.waiters.add(check);
    });
  }

  /**
   * Calls `listener` with the response to the next request carrying this payment header,
   * until `until` (epoch ms; the authorization's expiry) — after that nothing can settle it.
   */
  watchPayment(headerValueSent: string, listener: (s: ObservedSettlement) => void, until: number): void {
    this.watched.set(headerValueSent, { listener, until });
    this.syncSendHeaders();
  }
}
